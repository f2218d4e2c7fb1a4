import { and, eq, inArray, isNotNull, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { processInstances, tasks, workflowTimers, type ProcessInstance, type Task, type TaskRecall } from "@db/schema";
import type { Executor, Tx } from "@db/client";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.server";
import { notify } from "../notifications/notify.server";
import type { DiagramModel, ModdleElement } from "./bpmn-model.server";
import type { EngineStep } from "./engine.server";
import { lockInstance, stepTransaction, tasksClosed } from "./step.server";

// 撤回 of a completed step (docs/decisions/038): whoever completed a step takes it back while the
// flow has not moved since and the tasks the completion opened are untouched. The instance goes
// back to its engine state before the completion (kept on the completed task's row), the tasks
// the completion opened are cancelled, the step reopens for its completer with what they had
// submitted, and its own timers are pending again with their original due times. The engine is
// not run: the next completion of the step recovers the restored state as any step does.

/** Why a completion cannot be taken back, decided as it is saved; null when it can. */
function refusedAtCompletion(model: DiagramModel, elementId: string, step: EngineStep, before: ProcessInstance): string | null {
  const element = model.elements.find((e) => e.id === elementId) as (ModdleElement & { $parent?: ModdleElement }) | undefined;
  if (!element || element.loopCharacteristics || (element.$parent && element.$parent.$type !== "bpmn:Process"))
    return "会签、或签和子流程中的步骤提交后不能撤回";
  if (step.servicesRun.length) return "该步骤提交后流程已执行系统处理（如登记、保存或通知），不能撤回";
  if (before.status !== "running") return "该步骤提交时流程处于异常状态，提交后不能撤回";
  return null;
}

/**
 * What a completion keeps on its task for taking it back (or why it cannot be), decided as it is
 * saved; the instance's earlier completions can no longer be taken back (earlierRecallsDropped).
 */
export function recallOf(args: {
  model: DiagramModel;
  before: ProcessInstance;
  saved: ProcessInstance;
  task: Task;
  step: EngineStep;
  timers: string[];
  /** Why the caller says it can never be taken back (a 后加签's approved completion). */
  refused?: string;
}): TaskRecall {
  const { model, before, saved, task, step, timers } = args;
  const refused = args.refused ?? refusedAtCompletion(model, task.elementId, step, before);
  return refused ? { refused } : { state: before.state, rowVersion: saved.rowVersion, timers };
}

/**
 * The recall as the completion's one write statement stores it (writes.server.ts): the state
 * before is copied by the database from the instance row, which the same statement replaces (its
 * parts all read the rows as they were before it), instead of being sent again.
 */
export function recallStored(recall: TaskRecall, instanceId: string): TaskRecall | SQL {
  if ("refused" in recall) return recall;
  return sql`jsonb_build_object('state', (select i.state from process_instances i where i.id = ${instanceId}), 'rowVersion', ${recall.rowVersion}::int, 'timers', ${JSON.stringify(recall.timers)}::jsonb)`;
}

/**
 * The write dropping what the instance's earlier completions kept for 撤回, once another step is
 * done after them (only completed tasks keep it: this touches no row the step otherwise writes).
 */
export function earlierRecallsDropped(tx: Tx, task: Pick<Task, "id" | "instanceId">) {
  return tx
    .update(tasks)
    .set({ recall: null })
    .where(and(eq(tasks.instanceId, task.instanceId), ne(tasks.id, task.id), eq(tasks.status, "completed"), isNotNull(tasks.recall)));
}

/**
 * What people did with the tasks a completion opened that taking it back would undo (a draft, a
 * comment): the tasks module answers it (the runtime keeps none of these), or null when untouched.
 */
export type TouchedCheck = (ex: Executor, opened: Task[]) => Promise<string | null>;

/**
 * Why `actor` may not take back this completed task now, or null when they may. Read without
 * locks for the page that offers it, and again under the locks before it is done.
 */
export async function recallRefusal(
  ex: Executor,
  actor: Actor,
  task: Task,
  touched: TouchedCheck,
  locked?: { instance: ProcessInstance; rows: Task[] },
): Promise<string | null> {
  if (task.status !== "completed") return task.status === "open" ? "该任务尚未办理，无需撤回" : "该任务已关闭，不能撤回";
  if (!actor.userId || task.completedBy !== actor.userId) return "只有办理人本人可以撤回";
  const recall = task.recall;
  if (!recall) return "流程在您提交后已继续办理，不能撤回";
  if ("refused" in recall) return recall.refused;
  const [instance] = locked ? [locked.instance] : await ex.select().from(processInstances).where(eq(processInstances.id, task.instanceId));
  if (instance.status === "completed" || instance.status === "cancelled" || instance.status === "withdrawn")
    return "该流程已结束，不能撤回";
  if (instance.status !== "running") return "该流程处于异常状态，不能撤回，请联系平台管理员";
  if (instance.rowVersion !== recall.rowVersion) return "流程在您提交后已继续办理（其他步骤已办理或定时器已触发），不能撤回";
  const rows = locked?.rows ?? (await ex.select().from(tasks).where(eq(tasks.instanceId, task.instanceId)));
  const opened = openedBy(task, rows);
  const claimed = opened.find((t) => t.assigneeId);
  if (claimed) return `下一步“${claimed.name}”已被认领，不能撤回`;
  return touched(ex, opened);
}

/** The open tasks a completion opened: those created with it or after it (nothing else moved the flow since). */
function openedBy(task: Task, rows: Task[]): Task[] {
  return rows.filter((t) => t.id !== task.id && t.status === "open" && t.createdAt.getTime() >= task.completedAt!.getTime());
}

const NOT_FOUND = "任务不存在，或您无权查看";

/**
 * 撤回 in one transaction, in the one lock order: the instance row, then its tasks and timers.
 * Outside the actor's scope 404; someone else's completion 403; anything that makes it too late
 * 409 with the reason (recallRefusal). Audited with what was taken back.
 */
export async function recallTask(actor: Actor, taskId: string, touched: TouchedCheck): Promise<Task> {
  if (!z.uuid().safeParse(taskId).success) throw new NotFoundError(NOT_FOUND);
  return stepTransaction(async (tx) => {
    const [seen] = await tx
      .select()
      .from(tasks)
      .where(and(eq(tasks.id, taskId), scope(actor, "task")));
    if (!seen) throw new NotFoundError(NOT_FOUND);
    if (seen.status === "completed" && seen.completedBy !== actor.userId) throw new ForbiddenError("只有办理人本人可以撤回");
    const instance = (await lockInstance(tx, seen.instanceId).catch((error) => {
      throw error instanceof ConflictError ? new ConflictError("该流程已结束，不能撤回") : error;
    }))!;
    const rows = await tx.select().from(tasks).where(eq(tasks.instanceId, instance.id)).for("update");
    const task = rows.find((t) => t.id === seen.id)!;
    const refusal = await recallRefusal(tx, actor, task, touched, { instance, rows });
    if (refusal) throw new ConflictError(refusal);
    const recall = task.recall as Extract<TaskRecall, { state: unknown }>;
    const now = clock.now();
    await tx
      .update(processInstances)
      .set({ state: recall.state, rowVersion: instance.rowVersion + 1, updatedAt: now })
      .where(eq(processInstances.id, instance.id));
    const opened = openedBy(task, rows);
    if (opened.length) {
      await tx
        .update(tasks)
        .set({ status: "cancelled", completedAt: now })
        .where(
          inArray(
            tasks.id,
            opened.map((t) => t.id),
          ),
        );
      await tasksClosed(
        tx,
        opened.map((t) => t.id),
      );
    }
    // The step is the completer's again, with what they submitted in its form; the same row (the
    // restored state waits on the same execution).
    await tx
      .update(tasks)
      .set({
        status: "open",
        assigneeId: actor.userId,
        completedAt: null,
        completedBy: null,
        completedByName: null,
        comment: null,
        recall: null,
      })
      .where(eq(tasks.id, task.id));
    // Timers as they were before the completion: its own pending again (their due times kept),
    // those the completion armed cancelled.
    const timers = await tx.select().from(workflowTimers).where(eq(workflowTimers.instanceId, instance.id)).for("update");
    const armed = timers.filter((t) => t.status === "pending" && !recall.timers.includes(t.id)).map((t) => t.id);
    const restored = timers.filter((t) => t.status === "cancelled" && recall.timers.includes(t.id)).map((t) => t.id);
    if (armed.length) await tx.update(workflowTimers).set({ status: "cancelled" }).where(inArray(workflowTimers.id, armed));
    if (restored.length) await tx.update(workflowTimers).set({ status: "pending" }).where(inArray(workflowTimers.id, restored));
    await notify(
      tx,
      opened.map((t) => ({
        to: { roles: t.candidateRoles, organisationId: t.organisationId },
        message: {
          title: `已撤回：${t.name} — ${instance.title}`,
          body: `${actor.displayName}撤回了“${task.name}”的办理，该待办已取消`,
          link: `/instances/${instance.id}`,
        },
      })),
      { except: actor.userId },
    );
    await recordAudit(tx, actor, {
      action: "task.recall",
      subjectType: "task",
      subjectId: task.id,
      before: {
        instanceId: instance.id,
        status: task.status,
        elementId: task.elementId,
        completedAt: task.completedAt,
        submission: task.submission,
        comment: task.comment,
        openedTasks: opened.map((t) => t.name),
      },
      after: { instanceId: instance.id, status: "open", cancelledTasks: opened.map((t) => t.id), restoredTimers: restored.length },
    });
    const [reopened] = await tx.select().from(tasks).where(eq(tasks.id, task.id));
    return reopened;
  });
}
