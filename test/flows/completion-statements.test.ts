import { randomUUID } from "node:crypto";
import net from "node:net";
import { eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { tasks } from "@db/schema";
import { database, db } from "~/server/db.server";
import { completeTask, deployBuiltIns } from "~/server/workflow/index.server";
import { resultRows, useTestDatabase } from "../support/database";
import { statementsSentBy } from "../support/query-plans";
import { startDemoTask } from "../support/workflow";
import { demoActor } from "../support/actors";

useTestDatabase();
beforeAll(() => deployBuiltIns());

/** The statements `work` sends to the database, BEGIN and COMMIT included, as their first words. */
const statementsOf = async (work: () => Promise<unknown>) =>
  (await statementsSentBy(work)).map((s) => s.text.replace(/\s+/g, " ").slice(0, 160));

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
  const [row] = resultRows<{ n: number }>(prepared);
  expect(row.n).toBe(1);
});

// db/client.ts: a transaction's BEGIN goes to the server with its first statement, in one write on
// the connection (a completion writes six times, not seven).
it("sends BEGIN with a transaction's first statement, in one write (PostgreSQL)", async (ctx) => {
  if (database().kind !== "postgres") ctx.skip();
  const written: string[] = [];
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
    written.push(Buffer.from(chunk as Buffer).toString("latin1"));
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
  try {
    await db().transaction((tx) => tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, randomUUID())));
  } finally {
    net.Socket.prototype.write = write;
  }
  // The write that carries BEGIN (a simple query: "Q", its text, a zero byte) carries the select's
  // Parse or Bind message right after it; COMMIT goes last, in a write of its own.
  expect(written[0]).toMatch(/^Q.{4}begin\0[PB]/s);
  expect(written.slice(1).some((w) => w.includes("begin"))).toBe(false);
  expect(written.at(-1)).toMatch(/^Q.{4}commit\0$/s);
});

// A statement that failed inside a transaction leaves it aborted, even when the work caught the
// failure: the transaction then fails as a whole and keeps nothing, never a success that kept nothing.
it("fails a transaction whose work caught a failed statement, and keeps none of it", async () => {
  const table = `kept_${randomUUID().replace(/-/g, "")}`;
  const outcome = await db()
    .transaction(async (tx) => {
      await tx.execute(sql.raw(`create table ${table} (n int)`));
      await tx.execute(sql.raw(`insert into ${table} values (1)`));
      await tx.execute(sql`select 1 / 0`).catch(() => undefined);
      return "done";
    })
    .catch(() => "failed");
  expect(outcome).toBe("failed");
  const left = await db().execute(sql`select to_regclass(${table}) is null as gone`);
  const [row] = resultRows<{ gone: boolean }>(left);
  expect(row.gone).toBe(true);
});

// The connection lost in the middle of a transaction (here the server ends its backend): the
// transaction fails at once and keeps nothing, the statements after the loss fail instead of
// waiting forever, and the pool connects again for the next ones.
it("fails a transaction whose connection was lost, keeps none of it, and answers again after (PostgreSQL)", async (ctx) => {
  if (database().kind !== "postgres") ctx.skip();
  const table = `lost_${randomUUID().replace(/-/g, "")}`;
  const rowsOf = async (text: string) => resultRows<Record<string, unknown>>(await db().execute(sql.raw(text)));
  let after = "";
  const outcome = await db()
    .transaction(async (tx) => {
      const [{ pid }] = resultRows<{ pid: number }>(await tx.execute(sql`select pg_backend_pid() as pid`));
      await tx.execute(sql.raw(`create table ${table} (n int)`));
      await rowsOf(`select pg_terminate_backend(${Number(pid)})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await tx.execute(sql.raw(`insert into ${table} values (1)`)).then(
        () => "kept",
        () => "failed",
      );
      return "done";
    })
    .catch(() => "failed");
  expect(outcome).toBe("failed"); // at once, while the work still waits
  await expect.poll(() => after).toBe("failed");
  // The next statements are answered on a connection made again (the first may still be told of
  // the loss, as postgres.js passes the server's last word on).
  const gone = await rowsOf(`select to_regclass('${table}') is null as gone`).catch(() =>
    rowsOf(`select to_regclass('${table}') is null as gone`),
  );
  expect(gone[0].gone).toBe(true);
});
