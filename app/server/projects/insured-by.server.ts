import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { policyShares, projects } from "@db/schema";

/**
 * A project insured by the organisation, as lead or co-insurer (a share of its policy): what
 * "filter by insurer" means on the dashboards and the lists their charts open. The insurer's
 * projects are a set computed once per query, not probed row by row (as the scope's are:
 * app/server/auth/scope.server.ts).
 */
export function insuredBy(insurerId: string | AnyPgColumn): SQL {
  return sql`${projects.id} in (select ${policyShares.projectId} from ${policyShares}
    where ${policyShares.kind} = 'insurer' and ${policyShares.organisationId} = ${insurerId})`;
}

/**
 * The organisations insuring any of `projectIds` (a subquery of project ids), as lead or co-insurer:
 * the insurers insuredBy would select those projects by, a set computed once per query.
 */
export function insurersOf(projectIds: SQL): SQL {
  return sql`(select ${policyShares.organisationId} from ${policyShares}
    where ${policyShares.kind} = 'insurer' and ${policyShares.projectId} in ${projectIds})`;
}
