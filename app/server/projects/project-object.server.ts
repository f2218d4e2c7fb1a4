import { eq } from "drizzle-orm";
import { z } from "zod";
import { projects, type ProjectStatus } from "@db/schema";
import { ConflictError, NotFoundError, ValidationError } from "../errors.server";
import type { BusinessObjectType, FlowFacts } from "../workflow/index.server";
import { projectSummary } from "./project-summary.server";

// A project as the business object of flows: a flow started by a user may attach to one only when
// that user's organisation is its lead insurer, the party that acts for the project on the platform,
// and only in a state that flow starts from. A review of an insured project would open a first step
// (录入报建信息) that can never be completed.

/** Why a flow of a kind cannot start about a project in a status (the statuses not named may start it). */
const NOT_FROM: Record<string, Partial<Record<ProjectStatus, string>>> = {
  "insurance-review": {
    awaiting_confirmation: "该项目已提交住建局确认，不能再发起保险审核",
    insured: "该项目已确认投保，不能再发起保险审核",
  },
  "risk-management": {
    draft: "该项目尚未确认投保，不能发起风险管理",
    awaiting_confirmation: "该项目尚未确认投保，不能发起风险管理",
    returned: "该项目尚未确认投保，不能发起风险管理",
  },
};

export const projectObject: BusinessObjectType = {
  label: "项目",
  pagePath: (key) => `/projects/${key}`,
  async attach(tx, actor, key, processKey) {
    if (!z.uuid().safeParse(key).success) throw new ValidationError({ businessKey: "项目标识格式不正确" });
    const id = key.toLowerCase();
    const [project] = await tx
      .select({ leadInsurerId: projects.leadInsurerId, status: projects.status })
      .from(projects)
      .where(eq(projects.id, id))
      .for("update");
    if (!project) throw new ValidationError({ businessKey: "项目不存在" });
    if (!actor.organisationId || project.leadInsurerId !== actor.organisationId)
      throw new NotFoundError("项目不存在，或不在您的办理范围内");
    const refusal = NOT_FROM[processKey]?.[project.status];
    if (refusal) throw new ConflictError(refusal);
    return id;
  },
  summary: projectSummary,
  // A completion (竣工验收) cannot come before the project started.
  async facts(ex, key): Promise<FlowFacts> {
    if (!z.uuid().safeParse(key).success) return {};
    const [project] = await ex.select({ startDate: projects.startDate }).from(projects).where(eq(projects.id, key));
    return project ? { startDate: project.startDate } : {};
  },
};
