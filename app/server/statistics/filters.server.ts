import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";
import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { claims, organisations, projects } from "@db/schema";
import { districtName, isDistrictCode } from "~/shared/districts";
import { PERIOD_KINDS, type StatisticsFilters } from "~/shared/statistics";
import type { Actor } from "../auth/actor";
import { projectsSeen, scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";
import { insurersOf } from "../projects/insured-by.server";
import { recordDay } from "../pagination.server";
import { parseQuery } from "../query.server";

dayjs.extend(utc);

// The filters of every dashboard, its list links, its chart downloads and the statistics API, read
// from a query string: period (a calendar month, quarter or year around `from`, or any two days),
// district, insurer and TIS. An organisation named as a filter must be one the viewer may see
// figures of: otherwise it is answered like any object outside one's scope (404).

const day = (label: string) => recordDay(label, `${label}应为有效日期（年-月-日，如 2026-03-01）`).optional();

/**
 * The query's names: the same as the lists' (insurer, tis), so a chart's link carries them on.
 * Without a period, `to` makes it custom; with a calendar one, `to` has no place (it would be
 * silently dropped, the figures a whole year where the caller meant a month).
 */
export const statisticsQuerySchema = z
  .object({
    period: z
      .enum(PERIOD_KINDS, "统计周期应为 month（月）、quarter（季）、year（年）或 custom（自定义）")
      .optional()
      .describe(
        "统计周期：month 月、quarter 季、year 年（取 from 所在的自然月、季、年，缺省为今天所在的），custom 自定义（须填 from 和 to）；缺省时有 to 为 custom，否则为 year",
      ),
    from: day("开始日期").describe("开始日期（YYYY-MM-DD，2000–2099 年）：自定义周期的第一天，或月、季、年周期所在的任一天"),
    to: day("结束日期").describe("结束日期（YYYY-MM-DD，2000–2099 年）：自定义周期的最后一天（含），仅用于 custom"),
    district: z
      .string()
      .refine(isDistrictCode, "区县代码无效，应为昆明市的行政区划代码，如 530111")
      .optional()
      .describe("区县的行政区划代码，如 530111"),
    insurer: z.uuid("保险公司标识格式不正确").optional().describe("保险公司的单位标识：其承保（含共保）的项目，金额按其份额计"),
    tis: z.uuid("风险管理机构标识格式不正确").optional().describe("风险管理机构的单位标识：其受委派的项目"),
  })
  .superRefine((q, ctx) => {
    if (periodKind(q) !== "custom") {
      if (q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "按月、季、年统计时不填结束日期（取开始日期所在的期间）" });
      return;
    }
    if (!q.from) ctx.addIssue({ code: "custom", path: ["from"], message: "自定义统计周期须填写开始日期" });
    if (!q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "自定义统计周期须填写结束日期" });
    if (q.from && q.to && q.to < q.from) ctx.addIssue({ code: "custom", path: ["to"], message: "结束日期不能早于开始日期" });
  });

/** The period a query asks for: as named; without a name, custom when it has an end, else the year. */
function periodKind(q: { period?: StatisticsFilters["period"]; to?: string }): StatisticsFilters["period"] {
  return q.period ?? (q.to ? "custom" : "year");
}

const UNIT: Record<Exclude<StatisticsFilters["period"], "custom">, "month" | "quarter" | "year"> = {
  month: "month",
  quarter: "quarter",
  year: "year",
};

/** The calendar month, quarter or year that holds `anchor` (YYYY-MM-DD), first and last day. */
export function calendarPeriod(kind: keyof typeof UNIT, anchor: string): { from: string; to: string } {
  const at = dayjs.utc(anchor);
  const start = kind === "quarter" ? at.month(Math.floor(at.month() / 3) * 3).startOf("month") : at.startOf(UNIT[kind] as "month" | "year");
  const end = kind === "quarter" ? start.add(2, "month").endOf("month") : start.endOf(UNIT[kind] as "month" | "year");
  return { from: start.format("YYYY-MM-DD"), to: end.format("YYYY-MM-DD") };
}

/**
 * The query string's filters (this year when none are given): a 422 naming each refused field in
 * Chinese, a 404 for an insurer or TIS outside the viewer's scope.
 */
