import { aliasedTable, and, asc, desc, eq, gt, gte, ilike, inArray, isNotNull, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  ACTIVE_RISK_EVENT_STATUSES,
  organisations,
  projects,
  BUILDING_PARTS,
  RISK_EVENT_STATUSES,
  RISK_LEVELS,
  riskEvents,
  tasks,
  type RiskEvent,
  type RiskLevel,
  type Task,
} from "@db/schema";
import type { Executor } from "@db/client";
import type { EventCounts } from "~/shared/risk-score";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";
import { parseAliasedQuery } from "../query.server";
import { insuredBy } from "../projects/insured-by.server";
import { instantInPeriod } from "../statistics/selection.server";
import {
  dayFilter,
  districtFilter,
  idFilter,
  likePattern,
  offsetOf,
  oneOfFilter,
  pageSchema,
  periodInOrder,
  searchText,
  yesNoFilter,
  type Page,
} from "../pagination.server";
import { countSelected, countUpTo, partiesSeen } from "../tallies.server";

// Risk events as people look for them: the list across projects with its filters (the 风险 page
// and GET /api/v1/risk-events), and one event with its project. Always through the scope.

const tis = aliasedTable(organisations, "tis");
const rectifier = aliasedTable(organisations, "rectifier");

const ACTIVE = ACTIVE_RISK_EVENT_STATUSES;

/**
 * Each filter with its message, for the list, its export and GET /api/v1/risk-events (which
 * describes them): a value the list cannot read is refused on its field in Chinese (422). The
 * names are the other lists' (type, tis, insurer), so a dashboard's link carries them on.
 */
export const riskEventFilterFields = {
  q: searchText(),
  type: oneOfFilter(BUILDING_PARTS, "风险类别不存在"),
  level: oneOfFilter(RISK_LEVELS, "风险等级不存在"),
  status: oneOfFilter(RISK_EVENT_STATUSES, "风险事件状态不存在"),
  overdue: yesNoFilter("是否逾期应为 true 或 false"),
  // false: every event but those a terminated policy ended (the 整改率's events, 预警's and the dashboard's).
  cancelled: yesNoFilter("是否已终止应为 true 或 false"),
  tis: idFilter("风险管理机构不存在"),
  district: districtFilter(),
  projectId: idFilter("项目不存在"),
  insurer: idFilter("保险公司不存在"),
  // Days the events were raised on, in Kunming (a dashboard's bar opens its period's events).
  from: dayFilter("上报日期起"),
  to: dayFilter("上报日期止"),
  // Days the rectification was due by (预警's TIS rate counts the events due in its window).
  dueFrom: dayFilter("整改期限起"),
  dueTo: dayFilter("整改期限止"),
};

/** The filters' former names (deprecated, still read): each old name and the name it now has. */
export const RISK_EVENT_FILTER_ALIASES = { category: "type", tisId: "tis", insurerId: "insurer" } as const;

/** The days' from/to in order. */
export const riskEventPeriodInOrder = periodInOrder("上报日期起", "上报日期止");

/** The due days' from/to in order. */
export const riskEventDueInOrder = periodInOrder("整改期限起", "整改期限止", ["dueFrom", "dueTo"]);

export const riskEventFilterSchema = pageSchema
  .extend(riskEventFilterFields)
  .refine(...riskEventPeriodInOrder)
  .refine(...riskEventDueInOrder);

/**
 * A risk-event query in the list's names: a former name (category, tisId, insurerId) read as its
 * new one; both names of one filter at once are refused on the new name.
 */
export function riskEventQuery(query: Record<string, unknown>): z.output<typeof riskEventFilterSchema> {
  return parseAliasedQuery(riskEventFilterSchema, query, RISK_EVENT_FILTER_ALIASES);
}

