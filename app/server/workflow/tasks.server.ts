import { and, arrayOverlaps, asc, count, desc, eq, gt, ilike, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, organisations, processDefinitions, processInstances, tasks, users, type Task } from "@db/schema";
import type { Tx } from "@db/client";
import { formatDateTime, formatRetryTime } from "~/shared/time";
import { URGE_MESSAGE_MAX, URGE_MESSAGE_TOO_LONG } from "~/shared/urge";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { likePattern, offsetOf, pageSchema, type Page } from "../pagination.server";
import { parseInput } from "../validation.server";
import { canAct } from "./instances.server";

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
  view: z.enum(TASK_VIEWS).catch("todo").default("todo"),
  process: z.string().max(64).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  overdue: z.enum(["1"]).optional().catch(undefined),
  mine: z.enum(["1"]).optional().catch(undefined),
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
  const q = listSchema.parse(query);
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
      overdue: sql<boolean>`coalesce(${tasks.status} = 'open' and ${tasks.dueAt} < ${now.toISOString()}::timestamptz, false)`.mapWith(Boolean),
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

export async function getTask(actor: Actor, taskId: string): Promise<Task> {
  if (!z.uuid().safeParse(taskId).success) throw new NotFoundError("任务不存在，或您无权查看");
  const [task] = await db()
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), scope(actor, "task")));
  if (!task) throw new NotFoundError("任务不存在，或您无权查看");
  return task;
}

/** Takes the task so colleagues see it is being handled; only the claimer can then complete it. */
export async function claimTask(actor: Actor, taskId: string): Promise<void> {
  await changeAssignee(actor, taskId, "claim");
}

export async function unclaimTask(actor: Actor, taskId: string): Promise<void> {
  await changeAssignee(actor, taskId, "unclaim");
}

async function changeAssignee(actor: Actor, taskId: string, intent: "claim" | "unclaim") {
  const visible = await getTask(actor, taskId);
  await db().transaction(async (tx) => {
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, visible.id)).for("update");
    if (task.status !== "open") throw new ConflictError("该任务已办理");
    if (intent === "claim") {
      if (task.assigneeId === actor.userId) return;
      if (task.assigneeId) throw new ConflictError("该任务已由他人认领");
      if (!canAct(actor, task)) throw new ForbiddenError("您不是该任务的办理人");
      await tx.update(tasks).set({ assigneeId: actor.userId }).where(eq(tasks.id, task.id));
    } else {
      if (task.assigneeId !== actor.userId) throw new ConflictError("只能取消自己认领的任务");
      await tx.update(tasks).set({ assigneeId: null }).where(eq(tasks.id, task.id));
    }
    await recordAudit(tx, actor, { action: `task.${intent}`, subjectType: "task", subjectId: task.id });
  });
}

export const urgeSchema = z.object({ message: z.string().trim().max(URGE_MESSAGE_MAX, URGE_MESSAGE_TOO_LONG).optional() });

// One urge per task and urging organisation in this window: each urge notifies everyone who may do
// the task, and thirty of them buried the organisation's real notices. An organisation is one
// urger, whether its staff urge from their sessions or its system with its API key.
const URGE_INTERVAL_MS = 30 * 60_000;

/** 409 when the actor's organisation urged this task within the window (its last task.urge in the audit trail). */
async function refuseRepeatedUrge(tx: Tx, actor: Actor, taskId: string): Promise<void> {
  // Two urges at once wait for each other here, so the second sees the first.
  await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, taskId)).for("update");
  const urger = actor.organisationId
    ? eq(auditEvents.organisationId, actor.organisationId)
    : actor.userId
      ? eq(auditEvents.actorUserId, actor.userId)
      : eq(auditEvents.actorName, actor.displayName);
  const [last] = await tx
    .select({ at: auditEvents.at, by: auditEvents.actorName })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, "task.urge"),
        eq(auditEvents.subjectId, taskId),
        urger,
        gt(auditEvents.at, new Date(clock.now().getTime() - URGE_INTERVAL_MS)),
      ),
    )
    .orderBy(desc(auditEvents.at))
    .limit(1);
  if (last)
    throw new ConflictError(
      `本单位已于 ${formatDateTime(last.at, "HH:mm")} 催办过该任务（${last.by}），同一单位30分钟内只催办一次，` +
        `请于 ${formatRetryTime(new Date(last.at.getTime() + URGE_INTERVAL_MS))} 后再催办`,
    );
}
/** 催办: reminds whoever must act on an open task (its assignee, or its role in its organisation). */
export async function urgeTask(actor: Actor, taskId: string, input: unknown): Promise<number> {
  const { message } = parseInput(urgeSchema, input ?? {});
  const task = await getTask(actor, taskId);
  if (task.status !== "open") throw new ConflictError("该任务已办理，无需催办");
  if (canAct(actor, task)) throw new ConflictError("这是您自己的任务，无需催办");
  return urgeOpenTask(actor, task, message);
}

