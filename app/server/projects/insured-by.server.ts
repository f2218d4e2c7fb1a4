import { and, eq, exists, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { policies, policyShares, projects } from "@db/schema";
import { db } from "../db.server";

/**
 * A project insured by the organisation, as lead or co-insurer (a share of its policy): what
 * "filter by insurer" means on the dashboards and the lists their charts open.
 */
export function insuredBy(insurerId: string | AnyPgColumn): SQL {
  return exists(
    db()
      .select({ one: sql`1` })
      .from(policyShares)
      .innerJoin(policies, eq(policies.id, policyShares.policyId))
      .where(and(eq(policies.projectId, projects.id), eq(policyShares.kind, "insurer"), eq(policyShares.organisationId, insurerId))),
  );
}
