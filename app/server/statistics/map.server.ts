import { and, asc, count, desc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { organisations, projects, riskEvents } from "@db/schema";
import { DISTRICTS } from "~/shared/districts";
import {
  MARKER_LIMIT,
  riskMapCovers,
  WORST_LEVELS,
  type DistrictRisk,
  type RiskMap,
  type RiskMapFilters,
  type RiskMapMarker,
} from "~/shared/risk-map";
import type { Chart, StatisticsFilters } from "~/shared/statistics";
import { formatDateTime } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import type { FieldErrors } from "../errors.server";
import { inPhase } from "../projects/project-phases.server";
import { chartFile } from "./chart-workbook.server";
import { listLink } from "./figures.server";
import { filtersInWords, parseStatisticsFilters, type FilterOptions } from "./filters.server";
import { instantInPeriod, projectConditions } from "./selection.server";

// 风险地图: per district the open risk of the insured projects the viewer sees, and those projects
// as markers coloured by their worst open event. Aggregated in SQL; only the markers drawn leave
// the database as rows (docs/decisions/024-the-risk-map.md).

/** A level's rank, as WORST_LEVELS orders them: a project's worst open event is the max. */
const LEVEL_RANK = sql`case ${riskEvents.level} when 'critical' then 3 when 'major' then 2 else 1 end`;
const CRITICAL_RANK = WORST_LEVELS.indexOf("critical");

/**
 * Each project's open events (待整改, 整改中, 待复核) among those the viewer sees, raised in the
 * period when one is chosen: how many, and the worst level's rank.
 */
function openRiskByProject(actor: Actor, filters: RiskMapFilters) {
  return db()
    .select({
      projectId: riskEvents.projectId,
      openEvents: sql<number>`count(*)::int`.as("open_events"),
      worst: sql<number>`max(${LEVEL_RANK})::int`.as("worst"),
    })
    .from(riskEvents)
    .where(
      and(
        sql`${riskEvents.status} in ('open', 'rectifying', 'awaiting_review')`,
        scope(actor, "risk_event"),
        period(filters) ? instantInPeriod(riskEvents.raisedAt, period(filters)!) : undefined,
      ),
    )
    .groupBy(riskEvents.projectId)
    .as("open_risk");
}

/** The chosen period, when there is one. */
function period(filters: RiskMapFilters): StatisticsFilters | null {
  const { period: kind, from, to } = filters;
  return kind && from && to ? { ...filters, period: kind, from, to } : null;
}

/** The projects on the map: in force today (在保, as the project list and the 风险 dashboard mean it), in scope, matching district, insurer and TIS. */
function mappedProjects(actor: Actor, filters: RiskMapFilters): SQL {
  return and(projectConditions(actor, filters), inPhase("insured"))!;
}

/** a ÷ b to `digits` decimals, half up; null when there is nothing to divide by. */
function ratio(a: number, b: number, times = 1, digits = 2): number | null {
  if (!b) return null;
  const scale = 10 ** digits;
  return Math.round((a * times * scale) / b) / scale;
}

function figures(projectCount: number, openEvents: number, severeProjects: number): Omit<DistrictRisk, "code" | "name"> {
  return {
    projects: projectCount,
    openEvents,
    severeProjects,
    eventsPerProject: ratio(openEvents, projectCount),
    severeShare: ratio(severeProjects, projectCount, 100),
  };
}

type OpenRisk = ReturnType<typeof openRiskByProject>;

const located = and(isNotNull(projects.longitude), isNotNull(projects.latitude));

/** Per district: projects, open events, projects with a severe open event, projects with a position. */
function districtRows(open: OpenRisk, selection: SQL) {
  return db()
    .select({
      district: projects.district,
      projects: count(),
      openEvents: sql<number>`coalesce(sum(${open.openEvents}), 0)::int`,
      severeProjects: sql<number>`(count(*) filter (where ${open.worst} = ${CRITICAL_RANK}))::int`,
      located: sql<number>`(count(*) filter (where ${located}))::int`,
    })
    .from(projects)
    .leftJoin(open, eq(open.projectId, projects.id))
    .where(selection)
    .groupBy(projects.district);
}

/** The projects with a position, riskiest first, as many as the map draws. */
function markerRows(open: OpenRisk, selection: SQL) {
  const worst = sql<number>`coalesce(${open.worst}, 0)`;
  const openEvents = sql<number>`coalesce(${open.openEvents}, 0)`;
  return db()
    .select({
      id: projects.id,
      longitude: projects.longitude,
      latitude: projects.latitude,
      worst,
      openEvents,
      name: projects.name,
      insurerName: organisations.name,
      // A subquery rather than a second join of organisations (drizzle types that join as never).
      tisName: sql<string | null>`(select t.name from ${organisations} t where t.id = ${projects.tisId})`,
      stage: projects.stage,
    })
    .from(projects)
    .innerJoin(organisations, eq(organisations.id, projects.leadInsurerId))
    .leftJoin(open, eq(open.projectId, projects.id))
    .where(and(selection, located))
    .orderBy(desc(worst), desc(openEvents), asc(projects.name), asc(projects.id))
    .limit(MARKER_LIMIT);
}

/** Every district and management zone (in the order of DISTRICTS) with its figures. */
function districtsOf(byDistrict: Awaited<ReturnType<typeof districtRows>>): DistrictRisk[] {
  const found = new Map(byDistrict.map((d) => [d.district, d]));
  return DISTRICTS.map(({ code, name }) => {
    const d = found.get(code);
    return { code, name, ...figures(d?.projects ?? 0, d?.openEvents ?? 0, d?.severeProjects ?? 0) };
  });
}

export async function riskMapData(actor: Actor, filters: RiskMapFilters): Promise<RiskMap> {
  const asOf = clock.now().toISOString();
  const open = openRiskByProject(actor, filters);
  const selection = mappedProjects(actor, filters);
  const [byDistrict, rows] = await Promise.all([districtRows(open, selection), markerRows(open, selection)]);
  const districts = districtsOf(byDistrict);
  const sum = (key: "projects" | "openEvents" | "severeProjects" | "located") => byDistrict.reduce((n, d) => n + d[key], 0);
  const index = new Map<string, number>();
  const nameIndex = (name: string | null) => {
    if (name === null) return -1;
    if (!index.has(name)) index.set(name, index.size);
    return index.get(name)!;
  };
  const markers = rows.map((r): RiskMapMarker => [
    r.id,
    r.longitude!,
    r.latitude!,
    r.worst,
    r.openEvents,
    r.name,
    nameIndex(r.insurerName),
    nameIndex(r.tisName),
    r.stage,
  ]);
  return {
    filters,
    asOf,
    districts,
    total: figures(sum("projects"), sum("openEvents"), sum("severeProjects")),
    markers,
    names: [...index.keys()],
    located: sum("located"),
    unlocated: sum("projects") - sum("located"),
  };
}

/**
 * The map's filters from a query string, as the dashboards read them (422 in Chinese, 404 for an
 * insurer or TIS outside the viewer's scope), except that without a period the map is open risk now.
 */
export async function riskMapFilters(actor: Actor, query: Record<string, unknown>): Promise<RiskMapFilters> {
  const parsed = await parseStatisticsFilters(actor, query);
  if (["period", "from", "to"].some((key) => query[key] !== undefined && query[key] !== "")) return parsed;
  const { period: _period, from: _from, to: _to, ...rest } = parsed;
  return rest;
}

/**
 * The districts' figures as 查看数据 shows them and the map's Excel holds them, a series per figure;
 * a district opens the list of the projects it counts (insured, not terminated, the same insurer and TIS).
 */
export function riskMapTable(districts: DistrictRisk[], filters: RiskMapFilters): Chart {
  const series = (name: string, unit: string, value: (d: DistrictRisk) => number | null) => ({
    name,
    unit,
    points: districts.flatMap((d) => {
      const figure = value(d);
      const link = listLink("/projects", { stage: "insured", district: d.code, insurer: filters.insurerId, tis: filters.tisId });
      return figure === null ? [] : [{ key: d.code, label: d.name, value: figure, link }];
    }),
  });
  return {
    key: "districts",
    title: "风险地图各区县数据",
    kind: "district",
    categoryLabel: "区县",
    series: [
      series("项目数", "个", (d) => d.projects),
      series("未销项风险事件", "件", (d) => d.openEvents),
      series("平均每项目", "件/项目", (d) => d.eventsPerProject),
      series("有重大风险的项目", "个", (d) => d.severeProjects),
      series("占比", "%", (d) => d.severeShare),
    ],
  };
}

export interface RiskMapView {
  map: RiskMap;
  /** 查看数据: the districts' figures, each district linking to its projects. */
  table: Chart;
}

export interface RiskMapPageData {
  /** The map of what the filters select; null when the query was refused. */
  view: RiskMapView | null;
  /** The insurer and TIS pickers of the filters bar: only organisations the viewer may filter by. */
  options: FilterOptions;
  /** What the server refused of the query, by key (422); empty when nothing. */
  refused: FieldErrors;
}

/** The /map page's map: its filters read from the query (422 naming each refused key), the map's data. */
export async function riskMapView(actor: Actor, query: Record<string, unknown>): Promise<RiskMapView> {
  const filters = await riskMapFilters(actor, query);
  const map = await riskMapData(actor, filters);
  return { map, table: riskMapTable(map.districts, filters) };
}

/** 下载Excel of the map (/map.xlsx with the page's query): its 查看数据 table, without reading the markers. */
export async function riskMapWorkbook(actor: Actor, query: Record<string, unknown>): Promise<{ bytes: Buffer; name: string }> {
  const filters = await riskMapFilters(actor, query);
  const asOf = clock.now();
  const districts = districtsOf(await districtRows(openRiskByProject(actor, filters), mappedProjects(actor, filters)));
  const narrowed = await filtersInWords(filters);
  const when = `${riskMapCovers(filters)}${narrowed ? `；${narrowed}` : ""}，数据截至 ${formatDateTime(asOf)}`;
  return { bytes: await chartFile(riskMapTable(districts, filters), when), name: `风险地图_${formatDateTime(asOf, "YYYYMMDD-HHmm")}.xlsx` };
}
