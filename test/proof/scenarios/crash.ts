import {
  APPROVE,
  inconsistentDemoInstances,
  inParallel,
  prng,
  REQUEST,
  RETURN,
  signedIn,
  sleep,
  startDemo,
  Tally,
  type ApiClient,
  type PlatformCluster,
  type ScenarioResult,
} from "./common";

export interface CrashOptions {
  /** demo-approval instances taken through their flow. */
  instances: number;
  /** Clients completing tasks at once. */
  clients: number;
  /** SIGKILLs of the app process while they do (each followed by a restart). */
  kills: number;
  seed?: number;
}

/**
 * Clients complete demo-approval tasks through /api/v1 while the app process is killed (SIGKILL)
 * and restarted. Every completion answered 200 must be stored (0 lost), and every instance must be
 * where its stored completions put it (task rows, status, engine state and timers agree).
 */
export async function crash(cluster: PlatformCluster, { instances, clients, kills, seed = 1 }: CrashOptions): Promise<ScenarioResult> {
  const random = prng(seed);
  const insurer = await signedIn(cluster.url, "insurer");
  const regulator = await signedIn(cluster.url, "regulator");
  const ids: string[] = [];
  await inParallel([...Array(instances).keys()], 8, async (i) => {
    ids.push((await startDemo(insurer, `崩溃恢复 ${i}`)).instanceId);
  });

  const tally = new Tally();
  const acknowledged = new Set<string>();
  const unanswered = new Set<string>();
  const serverErrors: string[] = [];
  // Each instance takes at most this many steps (a return sends it round again), so the run ends.
  const maxSteps = 6;
  const steps = new Map<string, number>();
  const queue = [...ids];
  // Roughly the completions the run will make: the kills are spread over it.
  const expected = instances * 3;
  let done = false;
  let killed = 0;

  const killer = (async () => {
    const process = cluster.processes[0];
    while (!done && killed < kills) {
      if (acknowledged.size >= ((killed + 1) * expected) / (kills + 1)) {
        await process.kill("SIGKILL");
        killed++;
        await process.start();
      }
      await sleep(10);
    }
  })();

  /** One step of an instance: read where it is, complete its open task. Connection failures: try again later. */
  const step = async (instanceId: string): Promise<"again" | "unanswered" | "finished"> => {
    const view = await insurer.call("GET", `/api/v1/instances/${instanceId}`);
    if (view.status === undefined) return "unanswered";
    const instance = view.body as { status: string; openTasks: { id: string; name: string }[] };
    if (view.status !== 200) {
      tally.count(view.status);
      if (view.status >= 500) serverErrors.push(`GET /api/v1/instances/${instanceId}: ${view.status} ${view.text.slice(0, 200)}`);
      return "again";
    }
    const [task] = instance.openTasks;
    if (!task) return "finished";
    const isReview = task.name === "住建局审核";
    const actor: ApiClient = isReview ? regulator : insurer;
    const submission = isReview ? (random.chance(0.3) ? RETURN : APPROVE) : REQUEST;
    const path = `/api/v1/tasks/${task.id}/complete`;
    const answer = await actor.call("POST", path, { submission });
    tally.count(answer.status);
    if (answer.status === 200) acknowledged.add(task.id);
    else if (answer.status === undefined) {
      unanswered.add(task.id);
      return "unanswered";
    } else if (answer.status >= 500)
      serverErrors.push(`POST ${path} ${JSON.stringify({ submission })}: ${answer.status} ${answer.text.slice(0, 200)}`);
    const n = (steps.get(instanceId) ?? 0) + 1;
    steps.set(instanceId, n);
    return n >= maxSteps ? "finished" : "again";
  };

  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (queue.length) {
        const instanceId = queue.shift()!;
        const outcome = await step(instanceId);
        if (outcome !== "finished") queue.push(instanceId);
        // A process that is down answers nothing: wait a little rather than spin.
        if (outcome === "unanswered") await sleep(50);
      }
    }),
  );
  done = true;
  await killer;

  const stored = await cluster.withSql(async (sql) => {
    const completed = await sql<{ id: string }>(`select id from tasks where instance_id = any($1::uuid[]) and status = 'completed'`, [ids]);
    const audited = await sql<{ subject_id: string; n: number }>(
      `select subject_id, count(*)::int as n from audit_events where action = 'task.complete' and subject_id = any($1::text[]) group by subject_id`,
      [completed.map((r) => r.id)],
    );
    return { completed: new Set(completed.map((r) => r.id)), audited, inconsistent: await inconsistentDemoInstances(sql, ids) };
  });
  const lost = [...acknowledged].filter((id) => !stored.completed.has(id));
  const auditMissing = [...stored.completed].filter((id) => !stored.audited.some((a) => a.subject_id === id));
  const auditTwice = stored.audited.filter((a) => a.n > 1);
  const violations = [
    ...(killed < kills ? [`only ${killed} of ${kills} kills happened before the work ran out: raise instances`] : []),
    ...lost.map((id) => `task ${id}: completion answered 200 but not stored`),
    ...auditMissing.map((id) => `task ${id}: completed without a task.complete audit row`),
    ...auditTwice.map((a) => `task ${a.subject_id}: ${a.n} task.complete audit rows`),
    ...serverErrors,
    ...stored.inconsistent,
  ];
  return tally.result(
    "crash",
    `${instances} instances, ${clients} clients, ${kills} SIGKILLs`,
    {
      kills: killed,
      acknowledged: acknowledged.size,
      stored: stored.completed.size,
      lost: lost.length,
      // Stored although the client never heard: the process died after the commit, before the answer.
      storedUnanswered: [...unanswered].filter((id) => stored.completed.has(id) && !acknowledged.has(id)).length,
      inconsistent: stored.inconsistent.length,
    },
    violations,
  );
}
