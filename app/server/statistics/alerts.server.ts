import { and, asc, eq, inArray, lt, sql, type SQL, type Subquery } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { ACTIVE_RISK_EVENT_STATUSES, claims, organisations, processInstances, projects, riskEvents, tasks, units } from "@db/schema";
import { CLAIM_STEP_LABELS, claimNumber } from "~/shared/claim-labels";
import { RISK_CATEGORY_LABELS, riskEventNumber } from "~/shared/risk-labels";
import { NO_INSPECTION_DAYS } from "~/shared/project-labels";
import { shiftDay } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { lateAtItsStep } from "../claims/claim-queries.server";
import { unitLabel } from "../claims/coverage.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { inPhase, lastInspection, uninspected } from "../projects/project-phases.server";
import { overdueCondition } from "../risk/risk-event-queries.server";
import { tasksWaitingOn, type StepWaitingOn } from "../tasks/open-steps.server";
import { REGISTERED_STATUSES } from "./claims.server";
import { listLink, overseesCity, percent, within } from "./figures.server";

// 预警 on the regulator's home (docs/decisions/023): what needs the bureau's attention now. Each
// line opens its object; where a step of a flow waits, the bureau can urge (催办) it from the line.
// Read on the platform's clock, so a line appears when its fact becomes true and goes when it ends.

/** An organisation whose rate is this many percentage points below the city's is flagged. */
export const RATE_MARGIN_POINTS = 10;
/** Rates are compared over the last twelve months. */
export const RATE_WINDOW_MONTHS = 12;
/** Lines shown per kind; the kind's total links to the full list. */
const LINES = 20;

export type AlertKind = "riskOverdue" | "claimOverdue" | "noInspection" | "tisRectification" | "insurerRegistration";

export interface AlertLine {
  key: string;
  text: string;
  link: string;
  /** The flow step the bureau may urge from the line (whoever must act now), if one waits. */
  step: StepWaitingOn | null;
}

export interface AlertGroup {
  kind: AlertKind;
  title: string;
  total: number;
  lines: AlertLine[];
  /** The full list of exactly the lines' kind, filtered; none for a kind with no line. */
  more?: string;
}

export interface BureauAlerts {
  asOf: string;
  /** How the rate lines are judged, said on the page. */
  rule: string;
  groups: AlertGroup[];
}

const openTaskOf = (instanceId: AnyPgColumn) =>
  sql<string | null>`(select t.id from ${tasks} t where t.instance_id = ${instanceId} and t.status = 'open' order by t.created_at limit 1)`;

/** The regulator's 预警; null for anyone who does not oversee the city. */
export async function bureauAlerts(actor: Actor): Promise<BureauAlerts | null> {
  if (!overseesCity(actor)) return null;
  const groups = await Promise.all([
    riskOverdue(actor),
    claimsOverdue(actor),
    sitesNotInspected(actor),
    tisBelowCity(actor),
    insurersBelowCity(actor),
  ]);
  const taskIds = groups.flatMap((g) => g.lines.flatMap((l) => (l.taskId ? [l.taskId] : [])));
  const steps = await tasksWaitingOn(actor, taskIds);
  return {
    asOf: clock.now().toISOString(),
    rule:
      `整改率、立案率按近${RATE_WINDOW_MONTHS}个月计，低于全市平均${RATE_MARGIN_POINTS}个百分点以上的列出；` +
      `在建项目${NO_INSPECTION_DAYS}日无现场检查（自最近一次检查，未检查的自开工日）的列出。`,
    groups: groups.map(({ lines, more, ...group }) => ({
      ...group,
      ...(more && group.total > 0 ? { more } : {}),
      lines: lines.map(({ taskId, ...line }) => ({ ...line, step: (taskId && steps.get(taskId)) || null })),
    })),
  };
}

type Found = Omit<AlertGroup, "lines"> & { lines: (Omit<AlertLine, "step"> & { taskId: string | null })[] };

