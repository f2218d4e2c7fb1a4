import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { database, db } from "~/server/db.server";
import { completeTask, deployBuiltIns } from "~/server/workflow/index.server";
import { resultRows, useTestDatabase } from "../support/database";
import { explain, statementsSentBy } from "../support/query-plans";
import { startDemoTask } from "../support/workflow";
import { demoActor } from "../support/actors";

useTestDatabase();
beforeAll(() => deployBuiltIns());

// docs/decisions/053: a completion reads its step's earlier completion by the instance. With an
// index leading on the task's status, PostgreSQL went through every completed task of the city
// instead whenever its statistics were taken while few were completed (a morning's new flows, the
// bench's ten thousand): two statements of each completion waded through thousands of rows.
it("reads a step's earlier completion by its instance, whatever the statistics say about completed tasks", async () => {
  const insurer = await demoActor("insurer");
  const { instance, task } = await startDemoTask("计划");
  // 1,500 other flows waiting on the same step, counted while all of them are open, then completed.
  await db().execute(sql`
    with copies as (
      insert into process_instances
      select (jsonb_populate_record(null::process_instances, to_jsonb(p) || jsonb_build_object('id', gen_random_uuid()))).*
      from process_instances p, generate_series(1, 1500) where p.id = ${instance.id}
      returning id)
    insert into tasks
    select (jsonb_populate_record(null::tasks, to_jsonb(t) || jsonb_build_object('id', gen_random_uuid(), 'instance_id', c.id))).*
    from tasks t, copies c where t.id = ${task.id}`);
  await db().execute(sql`analyze tasks`);
  await db().execute(sql`update tasks set status = 'completed', completed_at = now() where instance_id <> ${instance.id}`);

  const sent = await statementsSentBy(() => completeTask(insurer, task.id, { submission: { subject: "计划", amount: 1 } }));
  const read = sent.find((s) => s.text.includes("json_object_agg"));
  expect(read, "the completion's read of the task and its instance").toBeDefined();
  const { plan } = await explain(read!);
  const removed = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].map((m) => Number(m[1]));
  expect(Math.max(0, ...removed), plan).toBeLessThan(100);
});

// docs/decisions/053: a step writes the engine's state twice (the instance's, and the copy 撤回
// restores); PostgreSQL compresses them with lz4, about half the CPU of its default. PGlite has no lz4.
it("compresses the engine's states with lz4 on PostgreSQL", async (ctx) => {
  if (database().kind !== "postgres") ctx.skip();
  const result = await db().execute(sql`
    select attrelid::regclass::text as "table", attname as "column", attcompression as method from pg_attribute
    where (attrelid, attname) in (('process_instances'::regclass, 'state'), ('tasks'::regclass, 'recall')) order by 1`);
  expect(resultRows(result)).toEqual([
    { table: "process_instances", column: "state", method: "l" },
    { table: "tasks", column: "recall", method: "l" },
  ]);
});
