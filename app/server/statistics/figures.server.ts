import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { ChartPoint, StatisticsFilters } from "~/shared/statistics";
import { dayStarts, shiftDay } from "~/shared/time";
import type { Actor } from "../auth/actor";

// What the 理赔, 服务评价 and 预警 figures share: the period as instants, rounding as the cards
// show it (元 and % to 2 decimals), months of Kunming time, and links that carry the filters.

/** The instants a filter's days span: from 00:00 of `from` to 00:00 after `to`, Beijing time. */
export function periodOf(filters: Pick<StatisticsFilters, "from" | "to">): { start: Date; end: Date } {
  return { start: dayStarts(filters.from), end: dayStarts(shiftDay(filters.to, 1, "day")) };
}

/** `column` within the filters' period. */
export function within(column: AnyPgColumn | SQL, filters: Pick<StatisticsFilters, "from" | "to">): SQL {
  const { start, end } = periodOf(filters);
  return sql`(${column} >= ${start.toISOString()}::timestamptz and ${column} < ${end.toISOString()}::timestamptz)`;
}

/** Every month from `from` to `to` (YYYY-MM), so a month with nothing shows as nothing, not missing. */
export function monthsOf(filters: Pick<StatisticsFilters, "from" | "to">): string[] {
  const index = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
  const months: string[] = [];
  for (let i = index(filters.from); i <= index(filters.to); i++)
    months.push(`${String(Math.floor(i / 12)).padStart(4, "0")}-${String((i % 12) + 1).padStart(2, "0")}`);
  return months;
}

/**
 * A count or sum for every month of the period, 0 where nothing happened (a month without claims is
 * a fact, not a gap); no point at all when nothing happened in the whole period, so the chart says
 * 本期无数据 instead of drawing a flat line at 0.
 */
export function everyMonth(
  filters: Pick<StatisticsFilters, "from" | "to">,
  valueOf: (month: string, index: number) => number,
  link?: (month: string) => string | undefined,
): ChartPoint[] {
  const points = monthsOf(filters).map((month, i) => {
    const to = link?.(month);
    return { key: month, label: month, value: valueOf(month, i), ...(to ? { link: to } : {}) };
  });
  return points.some((p) => p.value !== 0) ? points : [];
}

/** The first and last day of a month (2026-03) clipped to the filters' period: a month point's list link. */
export function monthDays(month: string, filters: Pick<StatisticsFilters, "from" | "to">): { from: string; to: string } {
  const first = `${month}-01`;
  const last = shiftDay(shiftDay(first, 1, "month"), -1, "day");
  return { from: first < filters.from ? filters.from : first, to: last > filters.to ? filters.to : last };
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** A share as a percentage to 2 decimals; null when there is nothing to divide by (shown "—"). */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? round2((part * 100) / whole) : null;
}

/** A list's address with its filters (empty ones left out). */
export function listLink(path: string, params: Record<string, string | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The regulators (住建局, 金融监管) and the platform's administrators see the city; everyone else their own part of it. */
export const overseesCity = (actor: Actor): boolean =>
  actor.roles.some((r) => r === "regulator" || r === "financial-regulator" || r === "admin");

/**
 * The insurer whose own figures these are: one signed in as an insurer (not also an overseer) sees
 * its own share only, whatever it filters; otherwise the insurer the filters name, if any.
 */
export function insurerLens(actor: Actor, filters: Pick<StatisticsFilters, "insurerId">): string | null {
  if (!overseesCity(actor) && actor.roles.includes("insurer")) return actor.organisationId;
  return filters.insurerId ?? null;
}

/**
 * The month of the period an instant (within it) falls in, as its index in monthsOf(filters): the
 * months' first instants in Kunming compared, which costs a year of rows far less than converting
 * each one to Kunming time. Written in, not bound: GROUP BY must see the very expression the
 * SELECT has (the instants are the platform's own, formatted here).
 */
export function monthIndex(column: AnyPgColumn | SQL, filters: Pick<StatisticsFilters, "from" | "to">): SQL<number> {
  const starts = monthsOf(filters)
    .slice(1)
    .map((month) => dayStarts(`${month}-01`).toISOString());
  return sql<number>`width_bucket(${column}, ${sql.raw(`'{${starts.join(",")}}'::timestamptz[]`)})`;
}

/**
 * Several groupings of the same rows in one pass over them (GROUPING SETS): the sets by name, each
 * with its keys. `set` names the set a row of the result counts (from GROUPING(), which has a bit
 * per key, 1 where the row is not grouped by it); `groupBy` is the clause.
 */
export function groupingSets(sets: Record<string, SQL[]>): { set: SQL<string>; groupBy: SQL } {
  const keys = [...new Set(Object.values(sets).flat())];
  const all = (1 << keys.length) - 1;
  const maskOf = (own: SQL[]) => own.reduce((mask, key) => mask - (1 << (keys.length - 1 - keys.indexOf(key))), all);
  return {
    set: sql<string>`case grouping(${sql.join(keys, sql`, `)}) ${sql.join(
      Object.entries(sets).map(([name, own]) => sql`when ${sql.raw(String(maskOf(own)))} then ${sql.raw(`'${name}'`)}`),
      sql` `,
    )} end`,
    groupBy: sql`grouping sets (${sql.join(
      Object.values(sets).map((own) => sql`(${sql.join(own, sql`, `)})`),
      sql`, `,
    )})`,
  };
}
