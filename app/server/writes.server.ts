import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Tx } from "@db/client";

// Writes whose results nobody reads can go to the database together: a step's writes (the
// instance, its tasks and timers, the notices, the audit row) are sent as one statement at its
// end, a WITH of data-modifying statements (docs/decisions/040). PostgreSQL runs every part of such
// a statement on the same snapshot, so the parts must not depend on each other's effects nor
// change one row twice; the foreign keys are checked at the end of the statement, as always.

/** An insert, update or delete built with drizzle and not yet sent (a builder runs when awaited). */
export type WriteQuery = SQLWrapper & PromiseLike<unknown>;

/** What a write must have changed: its RETURNING rows are counted, and a different count refuses the step. */
export interface WriteCheck {
  rows: number;
  otherwise: () => Error;
}

/** Where a module's writes go: at once, or with the step's other writes. */
export interface Writes {
  add(query: WriteQuery, check?: WriteCheck): Promise<void>;
}

/** Sends each write as it is added (outside a step that gathers them). */
export const immediateWrites: Writes = {
  async add(query, check) {
    const result = await query;
    if (check && (Array.isArray(result) ? result.length : 0) !== check.rows) throw check.otherwise();
  },
};

/** Gathers writes and sends them in one statement (flush), in the order they were added. */
export class WriteBatch implements Writes {
  private readonly parts: { query: SQL; check?: WriteCheck }[] = [];

  async add(query: WriteQuery, check?: WriteCheck): Promise<void> {
    this.parts.push({ query: query.getSQL(), check });
  }

  /** Sends what was gathered (nothing when empty), then checks the counts the writes asked for. */
  async flush(tx: Tx): Promise<void> {
    const parts = this.parts.splice(0);
    if (!parts.length) return;
    const ctes = sql.join(
      parts.map((p, i) => sql`${sql.raw(`w${i}`)} as (${p.query})`),
      sql`, `,
    );
    const counted = parts.flatMap((p, i) => (p.check ? [i] : []));
    const counts = counted.length
      ? sql.join(
          counted.map((i) => sql.raw(`(select count(*) from w${i})::int as c${i}`)),
          sql`, `,
        )
      : sql`1 as done`;
    const result = await tx.execute(sql`with ${ctes} select ${counts}`);
    const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, number>[];
    for (const i of counted) if (row[`c${i}`] !== parts[i].check!.rows) throw parts[i].check!.otherwise();
  }
}
