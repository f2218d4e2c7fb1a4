import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { processInstances, tasks, type Task } from "@db/schema";
import type { Tx } from "@db/client";
import { linkSubmittedAttachments } from "../attachments.server";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.server";
import { formSchema } from "../forms/registry.server";
import { valueAt } from "~/shared/form-rules";
import { runSubmissionChecks } from "../forms/server-checks.server";
import { validateSubmissionAgainst } from "../forms/validate.server";
import { parseInput } from "../validation.server";
import { flowFacts } from "./business-objects.server";
import { canAct } from "./instances.server";
import { earlierRecallsDropped, recallOf, recallStored } from "./recall.server";
import { flowStarterIn } from "./start.server";
import {
  IncidentError,
  StepFailure,
  incidentMessage,
  lockRunningInstanceWhere,
  persistStep,
  recordIncident,
  recoverEngine,
  runToRest,
  stepContext,
  stepTransaction,
  type KnownRows,
  type StepContext,
} from "./step.server";
import type { DiagramModel } from "./bpmn-model.server";
import { WriteBatch } from "../writes.server";
import { drive } from "./engine.server";

/**
 * The submission checked against the task's form schema and the server checks the form names
 * (x-server-checks), all together: one refusal carries every field's error. Reduced to the fields
 * the form declares.
 */
export async function validateSubmission(
  tx: Tx,
  actor: Actor,
  task: Task,
  business: { businessType: string; businessKey: string },
  submission: unknown,
): Promise<Record<string, unknown>> {
  const { businessKey } = business;
  const { formKey, formVersion } = task;
  if (!submission || typeof submission !== "object" || Array.isArray(submission))
    throw new ValidationError({ form: "提交的数据格式不正确" });
  const schema = await formSchema(formKey, formVersion, tx);
  if (!schema) throw new Error(`form ${formKey} v${formVersion} is not deployed`);
  const facts = await flowFacts(tx, business.businessType, businessKey);
  const { values, errors, attachmentFields } = await validateSubmissionAgainst(schema, submission as Record<string, unknown>, facts);
  // The form's own message on a field comes first; the register's checks fill in the rest.
  const checked = await runSubmissionChecks(schema, { tx, actor, businessKey, values });
  const all = { ...checked, ...errors };
  if (Object.keys(all).length) throw new ValidationError(all);
  // File fields hold references to uploads: they are checked, linked to this task and rewritten.
  // One upload is one document: the same file twice (in one list, or as two documents) is refused.
  const seen = new Set<string>();
  for (const field of attachmentFields) {
    const refs = valueAt(values, field);
    for (const ref of Array.isArray(refs) ? refs : []) {
      const id = ref && typeof ref === "object" ? String((ref as { id?: unknown }).id).toLowerCase() : "";
      if (seen.has(id)) throw new ValidationError({ [field]: "同一文件不能重复提交，请上传各自的文件" });
      seen.add(id);
    }
  }
  for (const field of attachmentFields) {
    const parts = field.split(".");
    const holder = parts.slice(0, -1).reduce((o, p) => o[p] as Record<string, unknown>, values);
    const last = parts.at(-1)!;
    holder[last] = await linkSubmittedAttachments(tx, actor, task, holder[last] as unknown[], field);
  }
  return values;
}

// 办理意见: the one check of a completion's comment, for the task page and the REST API alike.
export const taskComment = z
  .string({ error: "办理意见应为文字" })
  .trim()
  .max(2000, "办理意见不能超过2000个字")
  .nullish()
  .describe("办理意见");

export interface CompleteInput {
  submission: unknown;
  /** 办理意见, as the page or the API sent it: checked here for both (taskComment). */
  comment?: unknown;
}

export interface CompleteOptions {
  /** An administrator redoing this completion to handle the instance's incident (audited in the same transaction). */
  retriedBy?: Actor;
  /** Why the administrator retried (docs/decisions/037). */
  retryReason?: string;
  /**
   * A 后加签's approval completing the holder's kept submission (docs/decisions/039): run under the
   * instance and task locks before the completion's guards, in the same transaction.
   */
  signOff?: (tx: Tx, task: Task) => Promise<void>;
  /** Why this completion can never be taken back (撤回), when its caller knows. */
  notRecallable?: string;
}

/**
 * A check the app plugs in that may refuse a task's completion: a condition on the task, read with
 * it under the instance's lock, in the same statement (what it costs a completion is nothing more).
 */
export interface CompletionGuard {
  /** True when the task with this id may not be completed now. */
  refusedWhen: (taskId: string) => SQL;
  refusal: () => Error;
}
const completionGuards = new Map<string, CompletionGuard>();

