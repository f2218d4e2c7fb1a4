import { and, asc, desc, eq, isNotNull, sql } from "drizzle-orm";
import { organisations, projects, riskEvents, riskReports } from "@db/schema";
import { RISK_CATEGORY_LABELS, RISK_EVENT_STATUS_LABELS, RISK_LEVEL_LABELS } from "~/shared/risk-labels";
import type { Chart, Dashboard, Kpi, StatisticsFilters } from "~/shared/statistics";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import type { Executor } from "@db/client";
import { db } from "../db.server";
import type { AnyPgColumn, SelectedFields } from "drizzle-orm/pg-core";
import {
  dayInPeriod,
  instantInPeriod,
  listLink,
  monthDays,
  monthOfInstant,
  oneSeriesChart,
  pointsOf,
  projectConditions,
} from "./selection.server";

// 风险: the risk events raised in the period and the assessment reports filed in it, on the
// projects the viewer sees; 施工中 and the TIS's projects are counted as they stand now.
// 严重 is the 重大 level; the rectification rate is events closed (已销项) of those raised, leaving
// out the ones a terminated policy ended (docs/decisions/022-statistics-dashboards.md).

const SEVERE = "critical" as const;

const labelOf = (labels: Record<string, string>, code: string) => labels[code] ?? code;

const count = sql<number>`count(*)::int`;
const projectCount = sql<number>`count(distinct ${projects.id})::int`;
const notCancelled = sql`${riskEvents.status} <> 'cancelled'`;
const rectificationRate = sql<number | null>`round(100.0 * count(*) filter (where ${riskEvents.status} = 'closed')
  / nullif(count(*) filter (where ${notCancelled}), 0), 2)::float8`;