async function riskOverdue(actor: Actor): Promise<Found> {
  const where = and(scope(actor, "risk_event"), eq(riskEvents.level, "critical"), overdueCondition())!;
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({
        id: riskEvents.id,
        seq: riskEvents.seq,
        category: riskEvents.category,
        deadline: riskEvents.deadline,
        projectName: projects.name,
        taskId: openTaskOf(riskEvents.instanceId),
      })
      .from(riskEvents)
      .innerJoin(projects, eq(projects.id, riskEvents.projectId))
      .where(where)
      .orderBy(asc(riskEvents.deadline), asc(riskEvents.seq))
      .limit(LINES),
    db()
      .select({ total: sql<number>`count(*)`.mapWith(Number) })
      .from(riskEvents)
      .where(where),
  ]);
  return {
    kind: "riskOverdue",
    title: "重大风险事件逾期未整改",
    total,
    more: listLink("/risk", { level: "critical", overdue: "true" }),
    lines: rows.map((r) => ({
      key: r.id,
      text: `${riskEventNumber(r.seq)} ${r.projectName}：${RISK_CATEGORY_LABELS[r.category]}重大风险，整改期限 ${r.deadline}`,
      link: `/risk/events/${r.id}`,
      taskId: r.taskId,
    })),
  };
}

async function claimsOverdue(actor: Actor): Promise<Found> {
  const where = and(scope(actor, "claim"), lateAtItsStep)!;
  // The twenty first, then their projects, homes and insurers: the planner, which cannot tell how
  // few claims are late, would otherwise join every late claim before sorting (decision 051).
  const order = [asc(claims.reportedAt), asc(claims.seq)];
  const first = db()
    .select({ id: claims.id })
    .from(claims)
    .where(where)
    .orderBy(...order)
    .limit(LINES);
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({
        id: claims.id,
        seq: claims.seq,
        steps: claims.overdueSteps,
        escalatedAt: claims.escalatedAt,
        projectName: projects.name,
        building: units.building,
        unitNo: units.unitNo,
        room: units.room,
        insurerName: organisations.name,
        taskId: openTaskOf(claims.instanceId),
      })
      .from(claims)
      .innerJoin(projects, eq(projects.id, claims.projectId))
      .innerJoin(units, eq(units.id, claims.unitId))
      .innerJoin(organisations, eq(organisations.id, claims.insurerId))
      .where(inArray(claims.id, first))
      .orderBy(...order),
    db()
      .select({ total: sql<number>`count(*)`.mapWith(Number) })
      .from(claims)
      .where(where),
  ]);
  return {
    kind: "claimOverdue",
    title: "理赔超过时限",
    total,
    more: listLink("/claims", { overdue: "waiting" }),
    lines: rows.map((r) => ({
      key: r.id,
      text:
        `${claimNumber(r.seq)} ${r.projectName} ${unitLabel(r)}（${r.insurerName}）：` +
        `${r.steps.map((s) => CLAIM_STEP_LABELS[s] ?? s).join("、")}已逾期${r.escalatedAt ? "，已上报住建局" : ""}`,
      link: `/claims/${r.id}`,
      taskId: r.taskId,
    })),
  };
}

async function sitesNotInspected(actor: Actor): Promise<Found> {
  const project = sql`"projects"."id"`;
  const last = sql<string | null>`${lastInspection}::text`;
  const where = and(scope(actor, "project"), inPhase("construction"), uninspected())!;
  // What holds the site's inspections up: the TIS's plan, the insurer's review of it, or the inspection itself.
  const inspectionTask = sql<string | null>`(select t.id from ${tasks} t join ${processInstances} i on i.id = t.instance_id
    where i.business_type = 'project' and i.business_key = ${project}::text and i.definition_key = 'risk-management'
    and t.element_id in ('plan', 'planReview', 'inspection') and t.status = 'open' limit 1)`;
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({ id: projects.id, name: projects.name, startDate: projects.startDate, last, taskId: inspectionTask })
      .from(projects)
      .where(where)
      .orderBy(sql`coalesce(${lastInspection}, ${projects.startDate})`, asc(projects.name))
      .limit(LINES),
    db()
      .select({ total: sql<number>`count(*)`.mapWith(Number) })
      .from(projects)
      .where(where),
  ]);
  return {
    kind: "noInspection",
    title: `在建项目${NO_INSPECTION_DAYS}日无现场检查`,
    total,
    more: listLink("/projects", { stage: "construction", uninspected: "1" }),
    lines: rows.map((r) => ({
      key: r.id,
      text: `${r.name}：${r.last ? `最近一次现场检查 ${r.last}` : `开工（${r.startDate}）以来未做现场检查`}`,
      link: `/projects/${r.id}`,
      taskId: r.taskId,
    })),
  };
}

