import { and, asc, desc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { organisations, projects, riskEvents, riskReports } from "@db/schema";
import { RISK_CATEGORY_LABELS, RISK_EVENT_STATUS_LABELS, RISK_LEVEL_LABELS } from "~/shared/risk-labels";
import { filtersAsAsked, type Chart, type Dashboard, type Kpi, type StatisticsFilters } from "~/shared/statistics";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import type { Executor } from "@db/client";
import { db } from "../db.server";
import { inPhase } from "../projects/project-phases.server";
import { IN_FORCE_NOTE } from "~/shared/project-labels";
import { formatDateTime } from "~/shared/time";
import { groupingSets, monthIndex, monthsOf } from "./figures.server";
import { dayInPeriod, instantInPeriod, listLink, monthDays, oneSeriesChart, pointsOf, projectConditions } from "./selection.server";

// 风险: the risk events raised in the period and the assessment reports filed in it, on the
// projects the viewer sees; 施工中 and the TIS's projects in force are counted as they stand now,
// by the project list's phases (施工中, 在保), which their links open.
// 严重 is the 重大 level; the rectification rate is events closed (已销项) of those raised, leaving
// out the ones a terminated policy ended (docs/decisions/022-statistics-dashboards.md).

const SEVERE = "critical" as const;

/** The 整改率's events as the list selects them: every one but those a terminated policy ended. */
const RATED = { cancelled: "false" } as const;

const labelOf = (labels: Record<string, string>, code: string) => labels[code] ?? code;

const count = sql<number>`count(*)::int`;
const notCancelled = sql`${riskEvents.status} <> 'cancelled'`;
const rectificationRate = sql<number | null>`round(100.0 * count(*) filter (where ${riskEvents.status} = 'closed')
  / nullif(count(*) filter (where ${notCancelled}), 0), 2)::float8`;

export async function riskDashboard(actor: Actor, filters: StatisticsFilters, read: Executor = db()): Promise<Dashboard> {
  const asOf = clock.now().toISOString();
  const phase = (of: "insured" | "construction") => and(projectConditions(actor, filters), inPhase(of))!;
  const raised = and(projectConditions(actor, filters, "risk_event"), instantInPeriod(riskEvents.raisedAt, filters))!;
  const months = monthsOf(filters);
  /**
   * The period's events counted in GROUPING SETS (each set named by the one key it groups by), from
   * the index on raised_at alone: a left join selects the same events (each has its project: a
   * foreign key, not null) and lets PostgreSQL leave the projects out where nothing reads them
   * (the bureau's city, unfiltered). Then the TIS's names are joined to their few rows.
   */
  const counted = (keys: Record<string, SQL | null>) => {
    const sets = groupingSets(Object.fromEntries(Object.entries(keys).map(([set, key]) => [set, key ? [key] : []])));
    const present = Object.values(keys).filter((key): key is SQL => key !== null);
    const grouped = read
      .select({
        set: sets.set.as("set"),
        key: sql<string | null>`coalesce(${sql.join(
          present.map((key) => sql`${key}::text`),
          sql`, `,
        )})`.as("key"),
        value: sql<number>`count(*)::int`.as("value"),
        severe: sql<number>`(count(*) filter (where ${riskEvents.level} = ${SEVERE}))::int`.as("severe"),
        rate: rectificationRate.as("rate"),
      })
      .from(riskEvents)
      .leftJoin(projects, eq(projects.id, riskEvents.projectId))
      .where(raised)
      .groupBy(sets.groupBy)
      .as("counted");
    return read
      .select({
        set: grouped.set,
        key: grouped.key,
        name: organisations.name,
        value: grouped.value,
        severe: grouped.severe,
        rate: grouped.rate,
      })
      .from(grouped)
      .leftJoin(organisations, and(eq(grouped.set, "tis"), sql`${organisations.id}::text = ${grouped.key}`))
      .orderBy(grouped.set, desc(grouped.value), sql`coalesce(${organisations.name}, ${grouped.key})`);
  };

  // Two passes over the period's events, on two connections at once, each counting three sets.
  const [[construction], [reports], projectsByTis, bySome, byOthers] = await Promise.all([
    read.select({ value: count }).from(projects).where(phase("construction")),
    read
      .select({ value: count })
      .from(riskReports)
      .innerJoin(projects, eq(projects.id, riskReports.projectId))
      .where(and(projectConditions(actor, filters), eq(riskReports.kind, "assessment"), dayInPeriod(riskReports.filedOn, filters))),
    // Each project once (its TIS is one organisation): counted, not counted distinct.
    read
      .select({ key: organisations.id, name: organisations.name, value: count })
      .from(projects)
      .innerJoin(organisations, eq(organisations.id, projects.tisId))
      .where(and(phase("insured"), isNotNull(projects.tisId)))
      .groupBy(organisations.id, organisations.name)
      .orderBy(desc(count), asc(organisations.name)),
    counted({ total: null, tis: sql`${riskEvents.tisId}`, category: sql`${riskEvents.category}` }),
    counted({ level: sql`${riskEvents.level}`, status: sql`${riskEvents.status}`, month: monthIndex(riskEvents.raisedAt, filters) }),
  ]);
  const eventRows = [...bySome, ...byOthers];
  const inSet = (set: string) => eventRows.filter((r) => r.set === set);
  const totals = inSet("total")[0] ?? { value: 0, severe: 0 };
  const eventsByTis = inSet("tis").map((r) => ({ key: r.key, name: r.name ?? "", value: r.value, rate: r.rate }));
  const [byType, byLevel, byStatus] = (["category", "level", "status"] as const).map(inSet);
  const byMonth = inSet("month")
    .map((r) => ({ key: months[Number(r.key)], value: r.rate }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  // The running month is shown, marked: its events raised days ago cannot have been put right yet.
  const thisMonth = formatDateTime(clock.now(), "YYYY-MM");
  const monthLabel = (month: string) => (month === thisMonth ? `${month}（本月至今）` : month);

  const eventLink = (own: Record<string, string>) => listLink("/risk", filters, own);
  const kpis: Kpi[] = [
    {
      key: "constructionProjects",
      label: "施工中项目数",
      value: construction.value,
      unit: "个",
      note: "截至今日：风险交底及施工阶段的在保项目，不随统计期间变化",
    },
    { key: "assessmentReports", label: "风险评估报告数", value: reports.value, unit: "份" },
    { key: "riskEvents", label: "风险事件数", value: totals.value, unit: "件" },
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
      note: `${IN_FORCE_NOTE}；按当前委派的风险管理机构统计，截至今日，不限统计周期`,
      points: pointsOf(
        projectsByTis,
        (r) => r.name,
        (r) => listLink("/projects", filters, { tis: r.key, stage: "insured" }, { period: false }),
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
        (r) => eventLink({ tis: r.key, ...RATED }),
      ),
    }),
    oneSeriesChart({
      key: "rectificationByMonth",
      title: "风险事件整改率统计图（按月）",
      kind: "line",
      categoryLabel: "上报月份",
      name: "整改率",
      unit: "%",
      note:
        "按风险事件的上报月份统计，不含因保险终止而终止的事件；当月标“本月至今”：只计至今日上报的事件，" +
        "其中近日上报的尚在整改期限内，整改率偏低",
      points: pointsOf(
        byMonth,
        (r) => monthLabel(r.key),
        (r) => eventLink({ ...monthDays(r.key), ...RATED }),
      ),
    }),
  ];
  return { area: "risk", filters: filtersAsAsked(filters), asOf, kpis, charts };
}
