import { eq } from "drizzle-orm";
import { tasks } from "@db/schema";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { db } from "../db.server";
import { ConflictError, ForbiddenError } from "../errors.server";
import { canAct, getTask } from "../workflow/index.server";
import { refuseWhileSignAfterWaits } from "./sign-cancel.server";

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
    // A 后加签 holds the task for its asker until it is answered (decision 039).
    if (intent === "unclaim" || task.assigneeId !== actor.userId) await refuseWhileSignAfterWaits(tx, task.id);
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
