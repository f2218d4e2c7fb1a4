import { and, eq, ne } from "drizzle-orm";
import { taskDrafts, tasks, type ProcessInstance, type Task } from "@db/schema";
import type { Tx } from "@db/client";
import type { Actor } from "../auth/actor";
import { ConflictError, ForbiddenError } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { cancelSignsOf } from "./sign-cancel.server";

// Changing who holds an open task, shared by the operations that hand one on: a user's 转办 to a
// colleague (transfer.server.ts) and an administrator moving a stuck task to another organisation.
// The caller has locked the instance and the task (lockOpenTask) and checked the new holder.

export interface NewHolder {
  /** The user who now holds the task (its assignee), or null: anyone of its roles in its organisation. */
  assigneeId: string | null;
  /** The organisation that must act; unchanged when left out. */
  organisationId?: string | null;
}

/**
 * Gives the task to its new holder: the row's assignee (and organisation), the drafts of everyone
 * else dropped (they can no longer submit it), and the new holder told, with the reason if any.
 * Returns how many were told and how many open signs were cancelled (for the caller's audit row).
 */
export async function reassignTask(
  tx: Tx,
  actor: Actor,
  instance: Pick<ProcessInstance, "title">,
  task: Task,
  holder: NewHolder,
  notice: { title: string; reason?: string | null },
): Promise<{ notified: number; signsCancelled: number }> {
  const organisationId = holder.organisationId === undefined ? task.organisationId : holder.organisationId;
  await tx.update(tasks).set({ assigneeId: holder.assigneeId, organisationId }).where(eq(tasks.id, task.id));
  // The signs the previous holder asked for are theirs: the new holder asks again if they will.
  const signsCancelled = await cancelSignsOf(tx, [task.id], "任务已转给他人办理", actor);
  await tx
    .delete(taskDrafts)
    .where(and(eq(taskDrafts.taskId, task.id), holder.assigneeId ? ne(taskDrafts.userId, holder.assigneeId) : undefined));
  const to = holder.assigneeId ? { userId: holder.assigneeId } : { roles: task.candidateRoles, organisationId };
  const notified = await notify(
    tx,
    [
      {
        to,
        message: {
          title: `${notice.title}：${task.name}`,
          body: `${actor.displayName}将“${instance.title}”的任务“${task.name}”交给您办理${notice.reason ? `：${notice.reason}` : ""}`,
          link: `/tasks/${task.id}`,
        },
      },
    ],
    { except: actor.userId },
  );
  return { notified, signsCancelled };
}

/** Why an operation on an open task (转办, 抄送) is not the actor's: claimed by another (409), or not theirs to do (403). */
export function refuseNotHolder(actor: Actor, task: Pick<Task, "assigneeId">, operation: string): never {
  if (task.assigneeId && task.assigneeId !== actor.userId) throw new ConflictError(`该任务已由他人认领，不能${operation}`);
  throw new ForbiddenError(`您不是该任务的办理人，不能${operation}`);
}