/** Registers a completion guard (加签: a task with an open sign is not completed), once at the app's start. */
export function onTaskCompleting(name: string, guard: CompletionGuard): void {
  completionGuards.set(name, guard);
}

const NOT_FOUND = "任务不存在，或您无权查看";

/**
 * Completes a task in one transaction: lock the instance, read the task with what the step needs;
 * validate; signal the engine with the submission; run service tasks to the next waits; persist
 * and audit in one statement (docs/decisions/040). Two people at once: one wins, the other gets
 * 409. A failure rolls everything back and records an incident.
 */
/** A completed task, with the flow it moved as the step left it (what an answer about it shows). */
export type CompletedTask = Task & { flow: { title: string; processKey: string; processName: string } };

export async function completeTask(
  actor: Actor,
  taskId: string,
  input: CompleteInput,
  options: CompleteOptions = {},
): Promise<CompletedTask> {
  if (!z.uuid().safeParse(taskId).success) throw new NotFoundError(NOT_FOUND);
  const comment = parseInput(z.object({ comment: taskComment }), { comment: input.comment }).comment || null;
  let failed: { instanceId: string; submission: unknown } | undefined;
  try {
    return await stepTransaction(async (tx) => {
      failed = undefined;
      // The instance of a task the actor sees, locked: it orders every step of this instance.
      const seen = tx
        .select({ id: tasks.instanceId })
        .from(tasks)
        .where(and(eq(tasks.id, taskId), scope(actor, "task")));
      const instance = await lockRunningInstanceWhere(tx, inArray(processInstances.id, seen));
      if (!instance) throw new NotFoundError(NOT_FOUND);
      const writes = new WriteBatch();
      const ctx = { ...(await stepContext(tx, actor, instance, flowStarterIn)), writes };
      const { task, known, firstRuns, earlier, refusal } = await readForCompletion(tx, ctx.model, instance.id, taskId);
      // A task the flow closed without it (或签 done by another organisation, a limit that passed) is not "already done".
      if (task.status === "cancelled") throw new ConflictError("该任务已结束，无需再办理：流程已不在此环节（例如或签已由其他单位办理）");
      if (task.status !== "open") throw new ConflictError("该任务已办理，无需重复提交");
      if (!canAct(actor, task)) {
        if (task.assigneeId && task.assigneeId !== actor.userId) throw new ConflictError("该任务已由他人认领");
        throw new ForbiddenError("您不是该任务的办理人");
      }
      if (options.signOff) {
        await options.signOff(tx, task);
        const [again] = await tx
          .select({ refused: guardsSql(taskId) })
          .from(tasks)
          .where(eq(tasks.id, taskId));
        refuseByGuards(again.refused);
      } else refuseByGuards(refusal);
      const submission = await validateSubmission(tx, actor, task, instance, input.submission);
      failed = { instanceId: task.instanceId, submission };
      const step = await signalled(ctx, instance.state, task, submission);
      await runToRest(step);
      const now = clock.now();
      // The incident is handled when an administrator retries it, or when its failed task gets done after all.
      const cause = instance.incident?.cause;
      const resolvesIncident = Boolean(options.retriedBy) || (cause?.kind === "task" && cause.taskId === task.id);
      const saved = await persistStep(ctx, step, instance, {
        resolvesIncident,
        completed: { ...task, submission, comment, firstRuns },
        known,
      });
      // What 撤回 restores, while nothing moves after this completion (docs/decisions/038).
      const timers = known.pendingTimers.map((t) => t.id);
      const recall = recallOf({ model: ctx.model, before: instance, saved, task, step, timers, refused: options.notRecallable });
      const done = { status: "completed" as const, completedAt: now, completedBy: actor.userId, completedByName: actor.displayName };
      await writes.add(
        tx
          .update(tasks)
          .set({ ...done, submission, comment, recall: recallStored(recall, instance.id) })
          .where(eq(tasks.id, task.id)),
      );
      await writes.add(earlierRecallsDropped(tx, task));
      // A step done again (sent back and corrected): the audit log shows what changed since last time.
      await recordAudit(
        tx,
        actor,
        {
          action: "task.complete",
          subjectType: "task",
          subjectId: task.id,
          ...(earlier ? { before: { instanceId: task.instanceId, elementId: task.elementId, ...earlier } } : {}),
          after: { instanceId: task.instanceId, elementId: task.elementId, submission, comment },
        },
        writes,
      );
      if (options.retriedBy) {
        await recordAudit(
          tx,
          options.retriedBy,
          {
            action: "process.retry",
            subjectType: "process_instance",
            subjectId: instance.id,
            before: instance.incident,
            after: { outcome: "task_redone", reason: options.retryReason ?? null },
          },
          writes,
        );
      }
      await writes.flush(tx);
      const flow = { title: saved.title, processKey: saved.definitionKey, processName: ctx.definition.name };
      return { ...task, ...done, submission, comment, recall, flow };
    });
  } catch (error) {
    if (error instanceof StepFailure && failed) {
      await recordIncident(failed.instanceId, incidentMessage(error), {
        kind: "task",
        taskId,
        userId: actor.userId,
        submission: failed.submission,
      });
      throw new IncidentError();
    }
    throw error;
  }
}

