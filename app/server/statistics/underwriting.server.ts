import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { organisations, policies, policyShares, projects } from "@db/schema";
import { districtName } from "~/shared/districts";
import { filtersAsAsked, type Chart, type Dashboard, type Kpi, type StatisticsFilters } from "~/shared/statistics";
import type { Actor } from "../auth/actor";
import { everyMonth, insurerLens } from "./figures.server";
import { clock } from "../clock.server";
import type { Executor } from "@db/client";
import { db } from "../db.server";
import type { AnyPgColumn, SelectedFields } from "drizzle-orm/pg-core";
import { dayInPeriod, listLink, monthDays, monthOfDay, oneSeriesChart, pointsOf, projectConditions } from "./selection.server";

// 承保: the policies issued (保单签发日期) in the period on insured projects the viewer sees. A
// project's own figures (平米造价, 费率, counts) are counted once per project; money and area are
// counted by each insurer's share of the policy, so a co-insured premium is never counted twice
// and an insurer's dashboard holds its share only (docs/decisions/022-statistics-dashboards.md).

const COINSURANCE_NOTE = "共保项目的保费、保险金额和承保面积按各保险公司的份额计入；项目数计入每家参与承保的保险公司";

const costPerM2 = sql<number | null>`round(avg(${projects.constructionCost} / nullif(${projects.grossFloorArea}, 0)), 2)::float8`;
const ratePercent = sql<number | null>`round(avg(${policies.rate}) * 100, 2)::float8`;
const projectCount = sql<number>`count(distinct ${projects.id})::int`;
/** A policy's amount as the insurer's share of it carries, to the fen. */
const byShare = (column: SQL | AnyPgColumn) => sql<number>`round(coalesce(sum(${column} * ${policyShares.share} / 100), 0), 2)::float8`;
const premium = byShare(policies.premium);
const sumInsured = byShare(policies.sumInsured);
const area = byShare(sql`${projects.grossFloorArea}`);

