import { and, asc, count, eq, exists, getTableName, or, sql, type SQL } from "drizzle-orm";
import { alias, PgDialect, type AnyPgColumn, type PgTable } from "drizzle-orm/pg-core";
import { claims, claimTallies, organisations, projects, riskEvents, riskEventTallies } from "@db/schema";
import type { Executor } from "@db/client";
import { db } from "./db.server";

// A list's 共N项 at the size of a city: counting a million risk events row by row takes most of a
// second. Tallies (risk_event_tallies, claim_tallies: how many rows each project has, by the one
// other column that scopes, filters and option lists read) are counted up in the transaction that
// inserts a row and give the same number in milliseconds. They stand in for the rows under the
// rows' own name, their columns named as the rows' own, so the very condition a list built (the
// scope function's included) selects them: only a condition that reads no other column of the rows
// can be counted from them (docs/decisions/029-figures-kept-beside-the-facts.md).

/** Rows a list counts (each has its project: a foreign key, not null), or their tallies. */
export type ProjectRows = PgTable & { projectId: AnyPgColumn };

/**
 * The kinds of rows a list counts, with their tallies, what a tally holds, the organisation column
 * its options name and that organisation's type (registration takes a party of that type only).
 */
const TALLIED = {
  riskEvents: { rows: riskEvents, tallies: riskEventTallies, measure: "events", party: "tisId", partyType: "tis" },
  claims: { rows: claims, tallies: claimTallies, measure: "claims", party: "insurerId", partyType: "insurer" },
} as const;
type Tallied = keyof typeof TALLIED;

const dialect = new PgDialect();

/** The columns of `table` a condition reads, as drizzle writes them ("table"."column"). */
function columnsRead(condition: SQL, table: string): Set<string> {
  const text = dialect.sqlToQuery(condition).sql;
  const reference = new RegExp(`"${table}"\\."([a-z0-9_]+)"`, "g");
  return new Set([...text.matchAll(reference)].map((m) => m[1]));
}

/**
 * The tallies of the rows standing in for them, when `condition` (on the rows, with their projects)
 * reads none of the rows' columns but those the tallies have; null otherwise (count the rows).
 */
function standIn(kind: Tallied, condition: SQL | undefined): ProjectRows | null {
  const { rows, tallies } = TALLIED[kind];
  const name = getTableName(rows);
  const kept = new Set(Object.values(tallies).flatMap((c) => (isColumn(c) ? [c.name] : [])));
  if (condition && [...columnsRead(condition, name)].some((column) => !kept.has(column))) return null;
  return alias(tallies, name) as unknown as ProjectRows;
}

function isColumn(value: unknown): value is AnyPgColumn {
  return typeof value === "object" && value !== null && "columnType" in value && "name" in value;
}

const column = (table: ProjectRows, key: string) => (table as unknown as Record<string, AnyPgColumn>)[key];

/**
 * How many rows a list's selection has (the rows joined with their projects): summed from the
 * tallies when they can stand in, else counted. The left join selects the same rows and lets
 * PostgreSQL leave the projects out where nothing reads them.
 */
export async function countSelected(kind: Tallied, where: SQL | undefined): Promise<number> {
  const { rows, measure } = TALLIED[kind];
  const tallies = standIn(kind, where);
  const source = tallies ?? rows;
  const n = tallies ? sql<number>`coalesce(sum(${column(tallies, measure)}), 0)`.mapWith(Number) : count();
  const [row] = await db().select({ n }).from(source).leftJoin(projects, eq(projects.id, source.projectId)).where(where);
  return row.n;
}

/**
 * How many rows a list's page says its selection has: exact from the tallies where they stand in
 * (whatever the size), else counted up to `cap` rows, and beyond it `cap` with `capped` (the page
 * says 1000+). A page read from a million rows answers in milliseconds either way; the statistics,
 * the exports and the API count exactly (docs/decisions/041).
 */
export async function countUpTo(kind: Tallied, where: SQL | undefined, cap: number): Promise<{ total: number; capped: boolean }> {
  if (standIn(kind, where)) return { total: await countSelected(kind, where), capped: false };
  const { rows } = TALLIED[kind];
  const some = db()
    .select({ one: sql`1` })
    .from(rows)
    .leftJoin(projects, eq(projects.id, rows.projectId))
    .where(where)
    .limit(cap + 1);
  const [row] = await db().select({ n: count() }).from(some.as("counted"));
  return row.n > cap ? { total: cap, capped: true } : { total: row.n, capped: false };
}

/**
 * The organisations a list's rows name as their TIS (risk events) or insurer (claims), among the
 * rows `seen` selects: a filter's options, each found by its first tally (or row), not by a
 * DISTINCT over the city's rows. `orAlso` adds organisations found another way from the same
 * source (the tallies where they stand in for the rows, else the rows), under the rows' name.
 */
export function partiesSeen(kind: Tallied, seen: SQL, orAlso?: (source: ProjectRows) => SQL) {
  const { rows, party, partyType } = TALLIED[kind];
  const source = standIn(kind, seen) ?? rows;
  return db()
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(
      and(
        // Only the organisations that can be the party are looked for: PostgreSQL scans the rows (or
        // tallies) for each one it looks for and stops at the first, and for an organisation that is
        // none it scans them all (44 ms of the claims' insurer picker for the bureau, at city scale).
        eq(organisations.type, partyType),
        or(
          exists(
            db()
              .select({ one: sql`1` })
              .from(source)
              .where(and(eq(column(source, party), organisations.id), seen)),
          ),
          orAlso?.(source),
        ),
      ),
    )
    .orderBy(asc(organisations.name));
}

/** One more risk event of a project from its TIS, in the transaction that raises it. */
export async function tallyRiskEvent(ex: Executor, event: { projectId: string; tisId: string }): Promise<void> {
  await ex
    .insert(riskEventTallies)
    .values({ projectId: event.projectId, tisId: event.tisId, events: 1 })
    .onConflictDoUpdate({
      target: [riskEventTallies.projectId, riskEventTallies.tisId],
      set: { events: sql`${riskEventTallies.events} + 1` },
    });
}

/** One more claim of a project with its insurer, in the transaction that records the report. */
export async function tallyClaim(ex: Executor, claim: { projectId: string; insurerId: string }): Promise<void> {
  await ex
    .insert(claimTallies)
    .values({ projectId: claim.projectId, insurerId: claim.insurerId, claims: 1 })
    .onConflictDoUpdate({ target: [claimTallies.projectId, claimTallies.insurerId], set: { claims: sql`${claimTallies.claims} + 1` } });
}

/** The tallies counted again from the rows: after rows were inserted in bulk (the city at scale). */
export async function tallyAgain(ex: Executor): Promise<void> {
  await ex.delete(riskEventTallies);
  await ex.execute(sql`insert into ${riskEventTallies} (project_id, tis_id, events)
    select ${riskEvents.projectId}, ${riskEvents.tisId}, count(*) from ${riskEvents} group by 1, 2`);
  await ex.delete(claimTallies);
  await ex.execute(sql`insert into ${claimTallies} (project_id, insurer_id, claims)
    select ${claims.projectId}, ${claims.insurerId}, count(*) from ${claims} group by 1, 2`);
}