/**
 * The instance's engine recovered and signalled with the submission. Only the step leaves this
 * function: the engine's execution is not kept in the completion's frame while it waits for the
 * database, so the engine can be collected as soon as the step lets it go.
 */
async function signalled(ctx: StepContext, state: unknown, task: Task, submission: Record<string, unknown>) {
  const { step, execution } = await recoverEngine(ctx, state);
  await drive(step, () => execution.signal({ id: task.elementId, executionId: task.executionId, ...submission }));
  return step;
}

/** The guards' verdicts on a task, one boolean each, in one SQL array. */
const guardsSql = (taskId: string) =>
  completionGuards.size
    ? sql<boolean[]>`array[${sql.join(
        [...completionGuards.values()].map((g) => g.refusedWhen(taskId)),
        sql`, `,
      )}]`
    : sql<boolean[]>`array[]::boolean[]`;

function refuseByGuards(verdicts: boolean[]): void {
  const guards = [...completionGuards.values()];
  verdicts.forEach((refused, i) => {
    if (refused) throw guards[i].refusal();
  });
}

/**
 * What a completion reads under the instance's lock, in one statement: the task (locked, as its
 * claim locks it), the instance's other open tasks, its pending timers, when each of its steps
 * first ran (for the notices of a return), the step's last earlier completion (for the audit row) and the guards' verdicts.
 */
async function readForCompletion(tx: Tx, model: DiagramModel, instanceId: string, taskId: string) {
  // Written out: in a select's fields drizzle leaves columns unqualified, and these subqueries read
  // the tasks table again (as "e") beside the row they belong to ("tasks").
  // 会签/或签: an iteration compares with its own organisation's last one, not a co-signer's.
  const iterated = [...model.userTasks.values()].filter((t) => t.multiInstance).map((t) => sql`${t.id}`);
  const ownOrganisation = iterated.length
    ? sql`and (e.organisation_id = "tasks"."organisation_id" or "tasks"."organisation_id" is null or "tasks"."element_id" not in (${sql.join(iterated, sql`, `)}))`
    : sql``;
  const earlier = sql<{ submission: unknown; comment: string | null } | null>`case when "tasks"."id" = ${taskId} then (
      select json_build_object('submission', e.submission, 'comment', e.comment) from tasks e
      where e.instance_id = ${instanceId} and e.element_id = "tasks"."element_id" and e.status = 'completed' and e.id <> "tasks"."id"
      ${ownOrganisation}
      order by e.completed_at desc limit 1) end`;
  const rows = await tx
    .select({
      task: tasks,
      timers: sql<{ id: string; elementId: string; executionId: string; dueAt: string }[] | null>`(
        select json_agg(json_build_object('id', w.id, 'elementId', w.element_id, 'executionId', w.execution_id, 'dueAt', w.due_at))
        from workflow_timers w where w.instance_id = ${instanceId} and w.status = 'pending')`,
      firstRuns: sql<Record<string, string> | null>`(
        select json_object_agg(f.element_id, f.first_run)
        from (select e.element_id, min(e.created_at) as first_run from tasks e where e.instance_id = ${instanceId} group by e.element_id) f)`,
      earlier,
      refusal: guardsSql(taskId),
    })
    .from(tasks)
    .where(and(eq(tasks.instanceId, instanceId), or(eq(tasks.status, "open"), eq(tasks.id, taskId))))
    .for("update", { of: tasks });
  const mine = rows.find((r) => r.task.id === taskId);
  if (!mine) throw new NotFoundError(NOT_FOUND);
  const { task } = mine;
  const first = rows[0];
  return {
    task,
    known: {
      openTasks: rows.filter((r) => r.task.id !== taskId).map((r) => r.task),
      pendingTimers: (first.timers ?? []).map((t) => ({ ...t, dueAt: new Date(t.dueAt) })),
    } satisfies KnownRows,
    firstRuns: new Map(Object.entries(first.firstRuns ?? {}).map(([id, at]) => [id, Date.parse(at)])),
    earlier: mine.earlier ?? undefined,
    refusal: mine.refusal,
  };
}
