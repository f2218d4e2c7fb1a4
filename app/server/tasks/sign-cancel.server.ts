import { and, eq, inArray } from "drizzle-orm";
import { taskSigns, tasks, type TaskSign } from "@db/schema";
import { ROLES } from "@db/schema/roles";
import type { Tx } from "@db/client";
import { clock } from "../clock.server";
import { notify, type Audience } from "../notifications/notify.server";

// 加签's signs end with their task (docs/decisions/039): the runtime's tasksClosed hook and the
// operations that hand a task on (reassign.server.ts) cancel its open signs and tell their signers.

/** Whom a sign asks: its user, or anyone of its organisation. */
export function signerAudience(sign: Pick<TaskSign, "organisationId" | "userId">): Audience {
  return sign.userId ? { userId: sign.userId } : { roles: ROLES, organisationId: sign.organisationId };
}

/**
 * Cancels the open signs of tasks that closed or changed hands (the flow moved on, was cancelled or
 * recalled; 转办; an administrator's move), telling their signers. Called in the closing step's
 * transaction, which holds the instance lock.
 */
export async function cancelSignsOf(tx: Tx, taskIds: string[], why = "任务已关闭"): Promise<void> {
  if (!taskIds.length) return;
  const cancelled = await tx
    .update(taskSigns)
    .set({ status: "cancelled", answeredAt: clock.now() })
    .where(and(inArray(taskSigns.taskId, taskIds), eq(taskSigns.status, "open")))
    .returning();
  if (!cancelled.length) return;
  const names = new Map(
    (
      await tx
        .select({ id: tasks.id, name: tasks.name })
        .from(tasks)
        .where(inArray(tasks.id, [...new Set(cancelled.map((s) => s.taskId))]))
    ).map((t) => [t.id, t.name]),
  );
  await notify(
    tx,
    cancelled.map((s) => ({
      to: signerAudience(s),
      message: {
        title: `加签已取消：${names.get(s.taskId) ?? ""}`,
        body: `“${names.get(s.taskId) ?? ""}”的加签已取消（${why}），无需答复`,
        link: `/tasks/${s.taskId}`,
      },
    })),
  );
}
