import { expect, it } from "vitest";
import { measurePages, printPages } from "./pages";

// The pages at city scale (test/bench/pages.ts): 16 signed-in users of mixed roles and two owners in
// the web chat on a city of BENCH_PROJECTS projects (default 2,000) seeded into the run's database
// copy (TEST_DATABASE_URL=postgres://… for PostgreSQL, else PGlite), or on BENCH_CITY_URL=postgres://…,
// a city seeded before by `npm run seed:scale` (docs/operations.md). Targets on PostgreSQL at full
// scale: staff pages p95 server time < 150 ms and none over 1 s; the owners' chat p95 < 300 ms.

const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

it("measures the pages people open, and the owners' chat, at city scale", async () => {
  const result = await measurePages({
    cityUrl: process.env.BENCH_CITY_URL,
    projects: number("BENCH_PROJECTS", 2000),
    users: number("BENCH_USERS", 16),
    owners: number("BENCH_OWNERS", 2),
    rounds: number("BENCH_PAGE_ROUNDS", 4),
    thinkMs: number("BENCH_THINK_MS", 500),
    // BENCH_DOCUMENTS=1: every page opened as a document (loaders and render), the most a page can cost.
    documents: process.env.BENCH_DOCUMENTS === "1",
  });
  printPages(result);
  // Figures, not a verdict; but a run whose pages failed measured nothing.
  expect(result.failures).toEqual([]);
});
