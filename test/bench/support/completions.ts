import { PlatformCluster, signInOverHttp } from "../../support/platform";
import { cpuMeter, rssMb } from "./processes";
import { measure, shuffled, type Figures } from "./load";

// The platform's starts and completions through its HTTP API, as an insurer's core system or a busy
// inbox drives it: `instances` demo approvals are started (and `warmUp` more), the app processes are
// restarted (nothing they kept in memory helps), the `warmUp` instances are completed first, then
// the first task of each of the `instances` is completed in a random order by `clients` at once,
// spread over the processes. The warm-up is a restarted server's first seconds (its code not yet
// compiled by V8): measured apart, it would otherwise be most of the tail of a run of 10,000; the
// instances measured after it are as cold as before, none of them read since the restart. CPU is
// read from the app processes and, on PostgreSQL, from the server's backends, during the measured
// completions.

export interface CompletionRun {
  processes: number;
  database: "PostgreSQL" | "PGlite";
  starts: Figures;
  /** The first completions after the restart, apart. */
  warmUp: Figures;
  completions: Figures;
  /** CPU per completion, ms: the app processes, and the database server's backends (PostgreSQL only). */
  appCpuMs: number;
  databaseCpuMs: number | null;
  /** Resident memory of each app process after its restart and warm-up, and after the completions. */
  rssBeforeMb: number[];
  rssAfterMb: number[];
}

const SUBMISSION = { subject: "压测", amount: 100 };

export async function completionRun(options: {
  processes: number;
  instances: number;
  clients: number;
  warmUp: number;
}): Promise<CompletionRun> {
  const cluster = await PlatformCluster.start({ processes: options.processes, env: { LOG_LEVEL: "warn" } });
  try {
    const urls = cluster.processes.map((p) => p.url);
    const cookie = await signInOverHttp(urls[0], "insurer");
    const post = async (url: string, path: string, body: unknown) => {
      const response = await fetch(url + path, {
        method: "POST",
        headers: { "Content-Type": "application/json", Cookie: cookie, Origin: url },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${(await response.text()).slice(0, 200)}`);
      return response.json();
    };
    const taskIds: string[] = [];
    const starts = await measure("start", [...Array(options.instances + options.warmUp).keys()], 8, async (i) => {
      const url = urls[i % urls.length];
      const instance = await post(url, "/api/v1/processes/demo-approval/instances", { title: `压测 ${i}` });
      taskIds.push(instance.openTasks[0].id);
    });
    // Cold: what the processes kept (definitions, parsed diagrams, sessions) is gone.
    for (const p of cluster.processes) await p.restart("SIGTERM");
    const [warmUpIds, measuredIds] = [taskIds.slice(0, options.warmUp), shuffled(taskIds.slice(options.warmUp))];
    const complete = (id: string, client: number) =>
      post(urls[client % urls.length], `/api/v1/tasks/${id}/complete`, { submission: SUBMISSION });
    const warmUp = await measure("warm-up after the restart", warmUpIds, options.clients, complete);
    const rssBeforeMb = cluster.processes.map((p) => rssMb(p.pid!));
    const backends = () =>
      cluster.kind === "postgres"
        ? cluster.withSql(async (sql) => (await sql<{ pid: number }>("select pid from pg_stat_activity")).map((r) => r.pid))
        : Promise.resolve([]);
    const app = cpuMeter(cluster.processes.map((p) => p.pid!));
    const database = cpuMeter(await backends());
    const completions = await measure("complete", measuredIds, options.clients, complete);
    const appCpu = app.stop();
    const databaseCpu = cluster.kind === "postgres" ? database.stop(await backends()) : null;
    const done = Math.max(1, completions.count - completions.errors);
    return {
      processes: options.processes,
      database: cluster.kind === "postgres" ? "PostgreSQL" : "PGlite",
      starts,
      warmUp,
      completions,
      appCpuMs: Math.round((appCpu / done) * 10) / 10,
      databaseCpuMs: databaseCpu === null ? null : Math.round((databaseCpu / done) * 10) / 10,
      rssBeforeMb,
      rssAfterMb: cluster.processes.map((p) => rssMb(p.pid!)),
    };
  } finally {
    await cluster.destroy();
  }
}