/** How many rows a rate counts, and how many of them are done. */
const allAndDone = (done: SQL) => ({
  all: sql<number>`count(*)`.as("all_rows"),
  done: sql<number>`count(*) filter (where ${done})`.as("done_rows"),
});

/**
 * Counts by organisation, named: counted first, then each of the few organisations looked up by
 * its id (joined before counting, every one of a year's rows probed the organisations' hash).
 */
async function countedByOrganisation(counted: Subquery & { id: AnyPgColumn; all: SQL.Aliased<number>; done: SQL.Aliased<number> }) {
  const rows = await db()
    .select({ id: organisations.id, name: organisations.name, all: counted.all, done: counted.done })
    .from(counted)
    .innerJoin(organisations, eq(organisations.id, counted.id));
  return rows.map((r) => ({ ...r, all: Number(r.all), done: Number(r.done) }));
}

/** Rows below the city's rate by the margin, each with its own and the city's rate. */
function belowCity<T extends { done: number; all: number }>(rows: T[]): (T & { rate: number; city: number })[] {
  const city = percent(
    rows.reduce((s, r) => s + r.done, 0),
    rows.reduce((s, r) => s + r.all, 0),
  );
  if (city === null) return [];
  return rows
    .map((r) => ({ ...r, rate: percent(r.done, r.all) ?? 0, city }))
    .filter((r) => r.all > 0 && r.rate < city - RATE_MARGIN_POINTS)
    .sort((a, b) => a.rate - b.rate);
}

const windowDays = () => {
  const today = clock.today();
  return { from: shiftDay(today, -RATE_WINDOW_MONTHS, "month"), to: today };
};

/** TIS whose events due in the window were put right less often than the city's. */
async function tisBelowCity(actor: Actor): Promise<Found> {
  const { from, to } = windowDays();
  const rows = await countedByOrganisation(
    db()
      .select({ id: riskEvents.tisId, ...allAndDone(sql`${riskEvents.status} = 'closed'`) })
      .from(riskEvents)
      .where(
        and(
          scope(actor, "risk_event"),
          inArray(riskEvents.status, ["closed", ...ACTIVE_RISK_EVENT_STATUSES]),
          sql`${riskEvents.deadline} >= ${from}::date`,
          lt(riskEvents.deadline, to),
        ),
      )
      .groupBy(riskEvents.tisId)
      .as("counted"),
  );
  const flagged = belowCity(rows);
  return {
    kind: "tisRectification",
    title: "风险管理机构整改率低于全市平均",
    total: flagged.length,
    lines: flagged.map((r) => ({
      key: r.id,
      text: `${r.name}：整改率 ${r.rate.toFixed(2)}%（全市 ${r.city.toFixed(2)}%），近${RATE_WINDOW_MONTHS}个月到期的风险事件 ${r.all} 项，已销项 ${r.done} 项`,
      // The events the rate is computed over: the TIS's, due in the window (today excluded), none cancelled.
      link: listLink("/risk", { tis: r.id, cancelled: "false", dueFrom: from, dueTo: shiftDay(to, -1, "day") }),
      taskId: null,
    })),
  };
}

/** Insurers that registered fewer of the claims reported to them in the window than the city. */
async function insurersBelowCity(actor: Actor): Promise<Found> {
  const period = windowDays();
  const rows = await countedByOrganisation(
    db()
      .select({ id: claims.insurerId, ...allAndDone(inArray(claims.status, [...REGISTERED_STATUSES])) })
      .from(claims)
      .where(and(scope(actor, "claim"), within(claims.reportedAt, period)))
      .groupBy(claims.insurerId)
      .as("counted"),
  );
  const flagged = belowCity(rows);
  return {
    kind: "insurerRegistration",
    title: "保险公司立案率低于全市平均",
    total: flagged.length,
    lines: flagged.map((r) => ({
      key: r.id,
      text: `${r.name}：立案率 ${r.rate.toFixed(2)}%（全市 ${r.city.toFixed(2)}%），近${RATE_WINDOW_MONTHS}个月报案 ${r.all} 件，立案 ${r.done} 件`,
      // The claims the rate is computed over: those it handles (not those it co-insures), reported in the window.
      link: listLink("/claims", { handler: r.id, ...period }),
      taskId: null,
    })),
  };
}