export async function underwritingDashboard(actor: Actor, filters: StatisticsFilters, read: Executor = db()): Promise<Dashboard> {
  const asOf = clock.now().toISOString();
  const issued = and(projectConditions(actor, filters), eq(projects.status, "insured"), dayInPeriod(policies.issueDate, filters))!;
  // Whose share the money is counted by: an insurer signed in, its own whatever it filters by
  // (another insurer's money is not its to see); for the others, the insurer filtered by, if any.
  const holder = insurerLens(actor, filters) ?? undefined;
  const shares = and(
    eq(policyShares.policyId, policies.id),
    eq(policyShares.kind, "insurer"),
    holder ? eq(policyShares.organisationId, holder) : undefined,
  )!;
  // One row per project (its policy); joined with the shares, one per insurer's share of it.
  const perProject = <T extends SelectedFields>(fields: T) =>
    read.select(fields).from(projects).innerJoin(policies, eq(policies.projectId, projects.id));
  const issueMonth = monthOfDay(policies.issueDate);
  const startMonth = monthOfDay(policies.periodStart);

  const [[totals], [money], byInsurer, byDistrictCost, byDistrictMoney, byIssueMonth, premiumByIssueMonth, byStartMonth] =
    await Promise.all([
      perProject({ projects: projectCount, costPerM2, ratePercent }).where(issued),
      perProject({ premium, area, sumInsured }).innerJoin(policyShares, shares).where(issued),
      perProject({ key: organisations.id, name: organisations.name, premium, area, sumInsured, projects: projectCount, ratePercent })
        .innerJoin(policyShares, shares)
        .innerJoin(organisations, eq(organisations.id, policyShares.organisationId))
        .where(issued)
        .groupBy(organisations.id, organisations.name)
        .orderBy(desc(premium), asc(organisations.name)),
      perProject({ key: projects.district, value: costPerM2 }).where(issued).groupBy(projects.district).orderBy(asc(projects.district)),
      perProject({ key: projects.district, premium, sumInsured })
        .innerJoin(policyShares, shares)
        .where(issued)
        .groupBy(projects.district)
        .orderBy(asc(projects.district)),
      perProject({ key: issueMonth, projects: projectCount, costPerM2, ratePercent }).where(issued).groupBy(issueMonth).orderBy(issueMonth),
      perProject({ key: issueMonth, value: premium }).innerJoin(policyShares, shares).where(issued).groupBy(issueMonth).orderBy(issueMonth),
      perProject({ key: startMonth, value: projectCount }).where(issued).groupBy(startMonth).orderBy(startMonth),
    ]);

  const none = totals.projects === 0;
  // The list of the insured projects whose policies were issued in the period (its dates are the issue date's).
  const projectsLink = (own: Record<string, string>) => listLink("/projects", filters, { status: "insured", ...own });
  const insurerLink = (r: { key: string }) => projectsLink({ insurer: r.key });
  const districtLink = (r: { key: string }) => projectsLink({ district: r.key });
  const monthLink = (r: { key: string }) => projectsLink(monthDays(r.key));
  const insurers = (value: (r: (typeof byInsurer)[number]) => number) =>
    pointsOf(
      byInsurer.map((r) => ({ ...r, value: value(r) })),
      (r) => r.name,
      insurerLink,
    );
  const districts = <R extends { key: string; value: number | null }>(rows: R[]) =>
    pointsOf(rows, (r) => districtName(r.key), districtLink);
  const months = <R extends { key: string; value: number | null }>(rows: R[], link = true) =>
    pointsOf(rows, (r) => r.key, link ? monthLink : undefined);
  const breakdown = (value: (r: (typeof byInsurer)[number]) => number) =>
    [...byInsurer].sort((a, b) => value(b) - value(a)).map((r) => ({ label: r.name, value: value(r), link: insurerLink(r) }));

  const kpis: Kpi[] = [
    { key: "costPerM2", label: "平米平均造价均值", value: none ? null : totals.costPerM2, unit: "元/㎡" },
    { key: "rate", label: "平均保险费率", value: none ? null : totals.ratePercent, unit: "%" },
    { key: "premium", label: "总保费", value: none ? null : money.premium, unit: "元", breakdown: breakdown((r) => r.premium) },
    { key: "area", label: "总承保面积", value: none ? null : money.area, unit: "㎡", breakdown: breakdown((r) => r.area) },
  ];
  const charts: Chart[] = [
    oneSeriesChart({
      key: "costPerM2ByMonth",
      title: "平米平均造价图",
      // Bars: a month without policies has no average to draw, and a line would draw one across it.
      kind: "bar",
      categoryLabel: "签发月份",
      name: "平米平均造价",
      unit: "元/㎡",
      points: months(byIssueMonth.map((r) => ({ key: r.key, value: r.costPerM2 }))),
    }),
    oneSeriesChart({
      key: "rateByMonth",
      title: "保险费率均值统计图",
      kind: "bar",
      categoryLabel: "签发月份",
      name: "平均保险费率",
      unit: "%",
      points: months(byIssueMonth.map((r) => ({ key: r.key, value: r.ratePercent }))),
    }),
    oneSeriesChart({
      key: "costPerM2ByDistrict",
      title: "平米平均造价分布图",
      kind: "district",
      categoryLabel: "区县",
      name: "平米平均造价",
      unit: "元/㎡",
      points: districts(byDistrictCost),
    }),
    oneSeriesChart({
      key: "rateByInsurer",
      title: "保险公司费率分布图",
      kind: "bar",
      categoryLabel: "保险公司",
      name: "平均保险费率",
      unit: "%",
      points: insurers((r) => r.ratePercent ?? 0),
    }),
    oneSeriesChart({
      key: "premiumByInsurer",
      title: "保险公司保费分布图",
      kind: "pie",
      categoryLabel: "保险公司",
      name: "保费",
      unit: "元",
      points: insurers((r) => r.premium),
      note: COINSURANCE_NOTE,
    }),
    oneSeriesChart({
      key: "sumInsuredByInsurer",
      title: "保险公司保险金额分布图",
      kind: "bar",
      categoryLabel: "保险公司",
      name: "保险金额",
      unit: "元",
      points: insurers((r) => r.sumInsured),
      note: COINSURANCE_NOTE,
    }),
    oneSeriesChart({
      key: "projectsByInsurer",
      title: "保险公司项目数量分布图",
      kind: "bar",
      categoryLabel: "保险公司",
      name: "项目数",
      unit: "个",
      points: insurers((r) => r.projects),
      note: COINSURANCE_NOTE,
    }),
    oneSeriesChart({
      key: "premiumByDistrict",
      title: "各区保费分布图",
      kind: "district",
      categoryLabel: "区县",
      name: "保费",
      unit: "元",
      points: districts(byDistrictMoney.map((r) => ({ key: r.key, value: r.premium }))),
    }),
    oneSeriesChart({
      key: "sumInsuredByDistrict",
      title: "各区保额分布图",
      kind: "district",
      categoryLabel: "区县",
      name: "保险金额",
      unit: "元",
      points: districts(byDistrictMoney.map((r) => ({ key: r.key, value: r.sumInsured }))),
    }),
    // The lists filter by the policy's issue date, not its start: these bars open no list.
    oneSeriesChart({
      key: "projectsByStartMonth",
      title: "保险起期分布图",
      kind: "bar",
      categoryLabel: "保险起期（月份）",
      name: "项目数",
      unit: "个",
      points: months(byStartMonth, false),
      note: "本期签发的保单按保险起期所在月份统计",
    }),
    oneSeriesChart({
      key: "projectsByIssueMonth",
      title: "保单签发日期项目数量图",
      kind: "bar",
      categoryLabel: "签发月份",
      name: "项目数",
      unit: "个",
      points: everyMonth(filters, (m) => byIssueMonth.find((r) => r.key === m)?.projects ?? 0, (m) => monthLink({ key: m })),
    }),
    oneSeriesChart({
      key: "premiumByIssueMonth",
      title: "保单签发日期项目保费图",
      kind: "bar",
      categoryLabel: "签发月份",
      name: "保费",
      unit: "元",
      points: everyMonth(filters, (m) => premiumByIssueMonth.find((r) => r.key === m)?.value ?? 0, (m) => monthLink({ key: m })),
    }),
  ];
  return { area: "underwriting", filters: filtersAsAsked(filters), asOf, kpis, charts };
}
