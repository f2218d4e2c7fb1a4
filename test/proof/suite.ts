import { afterAll, describe, expect, it } from "vitest";
import { PlatformCluster, type ClusterOptions } from "../support/platform";
import { tableRow, type ScenarioResult } from "./scenarios/common";
import { boundary, BOUNDARY_ENV, type BoundaryOptions } from "./scenarios/boundary";
import { crash, type CrashOptions } from "./scenarios/crash";
import { fuzz, type FuzzOptions } from "./scenarios/fuzz";
import { race, type RaceOptions } from "./scenarios/race";
import { timers, TIMERS_ENV, type TimersOptions } from "./scenarios/timers";

// The proof scenarios as one suite, sized by the caller: `npm run proof` runs them big on
// PostgreSQL, `npm test` runs a short version (test/integration/proof.test.ts). Each scenario gets
// its own cluster on a fresh database, so one broken guarantee cannot spoil the next scenario's figures.

export interface ProofSizes {
  race: RaceOptions;
  crash: CrashOptions;
  timers: TimersOptions;
  boundary: BoundaryOptions;
  fuzz: FuzzOptions;
}

const onPostgres = !!process.env.TEST_DATABASE_URL;
const database = onPostgres ? "PostgreSQL" : "PGlite";
/** Why the multi-process scenarios do not run on PGlite. */
export const NEEDS_POSTGRES =
  "needs PostgreSQL (TEST_DATABASE_URL): PGlite is embedded in one process, so a second process cannot share it and a SIGKILL takes the database down with the app";

export function proofSuite(sizes: ProofSizes, timeouts: { scenario: number }): void {
  const results: ScenarioResult[] = [];

  async function scenario(cluster: ClusterOptions, run: (c: PlatformCluster) => Promise<ScenarioResult>): Promise<void> {
    const c = await PlatformCluster.start(cluster);
    let result: ScenarioResult;
    try {
      result = await run(c);
    } finally {
      await c.destroy();
    }
    results.push(result);
    // The first few, with the requests that show them; the table has the counts.
    expect(result.violations.slice(0, 40), `${result.scenario}: ${result.violations.length} violations`).toEqual([]);
  }

  afterAll(() => {
    if (!results.length) return;
    console.log(`\nproof on ${database}`);
    console.table(results.map((r) => tableRow(r, database)));
    for (const r of results.filter((r) => r.violations.length)) {
      console.log(`\n${r.scenario}: ${r.violations.length} violations${r.violations.length > 40 ? " (first 40)" : ""}`);
      for (const v of r.violations.slice(0, 40)) console.log(`  - ${v}`);
    }
  });

  describe(`proof on ${database}`, () => {
    it(`race: ${sizes.race.clients} clients complete one task at once`, { timeout: timeouts.scenario }, () =>
      scenario({}, (c) => race(c, sizes.race)),
    );
    it.skipIf(!onPostgres)(
      `crash: completions while the app process is SIGKILLed ${sizes.crash.kills}× ${onPostgres ? "" : ` (${NEEDS_POSTGRES})`}`,
      { timeout: timeouts.scenario },
      () => scenario({}, (c) => crash(c, sizes.crash)),
    );
    it.skipIf(!onPostgres)(
      `timers: two processes, one SIGKILLed at a due time ${onPostgres ? "" : ` (${NEEDS_POSTGRES})`}`,
      { timeout: timeouts.scenario },
      () => scenario({ processes: 2, env: TIMERS_ENV }, (c) => timers(c, sizes.timers)),
    );
    // On PGlite every transaction runs alone on its one connection: nothing can race there, and the
    // scenario would only cost restarts of the embedded platform.
    it.skipIf(!onPostgres)(
      `boundary race: ${sizes.boundary.rounds} completions racing their reminder timer${onPostgres ? "" : ` (${NEEDS_POSTGRES})`}`,
      { timeout: timeouts.scenario },
      () => scenario({ processes: 2, env: BOUNDARY_ENV }, (c) => boundary(c, sizes.boundary)),
    );
    it(`fuzz: ${sizes.fuzz.cases} generated requests`, { timeout: timeouts.scenario }, () => scenario({}, (c) => fuzz(c, sizes.fuzz)));
  });
}
