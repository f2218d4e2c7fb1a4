import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { tasks, type ProcessInstance } from "@db/schema";
import type { Tx } from "@db/client";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { notify } from "../notifications/notify.server";
import { requiredString, parseInput } from "../validation.server";
import { OPERATE_REASON_MAX } from "~/shared/operate";
import { endInstanceAudited } from "./end-instances.server";
import { getInstance } from "./instances.server";
import { lockInstance, stepTransaction } from "./step.server";

// What an administrator does to a running flow from 流程运维 (docs/decisions/037): cancel it (moving
// a stuck task to another organisation is the tasks module's, beside 转办: tasks/move.server.ts). Each is one step: one transaction that locks the
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
