import { and, count, desc, eq } from "drizzle-orm";
import { organisations, policies, policyShares, projects } from "@db/schema";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { listParams, offsetOf, pageSchema } from "../pagination.server";

export type ReinsuredPolicy = Awaited<ReturnType<typeof listReinsuredPolicies>>["rows"][number];

/** 再保业务: the policies the actor's organisation reinsures, with its share of each, newest first. */
export async function listReinsuredPolicies(actor: Actor, query: unknown) {
  assertCan(actor, "view:reinsurance");
  const q = listParams(pageSchema, query);
  const where = and(
    scope(actor, "project"),
    eq(policyShares.kind, "reinsurer"),
    // scope() answers nothing for an actor without an organisation.
    eq(policyShares.organisationId, actor.organisationId!),
  );
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({
        projectId: projects.id,
        projectName: projects.name,
        permitNo: projects.permitNo,
        projectStatus: projects.status,
        policyNo: policies.policyNo,
        leadInsurerName: organisations.name,
        sumInsured: policies.sumInsured,
        premium: policies.premium,
        periodStart: policies.periodStart,
        periodEnd: policies.periodEnd,
        share: policyShares.share,
      })
      .from(policyShares)
      .innerJoin(policies, eq(policyShares.policyId, policies.id))
      .innerJoin(projects, eq(policies.projectId, projects.id))
      .innerJoin(organisations, eq(projects.leadInsurerId, organisations.id))
      .where(where)
      .orderBy(desc(policies.issueDate), policies.policyNo)
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db()
      .select({ total: count() })
      .from(policyShares)
      .innerJoin(policies, eq(policyShares.policyId, policies.id))
      .innerJoin(projects, eq(policies.projectId, projects.id))
      .where(where),
  ]);
  return { rows, total, page: q.page, pageSize: q.pageSize };
}
