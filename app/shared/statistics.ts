// The shape every statistics dashboard shares (承保, 风险, 理赔, 服务评价), on the page and through
// GET /api/v1/statistics/{area}: the filters it was computed for, when its data is from, its KPI
// cards and its charts. One generic page draws any dashboard from this shape, so an area's server
// module decides what it shows and the page never knows an indicator by name.

export const STATISTICS_AREAS = ["underwriting", "risk", "claims", "service"] as const;
export type StatisticsArea = (typeof STATISTICS_AREAS)[number];

export const STATISTICS_AREA_LABELS: Record<StatisticsArea, string> = {
  underwriting: "承保",
  risk: "风险",
  claims: "理赔",
  service: "服务评价",
};

/** How the period was chosen: a calendar month, quarter or year, or any two days. */
export const PERIOD_KINDS = ["month", "quarter", "year", "custom"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/**
 * The filters every dashboard, list link and export takes. Days are Kunming calendar days
 * (YYYY-MM-DD, Asia/Shanghai), both ends included. Absent means "all".
 */
export interface StatisticsFilters {
  period: PeriodKind;
  from: string;
  to: string;
  /** A district's administrative code (app/shared/districts.ts). */
  district?: string;
  /** An insurer organisation's id: figures of the projects it insures (as lead or co-insurer). */
  insurerId?: string;
  /** A TIS organisation's id: figures of the projects it is appointed to. */
  tisId?: string;
}

/** The filters as a dashboard says them back: in the names its query takes (`insurer`, `tis`). */
export interface DashboardFilters {
  period: PeriodKind;
  from: string;
  to: string;
  district?: string;
  insurer?: string;
  tis?: string;
}

/** A dashboard's filters said back as they are asked for: insurerId as insurer, tisId as tis. */
export function filtersAsAsked({ insurerId, tisId, ...rest }: StatisticsFilters): DashboardFilters {
  return { ...rest, ...(insurerId ? { insurer: insurerId } : {}), ...(tisId ? { tis: tisId } : {}) };
}

/** A figure with the unit it is counted in, as shown: 元, 元/㎡, ㎡, %, 个, 件, 次, 天, 星. */
export interface Kpi {
  key: string;
  label: string;
  /** null when there is nothing to count (no policy in the period): shown as "—", not 0. */
  value: number | null;
  unit: string;
  /** The same figure per insurer (or TIS, repairer): label and value, largest first. */
  breakdown?: { label: string; value: number; link?: string }[];
  /** A short line under the figure where it needs saying what it counts (截至今日, not the period's). */
  note?: string;
}

/** One bar, slice, point or district of a chart. `link` opens the matching list, filtered. */
export interface ChartPoint {
  /** Stable key (an organisation's id, a district code, a month "2026-03", a category code). */
  key: string;
  label: string;
  value: number;
  link?: string;
}

export interface ChartSeries {
  name: string;
  unit: string;
  points: ChartPoint[];
}

export interface Chart {
  key: string;
  title: string;
  /** bar (categories), line (over time), pie (shares), district (bars by district). */
  kind: "bar" | "line" | "pie" | "district";
  /** What the categories are (保险公司, 月份, 区县, 风险等级…): the 查看数据 table's first column. */
  categoryLabel: string;
  series: ChartSeries[];
  /** A sentence under the chart where a figure needs saying how it is counted (共保按份额计). */
  note?: string;
}

export interface Dashboard {
  area: StatisticsArea;
  /** The filters counted by, in the query's names. */
  filters: DashboardFilters;
  /** When the figures were read (ISO instant): each card and chart says its data is from then. */
  asOf: string;
  kpis: Kpi[];
  charts: Chart[];
}
