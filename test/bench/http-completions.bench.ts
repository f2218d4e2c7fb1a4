import { expect, it } from "vitest";
import { usePlatform } from "../support/platform";

// Task completions through the HTTP API, the way an insurer's core system or a busy inbox drives
// the platform: BENCH_INSTANCES live instances are started, then their first task is completed by
// BENCH_CONCURRENCY clients at once. Prints throughput and latency; run on PostgreSQL with
// TEST_DATABASE_URL=postgres://… (otherwise the figures are PGlite's). Targets: ≥ 200 completions/s,
// p99 < 100 ms with 10,000 live instances (BENCH_INSTANCES=10000).

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

const { url } = usePlatform({ env: { LOG_LEVEL: "warn" } });

interface Figures {
  phase: string;
  count: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

/** Runs `work` over `items` with `concurrency` clients; latency of each call in ms. */
async function measure<T>(phase: string, items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<Figures> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        await work(item).catch((e: Error) => failures.push(e.message));
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
  if (failures.length) console.error(`${phase}: ${failures.length} failed, e.g. ${failures[0]}`);
  return {
    phase,
    count: items.length,
    perSecond: Math.round((items.length / seconds) * 10) / 10,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors: failures.length,
  };
}

it(`completes the first task of ${INSTANCES} live instances with ${CONCURRENCY} clients`, async () => {
  const signIn = await fetch(`${url()}/api/v1/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "insurer", password: "kunming2026" }),
  });
  const cookie = signIn.headers.get("set-cookie")!.split(";")[0];
  const headers = { "Content-Type": "application/json", Cookie: cookie, Origin: url() };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url()}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${(await response.text()).slice(0, 200)}`);
    return response.json();
  };

  const taskIds: string[] = [];
  const starts = await measure("start", [...Array(INSTANCES).keys()], 8, async (i) => {
    const instance = await post("/api/v1/processes/demo-approval/instances", { title: `压测 ${i}` });
    taskIds.push(instance.openTasks[0].id);
  });
  const completions = await measure("complete", taskIds, CONCURRENCY, async (id) => {
    await post(`/api/v1/tasks/${id}/complete`, { submission: { subject: "压测", amount: 100 } });
  });

  console.log(
    `\ndatabase: ${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"}; live instances: ${INSTANCES}; clients: ${CONCURRENCY}`,
  );
  console.table([starts, completions]);
  // Figures, not a verdict; but a run where calls failed measured nothing.
  expect(starts.errors + completions.errors).toBe(0);
});