export interface RiskEventRow {
  id: string;
  seq: number;
  projectId: string;
  projectName: string;
  district: string;
  category: RiskEvent["category"];
  level: RiskEvent["level"];
  status: RiskEvent["status"];
  location: string;
  description: string;
  deadline: string;
  overdue: boolean;
  tisName: string;
  rectifierName: string;
  rectifierRole: RiskEvent["rectifierRole"];
  raisedAt: Date;
  closedAt: Date | null;
  photoCount: number;
  /** The open task of its flow (整改 or 复核), when there is one: where an urge goes. */
  openTaskId: string | null;
  openTaskName: string | null;
}

const OPEN = sql`${riskEvents.status} in ('open', 'rectifying', 'awaiting_review')`;
const countWhere = (condition: SQL) => sql<number>`count(*) filter (where ${condition})::int`;

/** Overdue: past its deadline and not closed (marked by the timer, or the day has simply passed). */
export function overdueCondition(): SQL {
  const today = clock.today();
  return and(inArray(riskEvents.status, [...ACTIVE]), or(isNotNull(riskEvents.overdueAt), lt(riskEvents.deadline, today)))!;
}

/** What the list and the export show of an event (with its project, TIS and rectifier joined); overdue as of now. */
const eventColumns = () => ({
  seq: riskEvents.seq,
  projectName: projects.name,
  district: projects.district,
  category: riskEvents.category,
  level: riskEvents.level,
  status: riskEvents.status,
  location: riskEvents.location,
  description: riskEvents.description,
  deadline: riskEvents.deadline,
  overdue: sql<boolean>`${overdueCondition()}`,
  tisName: tis.name,
  rectifierName: rectifier.name,
  raisedAt: riskEvents.raisedAt,
  closedAt: riskEvents.closedAt,
});

/**
 * The rows the search and filters select within the actor's scope (risk events joined with their
 * projects). `forCount`: the same rows, the district given as the set of its projects, which the
 * events' (project, level) index looks up one by one. Counting a district's 重大 events up to the
 * list's cap so took 9–17 ms instead of 60 at city scale for an insurer or a TIS; a page's rows,
 * newest first, are quicker through the join (1.3 s against 28 ms that way).
 */
export function riskEventWhere(actor: Actor, q: z.infer<typeof riskEventFilterSchema>, { forCount = false } = {}): SQL | undefined {
  const filters: (SQL | undefined)[] = [scope(actor, "risk_event")];
  if (q.q) filters.push(eventSearch(q.q));
  if (q.type) filters.push(eq(riskEvents.category, q.type));
  if (q.level) filters.push(eq(riskEvents.level, q.level));
  if (q.status) filters.push(eq(riskEvents.status, q.status));
  if (q.overdue === "true") filters.push(overdueCondition());
  if (q.overdue === "false") filters.push(sql`not (${overdueCondition()})`);
  if (q.cancelled) filters.push(q.cancelled === "true" ? eq(riskEvents.status, "cancelled") : ne(riskEvents.status, "cancelled"));
  if (q.dueFrom) filters.push(gte(riskEvents.deadline, q.dueFrom));
  if (q.dueTo) filters.push(lte(riskEvents.deadline, q.dueTo));
  if (q.tis) filters.push(eq(riskEvents.tisId, q.tis));
  if (q.district) filters.push(forCount ? ofProjects(eq(projects.district, q.district)) : eq(projects.district, q.district));
  if (q.projectId) filters.push(eq(riskEvents.projectId, q.projectId));
  if (q.insurer) filters.push(insuredBy(q.insurer));
  filters.push(instantInPeriod(riskEvents.raisedAt, q));
  return and(...filters);
}

/**
 * What a search finds: events of a project whose name has it, or whose location or description has
 * it. The projects are a set found first (an array the events' project index looks up); the text is
 * found through the trigram index on location and description together (migration 0029), then
 * checked field by field, so a term across the two fields' boundary finds nothing it should not.
 */