export async function riskDashboard(actor: Actor, filters: StatisticsFilters, read: Executor = db()): Promise<Dashboard> {
  const asOf = clock.now().toISOString();
  const insured = and(projectConditions(actor, filters), eq(projects.status, "insured"))!;
  const raised = and(projectConditions(actor, filters, "risk_event"), instantInPeriod(riskEvents.raisedAt, filters))!;
  // A left join selects the same events (each has its project: a foreign key, not null) and lets
  // PostgreSQL leave the projects out where nothing reads them (the bureau's city, unfiltered):
  // the figures then come from the index on raised_at alone.
  const events = <T extends SelectedFields>(fields: T) =>
    read.select(fields).from(riskEvents).leftJoin(projects, eq(projects.id, riskEvents.projectId));
  const grouped = (column: AnyPgColumn) => {
    const key = sql<string>`${column}`;
    return events({ key, value: count }).where(raised).groupBy(column).orderBy(desc(count), asc(column));
  };
  const month = monthOfInstant(riskEvents.raisedAt);
  const reportingTis = organisations;

  const [[construction], [reports], [totals], projectsByTis, eventsByTis, byType, byLevel, byStatus, byMonth] = await Promise.all([
    read
      .select({ value: count })
      .from(projects)
      .where(and(insured, eq(projects.stage, "construction"))),
    read
      .select({ value: count })
      .from(riskReports)
      .innerJoin(projects, eq(projects.id, riskReports.projectId))
      .where(and(projectConditions(actor, filters), eq(riskReports.kind, "assessment"), dayInPeriod(riskReports.filedOn, filters))),
    events({ events: count, severe: sql<number>`count(*) filter (where ${riskEvents.level} = ${SEVERE})::int` }).where(raised),
    read
      .select({ key: organisations.id, name: organisations.name, value: projectCount })
      .from(projects)
      .innerJoin(organisations, eq(organisations.id, projects.tisId))
      .where(and(insured, isNotNull(projects.tisId)))
      .groupBy(organisations.id, organisations.name)
      .orderBy(desc(projectCount), asc(organisations.name)),
    events({ key: reportingTis.id, name: reportingTis.name, value: count, rate: rectificationRate })
      .innerJoin(reportingTis, eq(reportingTis.id, riskEvents.tisId))
      .where(raised)
      .groupBy(reportingTis.id, reportingTis.name)
      .orderBy(desc(count), asc(reportingTis.name)),
    grouped(riskEvents.category),
    grouped(riskEvents.level),
    grouped(riskEvents.status),
    events({ key: month, value: rectificationRate }).where(raised).groupBy(month).orderBy(month),
  ]);

  const eventLink = (own: Record<string, string>) => listLink("/risk", filters, own);
  const kpis: Kpi[] = [
    { key: "constructionProjects", label: "施工中项目数", value: construction.value, unit: "个" },
    { key: "assessmentReports", label: "风险评估报告数", value: reports.value, unit: "份" },
    { key: "riskEvents", label: "风险事件数", value: totals.events, unit: "件" },
    { key: "severeRiskEvents", label: "严重风险事件数", value: totals.severe, unit: "件" },
  ];
  const charts: Chart[] = [
    oneSeriesChart({
      key: "projectsByTis",
      title: "风险管理机构项目数量分布图",
      kind: "bar",
      categoryLabel: "风险管理机构",
      name: "项目数",
      unit: "个",
      note: "在保项目按当前委派的风险管理机构统计，不限统计周期",
      points: pointsOf(
        projectsByTis,
        (r) => r.name,
        (r) => listLink("/projects", filters, { tis: r.key }, { period: false }),
      ),
    }),
    oneSeriesChart({
      key: "eventsByTis",
      title: "风险管理机构上报风险事件数统计图",
      kind: "bar",
      categoryLabel: "风险管理机构",
      name: "风险事件数",
      unit: "件",
      points: pointsOf(
        eventsByTis,
        (r) => r.name,
        (r) => eventLink({ tis: r.key }),
      ),
    }),
    oneSeriesChart({
      key: "eventsByType",
      title: "风险事件各类型数统计图",
      kind: "pie",
      categoryLabel: "风险类别",
      name: "风险事件数",
      unit: "件",
      points: pointsOf(
        byType,
        (r) => labelOf(RISK_CATEGORY_LABELS, r.key),
        (r) => eventLink({ type: r.key }),
      ),
    }),
    oneSeriesChart({
      key: "eventsByLevel",
      title: "风险事件等级数统计图",
      kind: "bar",
      categoryLabel: "风险等级",
      name: "风险事件数",
      unit: "件",
      points: pointsOf(
        byLevel,
        (r) => labelOf(RISK_LEVEL_LABELS, r.key),
        (r) => eventLink({ level: r.key }),
      ),
    }),
    oneSeriesChart({
      key: "eventsByStatus",
      title: "风险事件状态数统计图",
      kind: "bar",
      categoryLabel: "状态",
      name: "风险事件数",
      unit: "件",
      points: pointsOf(
        byStatus,
        (r) => labelOf(RISK_EVENT_STATUS_LABELS, r.key),
        (r) => eventLink({ status: r.key }),
      ),
    }),
    oneSeriesChart({
      key: "rectificationByTis",
      title: "风险事件整改率统计图（按风险管理机构）",
      kind: "bar",
      categoryLabel: "风险管理机构",
      name: "整改率",
      unit: "%",
      note: "整改率 = 已销项的风险事件数 ÷ 上报的风险事件数（不含因保险终止而终止的事件）",
      points: pointsOf(
        eventsByTis.map((r) => ({ ...r, value: r.rate })),
        (r) => r.name,
        (r) => eventLink({ tis: r.key }),
      ),
    }),
    oneSeriesChart({
      key: "rectificationByMonth",
      title: "风险事件整改率统计图（按月）",
      kind: "line",
      categoryLabel: "上报月份",
      name: "整改率",
      unit: "%",
      note: "按风险事件的上报月份统计",
      points: pointsOf(
        byMonth,
        (r) => r.key,
        (r) => eventLink(monthDays(r.key)),
      ),
    }),
  ];
  return { area: "risk", filters, asOf, kpis, charts };
}
