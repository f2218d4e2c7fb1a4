import { eq } from "drizzle-orm";
import { z } from "zod";
import { projects } from "@db/schema";
import { NotFoundError, ValidationError } from "../errors.server";
import type { BusinessObjectType } from "../workflow/index.server";
import { projectSummary } from "./project-summary.server";

// A project as the business object of flows: a flow started by a user may attach to one only when
// that user's organisation is its lead insurer, the party that acts for the project on the platform.
export const projectObject: BusinessObjectType = {
  label: "项目",
  pagePath: (key) => `/projects/${key}`,
  async attach(tx, actor, key) {
    if (!z.uuid().safeParse(key).success) throw new ValidationError({ businessKey: "项目标识格式不正确" });
    const id = key.toLowerCase();
    const [project] = await tx.select({ leadInsurerId: projects.leadInsurerId }).from(projects).where(eq(projects.id, id)).for("update");
    if (!project) throw new ValidationError({ businessKey: "项目不存在" });
    if (!actor.organisationId || project.leadInsurerId !== actor.organisationId)
      throw new NotFoundError("项目不存在，或不在您的办理范围内");
    return id;
  },
  summary: projectSummary,
};
