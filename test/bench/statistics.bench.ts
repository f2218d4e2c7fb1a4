import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedScaleCity } from "~/demo/scale-city";
import type { Actor } from "~/server/auth/actor";
import { claimList } from "~/server/claims/claim-views.server";
import { database, db, startDatabase, stopDatabase } from "~/server/db.server";
import { exportList } from "~/server/exports/export-lists.server";
import { listProjects } from "~/server/projects/project-list.server";
import { riskEventList } from "~/server/risk/risk-views.server";
import { statisticsDashboard } from "~/server/statistics/index.server";
import { riskMapData } from "~/server/statistics/map.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { liveMemory } from "../support/memory";
import { copyOfTemplate, type DatabaseCopy } from "../support/template";
import { resultRows } from "../support/database";
import { slowestQueryOf } from "../support/query-plans";
import { quantile } from "./support/load";

// The statistics at city scale: p50/p95 of each dashboard's data, the search, the first page of the
// risk-event and claim lists and the map, for the bureau and for one insurer; exports of 10,000 and
// 100,000 rows (time, peak RSS, growth of the live heap and buffers); EXPLAIN ANALYZE of the
// slowest three. Figures, not a verdict.
//
// A city of BENCH_PROJECTS projects (default 2,000: 100,000 risk events, 30,000 claims) is seeded
// into the run's database copy (TEST_DATABASE_URL=postgres://… for PostgreSQL, else PGlite); or
// BENCH_CITY_URL=postgres://… measures a city seeded before by `npm run seed:scale` (the full size:
// docs/operations.md). Targets on PostgreSQL: dashboards, search and map p95 < 200 ms, lists < 100 ms,
// the export < 30 s with flat memory.

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 2000);
const CITY_URL = process.env.BENCH_CITY_URL;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

let copy: DatabaseCopy | undefined;
beforeAll(async () => {
  if (CITY_URL) {
    await startDatabase({ url: CITY_URL });
    return;
  }
  copy = await copyOfTemplate();
  await startDatabase({ url: copy.url, dataDir: copy.pgliteDir, startupTasks: [deployBuiltIns] });
  const started = Date.now();
  await seedScaleCity({ projects: PROJECTS });
  console.log(`seeded ${PROJECTS} projects in ${Math.round((Date.now() - started) / 1000)} s`);
}, 60 * 60_000);
afterAll(async () => {
  await stopDatabase();
  await copy?.drop();
});

interface Timing {
  what: string;
  who: string;
  p50: number;
  p95: number;
  target: number;
}

async function measure(what: string, who: string, target: number, work: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 2; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { what, who, p50: quantile(times, 0.5), p95: quantile(times, 0.95), target };
}

/** Reads an export to its end, sampling memory: seconds, rows, bytes, peak RSS and live memory's growth (heap and buffers, MB). */
async function exportRun(actor: Actor, query: Record<string, string>) {
  const before = { rss: process.memoryUsage().rss, live: liveMemory() };
  let peakRss = before.rss;
  let peakLive = before.live;
  const started = performance.now();
  const response = await exportList(actor, "risk-events", query);
  const reader = response.body!.getReader();
  let bytes = 0;
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (++chunks % 16 === 0) peakLive = Math.max(peakLive, liveMemory());
  }
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  return {
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rows: Number(response.headers.get("X-Export-Rows")),
    megabytes: mb(bytes),
    rssGrowthMb: mb(peakRss - before.rss),
    liveGrowthMb: mb(peakLive - before.live),
  };
}

async function one(query: ReturnType<typeof sql>): Promise<string> {
  return String(Object.values(resultRows<Record<string, unknown>>(await db().execute(query))[0])[0]);
}

it("measures the statistics, search, lists, map and export at city scale", async () => {
  const [bureau, insurer] = await Promise.all([demoActor("regulator"), demoActor("insurer")]);
  const size = await one(sql`select format('%s projects, %s risk events, %s claims', (select count(*) from projects),
    (select count(*) from risk_events), (select count(*) from claims))`);
  const work: { what: string; target: number; run: (actor: Actor) => Promise<unknown> }[] = [
    ...["underwriting", "risk", "claims", "service"].map((area) => ({
      what: `dashboard ${area}`,
      target: 200,
      run: (actor: Actor) => statisticsDashboard(actor, area, { period: "year" }),
    })),
    { what: "search 项目名称 滇池", target: 200, run: (actor) => listProjects(actor, { q: "滇池" }) },
    { what: "search 施工单位 建投, 在保", target: 200, run: (actor) => listProjects(actor, { q: "建设投资", stage: "insured" }) },
    { what: "search 保险公司 太平洋, 五华区", target: 200, run: (actor) => listProjects(actor, { q: "太平洋", district: "530102" }) },
    // The list pages' data: the first page, its count line and the filters' options.
    { what: "list risk events, page 1", target: 100, run: (actor) => riskEventList(actor, {}) },
    { what: "list claims, page 1", target: 100, run: (actor) => claimList(actor, {}) },
    { what: "map", target: 200, run: (actor) => riskMapData(actor, {}) },
  ];
  const timings: Timing[] = [];
  const calls = new Map<Timing, () => Promise<unknown>>();
  for (const w of work)
    for (const [who, actor] of [
      ["bureau", bureau],
      ["insurer", insurer],
    ] as const) {
      const timing = await measure(w.what, who, w.target, () => w.run(actor));
      timings.push(timing);
      calls.set(timing, () => w.run(actor));
    }

  // About 10,000 and 100,000 rows: the city's latest risk events from the day that many go back to.
  // Flat memory: the larger export grows the live heap and buffers no more than the smaller one.
  const exports = [];
  for (const rows of [10_000, 100_000]) {
    const fromDay = await one(sql`select coalesce((select to_char(raised_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') from risk_events
      order by raised_at desc offset ${rows - 1} limit 1), '2000-01-01')`);
    exports.push(await exportRun(bureau, { from: fromDay }));
  }

  console.log(`\ndatabase: ${database().kind === "postgres" ? "PostgreSQL" : "PGlite"}; ${size}; ${RUNS} runs each (ms)`);
  console.table(timings.map((t) => ({ ...t, ok: t.p95 <= t.target ? "yes" : "MISSED" })));
  console.log("exports of risk events, bureau:");
  console.table(exports);

  const slowest = [...timings].sort((a, b) => b.p95 - a.p95).slice(0, 3);
  for (const timing of slowest) {
    const worst = await slowestQueryOf(calls.get(timing)!);
    console.log(
      `\nEXPLAIN ANALYZE, slowest query of "${timing.what}" (${timing.who}, p95 ${timing.p95} ms, ${worst?.queries ?? 0} queries):\n${worst?.plan}`,
    );
  }
  expect(exports[1].rows).toBeGreaterThan(0);
});
