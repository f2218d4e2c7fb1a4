import { and, desc, eq, gt, inArray, max, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, organisations, processInstances, tasks, type Task } from "@db/schema";
import type { Tx } from "@db/client";
import { URGE_INTERVAL_MS, URGE_MESSAGE_MAX, URGE_MESSAGE_TOO_LONG, repeatedUrgeMessage } from "~/shared/urge";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { parseInput } from "../validation.server";
import { canAct, getTask } from "../workflow/index.server";

export const urgeSchema = z.object({ message: z.string().trim().max(URGE_MESSAGE_MAX, URGE_MESSAGE_TOO_LONG).optional() });

// One urge per task and urging organisation in URGE_INTERVAL_MS. An organisation is one urger,
// whether its staff urge from their sessions or its system with its API key.

/** The urges `actor`'s party made: its organisation's, or (with none) its own. */
function urgedBy(actor: Actor): SQL {
  return and(
    eq(auditEvents.action, "task.urge"),
    actor.organisationId
      ? eq(auditEvents.organisationId, actor.organisationId)
      : actor.userId
        ? eq(auditEvents.actorUserId, actor.userId)
        : eq(auditEvents.actorName, actor.displayName),
  )!;
}

/** When `actor`'s party last urged each of these tasks, by task id (those it never urged are left out). */
export async function lastUrgedBy(actor: Actor, taskIds: string[]): Promise<Map<string, Date>> {
  if (!taskIds.length) return new Map();
  const rows = await db()
    .select({ taskId: auditEvents.subjectId, at: max(auditEvents.at) })
    .from(auditEvents)
    .where(and(urgedBy(actor), inArray(auditEvents.subjectId, taskIds)))
    .groupBy(auditEvents.subjectId);
  return new Map(rows.flatMap((r) => (r.taskId && r.at ? [[r.taskId, r.at] as const] : [])));
}

/** 409 when the actor's organisation urged this task within the window (its last task.urge in the audit trail). */
async function refuseRepeatedUrge(tx: Tx, actor: Actor, taskId: string): Promise<void> {
  // Two urges at once wait for each other here, so the second sees the first.
  await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, taskId)).for("update");
  const [last] = await tx
    .select({ at: auditEvents.at, by: auditEvents.actorName })
    .from(auditEvents)
    .where(and(urgedBy(actor), eq(auditEvents.subjectId, taskId), gt(auditEvents.at, new Date(clock.now().getTime() - URGE_INTERVAL_MS))))
    .orderBy(desc(auditEvents.at))
    .limit(1);
  if (!last) return;
  // The time to try again goes with the refusal (Retry-After in the API).
  throw new ConflictError(repeatedUrgeMessage(last.at, last.by), new Date(last.at.getTime() + URGE_INTERVAL_MS));
}
/** 催办: reminds whoever must act on an open task (its assignee, or its role in its organisation). */
export async function urgeTask(actor: Actor, taskId: string, input: unknown): Promise<number> {
  const { message } = parseInput(urgeSchema, input ?? {});
  const task = await getTask(actor, taskId);
  if (task.status !== "open") throw new ConflictError("该任务已办理，无需催办");
  if (canAct(actor, task)) throw new ConflictError("这是您自己的任务，无需催办");
  return urgeOpenTask(actor, task, message);
}

/**
 * Sends an urge about an open task the caller has found the actor may urge (their own scope rule:
 * a task they see, or a risk event's rectification for its insurer), once per 30 minutes for the
 * actor's organisation.
 */
export async function urgeOpenTask(
  actor: Actor,
  task: Pick<Task, "id" | "name" | "instanceId" | "assigneeId" | "candidateRoles" | "organisationId">,
  message: string | undefined,
): Promise<number> {
  const [instance] = await db()
    .select({ title: processInstances.title })
    .from(processInstances)
    .where(eq(processInstances.id, task.instanceId));
  const note = {
    title: `催办：${task.name}`,
    body: `${actor.displayName}催办“${instance.title}”${message ? `：${message}` : ""}`,
    link: `/tasks/${task.id}`,
  };
  return db().transaction(async (tx) => {
    await refuseRepeatedUrge(tx, actor, task.id);
    const to = task.assigneeId ? { userId: task.assigneeId } : { roles: task.candidateRoles, organisationId: task.organisationId };
    const sent = await notify(tx, [{ to, message: note }]);
    await recordAudit(tx, actor, {
      action: "task.urge",
      subjectType: "task",
      subjectId: task.id,
      after: { message: message || null, notified: sent },
    });
    return sent;
  });
}

export interface Urge {
  at: Date;
  /** The urging user, with their organisation. */
  by: string;
  message: string | null;
}

/**
 * The urges (催办) of one task, or of every task of one flow, latest first, as the urged party reads
 * them. The caller has found the task or flow in the reader's scope.
 */
export async function urgesOf(of: { taskId: string } | { instanceId: string }): Promise<Urge[]> {
  const subjects =
    "taskId" in of
      ? eq(auditEvents.subjectId, of.taskId)
      : inArray(
          auditEvents.subjectId,
          db()
            .select({ id: sql<string>`${tasks.id}::text` })
            .from(tasks)
            .where(eq(tasks.instanceId, of.instanceId)),
        );
  const rows = await db()
    .select({ at: auditEvents.at, name: auditEvents.actorName, organisation: organisations.name, after: auditEvents.after })
    .from(auditEvents)
    .leftJoin(organisations, eq(organisations.id, auditEvents.organisationId))
    .where(and(eq(auditEvents.action, "task.urge"), subjects))
    .orderBy(desc(auditEvents.at));
  return rows.map((r) => ({
    at: r.at,
    by: r.organisation ? `${r.organisation} ${r.name}` : r.name,
    message: (r.after as { message?: string | null } | null)?.message || null,
  }));
}
