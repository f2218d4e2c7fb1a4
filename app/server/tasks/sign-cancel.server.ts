import { and, eq, inArray } from "drizzle-orm";
import { organisations, taskSigns, tasks, users, type TaskSign } from "@db/schema";
import { ROLES } from "@db/schema/roles";
import type { Executor, Tx } from "@db/client";
import { recordAudit } from "../audit.server";
import { SYSTEM_ACTOR, type Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { ConflictError } from "../errors.server";
import { notify, type Audience } from "../notifications/notify.server";

// 加签's signs end with their task (docs/decisions/039): the runtime's tasksClosed hook and the
// operations that hand a task on (reassign.server.ts) cancel its open signs and tell their signers.

/** Whom a sign asks: its user, or anyone of its organisation. */
export function signerAudience(sign: Pick<TaskSign, "organisationId" | "userId">): Audience {
  return sign.userId ? { userId: sign.userId } : { roles: ROLES, organisationId: sign.organisationId };
}

/** Why the task is not claimed, released or handed on (转办): its holder's 后加签 waits for an answer. */
export async function refuseWhileSignAfterWaits(ex: Executor, taskId: string): Promise<void> {
  const [waiting] = await ex
    .select({ id: taskSigns.id })
    .from(taskSigns)
    .where(and(eq(taskSigns.taskId, taskId), eq(taskSigns.status, "open"), eq(taskSigns.kind, "after")))
    .limit(1);
  if (waiting) throw new ConflictError("该任务已提交后加签，等待答复");
}

/** The names of whom signs ask (a user, or an organisation), by sign id. */
async function signerNames(ex: Executor, signs: TaskSign[]): Promise<Map<string, string>> {
  const userIds = signs.flatMap((s) => (s.userId ? [s.userId] : []));
  const orgIds = signs.filter((s) => !s.userId).map((s) => s.organisationId);
  const [people, orgs] = await Promise.all([
    userIds.length ? ex.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds)) : [],
    orgIds.length
      ? ex.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, orgIds))
      : [],
  ]);
  const byId = new Map([...people, ...orgs].map((r) => [r.id, r.name]));
  return new Map(signs.map((s) => [s.id, byId.get(s.userId ?? s.organisationId) ?? ""]));
}

/**
 * Cancels the open signs of tasks that closed or changed hands (the flow moved on, was cancelled or
 * recalled; 转办; an administrator's move), telling their signers. Called in the closing step's
 * transaction, which holds the instance lock. Each cancelled sign is audited (task.sign_cancel, as
 * the causing actor, or the platform for a step of the flow), and the asker of a 后加签 is told its
 * kept submission is gone. Returns how many were cancelled, for the causing event's own row.
 */
export async function cancelSignsOf(tx: Tx, taskIds: string[], why = "任务已关闭", actor: Actor = SYSTEM_ACTOR): Promise<number> {
  if (!taskIds.length) return 0;
  const cancelled = await tx
    .update(taskSigns)
    .set({ status: "cancelled", answeredAt: clock.now() })
    .where(and(inArray(taskSigns.taskId, taskIds), eq(taskSigns.status, "open")))
    .returning();
  if (!cancelled.length) return 0;
  const names = new Map(
    (
      await tx
        .select({ id: tasks.id, name: tasks.name })
        .from(tasks)
        .where(inArray(tasks.id, [...new Set(cancelled.map((s) => s.taskId))]))
    ).map((t) => [t.id, t.name]),
  );
  const signers = await signerNames(tx, cancelled);
  await notify(tx, [
    ...cancelled.map((s) => ({
      to: signerAudience(s),
      message: {
        title: `加签已取消：${names.get(s.taskId) ?? ""}`,
        body: `“${names.get(s.taskId) ?? ""}”的加签已取消（${why}），无需答复`,
        link: `/tasks/${s.taskId}`,
      },
    })),
    // A task closed by the flow leaves its asker nothing to redo; one handed on does.
    ...cancelled
      .filter((s) => s.kind === "after" && why !== "任务已关闭")
      .map((s) => ({
        to: { userId: s.askedBy },
        message: {
          title: `加签已取消：${names.get(s.taskId) ?? ""}`,
          body: `您对“${names.get(s.taskId) ?? ""}”的后加签已取消（${why}），提交未生效`,
          link: `/tasks/${s.taskId}`,
        },
      })),
  ]);
  for (const s of cancelled)
    await recordAudit(tx, actor, {
      action: "task.sign_cancel",
      subjectType: "task",
      subjectId: s.taskId,
      before: { instanceId: s.instanceId, signId: s.id, status: "open" },
      after: { instanceId: s.instanceId, signId: s.id, kind: s.kind, signerName: signers.get(s.id), status: "cancelled", reason: why },
    });
  return cancelled.length;
}
