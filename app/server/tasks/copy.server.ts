import { and, asc, eq, inArray, or } from "drizzle-orm";
import { z } from "zod";
import { instanceCopies, organisations, processInstances, type ProcessInstance, type Task } from "@db/schema";
import { ROLES } from "@db/schema/roles";
import type { Executor } from "@db/client";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { db } from "../db.server";
import { ValidationError } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { parseInput } from "../validation.server";
import { canAct, getTask, lockOpenTask, stepTransaction } from "../workflow/index.server";
import { refuseNotHolder } from "./reassign.server";

// 抄送: whoever may do an open task copies its flow to an organisation, a party of the flow or the
// bureau (住建局), which is told and from then on reads the flow (its page, history, the steps'
// submissions) without acting on it: the scope function reads the copy (docs/decisions/003, 038).

export const COPY_NOTE_MAX = 500;

export const copySchema = z
  .object({
    organisationId: z
      .string({ error: "请选择抄送单位" })
      .trim()
      .min(1, "请选择抄送单位")
      .max(100, "请选择抄送单位")
      .describe("抄送单位的标识（任务详情的 copyTo 中列出）"),
    note: z
      .string({ error: "抄送说明应为文字" })
      .trim()
      .max(COPY_NOTE_MAX, `抄送说明不能超过${COPY_NOTE_MAX}个字`)
      .nullish()
      .describe(`抄送说明（可选，至多${COPY_NOTE_MAX}字），随通知告知抄送单位`),
  })
  .strict();

export interface CopyTarget {
  id: string;
  name: string;
}

/** The organisations a flow may be copied to: its parties and the bureau, active, other than the actor's own. */
export async function partiesAndBureau(ex: Executor, actor: Actor, instance: Pick<ProcessInstance, "parties">): Promise<CopyTarget[]> {
  const parties = Object.values(instance.parties ?? {}).filter((id) => z.uuid().safeParse(id).success);
  const rows = await ex
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(
      and(
        eq(organisations.status, "active"),
        or(eq(organisations.type, "regulator"), parties.length ? inArray(organisations.id, parties) : undefined),
      ),
    )
    .orderBy(asc(organisations.name));
  return rows.filter((o) => o.id !== actor.organisationId);
}

/** Where the actor may copy this task's flow: none unless they may do it. */
export async function copyTargets(actor: Actor, task: Task): Promise<CopyTarget[]> {
  if (task.status !== "open" || !canAct(actor, task)) return [];
  const [instance] = await db()
    .select({ parties: processInstances.parties })
    .from(processInstances)
    .where(eq(processInstances.id, task.instanceId));
  return partiesAndBureau(db(), actor, instance);
}

/**
 * 抄送 in one transaction, in the one lock order (the instance, then the task): outside the scope
 * 404, not the actor's to do 403 (409 once claimed by another or closed), an organisation that is
 * neither a party of the flow nor the bureau, the actor's own, or one it was copied to already:
 * 422 on `organisationId`. Audited; the organisation's active users are told.
 */
export async function copyTask(actor: Actor, taskId: string, input: unknown): Promise<{ to: CopyTarget; notified: number }> {
  const visible = await getTask(actor, taskId);
  if (visible.status === "open" && !canAct(actor, visible)) refuseNotHolder(actor, visible, "抄送");
  const { organisationId, note } = parseInput(copySchema, input ?? {});
  return stepTransaction(async (tx) => {
    const { instance, task } = await lockOpenTask(tx, visible);
    if (!canAct(actor, task)) refuseNotHolder(actor, task, "抄送");
    if (organisationId === actor.organisationId) throw refusal("不能抄送给本单位");
    const to = (await partiesAndBureau(tx, actor, instance)).find((o) => o.id === organisationId);
    if (!to) throw refusal("只能抄送给本流程的参与单位或住建局");
    const [copied] = await tx
      .insert(instanceCopies)
      .values({
        instanceId: instance.id,
        taskId: task.id,
        organisationId: to.id,
        copiedBy: actor.userId!,
        copiedByName: actor.displayName,
        note: note || null,
      })
      .onConflictDoNothing()
      .returning();
    if (!copied) throw refusal(`本流程已抄送给${to.name}`);
    const notified = await notify(
      tx,
      [
        {
          to: { roles: ROLES, organisationId: to.id },
          message: {
            title: `抄送：${instance.title}`,
            body: `${actor.displayName}将“${instance.title}”（${task.name}）抄送给贵单位${note ? `：${note}` : ""}`,
            link: `/instances/${instance.id}`,
          },
        },
      ],
      { except: actor.userId },
    );
    await recordAudit(tx, actor, {
      action: "task.copy",
      subjectType: "task",
      subjectId: task.id,
      after: { instanceId: instance.id, organisationId: to.id, organisationName: to.name, note: note || null, notified },
    });
    return { to, notified };
  });
}

/** The organisations a flow was copied to, oldest first (the flow's page lists them). */
export async function copiesOf(instanceId: string) {
  return db()
    .select({
      organisationName: organisations.name,
      by: instanceCopies.copiedByName,
      at: instanceCopies.createdAt,
      note: instanceCopies.note,
    })
    .from(instanceCopies)
    .innerJoin(organisations, eq(organisations.id, instanceCopies.organisationId))
    .where(eq(instanceCopies.instanceId, instanceId))
    .orderBy(asc(instanceCopies.createdAt));
}

/** Whether the flow was copied to the actor's organisation (it then reads the steps' submissions). */
export async function copiedToActor(actor: Actor, instanceId: string): Promise<boolean> {
  if (!actor.organisationId) return false;
  const [row] = await db()
    .select({ id: instanceCopies.id })
    .from(instanceCopies)
    .where(and(eq(instanceCopies.instanceId, instanceId), eq(instanceCopies.organisationId, actor.organisationId)));
  return !!row;
}

function refusal(message: string): ValidationError {
  return new ValidationError({ organisationId: message }, message);
}
