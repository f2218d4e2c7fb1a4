import {
  APPROVE,
  inconsistentDemoInstances,
  loggedErrors,
  inParallel,
  prng,
  signedIn,
  sleep,
  startDemoAtReview,
  Tally,
  type PlatformCluster,
  type ScenarioResult,
} from "./common";

export interface BoundaryOptions {
  /** Review tasks completed just as their reminder timer falls due. */
  rounds: number;
  seed?: number;
}

/** Schedulers poll as fast as the platform allows, so the timer really fires while the completion runs. */
export const BOUNDARY_ENV = { SCHEDULER_INTERVAL_MS: "100" };

/**
 * A completion racing its own boundary timer: demo-approval's review task has a non-interrupting
 * reminder; it is made due at one moment for every round and each review is completed around that
 * moment (± a few polls). No 5xx, and every instance is where its stored completions put it, with
 * each reminder fired at most once.
 */
export async function boundary(cluster: PlatformCluster, { rounds, seed = 7 }: BoundaryOptions): Promise<ScenarioResult> {
  const random = prng(seed);
  const insurer = await signedIn(cluster.url, "insurer");
  const regulators = await Promise.all(cluster.processes.map((p) => signedIn(p.url, "regulator")));
  const work: { instanceId: string; reviewTaskId: string }[] = [];
  await inParallel([...Array(rounds).keys()], 8, async (i) => {
    work.push(await startDemoAtReview(insurer, `边界计时器竞争 ${i}`));
  });
  const ids = work.map((w) => w.instanceId);

  // Each round's reminder falls due at its own moment, SPACING apart, and its completion is sent
  // at that moment ± a scheduler poll: so every completion meets its own timer being claimed and
  // fired, not a queue of a hundred timers that the completions mostly overtake. PGlite: the
  // process is stopped for the update and started again, so the first due time lies beyond that
  // restart; PostgreSQL: a moment from now.
  const SPACING = 40;
  let first = 0;
  const dueOf = (i: number) => first + i * SPACING;
  // A loaded machine may take longer to restart than the lead: then the lead doubles and the due
  // times are set again (a reminder that fired early meanwhile only takes that round out of the race).
  for (let lead = cluster.kind === "pglite" ? 12_000 : 1_500; ; lead *= 2) {
    first = Date.now() + lead;
    await cluster.withSql((sql) =>
      sql(
        `update workflow_timers t set due_at = d.due from unnest($1::uuid[], $2::timestamptz[]) as d(instance_id, due)
          where t.instance_id = d.instance_id and t.element_id = 'reviewReminder' and t.status = 'pending'`,
        [ids, ids.map((_, i) => new Date(dueOf(i)).toISOString())],
      ),
    );
    if (Date.now() <= first - 200) break;
    if (lead >= 96_000) throw new Error("the platform took longer to restart than the timer lead, even at 96 s");
  }

  const tally = new Tally();
  const serverErrors: string[] = [];
  const statuses = new Map<string, number>();
  await Promise.all(
    work.map(async ({ reviewTaskId }, i) => {
      await sleep(dueOf(i) + random.int(200) - 50 - Date.now());
      const path = `/api/v1/tasks/${reviewTaskId}/complete`;
      const answer = await regulators[i % regulators.length].call("POST", path, { submission: APPROVE });
      tally.count(answer.status);
      const key = String(answer.status ?? answer.error);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      if (answer.status === undefined || answer.status >= 500)
        serverErrors.push(
          `POST ${path} ${JSON.stringify({ submission: APPROVE })}: ${answer.status ?? answer.error} ${answer.text.slice(0, 200)}`,
        );
    }),
  );
  // Let the schedulers fire what is still due.
  await sleep(1000);

  const stored = await cluster.withSql(async (sql) => {
    const reminders = await sql<{ instance_id: string; fired: number; audits: number }>(
      `select t.instance_id, count(*) filter (where t.status = 'fired')::int as fired,
              (select count(*)::int from audit_events a where a.action = 'timer.fire' and a.subject_id = t.instance_id::text) as audits
         from workflow_timers t where t.instance_id = any($1::uuid[]) group by t.instance_id`,
      [ids],
    );
    const [incidents] = await sql<{ n: number }>(
      `select count(*)::int as n from process_instances where id = any($1::uuid[]) and status = 'incident'`,
      [ids],
    );
    return { reminders, incidents: incidents.n, inconsistent: await inconsistentDemoInstances(sql, ids) };
  });
  const fired = stored.reminders.reduce((n, r) => n + r.fired, 0);
  const violations = [
    ...(serverErrors.length ? loggedErrors(cluster).map((m) => `the server logged: ${m}`) : []),
    ...serverErrors,
    ...stored.reminders
      .filter((r) => r.fired > 1 || r.fired !== r.audits)
      .map((r) => `instance ${r.instance_id}: reminder fired ${r.fired}×, ${r.audits} timer.fire audit rows`),
    ...stored.inconsistent,
  ];
  return tally.result(
    "boundary race",
    `${rounds} rounds, ${cluster.processes.length} process(es)`,
    {
      answers: [...statuses].map(([s, n]) => `${s}×${n}`).join(","),
      remindersFired: fired,
      incidents: stored.incidents,
      inconsistent: stored.inconsistent.length,
    },
    violations,
  );
}
