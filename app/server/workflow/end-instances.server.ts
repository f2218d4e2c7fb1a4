import { and, asc, eq, inArray } from "drizzle-orm";
import { processInstances, tasks, workflowTimers, type ProcessInstance } from "@db/schema";
import type { Tx } from "@db/client";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { tasksClosed } from "./step.server";

/**
 * Ends a locked instance that will not run on: its open tasks are cancelled (their drafts go with
 * them: tasksClosed), its pending timers too, and it takes the given final status. The caller holds
 * the instance's lock (the one lock order) and writes the audit event that says why.
 */
export async function endInstance(
  tx: Tx,
  instance: Pick<ProcessInstance, "id" | "rowVersion">,
  status: "cancelled" | "withdrawn",
  actor?: Actor,
): Promise<{ saved: ProcessInstance; cancelledTasks: string[]; dropped: Record<string, number> }> {
  const now = clock.now();
  const open = await tx
    .update(tasks)
    .set({ status: "cancelled", completedAt: now })
    .where(and(eq(tasks.instanceId, instance.id), eq(tasks.status, "open")))
    .returning({ id: tasks.id, name: tasks.name });
  const dropped = await tasksClosed(
    tx,
    open.map((t) => t.id),
    actor,
  );
  await tx
    .update(workflowTimers)
    .set({ status: "cancelled" })
    .where(and(eq(workflowTimers.instanceId, instance.id), eq(workflowTimers.status, "pending")));
  const [saved] = await tx
    .update(processInstances)
    .set({ status, endedAt: now, updatedAt: now, rowVersion: instance.rowVersion + 1 })
    .where(eq(processInstances.id, instance.id))
    .returning();
  return { saved, cancelledTasks: open.map((t) => t.name), dropped };
}

/**
 * Ends a locked instance at someone's word (its starter's 撤回, an administrator's cancel) and
 * audits it: the status it had and the steps it had open, then its final status with `after`.
 */
export async function endInstanceAudited(
  tx: Tx,
  actor: Actor,
  instance: Pick<ProcessInstance, "id" | "rowVersion" | "status">,
  kind: "withdraw" | "cancel",
  after: Record<string, unknown> = {},
): Promise<ProcessInstance> {
  const status = kind === "withdraw" ? "withdrawn" : "cancelled";
  const { saved, cancelledTasks, dropped } = await endInstance(tx, instance, status, actor);
  await recordAudit(tx, actor, {
    action: `process.${kind}`,
    subjectType: "process_instance",
    subjectId: instance.id,
    before: { status: instance.status, openTasks: cancelledTasks },
    after: { status, ...after, ...dropped },
  });
  return saved;
}

/**
 * Cancels other running flows (e.g. a terminated policy's risk-event flows) from inside a step:
 * their instance rows are locked in id order before anything of theirs is touched, so two such
 * steps, or a step of one of them, meet the locks in one order. Returns the ids cancelled.
 */
export async function cancelInstances(tx: Tx, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const locked = await tx
    .select({ id: processInstances.id, rowVersion: processInstances.rowVersion })
    .from(processInstances)
    .where(and(inArray(processInstances.id, ids), inArray(processInstances.status, ["running", "incident"])))
    .orderBy(asc(processInstances.id))
    .for("update");
  for (const instance of locked) await endInstance(tx, instance, "cancelled");
  return locked.map((i) => i.id);
}
