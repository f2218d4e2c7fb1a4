import type { Reporter, TestModule } from "vitest/node";

const SHOWN = 10;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)} s`;

/**
 * Prints the slowest test files after the run, beside the usual output: where the suite's time goes.
 * "hooks" is the file's own set-up and tear-down (beforeAll/afterAll: its database, its platform).
 */
export default class SlowestFiles implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    // A worker that died (vitest says only "Worker exited unexpectedly") leaves its file unfinished.
    const unfinished = modules.filter((m) => m.state() === "pending" || m.state() === "queued");
    if (unfinished.length)
      console.log(`\nFiles that never finished (their worker died?): ${unfinished.map((m) => m.relativeModuleId).join(", ")}`);
    const rows = modules.map((m) => {
      const d = m.diagnostic();
      const tests = [...m.children.allTests()].reduce((sum, t) => sum + (t.diagnostic()?.duration ?? 0), 0);
      return { file: m.relativeModuleId, total: d.setupDuration + d.collectDuration + d.duration, hooks: Math.max(0, d.duration - tests) };
    });
    const slowest = rows.sort((a, b) => b.total - a.total).slice(0, SHOWN);
    if (!slowest.length) return;
    console.log(`\nSlowest ${slowest.length} test files (total: import, hooks and tests):`);
    for (const r of slowest) console.log(`${seconds(r.total)}  hooks ${seconds(r.hooks)}  ${r.file}`);
  }
}
