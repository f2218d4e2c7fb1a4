import { and, arrayOverlaps, asc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { users, type Task } from "@db/schema";
import type { Executor } from "@db/client";
import { ROLE_LABELS } from "~/shared/labels";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { db } from "../db.server";
import { ValidationError } from "../errors.server";
import { parseInput } from "../validation.server";
import { canAct, getTask, lockOpenTask, stepTransaction } from "../workflow/index.server";
import { reassignTask, refuseNotHolder } from "./reassign.server";
import { refuseWhileSignAfterWaits } from "./sign-cancel.server";

// 转办: whoever may do an open task hands it to a colleague of the same organisation who holds one
// of its roles. The task becomes the colleague's (its assignee), they are told, and the one who
// handed it on can no longer submit it (docs/decisions/038).

export const TRANSFER_REASON_MAX = 500;

export const transferSchema = z
  .object({
    to: z
      .string({ error: "请选择转办给谁" })
      .trim()
      .min(1, "请选择转办给谁")
      .max(100, "请选择转办给谁")
      .describe("接办同事的用户标识（任务详情的 transferTo 中列出）"),
    reason: z
      .string({ error: "转办说明应为文字" })
      .trim()
      .max(TRANSFER_REASON_MAX, `转办说明不能超过${TRANSFER_REASON_MAX}个字`)
      .nullish()
      .describe(`转办说明（可选，至多${TRANSFER_REASON_MAX}字），随通知告知接办人`),
  })
  .strict();

export interface Colleague {
  id: string;
  name: string;
  username: string;
}

/** The organisation whose staff may take the task: its own, or (a city-wide task) the actor's. */
function organisationOf(actor: Actor, task: Pick<Task, "organisationId">): string | null {
  return task.organisationId ?? actor.organisationId ?? null;
}

/** The active colleagues the actor may hand this task to: its organisation, one of its roles, not the actor. */
export async function transferCandidates(actor: Actor, task: Task, ex: Executor = db()): Promise<Colleague[]> {
  const organisationId = organisationOf(actor, task);
  if (task.status !== "open" || !organisationId || !canAct(actor, task)) return [];
  return ex
    .select({ id: users.id, name: users.displayName, username: users.username })
    .from(users)
    .where(
      and(
        eq(users.organisationId, organisationId),
        eq(users.status, "active"),
        arrayOverlaps(users.roles, task.candidateRoles as never),
        actor.userId ? ne(users.id, actor.userId) : undefined,
      ),
    )
    .orderBy(asc(users.displayName));
}

/**
 * 转办 in one transaction, in the one lock order (the instance, then the task): outside the actor's
 * scope 404; not theirs to do 403 (409 once another claimed it or it closed); a colleague who is
 * not one (another organisation's user, a disabled one, one without the task's roles, the actor)
 * 422 on `to`. Audited with who had it, who has it now and why.
 */
export async function transferTask(actor: Actor, taskId: string, input: unknown): Promise<{ to: Colleague; notified: number }> {
  const visible = await getTask(actor, taskId);
  if (visible.status === "open" && !canAct(actor, visible)) {
    await refuseWhileSignAfterWaits(db(), visible.id);
    refuseNotHolder(actor, visible, "转办");
  }
  const { to, reason } = parseInput(transferSchema, input ?? {});
  return stepTransaction(async (tx) => {
    const { instance, task } = await lockOpenTask(tx, visible);
    // The holder's submission waits on its 后加签: nobody hands the task on meanwhile.
    await refuseWhileSignAfterWaits(tx, task.id);
    if (!canAct(actor, task)) refuseNotHolder(actor, task, "转办");
    const organisationId = organisationOf(actor, task);
    const [target] = await tx.select().from(users).where(eq(users.id, to));
    // Another organisation's user is not named: to this actor there is no such colleague.
    if (!target || target.organisationId !== organisationId) throw refusal("只能转办给本单位的同事");
    if (target.id === actor.userId) throw refusal("不能转办给自己");
    if (target.status !== "active") throw refusal(`${target.displayName}的账号已停用，不能转办`);
    if (!target.roles.some((r) => task.candidateRoles.includes(r)))
      throw refusal(
        `${target.displayName}没有办理该任务的角色（${task.candidateRoles.map((r) => ROLE_LABELS[r as never] ?? r).join("、")}）`,
      );
    const { notified, signsCancelled } = await reassignTask(
      tx,
      actor,
      instance,
      task,
      { assigneeId: target.id },
      { title: "转办", reason },
    );
    await recordAudit(tx, actor, {
      action: "task.transfer",
      subjectType: "task",
      subjectId: task.id,
      before: { instanceId: task.instanceId, assigneeId: task.assigneeId },
      after: {
        instanceId: task.instanceId,
        assigneeId: target.id,
        assigneeName: target.displayName,
        reason: reason || null,
        ...(signsCancelled ? { signsCancelled } : {}),
      },
    });
    return { to: { id: target.id, name: target.displayName, username: target.username }, notified };
  });
}

function refusal(message: string): ValidationError {
  return new ValidationError({ to: message }, message);
}
