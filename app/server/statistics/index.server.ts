import { type Dashboard, type StatisticsArea, type StatisticsFilters } from "~/shared/statistics";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors.server";
import { claimsDashboard } from "./claims.server";
import { parseStatisticsFilters } from "./filters.server";
import { riskDashboard } from "./risk.server";
import { serviceDashboard } from "./service.server";
import { underwritingDashboard } from "./underwriting.server";

// The statistics module's one door: which dashboard each area has, read with the query's filters.
// The page, the chart downloads and GET /api/v1/statistics/{area} all come through here.

const DASHBOARDS: Partial<Record<StatisticsArea, (actor: Actor, filters: StatisticsFilters) => Promise<Dashboard>>> = {
  underwriting: underwritingDashboard,
  risk: riskDashboard,
  claims: claimsDashboard,
  service: serviceDashboard,
};

/** The areas that have a dashboard, in the order their tabs show. */
export const dashboardAreas = (): StatisticsArea[] => Object.keys(DASHBOARDS) as StatisticsArea[];

/** An area's dashboard for the query's filters: 404 for an area without one, 422/404 for bad filters. */
export async function statisticsDashboard(actor: Actor, area: string, query: Record<string, unknown>): Promise<Dashboard> {
  const dashboard = DASHBOARDS[area as StatisticsArea];
  if (!Object.hasOwn(DASHBOARDS, area) || !dashboard) throw new NotFoundError("没有该统计板块");
  return dashboard(actor, await parseStatisticsFilters(actor, query));
}
