import { count, sql } from "drizzle-orm";
import { organisations, projects } from "@db/schema";
import { clock, clockSource, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { refreshSearchText } from "~/server/projects/search-text.server";
import { repeatsAgain } from "~/server/claims/repeats.server";
import { tallyAgain } from "~/server/tallies.server";
import { formatDateTime } from "~/shared/time";
import { DEMO_ORGANISATIONS, demoCreditCode } from "./demo-organisations";
import { openFlows, projectTemplates } from "./scale-flows";
import { insertScaleRows, type ScaleSize } from "./scale-rows";

// The city at scale (npm run seed:scale): the demo city's organisations with ten years of projects,
// risk events and claims, for measuring the statistics at the size of Kunming
// (docs/decisions/028-city-at-scale.md). Facts in bulk SQL (scale-rows.ts), open steps copied from
// one real instance each (scale-flows.ts).

export const EVENTS_PER_PROJECT = 50;
export const CLAIMS_PER_PROJECT = 15;
/** Projects taken through the real flows as the templates of the open steps (scale-flows.ts). */
const FLOW_PROJECTS = 3;

export interface ScaleOptions {
  projects: number;
  events?: number;
  claims?: number;
  progress?: (message: string) => void;
}

export interface ScaleResult extends ScaleSize {
  openFlows: number;
  ms: number;
}

/** Seeds the city on a database with the demo organisations and no projects yet; refuses otherwise. */
export async function seedScaleCity(options: ScaleOptions): Promise<ScaleResult> {
  const started = Date.now();
  const progress = options.progress ?? (() => {});
  const [{ n }] = await db().select({ n: count() }).from(projects);
  if (n > 0) throw new Error("seed:scale needs a database without projects");
  // Three of the projects come through the real flows (the templates of the open steps).
  const size: ScaleSize = {
    projects: options.projects,
    events: options.events ?? options.projects * EVENTS_PER_PROJECT,
    claims: options.claims ?? options.projects * CLAIMS_PER_PROJECT,
  };
  const now = clock.now();
  const restore = clockSource();
  // Everything happens at one instant: the figures of a run depend on its day only.
  setClock(() => new Date(now));
  try {
    const templates = await projectTemplates(now);
    progress("open-step templates through the engine");
    const rows = await db().select({ id: organisations.id, creditCode: organisations.creditCode }).from(organisations);
    const org = Object.fromEntries(DEMO_ORGANISATIONS.map((o) => [o.key, rows.find((r) => r.creditCode === demoCreditCode(o.key))!.id]));
    const keyOf = (id: string) => Object.entries(org).find(([, v]) => v === id)![0];
    await insertScaleRows(
      { ex: db(), today: formatDateTime(now, "YYYY-MM-DD"), now, org, progress },
      { ...size, projects: size.projects - FLOW_PROJECTS },
    );
    await refreshSearchText(db(), sql`true`);
    progress("search texts");
    await tallyAgain(db());
    await repeatsAgain(db());
    progress("list tallies, repeated defects");
    const flows = await openFlows(templates, keyOf);
    progress(`open flows: ${flows} copied`);
    // Statistics for the planner, and the visibility map that lets counts read an index alone.
    await db().execute(sql`vacuum analyze`);
    return { ...size, openFlows: flows, ms: Date.now() - started };
  } finally {
    setClock(restore);
  }
}
