import { and, eq, gte, lt, lte, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { projects } from "@db/schema";
import type { Chart, ChartPoint, StatisticsFilters } from "~/shared/statistics";
import { shiftDay } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { scope, type ScopedResource } from "../auth/scope.server";
import { insuredBy } from "../projects/insured-by.server";

// What every dashboard's queries share: the projects in the viewer's scope that match the filters,
// the period as days and as instants, months as chart categories, and the links from a chart to
// the list of what it counts. Figures are aggregated in SQL on these conditions (never rows in JS).

/**
 * The projects the viewer sees (or their rows of `resource`, such as risk events) matching the
 * district, insurer and TIS filters: a query joins `projects` and adds this to its WHERE.
 */
export function projectConditions(
  actor: Actor,
  filters: Pick<StatisticsFilters, "district" | "insurerId" | "tisId">,
  resource: ScopedResource = "project",
): SQL {
  return and(
    scope(actor, resource),
    filters.district ? eq(projects.district, filters.district) : undefined,
    filters.tisId ? eq(projects.tisId, filters.tisId) : undefined,
    filters.insurerId ? insuredBy(filters.insurerId) : undefined,
  )!;
}

/** A calendar-date column within the period, both days included. */
export function dayInPeriod(column: AnyColumn, filters: StatisticsFilters): SQL {
  return and(gte(column, filters.from), lte(column, filters.to))!;
}

/**
 * A timestamp within Kunming days `from` to `to` (both included, either open), compared as
 * instants so that an index on the column serves.
 */
export function instantInPeriod(column: AnyColumn, days: { from?: string; to?: string }): SQL | undefined {
  return and(
    days.from ? gte(column, new Date(`${days.from}T00:00:00+08:00`)) : undefined,
    days.to ? lt(column, new Date(`${shiftDay(days.to, 1, "day")}T00:00:00+08:00`)) : undefined,
  );
}

/** The month (YYYY-MM) of a calendar date, or of an instant in Kunming. */
export const monthOfDay = (column: AnyColumn) => sql<string>`to_char(${column}, 'YYYY-MM')`;
export const monthOfInstant = (column: AnyColumn) => sql<string>`to_char(${column} at time zone 'Asia/Shanghai', 'YYYY-MM')`;

/** A month's first and last day, for a link to the list of that month. */
export function monthDays(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  return { from, to: shiftDay(shiftDay(from, 1, "month"), -1, "day") };
}

export type ListPath = "/projects" | "/risk" | "/claims";

/**
 * The list of what a bar counts: the dashboard's filters carried on, with the bar's own (its
 * insurer, district, month…) in their place. `period: false` for a figure that is not of the period
 * (projects under construction now), whose list must not be narrowed to it.
 */
export function listLink(
  path: ListPath,
  filters: StatisticsFilters,
  own: Record<string, string | undefined> = {},
  options: { period?: boolean } = {},
): string {
  const params = new URLSearchParams();
  const withPeriod = options.period ?? true;
  const all: Record<string, string | undefined> = {
    insurer: filters.insurerId,
    tis: filters.tisId,
    district: filters.district,
    from: withPeriod ? filters.from : undefined,
    to: withPeriod ? filters.to : undefined,
    ...own,
  };
  for (const [key, value] of Object.entries(all)) if (value) params.set(key, value);
  return `${path}?${params}`;
}

/** Rows of a grouped query as a chart's points, each with its label and link. */
export function pointsOf<R extends { key: string | null; value: number | null }>(
  rows: R[],
  label: (row: R & { key: string; value: number }) => string,
  link?: (row: R & { key: string; value: number }) => string | undefined,
): ChartPoint[] {
  // A group with nothing to average (no rate) is left out, not drawn as 0.
  return rows
    .filter((r): r is R & { key: string; value: number } => r.key != null && r.value != null)
    .map((r) => ({ key: r.key, label: label(r), value: r.value, ...(link?.(r) ? { link: link(r) } : {}) }));
}

/** A chart of one series (most are): its points, named and counted in one unit. */
export function oneSeriesChart({
  name,
  unit,
  points,
  ...chart
}: Omit<Chart, "series"> & { name: string; unit: string; points: ChartPoint[] }): Chart {
  return { ...chart, series: [{ name, unit, points }] };
}
