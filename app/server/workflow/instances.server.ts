import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { processInstances, tasks, type ProcessInstance, type Task } from "@db/schema";
import type { Executor } from "@db/client";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";

// The read side of the runtime: what pages, lists and attachments ask about instances and tasks.
// It changes nothing, so it depends on nothing of the engine.

/** Whether the actor is one who may do this task (not merely see it). */
export function canAct(actor: Actor, task: Pick<Task, "candidateRoles" | "organisationId" | "assigneeId">): boolean {
  if (!actor.roles.some((r) => task.candidateRoles.includes(r))) return false;
  if (task.organisationId && task.organisationId !== actor.organisationId) return false;
  return !task.assigneeId || task.assigneeId === actor.userId;
}

/**
 * Whether the actor may withdraw (撤回) the flow: they started it, it is running, and none of its
 * steps has been submitted yet (nobody has worked on it, and its business object is not made yet).
 */
export function mayWithdraw(actor: Actor, instance: Pick<ProcessInstance, "status" | "startedBy">, rows: Pick<Task, "status">[]): boolean {
  return isStarter(actor, instance) && instance.status === "running" && !rows.some((t) => t.status === "completed");
}

export function isStarter(actor: Actor, instance: Pick<ProcessInstance, "startedBy">): boolean {
  return !!actor.userId && instance.startedBy === actor.userId;
}

/** An instance the actor may see, or 404. */
export async function getInstance(actor: Actor, instanceId: string, ex: Executor = db()): Promise<ProcessInstance> {
  if (!z.uuid().safeParse(instanceId).success) throw new NotFoundError();
  const [row] = await ex
    .select()
    .from(processInstances)
    .where(and(eq(processInstances.id, instanceId), scope(actor, "instance")));
  if (!row) throw new NotFoundError();
  return row;
}

/** Whether the actor may open the flow's page (/instances/<id>): false for none, or one outside their scope. */
export async function mayOpenInstance(actor: Actor, instanceId: string | null): Promise<boolean> {
  if (!instanceId) return false;
  const [row] = await db()
    .select({ id: processInstances.id })
    .from(processInstances)
    .where(and(eq(processInstances.id, instanceId), scope(actor, "instance")));
  return !!row;
}

/** Whether the actor may open the task's page (/tasks/<id>), to do it or to read and urge it. */
export async function mayOpenTask(actor: Actor, taskId: string): Promise<boolean> {
  const [row] = await db()
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.id, taskId), scope(actor, "task")));
  return !!row;
}

/**
 * What a business object's page offers on its open step: a link to do it, or to open it read-only
 * and urge (催办) it from there, as the task's page allows whoever sees a task they cannot do.
 */
export function stepAccess(
  actor: Actor,
  openTask: Pick<Task, "candidateRoles" | "organisationId" | "assigneeId"> | null,
  visible: boolean,
) {
  const canActOnTask = !!openTask && canAct(actor, openTask);
  return { canActOnTask, taskVisible: !!openTask && visible, canUrgeTask: !!openTask && visible && !canActOnTask };
}

/** Whether a task is still open (for a retry that finds it closed meanwhile). */
export async function isOpenTask(taskId: string): Promise<boolean> {
  const [task] = await db().select({ status: tasks.status }).from(tasks).where(eq(tasks.id, taskId));
  return task?.status === "open";
}

/** A task the actor may see, or 404. */
export async function getTask(actor: Actor, taskId: string): Promise<Task> {
  if (!z.uuid().safeParse(taskId).success) throw new NotFoundError("任务不存在，或您无权查看");
  const [task] = await db()
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), scope(actor, "task")));
  if (!task) throw new NotFoundError("任务不存在，或您无权查看");
  return task;
}

/** The open tasks of one flow, oldest first (for the platform's own use: no scope applies). */
export async function openTasksOf(instanceId: string): Promise<Task[]> {
  return db()
    .select()
    .from(tasks)
    .where(and(eq(tasks.instanceId, instanceId), eq(tasks.status, "open")))
    .orderBy(asc(tasks.createdAt));
}
