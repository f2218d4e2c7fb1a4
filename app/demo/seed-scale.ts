// npm run seed:scale -- --projects 20000 [--events N] [--claims N]: the city at scale on an empty
// database, where the platform would open it (DATABASE_URL, else PGLITE_DIR): migrations, the demo
// city's organisations and users, the built-in diagrams, then the city (app/demo/scale-city.ts).
import { parseArgs } from "node:util";
import { seedDemoCity } from "./demo-city";
import { seedScaleCity } from "./scale-city";
import { composeApp } from "~/server/composition.server";
import { startDatabase, stopDatabase } from "~/server/db.server";
import { env } from "~/server/env.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { configureZodMessages } from "~/server/zod-locale.server";

const { values } = parseArgs({ options: { projects: { type: "string" }, events: { type: "string" }, claims: { type: "string" } } });
const number = (name: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2) throw new Error(`--${name} must be a whole number of at least 2`);
  return n;
};

async function main() {
  configureZodMessages();
  composeApp();
  const e = env();
  const started = Date.now();
  const log = (message: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);
  const database = await startDatabase({
    startupTasks: [(db) => seedDemoCity(db, { password: e.DEMO_PASSWORD }), deployBuiltIns],
  });
  log(`database ready (${database.kind === "postgres" ? "PostgreSQL" : `PGlite at ${e.PGLITE_DIR}`})`);
  const result = await seedScaleCity({
    projects: number("projects", values.projects) ?? 20_000,
    events: number("events", values.events),
    claims: number("claims", values.claims),
    progress: log,
  });
  log(`done: ${result.projects} projects, ${result.events} risk events, ${result.claims} claims, ${result.openFlows} open flows`);
  await stopDatabase();
}

main().catch(async (error) => {
  console.error(error);
  await stopDatabase();
  process.exit(1);
});
