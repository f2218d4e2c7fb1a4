import { eq, or, sql, type SQL } from "drizzle-orm";
import { projects } from "@db/schema";
import type { Executor } from "@db/client";

// A project is searched by six keys (项目名称, 小区名称, 建设单位, 施工单位, 保险公司 lead and
// co-insurers, 风险管理机构) and its 报建号, all in projects.search_text, lower-cased, under one
// trigram index (docs/decisions/021). The text is rewritten from the facts in the transaction that
// changes one of them: registration, the policy's shares, an organisation's name.

/** The search text of the `projects` row in hand, from the facts (the migration 0017 backfill says the same). */
export const searchTextOf = sql<string>`lower(concat_ws(' ', ${projects.name}, ${projects.communityName}, ${projects.permitNo},
  (select o.name from organisations o where o.id = ${projects.developerId}),
  (select o.name from organisations o where o.id = ${projects.contractorId}),
  (select o.name from organisations o where o.id = ${projects.tisId}),
  (select string_agg(o.name, ' ' order by o.name) from organisations o where o.id = ${projects.leadInsurerId}
     or o.id in (select s.organisation_id from policy_shares s join policies pl on pl.id = s.policy_id
       where pl.project_id = ${projects.id} and s.kind = 'insurer'))))`;

/** Rewrites the search text of the projects `which` selects. */
export async function refreshSearchText(ex: Executor, which: SQL): Promise<void> {
  await ex.update(projects).set({ searchText: searchTextOf }).where(which);
}

/** One project's search text, after its registration or policy changed. */
export const refreshProjectSearchText = (ex: Executor, projectId: string) => refreshSearchText(ex, eq(projects.id, projectId));

/** The projects that name an organisation as a searched party, after its name changed. */
export function refreshSearchTextNaming(ex: Executor, organisationId: string): Promise<void> {
  return refreshSearchText(
    ex,
    or(
      eq(projects.developerId, organisationId),
      eq(projects.contractorId, organisationId),
      eq(projects.tisId, organisationId),
      eq(projects.leadInsurerId, organisationId),
      sql`exists (select 1 from policy_shares s join policies pl on pl.id = s.policy_id
        where pl.project_id = ${projects.id} and s.organisation_id = ${organisationId} and s.kind = 'insurer')`,
    )!,
  );
}