function eventSearch(text: string): SQL {
  const p = likePattern(text);
  const inText = or(ilike(riskEvents.location, p), ilike(riskEvents.description, p))!;
  return or(
    ofProjects(ilike(projects.name, p)),
    // A trigram needs three letters in a row: for a shorter term the index would list every event,
    // and reading the events themselves is quicker (docs/decisions/021).
    TRIGRAM.test(text) ? and(sql`(${riskEvents.location} || ' ' || ${riskEvents.description}) ilike ${p}`, inText) : inText,
  )!;
}

/** Events of the projects a condition on projects selects: a set found first, an array the events' project index looks up. */
const ofProjects = (condition: SQL) => sql`${riskEvents.projectId} = any(array(select ${projects.id} from ${projects} where ${condition}))`;

/** A term pg_trgm finds trigrams in: three letters or digits in a row. */
const TRIGRAM = /[\p{L}\p{N}]{3}/u;

/** How many events a selection has (risk events joined with their projects). */
const countEvents = (where: SQL | undefined) => countSelected("riskEvents", where);

/** The TIS of the events the actor sees: the 风险管理机构 filter's options. */
export const tisWithEvents = (actor: Actor) => partiesSeen("riskEvents", scope(actor, "risk_event"));

/**
 * The events a query selects, a page of them with 共N项 and 已逾期M项. `countCap`: count a selection the
 * tallies cannot count only so far (a list page: LIST_COUNT_CAP); without it, exactly (the API).
 */
export async function listRiskEvents(
  actor: Actor,
  query: Record<string, unknown>,
  { countCap }: { countCap?: number } = {},
): Promise<Page<RiskEventRow> & { overdue: number }> {
  const q = riskEventQuery(query);
  const where = riskEventWhere(actor, q);
  const counted = q.district ? riskEventWhere(actor, q, { forCount: true }) : where;
  const openTask = db()
    .select({ id: tasks.id, name: tasks.name, instanceId: tasks.instanceId })
    .from(tasks)
    .where(eq(tasks.status, "open"))
    .as("open_task");
  const [rows, total, overdue] = await Promise.all([
    db()
      .select({
        id: riskEvents.id,
        projectId: riskEvents.projectId,
        ...eventColumns(),
        rectifierRole: riskEvents.rectifierRole,
        photoCount: sql<number>`jsonb_array_length(${riskEvents.photos})::int`,
        openTaskId: openTask.id,
        openTaskName: openTask.name,
      })
      .from(riskEvents)
      .innerJoin(projects, eq(projects.id, riskEvents.projectId))
      .innerJoin(tis, eq(tis.id, riskEvents.tisId))
      .innerJoin(rectifier, eq(rectifier.id, riskEvents.rectifierId))
      .leftJoin(openTask, eq(openTask.instanceId, riskEvents.instanceId))
      .where(where)
      .orderBy(desc(riskEvents.raisedAt), desc(riskEvents.seq))
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    // 共N项，已逾期M项: two counts, the second of the few active events (a partial index).
    countCap === undefined ? countEvents(counted).then((total) => ({ total })) : countUpTo("riskEvents", counted, countCap),
    countEvents(and(where, overdueCondition())),
  ]);
  return { rows, ...total, overdue, page: q.page, pageSize: q.pageSize };
}

/** The same selection for an export (page and size aside): counted, then read in number order a batch at a time. */
export function riskEventExportRows(actor: Actor, query: Record<string, unknown>) {
  const { page: _page, pageSize: _size, ...filters } = riskEventQuery(query);
  const where = riskEventWhere(actor, { page: 1, pageSize: 1, ...filters });
  const rows = () =>
    db()
      .select(eventColumns())
      .from(riskEvents)
      .innerJoin(projects, eq(projects.id, riskEvents.projectId))
      .innerJoin(tis, eq(tis.id, riskEvents.tisId))
      .innerJoin(rectifier, eq(rectifier.id, riskEvents.rectifierId));
  return {
    filters,
    count: () => countEvents(where),
    after: (last: { seq: number } | null, size: number) =>
      rows()
        .where(last ? and(where, gt(riskEvents.seq, last.seq)) : where)
        .orderBy(asc(riskEvents.seq))
        .limit(size),
  };
}

