import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { tasks } from "@db/schema";
import { database, db } from "~/server/db.server";
import { completeTask, deployBuiltIns } from "~/server/workflow/index.server";
import { useTestDatabase } from "../support/database";
import { startDemoTask } from "../support/workflow";
import { demoActor } from "../support/actors";

useTestDatabase();
beforeAll(() => deployBuiltIns());

/** The statements `work` sends to the database, BEGIN and COMMIT included. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const stop = database().watchStatements((text) => seen.push(text.replace(/\s+/g, " ").slice(0, 160)));
  try {
    await work();
  } finally {
    stop();
  }
  return seen;
}

// docs/decisions/040: a completion locks the instance, reads the task with all the step needs,
// finds whom to tell, and writes everything else in one statement. The definition version and its
// forms never change once deployed: after the first completion of a flow they are not read again.
it("completes a task in 6 statements, BEGIN and COMMIT included, once its flow's definition was read", async () => {
  const insurer = await demoActor("insurer");
  const submission = { subject: "计数", amount: 100 };
  const first = await startDemoTask("语句计数一");
  await completeTask(insurer, first.task.id, { submission });
  const { task } = await startDemoTask("语句计数二");
  const sent = await statementsOf(() => completeTask(insurer, task.id, { submission }));
  expect(sent.map((s) => s.split(" ")[0].toLowerCase())).toEqual(["begin", "select", "select", "select", "with", "commit"]);
});

// db/client.ts: on PostgreSQL every statement is named, so a connection parses it once and then only
// binds it (one round trip, where drizzle's unnamed statements took two: describe, then bind).
it("parses a statement once on its connection, then only binds it (PostgreSQL)", async (ctx) => {
  if (database().kind !== "postgres") ctx.skip();
  const prepared: unknown = await db().transaction(async (tx) => {
    for (let i = 0; i < 3; i++) await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, randomUUID()));
    return tx.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like 'select "id" from "tasks" where%'`);
  });
  const [row] = (Array.isArray(prepared) ? prepared : (prepared as { rows: unknown[] }).rows) as { n: number }[];
  expect(row.n).toBe(1);
});
