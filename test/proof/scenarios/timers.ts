import { inParallel, signedIn, sleep, startDemoAtReview, Tally, type PlatformCluster, type ScenarioResult } from "./common";

export interface TimersOptions {
  /** How long the two processes fire timers (the underwriting report falls due every 2 s). */
  seconds: number;
  /** demo-approval reminders made due, spread over the run. */
  reminders: number;
}

/** The cluster's environment: fast polling, and the long-lived underwriting-report flow firing every 2 s. */
export const TIMERS_ENV = { SCHEDULER_INTERVAL_MS: "100", UNDERWRITING_REPORT_INTERVAL: "PT2S" };

/**
 * Two app processes on one database fire timers; one is killed (SIGKILL) at a due time and
 * restarted. Every timer must fire once: one `timer.fire` audit row per fired timer row, one
 * underwriting report per fired report timer, and no due timer left behind (jammed).
 */
export async function timers(cluster: PlatformCluster, { seconds, reminders }: TimersOptions): Promise<ScenarioResult> {
  const tally = new Tally();
  const insurer = await signedIn(cluster.url, "insurer");
  const ids: string[] = [];
  await inParallel([...Array(reminders).keys()], 8, async (i) => {
    ids.push((await startDemoAtReview(insurer, `定时提醒 ${i}`)).instanceId);
  });
  const started = Date.now();
  // Reminders (P5D) fall due one after the other over the run instead.
  await cluster.withSql((sql) =>
    sql(
      `update workflow_timers t set due_at = now() + (o.i * $2::int / $3::int) * interval '1 millisecond'
         from (select id, row_number() over (order by id) as i from workflow_timers where instance_id = any($1::uuid[]) and status = 'pending') o
        where t.id = o.id`,
      [ids, seconds * 1000, Math.max(1, reminders)],
    ),
  );

  // Kill the first process just when the next underwriting timer is due: it may be firing it.
  const [next] = await cluster.withSql((sql) =>
    sql<{ due: string }>(
      `select t.due_at as due from workflow_timers t join process_instances i on i.id = t.instance_id
        where i.definition_key = 'underwriting-report' and t.status = 'pending' order by t.due_at limit 1`,
    ),
  );
  const killAt = next ? new Date(next.due).getTime() : started + 2000;
  await sleep(killAt + 50 - Date.now());
  const victim = cluster.processes[0];
  const pid = victim.pid;
  await victim.kill("SIGKILL");
  await victim.start();
  await sleep(started + seconds * 1000 - Date.now());
  // The last dues need a poll or two after the end of the run.
  await sleep(1500);

  const figures = await cluster.withSql(async (sql) => {
    const [counts] = await sql<{ fired: number; audits: number; reports: number; reportFires: number; reminderFires: number }>(
      `select (select count(*)::int from workflow_timers where status = 'fired') as fired,
              (select count(*)::int from audit_events where action = 'timer.fire') as audits,
              (select count(*)::int from reports where kind = 'underwriting') as reports,
              (select count(*)::int from workflow_timers t join process_instances i on i.id = t.instance_id
                where i.definition_key = 'underwriting-report' and t.status = 'fired') as "reportFires",
              (select count(*)::int from workflow_timers where element_id = 'reviewReminder' and status = 'fired') as "reminderFires"`,
    );
    // A timer is a row; firing it twice would leave two audit rows for one (instance, element, due time).
    const twice = await sql<{ subject_id: string; element: string; due: string; n: number }>(
      `select subject_id, after->>'elementId' as element, after->>'dueAt' as due, count(*)::int as n
         from audit_events where action = 'timer.fire' group by 1, 2, 3 having count(*) > 1`,
    );
    const jammed = await sql<{ id: string; element_id: string; due_at: string }>(
      `select id, element_id, due_at from workflow_timers where status = 'pending' and due_at < now() - interval '2 seconds'`,
    );
    const incidents = await sql<{ id: string; incident: unknown }>(`select id, incident from process_instances where status = 'incident'`);
    return { ...counts, twice, jammed, incidents };
  });

  const violations = [
    ...figures.twice.map((t) => `timer ${t.element} of instance ${t.subject_id} due ${t.due} fired ${t.n} times`),
    ...(figures.fired !== figures.audits ? [`${figures.fired} fired timer rows but ${figures.audits} timer.fire audit rows`] : []),
    ...(figures.reports !== figures.reportFires
      ? [`${figures.reportFires} report timers fired but ${figures.reports} reports stored`]
      : []),
    ...(figures.reminderFires !== reminders ? [`${figures.reminderFires} of ${reminders} due reminders fired`] : []),
    ...figures.jammed.map((t) => `timer ${t.id} (${t.element_id}) due ${new Date(t.due_at).toISOString()} still pending: jammed`),
    ...figures.incidents.map((i) => `instance ${i.id} in incident: ${JSON.stringify(i.incident).slice(0, 200)}`),
  ];
  return tally.result(
    "timers",
    `2 processes, ${seconds} s, ${reminders} reminders, SIGKILL of pid ${pid}`,
    {
      fired: figures.fired,
      auditRows: figures.audits,
      reports: figures.reports,
      reportTimers: figures.reportFires,
      reminders: figures.reminderFires,
      firedTwice: figures.twice.length,
      jammed: figures.jammed.length,
      incidents: figures.incidents.length,
    },
    violations,
  );
}