export type OpenStep = Pick<Task, "id" | "name" | "elementId" | "instanceId" | "candidateRoles" | "organisationId" | "assigneeId">;

export interface RiskEventDetail {
  event: RiskEvent & { overdue: boolean };
  project: { id: string; name: string; district: string; stage: string };
  tisName: string;
  rectifierName: string;
  /** Its flow's open step, with who may do it (canAct) and where an urge goes. */
  openTask: OpenStep | null;
}

/** One event within the actor's scope (404 outside it). */
export async function getRiskEvent(actor: Actor, eventId: string): Promise<RiskEventDetail> {
  if (!z.uuid().safeParse(eventId).success) throw new NotFoundError("风险事件不存在，或不在您的查看范围内");
  const [row] = await db()
    .select({
      event: riskEvents,
      overdue: sql<boolean>`${overdueCondition()}`,
      project: { id: projects.id, name: projects.name, district: projects.district, stage: projects.stage },
      tisName: tis.name,
      rectifierName: rectifier.name,
    })
    .from(riskEvents)
    .innerJoin(projects, eq(projects.id, riskEvents.projectId))
    .innerJoin(tis, eq(tis.id, riskEvents.tisId))
    .innerJoin(rectifier, eq(rectifier.id, riskEvents.rectifierId))
    .where(and(eq(riskEvents.id, eventId.toLowerCase()), scope(actor, "risk_event")));
  if (!row) throw new NotFoundError("风险事件不存在，或不在您的查看范围内");
  const [openTask] = row.event.instanceId
    ? await db()
        .select({
          id: tasks.id,
          name: tasks.name,
          elementId: tasks.elementId,
          instanceId: tasks.instanceId,
          candidateRoles: tasks.candidateRoles,
          organisationId: tasks.organisationId,
          assigneeId: tasks.assigneeId,
        })
        .from(tasks)
        .where(and(eq(tasks.instanceId, row.event.instanceId), eq(tasks.status, "open")))
        .orderBy(asc(tasks.createdAt))
        .limit(1)
    : [];
  return {
    event: { ...row.event, overdue: row.overdue },
    project: row.project,
    tisName: row.tisName,
    rectifierName: row.rectifierName,
    openTask: openTask ?? null,
  };
}

/**
 * A project's events as they stand now, in one query: raised (all but those ended by a
 * termination) and closed, still open by level, overdue, and raised by level. The assessment's
 * score, the project's 风险 tab and the card above its steps all read these.
 */
export async function eventCounts(ex: Executor, projectId: string): Promise<EventCounts & { byLevel: Record<RiskLevel, number> }> {
  const level = (l: RiskLevel) => eq(riskEvents.level, l);
  const notCancelled = sql`${riskEvents.status} <> 'cancelled'`;
  const [row] = await ex
    .select({
      raised: countWhere(notCancelled),
      closed: countWhere(eq(riskEvents.status, "closed")),
      openGeneral: countWhere(and(OPEN, level("general"))!),
      openMajor: countWhere(and(OPEN, level("major"))!),
      openCritical: countWhere(and(OPEN, level("critical"))!),
      overdue: countWhere(overdueCondition()),
      general: countWhere(and(notCancelled, level("general"))!),
      major: countWhere(and(notCancelled, level("major"))!),
      critical: countWhere(and(notCancelled, level("critical"))!),
    })
    .from(riskEvents)
    .where(eq(riskEvents.projectId, projectId));
  return {
    raised: row.raised,
    closed: row.closed,
    open: { general: row.openGeneral, major: row.openMajor, critical: row.openCritical },
    overdue: row.overdue,
    byLevel: { general: row.general, major: row.major, critical: row.critical },
  };
}
