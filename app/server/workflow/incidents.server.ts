import { and, eq } from "drizzle-orm";
import { processInstances, workflowTimers } from "@db/schema";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { apiKeyActorById, isApiKeyActorId } from "../auth/api-keys.server";
import { loadActor } from "../auth/current-user.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError, ForbiddenError } from "../errors.server";
import { completeTask } from "./complete.server";
import { getInstance, isOpenTask } from "./instances.server";
import { reasonOf } from "./operate.server";

/**
 * An administrator handles an incident. A failed completion is redone as whoever submitted it (a
 * user or an organisation's API key), with the kept submission, and the retry is audited in the
 * same transaction; a timer gets its attempts back and fires on the next poll. An incident whose
 * task was closed meanwhile has nothing left to redo and is closed. The administrator says why (a
 * required reason, kept in the audit event: docs/decisions/037).
 */
export async function retryIncident(actor: Actor, instanceId: string, input: { reason?: unknown }): Promise<void> {
  if (!actor.roles.includes("admin")) throw new ForbiddenError("只有平台管理员可以重试流程异常");
  const reason = reasonOf(input);
  const instance = await getInstance(actor, instanceId);
  if (instance.status !== "incident" || !instance.incident) throw new ConflictError("该流程没有待处理的异常");
  const cause = instance.incident.cause;
  if (cause.kind === "task" && (await isOpenTask(cause.taskId))) {
    const submitter = await submitterOf(cause.userId, actor.ip);
    if (!submitter) throw new ConflictError("原提交人已停用，无法代为重试；请由其他办理人重新提交");
    await completeTask(submitter, cause.taskId, { submission: cause.submission }, { retriedBy: actor, retryReason: reason });
    return;
  }
  await db().transaction(async (tx) => {
    const [locked] = await tx.select().from(processInstances).where(eq(processInstances.id, instance.id)).for("update");
    if (locked.status !== "incident") throw new ConflictError("该流程没有待处理的异常");
    await tx
      .update(processInstances)
      .set({ status: "running", incident: null, rowVersion: locked.rowVersion + 1, updatedAt: clock.now() })
      .where(eq(processInstances.id, instance.id));
    if (cause.kind === "timer") {
      await tx
        .update(workflowTimers)
        .set({ attempts: 0, nextAttemptAt: null, lastError: null })
        .where(and(eq(workflowTimers.id, cause.timerId), eq(workflowTimers.status, "pending")));
    }
    await recordAudit(tx, actor, {
      action: "process.retry",
      subjectType: "process_instance",
      subjectId: instance.id,
      before: locked.incident,
      after: { outcome: cause.kind === "task" ? "task_closed" : "timer_released", reason },
    });
  });
}

function submitterOf(userId: string | null, ip: string | null): Promise<Actor | null> {
  if (!userId) return Promise.resolve(null);
  return isApiKeyActorId(userId) ? apiKeyActorById(userId, ip) : loadActor(db(), userId, ip);
}
