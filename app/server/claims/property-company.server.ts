import { eq } from "drizzle-orm";
import { z } from "zod";
import { organisations, projects } from "@db/schema";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ForbiddenError, ValidationError } from "../errors.server";
import { parseInput, requiredString } from "../validation.server";
import { findKnownParty } from "../projects/parties.server";
import { answersForHomes, scopedProject } from "./units-import.server";

// 物业服务企业: at handover the developer names the company that looks after the homes; from then
// on it may import and correct the homes' list, as the developer may. It is a registered
// organisation of the repairer type (维修单位/物业公司).

export interface PropertyCompany {
  name: string;
  creditCode: string;
}

// The code's own form (length, check digit) is judged by findKnownParty with the register.
const nameSchema = z.object({
  creditCode: requiredString("请输入物业服务企业的统一社会信用代码")
    .trim()
    .min(1, "请输入物业服务企业的统一社会信用代码")
    .max(18, "统一社会信用代码应为18位"),
});

/** The project's property company, or null before one is named. */
export async function propertyCompanyOf(project: { propertyCompanyId: string | null }): Promise<PropertyCompany | null> {
  if (!project.propertyCompanyId) return null;
  const [company] = await db()
    .select({ name: organisations.name, creditCode: organisations.creditCode })
    .from(organisations)
    .where(eq(organisations.id, project.propertyCompanyId));
  return company ?? null;
}

/**
 * Names (or changes) the project's property company by its credit code. Outside the scope 404; only
 * its developer, lead insurer or an administrator (403); a code that is not an active registered
 * property company 422 on `creditCode`.
 */
export async function namePropertyCompany(actor: Actor, projectId: string, input: unknown): Promise<PropertyCompany> {
  const project = await scopedProject(actor, projectId);
  if (!answersForHomes(actor, project)) throw new ForbiddenError("只有项目的建设单位、主承保保险公司或平台管理员可以指定物业服务企业");
  const { creditCode } = parseInput(nameSchema, input);
  return db().transaction(async (tx) => {
    const company = await findKnownParty(tx, "repairer", creditCode);
    if ("problem" in company) throw new ValidationError({ creditCode: company.problem }, company.problem);
    if (company.id !== project.propertyCompanyId) {
      await tx.update(projects).set({ propertyCompanyId: company.id, updatedAt: clock.now() }).where(eq(projects.id, project.id));
      await recordAudit(tx, actor, {
        action: "project.property_company",
        subjectType: "project",
        subjectId: project.id,
        before: { propertyCompanyId: project.propertyCompanyId },
        after: { propertyCompanyId: company.id },
      });
    }
    return { name: company.name, creditCode: company.creditCode };
  });
}
