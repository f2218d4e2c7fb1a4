import type { ProjectStage } from "@db/schema/projects";
import type { RiskLevel } from "@db/schema/risk";
import type { StatisticsFilters } from "./statistics";

// The risk map's data (风险地图), as the server computes it and the page draws it: the districts'
// open risk, and the projects as markers. Docs: docs/decisions/024-the-risk-map.md.

/**
 * The map's filters: the dashboards' (district, insurer, TIS), and a period only when one is
 * chosen. Without one the map is the city's open risk now, whenever the events were raised; with
 * one, the open events raised in it.
 */
export type RiskMapFilters = Omit<StatisticsFilters, "period" | "from" | "to"> & Partial<Pick<StatisticsFilters, "period" | "from" | "to">>;

/** What the map counts, as the page and its Excel say it: the open events raised in the period, or all. */
export function riskMapCovers(filters: RiskMapFilters): string {
  return filters.from ? `统计 ${filters.from} 至 ${filters.to} 登记的未销项风险事件` : "统计全部未销项风险事件";
}

/** What colours a district: open events per project, or the share of projects with a severe open event. */
export const RISK_MAP_MEASURES = ["eventsPerProject", "severeShare"] as const;
export type RiskMapMeasure = (typeof RISK_MAP_MEASURES)[number];

export const RISK_MAP_MEASURE_LABELS: Record<RiskMapMeasure, { label: string; unit: string }> = {
  eventsPerProject: { label: "项目平均未销项风险事件数", unit: "件/项目" },
  severeShare: { label: "有未销项重大风险事件的项目占比", unit: "%" },
};

/** A severe event is one of level 重大: its project counts in the severe share, its marker is red. */
export const SEVERE_LEVEL: RiskLevel = "critical";

/** A project's worst open risk, as a marker's colour: 0 none, then 一般, 较大, 重大. */
export const WORST_LEVELS = ["none", "general", "major", "critical"] as const;
export type WorstLevel = (typeof WORST_LEVELS)[number];

export const WORST_LEVEL_STYLES: Record<WorstLevel, { label: string; color: string }> = {
  none: { label: "无未销项风险", color: "#52c41a" },
  general: { label: "一般", color: "#1677ff" },
  major: { label: "较大", color: "#fa8c16" },
  critical: { label: "重大", color: "#f5222d" },
};

export interface DistrictRisk {
  /** The district's code (app/shared/districts.ts). */
  code: string;
  name: string;
  /** Insured projects (not terminated) in the viewer's scope and the filters. */
  projects: number;
  /** Their events not yet closed (待整改, 整改中, 待复核). */
  openEvents: number;
  /** Of them, projects with at least one open event of level 重大. */
  severeProjects: number;
  /** openEvents ÷ projects, 2 decimals; null without projects (shown "—"). */
  eventsPerProject: number | null;
  /** severeProjects ÷ projects as %, 2 decimals; null without projects. */
  severeShare: number | null;
}

/**
 * A project on the map, as a tuple (20,000 of them as objects would repeat every key):
 * id, longitude, latitude, worst open level (index into WORST_LEVELS), open events, name,
 * lead insurer and TIS (indexes into RiskMap.names, -1 for none), stage.
 */
export type RiskMapMarker = [string, number, number, number, number, string, number, number, ProjectStage];

export interface RiskMap {
  filters: RiskMapFilters;
  /** When the figures were read (ISO instant): 数据截至. */
  asOf: string;
  /** Every district and management zone, in the order of DISTRICTS. */
  districts: DistrictRisk[];
  /** The same figures over the whole selection. */
  total: Omit<DistrictRisk, "code" | "name">;
  /** The riskiest projects first; at most MARKER_LIMIT. */
  markers: RiskMapMarker[];
  /** Organisation names the markers refer to by index. */
  names: string[];
  /** Projects of the selection with a position (markers shows the first MARKER_LIMIT of them). */
  located: number;
  /** Projects of the selection registered without coordinates: counted in the districts, not drawn. */
  unlocated: number;
}

/**
 * At most this many markers are sent: the riskiest first. Beyond that a city-wide map is a red
 * carpet nobody reads, and the page's data would pass a megabyte; filters show the rest.
 */
export const MARKER_LIMIT = 3000;

/** A marker's tuple read back, with its organisations' names. */
export function markerOf(m: RiskMapMarker, names: string[]) {
  const [id, longitude, latitude, level, openEvents, name, insurer, tis, stage] = m;
  return {
    id,
    longitude,
    latitude,
    level: WORST_LEVELS[level],
    openEvents,
    name,
    insurer: names[insurer] ?? null,
    tis: names[tis] ?? null,
    stage,
  };
}
