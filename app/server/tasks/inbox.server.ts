import { and, arrayOverlaps, asc, count, desc, eq, ilike, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import { z } from "zod";
import { processDefinitions, processInstances, taskSigns, tasks, users, type Task } from "@db/schema";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { likePattern, listParams, offsetOf, oneOfFilter, pageSchema, searchText, type Page } from "../pagination.server";
import { canAct, getTask, openTasksOf, type CompletedTask } from "../workflow/index.server";

// The inbox (待办) and the done list (已办): the tasks people find to work on, and where someone
// goes once they started a flow.

/** Open tasks this actor may do now: in scope, one of its roles, its organisation, not claimed by someone else. */
function actionable(actor: Actor): SQL {
  return and(
    scope(actor, "task"),
    eq(tasks.status, "open"),
    actor.roles.length ? arrayOverlaps(tasks.candidateRoles, actor.roles) : sql`false`,
    actor.organisationId ? or(isNull(tasks.organisationId), eq(tasks.organisationId, actor.organisationId)) : isNull(tasks.organisationId),
    actor.userId ? or(isNull(tasks.assigneeId), eq(tasks.assigneeId, actor.userId)) : isNull(tasks.assigneeId),
  )!;
}

/** Open signs (加签) that ask this actor, on open tasks they see: their user, or anyone of their organisation. */
function signsAsking(actor: Actor): SQL {
  if (!actor.organisationId || !actor.userId) return sql`false`;
  return and(
    scope(actor, "task"),
    eq(tasks.status, "open"),
    eq(taskSigns.status, "open"),
    eq(taskSigns.organisationId, actor.organisationId),
    or(isNull(taskSigns.userId), eq(taskSigns.userId, actor.userId)),
  )!;
}

export const TASK_VIEWS = ["todo", "done"] as const;

const listSchema = pageSchema.extend({
  view: z.enum(TASK_VIEWS, { error: "视图只能为 todo 或 done" }).default("todo"),
  process: z.string().max(64, "流程不存在").optional(),
  q: searchText(),
  overdue: oneOfFilter(["1"], "“仅看已逾期”只能为 1"),
  mine: oneOfFilter(["1"], "“我认领的”只能为 1"),
});

export interface TaskRow {
  /** task: a task to do (its id); sign: a 加签 asking the actor's opinion (the sign's id, its task in taskId). */
  kind: "task" | "sign";
  id: string;
  taskId: string;
  name: string;
  status: Task["status"];
  title: string;
  processKey: string;
  processName: string;
  instanceId: string;
  assigneeId: string | null;
  assigneeName: string | null;
  createdAt: Date;
  dueAt: Date | null;
  completedAt: Date | null;
  overdue: boolean;
}

/**
 * The row of a task `actor` just completed, from what the completion read and wrote: no query. Its
 * holder was the actor or nobody (a claimed task is completed only by whoever claimed it).
 */
export function completedTaskRow(actor: Actor, done: CompletedTask): TaskRow {
  return {
    kind: "task",
    id: done.id,
    taskId: done.id,
    name: done.name,
    status: done.status,
    title: done.flow.title,
    processKey: done.flow.processKey,
    processName: done.flow.processName,
    instanceId: done.instanceId,
    assigneeId: done.assigneeId,
    assigneeName: done.assigneeId && done.assigneeId === actor.userId ? actor.displayName : null,
    createdAt: done.createdAt,
    dueAt: done.dueAt,
    completedAt: done.completedAt,
    overdue: false,
  };
}

/** The inbox (待办: what I may do, due first) and the done list (已办: what I completed). */
export async function listTasks(actor: Actor, query: unknown): Promise<Page<TaskRow>> {
  const q = listParams(listSchema, query);
  const now = clock.now();
  const filters: (SQL | undefined)[] = [
    q.view === "todo" ? actionable(actor) : and(scope(actor, "task"), eq(tasks.completedBy, actor.userId ?? "")),
  ];
  if (q.process) filters.push(eq(processInstances.definitionKey, q.process));
  if (q.q) filters.push(or(ilike(processInstances.title, likePattern(q.q)), ilike(tasks.name, likePattern(q.q))));
  if (q.overdue) filters.push(and(eq(tasks.status, "open"), lt(tasks.dueAt, now)));
  if (q.mine && actor.userId) filters.push(eq(tasks.assigneeId, actor.userId));
  const where = and(...filters);
  if (q.view === "todo") return inbox(actor, q, where, now);
  const [rows, [{ total }]] = await Promise.all([
    taskRows(where, now).orderBy(desc(tasks.completedAt)).limit(q.pageSize).offset(offsetOf(q)),
    db().select({ total: count() }).from(tasks).innerJoin(processInstances, eq(tasks.instanceId, processInstances.id)).where(where),
  ]);
  return { rows, total, page: q.page, pageSize: q.pageSize };
}

/** 待办: the tasks the actor may do and the signs asking them, in one list (due first). */
async function inbox(actor: Actor, q: z.infer<typeof listSchema>, where: SQL | undefined, now: Date): Promise<Page<TaskRow>> {
  const signFilters: (SQL | undefined)[] = [signsAsking(actor)];
  if (q.process) signFilters.push(eq(processInstances.definitionKey, q.process));
  if (q.q) signFilters.push(or(ilike(processInstances.title, likePattern(q.q)), ilike(tasks.name, likePattern(q.q))));
  if (q.overdue) signFilters.push(lt(tasks.dueAt, now));
  if (q.mine) signFilters.push(eq(taskSigns.userId, actor.userId ?? ""));
  const signWhere = and(...signFilters);
  // Each kind's first rows up to the page's end, in the inbox's order (the open tasks' index by due
  // time), then the page of both: the rows of a TIS's five thousand tasks are not all joined and sorted.
  const upTo = offsetOf(q) + q.pageSize;
  const [rows, [{ total }], [{ signs }]] = await Promise.all([
    unionAll(
      taskRows(where, now)
        .orderBy(sql`${tasks.dueAt} asc nulls last`, asc(tasks.createdAt))
        .limit(upTo),
      signRows(signWhere, now)
        .orderBy(sql`${tasks.dueAt} asc nulls last`, asc(taskSigns.createdAt))
        .limit(upTo),
    )
      .orderBy(sql`due_at asc nulls last`, sql`created_at asc`)
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db().select({ total: count() }).from(tasks).innerJoin(processInstances, eq(tasks.instanceId, processInstances.id)).where(where),
    db()
      .select({ signs: count() })
      .from(taskSigns)
      .innerJoin(tasks, eq(tasks.id, taskSigns.taskId))
      .innerJoin(processInstances, eq(tasks.instanceId, processInstances.id))
      .where(signWhere),
  ]);
  return { rows: rows as TaskRow[], total: total + signs, page: q.page, pageSize: q.pageSize };
}

/** One task as lists show it. */
export async function getTaskRow(actor: Actor, taskId: string): Promise<TaskRow> {
  const task = await getTask(actor, taskId);
  const [row] = await taskRows(eq(tasks.id, task.id), clock.now());
  return row;
}

/** Whether a row is past its task's due time: postgres.js does not serialise a bare Date inside raw SQL (pass it as text); no due time is not overdue. */
function overdueAt(now: Date) {
  return sql<boolean>`coalesce(${tasks.status} = 'open' and ${tasks.dueAt} < ${now.toISOString()}::timestamptz, false)`.mapWith(Boolean);
}

/** A row's task status and its flow, alike in task rows and sign rows. */
const ofFlow = {
  status: tasks.status,
  title: processInstances.title,
  processKey: processInstances.definitionKey,
  processName: processDefinitions.name,
  instanceId: tasks.instanceId,
};

function taskRows(where: SQL | undefined, now: Date) {
  return db()
    .select({
      kind: sql<"task" | "sign">`'task'`,
      id: tasks.id,
      taskId: tasks.id,
      name: tasks.name,
      ...ofFlow,
      assigneeId: tasks.assigneeId,
      assigneeName: users.displayName,
      createdAt: tasks.createdAt,
      dueAt: tasks.dueAt,
      completedAt: tasks.completedAt,
      overdue: overdueAt(now),
    })
    .from(tasks)
    .innerJoin(processInstances, eq(tasks.instanceId, processInstances.id))
    .innerJoin(processDefinitions, eq(processInstances.definitionId, processDefinitions.id))
    .leftJoin(users, eq(tasks.assigneeId, users.id))
    .where(where)
    .$dynamic();
}

/** The signs asking the actor, shaped as task rows (a union with taskRows: the same columns in the same order). */
function signRows(where: SQL | undefined, now: Date) {
  return db()
    .select({
      kind: sql<"task" | "sign">`'sign'`,
      id: taskSigns.id,
      taskId: tasks.id,
      name: sql<string>`'加签：' || ${tasks.name}`,
      ...ofFlow,
      assigneeId: sql<string | null>`null::text`,
      assigneeName: sql<string | null>`null::text`,
      createdAt: taskSigns.createdAt,
      dueAt: tasks.dueAt,
      completedAt: taskSigns.answeredAt,
      overdue: overdueAt(now),
    })
    .from(taskSigns)
    .innerJoin(tasks, eq(tasks.id, taskSigns.taskId))
    .innerJoin(processInstances, eq(tasks.instanceId, processInstances.id))
    .innerJoin(processDefinitions, eq(processInstances.definitionId, processDefinitions.id))
    .where(where);
}

/** How many tasks wait for the actor: the number beside 待办 in the navigation. */
export async function inboxCount(actor: Actor): Promise<number> {
  const [[{ n }], [{ signs }]] = await Promise.all([
    db().select({ n: count() }).from(tasks).where(actionable(actor)),
    db().select({ signs: count() }).from(taskSigns).innerJoin(tasks, eq(tasks.id, taskSigns.taskId)).where(signsAsking(actor)),
  ]);
  return n + signs;
}

/**
 * Where someone who just started or moved a flow goes next: its first open task they may do
 * themselves (filling in the first form right away), otherwise the instance's page.
 */
export async function nextPageAfter(actor: Actor, instanceId: string): Promise<string> {
  const next = (await openTasksOf(instanceId)).find((t) => canAct(actor, t));
  return next ? `/tasks/${next.id}` : `/instances/${instanceId}`;
}
