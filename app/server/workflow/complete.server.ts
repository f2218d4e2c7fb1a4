import { and, desc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { tasks, type Task } from "@db/schema";
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
import { keepForRecall, pendingTimerIds } from "./recall.server";
import { flowStarterIn } from "./start.server";
import {
  IncidentError,
  StepFailure,
  incidentMessage,
  lockInstance,
  persistStep,
  recordIncident,
  recoverEngine,
  runToRest,
  stepContext,
  stepTransaction,
} from "./step.server";
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

/** A check the app plugs in that may refuse a task's completion under its locks (throws the refusal). */
type CompletionGuard = (tx: Tx, task: Task) => Promise<void>;
const completionGuards = new Map<string, CompletionGuard>();

/** Registers a completion guard (加签: a task with an open sign is not completed), once at the app's start. */
export function onTaskCompleting(name: string, guard: CompletionGuard): void {
  completionGuards.set(name, guard);
}

/**
 * Completes a task in one transaction: lock the instance, then the task; validate; signal the
 * engine with the submission; run service tasks to the next waits; persist; audit. Two people at
 * once: one wins, the other gets 409. A failure rolls everything back and records an incident.
 */
export async function completeTask(actor: Actor, taskId: string, input: CompleteInput, options: CompleteOptions = {}): Promise<Task> {
  if (!z.uuid().safeParse(taskId).success) throw new NotFoundError("任务不存在，或您无权查看");
  const comment = parseInput(z.object({ comment: taskComment }), { comment: input.comment }).comment || null;
  let failed: { instanceId: string; submission: unknown } | undefined;
  try {
    return await stepTransaction(async (tx) => {
      failed = undefined;
      const seen = await visibleTask(tx, actor, taskId);
      const instance = (await lockInstance(tx, seen.instanceId))!;
      // The instance lock orders every step of this instance: the task's state is now settled.
      const [task] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for("update");
      // A task the flow closed without it (或签 done by another organisation, a limit that passed) is not "already done".
      if (task.status === "cancelled") throw new ConflictError("该任务已结束，无需再办理：流程已不在此环节（例如或签已由其他单位办理）");
      if (task.status !== "open") throw new ConflictError("该任务已办理，无需重复提交");
      if (!canAct(actor, task)) {
        if (task.assigneeId && task.assigneeId !== actor.userId) throw new ConflictError("该任务已由他人认领");
        throw new ForbiddenError("您不是该任务的办理人");
      }
      await options.signOff?.(tx, task);
      for (const guard of completionGuards.values()) await guard(tx, task);
      const ctx = await stepContext(tx, actor, instance, flowStarterIn);
      const submission = await validateSubmission(tx, actor, task, instance, input.submission);
      failed = { instanceId: task.instanceId, submission };
      const timersBefore = await pendingTimerIds(tx, instance.id);
      const { step, execution } = await recoverEngine(ctx, instance.state);
      await drive(step, () => execution.signal({ id: task.elementId, executionId: task.executionId, ...submission }));
      await runToRest(step);
      const now = clock.now();
      await tx
        .update(tasks)
        .set({ status: "completed", completedAt: now, completedBy: actor.userId, completedByName: actor.displayName, submission, comment })
        .where(eq(tasks.id, task.id));
      // The incident is handled when an administrator retries it, or when its failed task gets done after all.
      const cause = instance.incident?.cause;
      const resolvesIncident = Boolean(options.retriedBy) || (cause?.kind === "task" && cause.taskId === task.id);
      const saved = await persistStep(ctx, step, instance, { resolvesIncident, completed: { ...task, submission, comment } });
      // What 撤回 restores, while nothing moves after this completion (docs/decisions/038).
      await keepForRecall(tx, {
        model: ctx.model,
        before: instance,
        saved,
        task,
        step,
        timers: timersBefore,
        refused: options.notRecallable,
      });
      // A step done again (sent back and corrected): the audit log shows what changed since last time.
      // An iteration of 会签/或签 compares with its own organisation's last one, not a co-signer's.
      const iteration = ctx.model.userTasks.get(task.elementId)?.multiInstance;
      const [earlier] = await tx
        .select({ submission: tasks.submission, comment: tasks.comment })
        .from(tasks)
        .where(
          and(
            eq(tasks.instanceId, task.instanceId),
            eq(tasks.elementId, task.elementId),
            eq(tasks.status, "completed"),
            ne(tasks.id, task.id),
            iteration && task.organisationId ? eq(tasks.organisationId, task.organisationId) : undefined,
          ),
        )
        .orderBy(desc(tasks.completedAt))
        .limit(1);
      await recordAudit(tx, actor, {
        action: "task.complete",
        subjectType: "task",
        subjectId: task.id,
        ...(earlier ? { before: { instanceId: task.instanceId, elementId: task.elementId, ...earlier } } : {}),
        after: { instanceId: task.instanceId, elementId: task.elementId, submission, comment },
      });
      if (options.retriedBy) {
        await recordAudit(tx, options.retriedBy, {
          action: "process.retry",
          subjectType: "process_instance",
          subjectId: instance.id,
          before: instance.incident,
          after: { outcome: "task_redone", reason: options.retryReason ?? null },
        });
      }
      const [done] = await tx.select().from(tasks).where(eq(tasks.id, task.id));
      return done;
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

async function visibleTask(tx: Tx, actor: Actor, taskId: string): Promise<Task> {
  const [task] = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), scope(actor, "task")));
  if (!task) throw new NotFoundError("任务不存在，或您无权查看");
  return task;
}
