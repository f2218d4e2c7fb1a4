import {
  auditCount,
  inconsistentDemoInstances,
  REQUEST,
  signedIn,
  startDemo,
  Tally,
  type PlatformCluster,
  type ScenarioResult,
} from "./common";

export interface RaceOptions {
  /** Clients completing the one task at the same moment. */
  clients: number;
}

/**
 * N clients complete one task at once through the HTTP API: exactly one is answered 200 and the
 * others 409, the flow moves on once (one review task), and the audit trail has one completion.
 */
export async function race(cluster: PlatformCluster, { clients }: RaceOptions): Promise<ScenarioResult> {
  const insurer = await signedIn(cluster.url, "insurer");
  const { instanceId, taskId } = await startDemo(insurer, "并发办理同一任务");
  const tally = new Tally();
  // All requests leave in the same tick: each its own connection, so they meet at the database.
  const answers = await Promise.all(
    Array.from({ length: clients }, () => insurer.call("POST", `/api/v1/tasks/${taskId}/complete`, { submission: REQUEST }, 120_000)),
  );
  for (const a of answers) tally.count(a.status);
  const statuses = new Map<string, number>();
  for (const a of answers) statuses.set(String(a.status ?? a.error), (statuses.get(String(a.status ?? a.error)) ?? 0) + 1);
  const winners = answers.filter((a) => a.status === 200).length;
  const conflicts = answers.filter((a) => a.status === 409).length;

  const stored = await cluster.withSql(async (sql) => ({
    audits: await auditCount(sql, "task.complete", [taskId]),
    open: (await sql<{ element_id: string }>(`select element_id from tasks where instance_id = $1 and status = 'open'`, [instanceId])).map(
      (r) => r.element_id,
    ),
    inconsistent: await inconsistentDemoInstances(sql, [instanceId]),
  }));

  const violations: string[] = [];
  const all = [...statuses].map(([s, n]) => `${s}×${n}`).join(", ");
  if (winners !== 1) violations.push(`${winners} answers 200 to POST /api/v1/tasks/${taskId}/complete (want 1); answers: ${all}`);
  if (conflicts !== clients - 1) violations.push(`${conflicts} answers 409 (want ${clients - 1}); answers: ${all}`);
  if (stored.audits !== 1) violations.push(`${stored.audits} task.complete audit rows for task ${taskId} (want 1)`);
  if (JSON.stringify(stored.open) !== '["review"]')
    violations.push(`open tasks after the race: ${JSON.stringify(stored.open)} (want one review)`);
  violations.push(...stored.inconsistent);
  return tally.result(
    "race",
    `${clients} clients`,
    { "200": winners, "409": conflicts, auditRows: stored.audits, nextTasks: stored.open.length },
    violations,
  );
}
