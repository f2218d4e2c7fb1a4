import { database, db } from "~/server/db.server";

// The SQL a service call sends, and PostgreSQL's (or PGlite's) plan of it as it runs: the benches
// print the plans of their slowest items (EXPLAIN (ANALYZE, BUFFERS)).

/** A statement as the database received it, with its parameters. */
export type Query = { text: string; params: unknown[] };

/**
 * Every statement `work` sends as the database receives it, with its parameters: BEGIN and COMMIT
 * too, and what runs inside transactions (db/client.ts `watchStatements`).
 */
export async function statementsSentBy(work: () => Promise<unknown>): Promise<Query[]> {
  const seen: Query[] = [];
  const stop = database().watchStatements((text, params) => seen.push({ text, params: [...params] }));
  try {
    await work();
  } finally {
    stop();
  }
  return seen;
}

/** The statement run under EXPLAIN (ANALYZE, BUFFERS): its plan as text, and its execution time in ms. */
export async function explain(query: Query): Promise<{ ms: number; plan: string; query: Query }> {
  const text = `explain (analyze, buffers) ${query.text}`;
  const client = (db() as unknown as { $client: unknown }).$client;
  const rows: Record<string, string>[] =
    database().kind === "postgres"
      ? await (client as { unsafe: (t: string, p: unknown[]) => Promise<Record<string, string>[]> }).unsafe(text, query.params as never[])
      : (await (client as { query: (t: string, p: unknown[]) => Promise<{ rows: Record<string, string>[] }> }).query(text, query.params))
          .rows;
  const plan = rows.map((r) => Object.values(r)[0]).join("\n");
  return { ms: Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? 0), plan, query };
}

/** The slowest statement `work` sends, explained (undefined when it sends none). */
export async function slowestQueryOf(
  work: () => Promise<unknown>,
): Promise<{ ms: number; plan: string; query: Query; queries: number } | undefined> {
  const queries = await statementsSentBy(work);
  const plans: { ms: number; plan: string; query: Query }[] = [];
  // Reads only (EXPLAIN ANALYZE runs the statement), one after the other: at once they would measure each other.
  for (const query of queries) if (/^\s*(select|with)\b/i.test(query.text)) plans.push(await explain(query));
  const worst = plans.sort((a, b) => b.ms - a.ms)[0];
  return worst && { ...worst, queries: queries.length };
}
