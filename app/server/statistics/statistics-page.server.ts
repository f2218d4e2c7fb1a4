import type { Dashboard, StatisticsArea } from "~/shared/statistics";
import type { Actor } from "../auth/actor";
import { ValidationError } from "../errors.server";
import { queryOf } from "../query.server";
import { filterOptions, type FilterOptions } from "./filters.server";
import { dashboardAreas, statisticsDashboard } from "./index.server";

// The 统计 page: a tab per area that has a dashboard (the periodic reports have their own page,
// 报告). A refused filter is said on its field, a refused key above the filters (the page stays);
// one outside the viewer's scope is a 404.

export interface StatisticsPage {
  tab: StatisticsArea;
  areas: StatisticsArea[];
  dashboard: Dashboard | null;
  errors: Record<string, string>;
  options: FilterOptions;
}

/**
 * The page for a request (or an already read query): a refused filter or query key (unknown,
 * repeated) comes back in `errors`, by its key, with no dashboard.
 */
export async function statisticsPage(actor: Actor, from: Request | Record<string, string>): Promise<StatisticsPage> {
  const asked = from instanceof Request ? new URL(from.url).searchParams.get("tab") : from.tab;
  const areas = dashboardAreas(actor);
  const tab = areas.find((a) => a === asked) ?? areas[0];
  const options = await filterOptions(actor);
  try {
    const filters = { ...(from instanceof Request ? queryOf(from) : from) };
    delete filters.tab;
    return { tab, areas, dashboard: await statisticsDashboard(actor, tab, filters), errors: {}, options };
  } catch (error) {
    if (error instanceof ValidationError) return { tab, areas, dashboard: null, errors: error.fields ?? {}, options };
    throw error;
  }
}