export async function parseStatisticsFilters(actor: Actor, query: Record<string, unknown>): Promise<StatisticsFilters> {
  // A form's empty picker sends "": the same as leaving the filter out; a key no filter has is refused.
  const q = parseQuery(statisticsQuerySchema, query);
  const period = periodKind(q);
  const range = period === "custom" ? { from: q.from!, to: q.to! } : calendarPeriod(period, q.from ?? clock.today());
  const filters: StatisticsFilters = {
    period,
    ...range,
    ...(q.district ? { district: q.district } : {}),
    ...(q.insurer ? { insurerId: q.insurer.toLowerCase() } : {}),
    ...(q.tis ? { tisId: q.tis.toLowerCase() } : {}),
  };
  const [insurer, tis] = await Promise.all([
    filters.insurerId ? organisationInScope(actor, "insurer", filters.insurerId) : true,
    filters.tisId ? organisationInScope(actor, "tis", filters.tisId) : true,
  ]);
  if (!insurer) throw new NotFoundError("该保险公司不存在，或不在您的查看范围内");
  if (!tis) throw new NotFoundError("该风险管理机构不存在，或不在您的查看范围内");
  return filters;
}

/**
 * Organisations of a kind whose figures the viewer may see: those whose record it sees (the
 * bureau: all), those that insure, or are appointed to, a project in its scope, and the insurers
 * handling the claims a repairer repairs (its 理赔 figures break down by them, on projects it
 * need not see). Every other role sees claims through its projects or as their insurer.
 */
function organisationsInScope(actor: Actor, kind: "insurer" | "tis"): SQL {
  // The parties of the projects in scope, a set computed once (not a probe of the projects per
  // organisation). The TIS come from the projects' (tis_id, id) index, each id looked up in the set
  // of projects seen; `false or` keeps that set one hashed lookup (decision 044), so no project row
  // is read (docs/decisions/049).
  const party =
    kind === "insurer"
      ? sql`${organisations.id} in ${insurersOf(projectsSeen(actor))}`
      : sql`${organisations.id} in (select ${projects.tisId} from ${projects} where false or ${projects.id} in ${projectsSeen(actor)})`;
  const handling =
    kind === "insurer" && actor.roles.includes("repairer")
      ? sql`${organisations.id} in (select ${claims.insurerId} from ${claims} where ${scope(actor, "claim")})`
      : undefined;
  return and(eq(organisations.type, kind), or(scope(actor, "organisation"), party, handling))!;
}

async function organisationInScope(actor: Actor, kind: "insurer" | "tis", id: string): Promise<boolean> {
  const [row] = await db()
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.id, id), organisationsInScope(actor, kind)));
  return !!row;
}

/**
 * The district, insurer and TIS the figures are narrowed to, in words (区县：五华区；保险公司：…), or
 * "" for the whole scope: said in a download beside its period, so a file read later says what it holds.
 */
export async function filtersInWords(filters: Pick<StatisticsFilters, "district" | "insurerId" | "tisId">): Promise<string> {
  const ids = [filters.insurerId, filters.tisId].filter((id): id is string => !!id);
  const names = new Map(
    ids.length
      ? (
          await db().select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, ids))
        ).map((o) => [o.id, o.name])
      : [],
  );
  return [
    filters.district ? `区县：${districtName(filters.district)}` : "",
    filters.insurerId ? `保险公司：${names.get(filters.insurerId) ?? ""}` : "",
    filters.tisId ? `风险管理机构：${names.get(filters.tisId) ?? ""}` : "",
  ]
    .filter(Boolean)
    .join("；");
}

/** An organisation a picker offers. */
export interface OrganisationOption {
  id: string;
  name: string;
}

export interface FilterOptions {
  insurers: OrganisationOption[];
  tis: OrganisationOption[];
}

/** One picker's options: only organisations of the kind the viewer may filter by. */
export function organisationOptions(actor: Actor, kind: "insurer" | "tis"): Promise<OrganisationOption[]> {
  return db()
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(organisationsInScope(actor, kind))
    .orderBy(asc(organisations.name));
}

/** The insurer and TIS pickers: only organisations the viewer may filter by. */
export async function filterOptions(actor: Actor): Promise<FilterOptions> {
  const [insurers, tis] = await Promise.all([organisationOptions(actor, "insurer"), organisationOptions(actor, "tis")]);
  return { insurers, tis };
}