/**
 * Sends an urge about an open task the caller has found the actor may urge (their own scope rule:
 * a task they see, or a risk event's rectification for its insurer), once per 30 minutes for the
 * actor's organisation.
 */
export async function urgeOpenTask(
  actor: Actor,
  task: Pick<Task, "id" | "name" | "instanceId" | "assigneeId" | "candidateRoles" | "organisationId">,
  message: string | undefined,
): Promise<number> {
  const [instance] = await db()
    .select({ title: processInstances.title })
    .from(processInstances)
    .where(eq(processInstances.id, task.instanceId));
  const note = {
    title: `催办：${task.name}`,
    body: `${actor.displayName}催办“${instance.title}”${message ? `：${message}` : ""}`,
    link: `/tasks/${task.id}`,
  };
  return db().transaction(async (tx) => {
    await refuseRepeatedUrge(tx, actor, task.id);
    const to = task.assigneeId ? { userId: task.assigneeId } : { roles: task.candidateRoles, organisationId: task.organisationId };
    const sent = await notify(tx, [{ to, message: note }]);
    await recordAudit(tx, actor, {
      action: "task.urge",
      subjectType: "task",
      subjectId: task.id,
      after: { message: message || null, notified: sent },
    });
    return sent;
  });
}

export interface Urge {
  at: Date;
  /** The urging user, with their organisation. */
  by: string;
  message: string | null;
}

/**
 * The urges (催办) of one task, or of every task of one flow, latest first, as the urged party reads
 * them. The caller has found the task or flow in the reader's scope.
 */
export async function urgesOf(of: { taskId: string } | { instanceId: string }): Promise<Urge[]> {
  const subjects =
    "taskId" in of
      ? eq(auditEvents.subjectId, of.taskId)
      : inArray(
          auditEvents.subjectId,
          db().select({ id: sql<string>`${tasks.id}::text` }).from(tasks).where(eq(tasks.instanceId, of.instanceId)),
        );
  const rows = await db()
    .select({ at: auditEvents.at, name: auditEvents.actorName, organisation: organisations.name, after: auditEvents.after })
    .from(auditEvents)
    .leftJoin(organisations, eq(organisations.id, auditEvents.organisationId))
    .where(and(eq(auditEvents.action, "task.urge"), subjects))
    .orderBy(desc(auditEvents.at));
  return rows.map((r) => ({
    at: r.at,
    by: r.organisation ? `${r.organisation} ${r.name}` : r.name,
    message: (r.after as { message?: string | null } | null)?.message || null,
  }));
}

/** The open tasks of one flow, oldest first (for the platform's own use: no scope applies). */
export async function openTasksOf(instanceId: string): Promise<Task[]> {
  return db()
    .select()
    .from(tasks)
    .where(and(eq(tasks.instanceId, instanceId), eq(tasks.status, "open")))
    .orderBy(asc(tasks.createdAt));
}

/**
 * Where someone who just started or moved a flow goes next: its first open task they may do
 * themselves (filling in the first form right away), otherwise the instance's page.
 */
export async function nextPageAfter(actor: Actor, instanceId: string): Promise<string> {
  const next = (await openTasksOf(instanceId)).find((t) => canAct(actor, t));
  return next ? `/tasks/${next.id}` : `/instances/${instanceId}`;
}
