import { mayOpen } from "~/shared/permissions";
import { type Dashboard, type StatisticsArea, type StatisticsFilters } from "~/shared/statistics";
import type { Executor } from "@db/client";
import type { Role } from "@db/schema/roles";
import type { Actor } from "../auth/actor";
import { seesAny, type ScopedResource } from "../auth/scope.server";
import { NotFoundError } from "../errors.server";
import { claimsDashboard } from "./claims.server";
import { parseStatisticsFilters } from "./filters.server";
import { riskDashboard } from "./risk.server";
import { serviceDashboard } from "./service.server";
import { underwritingDashboard } from "./underwriting.server";

// The statistics module's one door: which dashboard each area has, read with the query's filters.
// The page, the chart downloads and GET /api/v1/statistics/{area} all come through here.

/** An area's figures; `read` is a transaction's handle when they are stored with what the transaction writes (a report). */
export type DashboardOf = (actor: Actor, filters: StatisticsFilters, read?: Executor) => Promise<Dashboard>;

const DASHBOARDS: Partial<Record<StatisticsArea, DashboardOf>> = {
  underwriting: underwritingDashboard,
  risk: riskDashboard,
  claims: claimsDashboard,
  service: serviceDashboard,
};

/**
 * The rows an area's figures are all made of: offered only to those whose scope has such rows (a
 * repairer has no risk events: no 风险).
 */
const FIGURES_OF: Partial<Record<StatisticsArea, ScopedResource>> = { underwriting: "project", risk: "risk_event", claims: "claim" };

/**
 * Areas a role is no party to, whatever its scope holds: a repairer that is also a property company
 * (物业) sees the projects whose homes it looks after, never their policies' premiums and shares.
 */
const NO_PARTY_TO: Partial<Record<StatisticsArea, readonly Role[]>> = { underwriting: ["repairer"] };

const isPartyTo = (actor: Actor, area: StatisticsArea) => {
  const outside = NO_PARTY_TO[area] ?? [];
  return actor.roles.some((role) => !outside.includes(role));
};

/**
 * The areas with a dashboard for the actor, in the order their tabs show (a TIS sees no claims: no
 * 理赔; a repairer no 风险 and no 承保).
 */
export const dashboardAreas = (actor: Actor): StatisticsArea[] =>
  (Object.keys(DASHBOARDS) as StatisticsArea[]).filter(
    (area) => isPartyTo(actor, area) && (!FIGURES_OF[area] || seesAny(actor, FIGURES_OF[area])),
  );

/** An area's dashboard for the query's filters: 404 for an area without one for the actor, 422/404 for bad filters. */
export async function statisticsDashboard(actor: Actor, area: string, query: Record<string, unknown>): Promise<Dashboard> {
  const dashboard = DASHBOARDS[area as StatisticsArea];
  if (!Object.hasOwn(DASHBOARDS, area) || !dashboard) throw new NotFoundError("没有该统计板块");
  if (!dashboardAreas(actor).includes(area as StatisticsArea)) throw new NotFoundError("您的查看范围内没有该统计板块的数据");
  return linksItOpens(actor, await dashboard(actor, await parseStatisticsFilters(actor, query)));
}

/**
 * The dashboard with only the links its viewer may follow (the pages' own permissions): a figure
 * whose list the viewer may not open is still shown, and opens nothing.
 */
function linksItOpens(actor: Actor, dashboard: Dashboard): Dashboard {
  const opens = <T extends { link?: string }>({ link, ...rest }: T): T =>
    (link !== undefined && mayOpen(actor.roles, link) ? { ...rest, link } : rest) as T;
  return {
    ...dashboard,
    kpis: dashboard.kpis.map((kpi) => (kpi.breakdown ? { ...kpi, breakdown: kpi.breakdown.map(opens) } : kpi)),
    charts: dashboard.charts.map((chart) => ({
      ...chart,
      series: chart.series.map((s) => ({ ...s, points: s.points.map(opens) })),
    })),
  };
}

/** Every area's dashboard for the same filters, one after another on `read` (a report's transaction). */
export async function allDashboards(actor: Actor, filters: StatisticsFilters, read?: Executor): Promise<Dashboard[]> {
  const dashboards: Dashboard[] = [];
  for (const area of dashboardAreas(actor)) dashboards.push(await DASHBOARDS[area]!(actor, filters, read));
  return dashboards;
}
