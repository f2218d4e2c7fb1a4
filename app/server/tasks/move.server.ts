import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { organisations, tasks } from "@db/schema";
import type { OrganisationType, Role } from "@db/schema/roles";
import { ROLE_LABELS } from "~/shared/labels";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { scope } from "../auth/scope.server";
import { ConflictError, NotFoundError, ValidationError } from "../errors.server";
import { parseInput } from "../validation.server";
import { lockOpenTask, operateReason, stepTransaction } from "../workflow/index.server";
import { reassignTask } from "./reassign.server";

/** An organisation of one of the task's roles may take it (its type is the role). */
const takes = (roles: string[], type: OrganisationType) => roles.includes(type);

/**
 * 转交任务 (流程运维, docs/decisions/037): an administrator moves an open task stuck at one
 * organisation to another of a role the task allows, with a reason. It leaves the old
 * organisation's inbox (its claim and its drafts go) and arrives in the new one's, whose users are
 * told (reassignTask, as 转办 hands a task on). The flow's parties stay as they are: a later step of
 * that role goes to the party the flow names (move it too when it sticks). One step: the instance
 * locked first; 409 when the task was done or the flow ended meanwhile, or a second click.
 */
export async function moveTask(actor: Actor, taskId: string, input: { organisationId?: unknown; reason?: unknown }) {
  assertCan(actor, "manage:processes");
  const { organisationId, reason } = parseInput(z.object({ organisationId: z.uuid({ error: "请选择接收单位" }), reason: operateReason }), {
    organisationId: input.organisationId,
    reason: input.reason,
  });
  if (!z.uuid().safeParse(taskId).success) throw new NotFoundError("任务不存在");
  return stepTransaction(async (tx) => {
    const [seen] = await tx
      .select({ id: tasks.id, instanceId: tasks.instanceId })
      .from(tasks)
      .where(and(eq(tasks.id, taskId), scope(actor, "task")));
    if (!seen) throw new NotFoundError("任务不存在");
    const { instance, task } = await lockOpenTask(tx, seen);
    const [target] = await tx.select().from(organisations).where(eq(organisations.id, organisationId));
    if (!target || target.status !== "active") throw new ValidationError({ organisationId: "接收单位不存在或已停用" });
    if (!takes(task.candidateRoles, target.type)) {
      const roles = task.candidateRoles.map((r) => ROLE_LABELS[r as Role] ?? r).join("或");
      throw new ValidationError({ organisationId: `该任务只能由${roles}办理，“${target.name}”不是${roles}` });
    }
    // A second click of the same move finds it done: nothing changes.
    if (task.organisationId === target.id) throw new ConflictError(`任务已在“${target.name}”，无需重复转交`);
    const { signsCancelled } = await reassignTask(
      tx,
      actor,
      instance,
      task,
      { assigneeId: null, organisationId: target.id },
      { title: "转交任务", reason },
    );
    await recordAudit(tx, actor, {
      action: "task.move",
      subjectType: "task",
      subjectId: task.id,
      before: { instanceId: instance.id, organisationId: task.organisationId, assigneeId: task.assigneeId },
      after: {
        instanceId: instance.id,
        organisationId: target.id,
        organisationName: target.name,
        reason,
        ...(signsCancelled ? { signsCancelled } : {}),
      },
    });
    return { taskId: task.id, organisationId: target.id };
  });
}
