import { and, arrayOverlaps, asc, count, desc, eq, ilike, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { processDefinitions, processInstances, tasks, users, type Task } from "@db/schema";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { likePattern, listParams, offsetOf, oneOfFilter, pageSchema, searchText, type Page } from "../pagination.server";
import { canAct, getTask, openTasksOf } from "../workflow/index.server";

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

export const TASK_VIEWS = ["todo", "done"] as const;

const listSchema = pageSchema.extend({
  view: z.enum(TASK_VIEWS, { error: "视图只能为 todo 或 done" }).default("todo"),
  process: z.string().max(64, "流程不存在").optional(),
  q: searchText(),
  overdue: oneOfFilter(["1"], "“仅看已逾期”只能为 1"),
  mine: oneOfFilter(["1"], "“我认领的”只能为 1"),
});

export interface TaskRow {
  id: string;
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
  const order = q.view === "todo" ? [sql`${tasks.dueAt} asc nulls last`, asc(tasks.createdAt)] : [desc(tasks.completedAt)];
  const [rows, [{ total }]] = await Promise.all([
    taskRows(where, now)
      .orderBy(...order)
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db().select({ total: count() }).from(tasks).innerJoin(processInstances, eq(tasks.instanceId, processInstances.id)).where(where),
  ]);
  return { rows, total, page: q.page, pageSize: q.pageSize };
}

/** One task as lists show it. */
export async function getTaskRow(actor: Actor, taskId: string): Promise<TaskRow> {
  const task = await getTask(actor, taskId);
  const [row] = await taskRows(eq(tasks.id, task.id), clock.now());
  return row;
}

function taskRows(where: SQL | undefined, now: Date) {
  return db()
    .select({
      id: tasks.id,
      name: tasks.name,
      status: tasks.status,
      title: processInstances.title,
      processKey: processInstances.definitionKey,
      processName: processDefinitions.name,
      instanceId: tasks.instanceId,
      assigneeId: tasks.assigneeId,
      assigneeName: users.displayName,
      createdAt: tasks.createdAt,
      dueAt: tasks.dueAt,
      completedAt: tasks.completedAt,
      // postgres.js does not serialise a bare Date inside raw SQL: pass it as text. A task without a
      // due time is not overdue (false, not SQL's null).
      overdue: sql<boolean>`coalesce(${tasks.status} = 'open' and ${tasks.dueAt} < ${now.toISOString()}::timestamptz, false)`.mapWith(
        Boolean,
      ),
    })
    .from(tasks)
    .innerJoin(processInstances, eq(tasks.instanceId, processInstances.id))
    .innerJoin(processDefinitions, eq(processInstances.definitionId, processDefinitions.id))
    .leftJoin(users, eq(tasks.assigneeId, users.id))
    .where(where)
    .$dynamic();
}

/** How many tasks wait for the actor: the number beside 待办 in the navigation. */
export async function inboxCount(actor: Actor): Promise<number> {
  const [{ n }] = await db().select({ n: count() }).from(tasks).where(actionable(actor));
  return n;
}

/**
 * Where someone who just started or moved a flow goes next: its first open task they may do
 * themselves (filling in the first form right away), otherwise the instance's page.
 */
export async function nextPageAfter(actor: Actor, instanceId: string): Promise<string> {
  const next = (await openTasksOf(instanceId)).find((t) => canAct(actor, t));
  return next ? `/tasks/${next.id}` : `/instances/${instanceId}`;
}
