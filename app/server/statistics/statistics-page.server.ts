import type { Dashboard, StatisticsArea } from "~/shared/statistics";
import { can } from "~/shared/permissions";
import type { Actor } from "../auth/actor";
import { ValidationError } from "../errors.server";
import { listReports } from "../reports/reports.server";
import { filterOptions, type FilterOptions } from "./filters.server";
import { dashboardAreas, statisticsDashboard } from "./index.server";

// The 统计 page: a tab per area that has a dashboard, and the periodic reports for those who read
// them. A refused filter is said on its field (the page stays); one outside the viewer's scope is a 404.

export interface StatisticsPage {
  tab: StatisticsArea | "reports";
  areas: StatisticsArea[];
  dashboard: Dashboard | null;
  errors: Record<string, string>;
  options: FilterOptions;
  reports: Awaited<ReturnType<typeof listReports>> | null;
}

export async function statisticsPage(actor: Actor, query: Record<string, string>): Promise<StatisticsPage> {
  const { tab: asked, ...filters } = query;
  const areas = dashboardAreas();
  const mayReadReports = can(actor.roles, "read:reports");
  const tab = asked === "reports" && mayReadReports ? "reports" : (areas.find((a) => a === asked) ?? areas[0]);
  const [options, reports] = await Promise.all([filterOptions(actor), mayReadReports ? listReports(actor) : null]);
  if (tab === "reports") return { tab, areas, dashboard: null, errors: {}, options, reports };
  try {
    return { tab, areas, dashboard: await statisticsDashboard(actor, tab, filters), errors: {}, options, reports };
  } catch (error) {
    if (error instanceof ValidationError) return { tab, areas, dashboard: null, errors: error.fields ?? {}, options, reports };
    throw error;
  }
}
