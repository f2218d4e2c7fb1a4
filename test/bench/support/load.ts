// Load for the benches: `work` over `items` with a number of clients at once, each call timed.

export interface Figures {
  phase: string;
  count: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  /** The first failure's message, when calls failed. */
  failure?: string;
}

/** The q-quantile of ascending `sorted` (ms), to 0.1 ms. */
export const quantile = (sorted: number[], q: number) =>
  sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10 : 0;

/** Runs `work` over `items` with `clients` at once; throughput and latency (ms) of the calls. */
export async function measure<T>(
  phase: string,
  items: T[],
  clients: number,
  work: (item: T, client: number) => Promise<unknown>,
): Promise<Figures> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        await work(item, client).catch((e: Error) => failures.push(e.message));
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    phase,
    count: items.length,
    perSecond: Math.round((items.length / seconds) * 10) / 10,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    max: quantile(latencies, 1),
    errors: failures.length,
    ...(failures.length ? { failure: failures[0].slice(0, 200) } : {}),
  };
}

/** The items in an order no cache can follow (Fisher–Yates with Math.random). */
export function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
