import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { organisations, tasks, type ProcessInstance } from "@db/schema";
import type { OrganisationType, Role } from "@db/schema/roles";
import type { Tx } from "@db/client";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { ConflictError, NotFoundError, ValidationError } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { requiredString, parseInput } from "../validation.server";
import { ROLE_LABELS } from "~/shared/labels";
import { OPERATE_REASON_MAX } from "~/shared/operate";
import { endInstanceAudited } from "./end-instances.server";
import { getInstance } from "./instances.server";
import { lockInstance, stepTransaction } from "./step.server";

// What an administrator does to a running flow from 流程运维 (docs/decisions/037): cancel it, or
// move a stuck task to another organisation. Each is one step: one transaction that locks the
// instance row first (the one lock order), says why (a required reason) in its audit event, and is
// refused with 409 when the flow ended meanwhile (a second click of the same button, too).

const REASON_MAX = OPERATE_REASON_MAX;

/** Why an administrator acts on a running flow: required, kept in the audit event. */
export const operateReason = requiredString("请填写操作原因", "操作原因应为文字")
  .trim()
  .min(1, "请填写操作原因")
  .max(REASON_MAX, `操作原因不能超过${REASON_MAX}个字`);

/** The reason of an administrator's action on a flow, checked (422 on `reason`). */
export function reasonOf(input: unknown): string {
  return parseInput(z.object({ reason: operateReason }), { reason: (input as { reason?: unknown } | null)?.reason }).reason;
}

/** The instance an administrator acts on, locked (the step's first lock): 404 unknown, 409 ended. */
async function lockedForAdmin(tx: Tx, actor: Actor, instanceId: string): Promise<ProcessInstance> {
  await getInstance(actor, instanceId, tx);
  return (await lockInstance(tx, instanceId))!;
}

/**
 * 取消流程: ends a running flow (or one with an incident) as cancelled; its open tasks and pending
 * timers are cancelled with it (their drafts go: endInstance), and the organisations that had an
 * open step are told, with the reason.
 */
export async function cancelInstance(actor: Actor, instanceId: string, input: { reason?: unknown }): Promise<ProcessInstance> {
  assertCan(actor, "manage:processes");
  const reason = reasonOf(input);
  return stepTransaction(async (tx) => {
    const instance = await lockedForAdmin(tx, actor, instanceId);
    const open = await tx
      .select({ name: tasks.name, candidateRoles: tasks.candidateRoles, organisationId: tasks.organisationId })
      .from(tasks)
      .where(and(eq(tasks.instanceId, instance.id), eq(tasks.status, "open")))
      .for("update");
    const saved = await endInstanceAudited(tx, actor, instance, "cancel", { reason });
    await notify(
      tx,
      open.map((t) => ({
        to: { roles: t.candidateRoles, organisationId: t.organisationId },
        message: { title: `流程已取消：${instance.title} — ${t.name}`, body: `取消原因：${reason}`, link: `/instances/${instance.id}` },
      })),
      { except: actor.userId },
    );
    return saved;
  });
}

/** An organisation of one of the task's roles may take it (its type is the role). */
const takes = (roles: string[], type: OrganisationType) => roles.includes(type);

/**
 * 转交任务: an open task stuck at one organisation goes to another of a role the task allows. The
 * task leaves the old organisation's inbox (and its claim, if someone had claimed it) and arrives in
 * the new one's, whose users are told. The flow's parties stay as they are: a later step of that role
 * goes to the party the flow names (move it too when it sticks).
 */
export async function moveTask(actor: Actor, taskId: string, input: { organisationId?: unknown; reason?: unknown }) {
  assertCan(actor, "manage:processes");
  const { organisationId, reason } = parseInput(z.object({ organisationId: z.uuid({ error: "请选择接收单位" }), reason: operateReason }), {
    organisationId: input.organisationId,
    reason: input.reason,
  });
  if (!z.uuid().safeParse(taskId).success) throw new NotFoundError("任务不存在");
  return stepTransaction(async (tx) => {
    const [seen] = await tx.select({ instanceId: tasks.instanceId }).from(tasks).where(eq(tasks.id, taskId));
    if (!seen) throw new NotFoundError("任务不存在");
    const instance = await lockedForAdmin(tx, actor, seen.instanceId);
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for("update");
    if (task.status !== "open") throw new ConflictError("该任务已办理或已取消，不能转交");
    const [target] = await tx.select().from(organisations).where(eq(organisations.id, organisationId));
    if (!target || target.status !== "active") throw new ValidationError({ organisationId: "接收单位不存在或已停用" });
    if (!takes(task.candidateRoles, target.type)) {
      const roles = task.candidateRoles.map((r) => ROLE_LABELS[r as Role] ?? r).join("或");
      throw new ValidationError({ organisationId: `该任务只能由${roles}办理，“${target.name}”不是${roles}` });
    }
    // A second click of the same move finds it done: nothing changes.
    if (task.organisationId === target.id) throw new ConflictError(`任务已在“${target.name}”，无需重复转交`);
    await tx.update(tasks).set({ organisationId: target.id, assigneeId: null }).where(eq(tasks.id, task.id));
    await recordAudit(tx, actor, {
      action: "task.move",
      subjectType: "task",
      subjectId: task.id,
      before: { instanceId: instance.id, organisationId: task.organisationId, assigneeId: task.assigneeId },
      after: { instanceId: instance.id, organisationId: target.id, organisationName: target.name, reason },
    });
    await notify(
      tx,
      [
        {
          to: { roles: task.candidateRoles, organisationId: target.id },
          message: { title: `新待办：${task.name} — ${instance.title}`, body: `由平台管理员转交：${reason}`, link: `/tasks/${task.id}` },
        },
      ],
      { except: actor.userId },
    );
    return { taskId: task.id, organisationId: target.id };
  });
}
