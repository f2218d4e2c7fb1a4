import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { z } from "zod";
import {
  processInstances,
  tasks,
  workflowTimers,
  type Incident,
  type ProcessDefinition,
  type ProcessInstance,
  type Task,
} from "@db/schema";
import type { Executor, Tx } from "@db/client";
import { recordAudit } from "../audit.server";
import { SYSTEM_ACTOR, type Actor } from "../auth/actor";
import { loadActor } from "../auth/current-user.server";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from "../errors.server";
import { linkSubmittedAttachments } from "../attachments.server";
import { formSchema } from "../forms/registry.server";
import { validateSubmissionAgainst } from "../forms/validate.server";
import { logger } from "../logger.server";
import type { DiagramModel } from "./bpmn-model.server";
import { definitionById, latestDefinition, modelOf } from "./definitions.server";
import { createEngine, pendingTimers, settle, sourceContextOf, storableState, type EngineStep } from "./engine.server";
import { workflowService, workflowServiceNames } from "./services.server";

/** A service task failed: the step was rolled back and the instance marked as an incident. */
export class IncidentError extends DomainError {
  constructor(message: string) {
    super(503, "incident", `流程执行出错，本次操作未生效，已记录为流程异常并通知管理员处理：${message}`);
  }
}

class StepFailure extends Error {}

type InstanceInfo = Pick<ProcessInstance, "id" | "businessType" | "businessKey" | "title" | "parties">;

interface StepContext {
  tx: Tx;
  actor: Actor;
  definition: ProcessDefinition;
  model: DiagramModel;
  instance: InstanceInfo;
}

async function openEngine(ctx: StepContext): Promise<EngineStep> {
  const source = await sourceContextOf(ctx.definition.id, ctx.definition.xml);
  return createEngine(
    ctx.definition.key,
    async (name, elementId, output) => {
      const service = workflowService(name);
      if (!service) throw new Error(`服务“${name}”不存在`);
      const result = await service.run({
        tx: ctx.tx,
        actor: ctx.actor,
        now: clock.now(),
        instance: ctx.instance,
        elementId,
        params: ctx.model.properties.get(elementId) ?? {},
        output,
      });
      // A service may name parties of the business object (the developer, the appointed TIS…):
      // they join the instance, so the tasks that follow go to them. It may also rename the
      // instance once the business object has a name (the project registered under a draft title).
      const { parties, title } = (result ?? {}) as { parties?: Record<string, string>; title?: unknown };
      if (parties) Object.assign(ctx.instance.parties, parties);
      if (typeof title === "string" && title.trim()) ctx.instance.title = title.trim().slice(0, 200);
      return result;
    },
    workflowServiceNames(),
    source,
  );
}

async function runToRest(step: EngineStep): Promise<void> {
  await settle(step);
  if (!step.failure) return;
  // A service that refuses the submission (e.g. a duplicate 报建号) answers like a form: the step
  // is rolled back and the user gets the message; only unexpected failures become incidents.
  if (step.failure instanceof DomainError) throw step.failure;
  throw new StepFailure(step.failure.message);
}

// ---------------------------------------------------------------------------------------------
// Starting

const startSchema = z.object({
  key: z.string({ error: "请指定流程" }).min(1, "请指定流程"),
  // By default the process's own businessType property, and a new key (e.g. the project to be created).
  businessType: z.string().min(1).max(40).optional(),
  businessKey: z.string().min(1).max(100).optional(),
  title: z.string({ error: "请填写标题" }).trim().min(1, "请填写标题").max(200, "标题不能超过200个字"),
  parties: z.record(z.string(), z.uuid()).default({}),
  variables: z.record(z.string(), z.unknown()).default({}),
});
export type StartProcessInput = z.input<typeof startSchema>;

/** The parties of something an actor starts by hand: its own organisation in each of its roles. */
function ownParties(actor: Actor): Record<string, string> {
  return actor.organisationId ? Object.fromEntries(actor.roles.map((r) => [r, actor.organisationId!])) : {};
}

/** Starts the latest version of a process and runs it to its first waits, in one transaction. */
export async function startProcess(actor: Actor, input: unknown, outer?: Tx): Promise<ProcessInstance> {
  const parsed = startSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])));
  const data = parsed.data;
  const definition = await latestDefinition(data.key, outer);
  if (!definition) throw new NotFoundError("流程不存在");
  const model = await modelOf(definition);
  if (actor !== SYSTEM_ACTOR && model.starterGroups.length && !actor.roles.some((r) => model.starterGroups.includes(r))) {
    throw new ForbiddenError("您的角色不能发起该流程");
  }
  const work = async (tx: Tx) => {
    const instance: InstanceInfo = {
      id: crypto.randomUUID(),
      businessType: data.businessType ?? model.processProperties.businessType ?? "manual",
      businessKey: data.businessKey ?? crypto.randomUUID(),
      title: data.title,
      // Whoever starts a flow by hand is its party in each of their roles: its first tasks go to
      // their organisation, not to every organisation of the role.
      parties: { ...(actor === SYSTEM_ACTOR ? {} : ownParties(actor)), ...data.parties },
    };
    const ctx: StepContext = { tx, actor, definition, model, instance };
    const step = await openEngine(ctx);
    await step.engine.execute({ variables: data.variables });
    await runToRest(step);
    const now = clock.now();
    await tx.insert(processInstances).values({
      ...instance,
      definitionId: definition.id,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      state: {},
      rowVersion: 0,
      startedBy: actor.userId,
      startedAt: now,
      updatedAt: now,
    });
    const saved = await persistStep(ctx, step, 0);
    await recordAudit(tx, actor, {
      action: "process.start",
      subjectType: "process_instance",
      subjectId: instance.id,
      after: { key: definition.key, version: definition.version, businessType: instance.businessType, businessKey: instance.businessKey },
    });
    return saved;
  };
  try {
    return outer ? await outer.transaction(work) : await db().transaction(work);
  } catch (error) {
    if (error instanceof StepFailure) throw new IncidentError(error.message);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Completing a task

/** Whether the actor is one who may do this task (not merely see it). */
export function canAct(actor: Actor, task: Pick<Task, "candidateRoles" | "organisationId" | "assigneeId">): boolean {
  if (!actor.roles.some((r) => task.candidateRoles.includes(r))) return false;
  if (task.organisationId && task.organisationId !== actor.organisationId) return false;
  return !task.assigneeId || task.assigneeId === actor.userId;
}

/** The submission checked against the task's form schema, reduced to the fields it declares. */
async function validateSubmission(tx: Tx, actor: Actor, task: Task, submission: unknown): Promise<Record<string, unknown>> {
  const { formKey, formVersion } = task;
  if (!submission || typeof submission !== "object" || Array.isArray(submission))
    throw new ValidationError({ form: "提交的数据格式不正确" });
  const schema = await formSchema(formKey, formVersion, tx);
  if (!schema) throw new Error(`form ${formKey} v${formVersion} is not deployed`);
  const { values, errors, attachmentFields } = await validateSubmissionAgainst(schema, submission as Record<string, unknown>);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  // File fields hold references to uploads: they are checked, linked to this task and rewritten.
  for (const field of attachmentFields) {
    const parts = field.split(".");
    const holder = parts.slice(0, -1).reduce((o, p) => o[p] as Record<string, unknown>, values);
    const last = parts.at(-1)!;
    holder[last] = await linkSubmittedAttachments(tx, actor, task.id, holder[last] as unknown[], field);
  }
  return values;
}

export interface CompleteInput {
  submission: unknown;
  comment?: string | null;
}

/**
 * Completes a task in one transaction: lock, recover, signal with the validated submission, run
 * service tasks to the next waits, persist, close and open task rows, audit. Two people at once:
 * one wins, the other gets 409. A service failure rolls everything back and records an incident.
 */
export async function completeTask(actor: Actor, taskId: string, input: CompleteInput): Promise<Task> {
  if (!z.uuid().safeParse(taskId).success) throw new NotFoundError("任务不存在，或您无权查看");
  const comment = input.comment?.toString().trim().slice(0, 2000) || null;
  let failedInstance: { id: string; submission: unknown } | undefined;
  try {
    return await db().transaction(async (tx) => {
      const task = await lockVisibleTask(tx, actor, taskId);
      if (task.status !== "open") throw new ConflictError("该任务已办理，无需重复提交");
      if (!canAct(actor, task)) {
        if (task.assigneeId && task.assigneeId !== actor.userId) throw new ConflictError("该任务已由他人认领");
        throw new ForbiddenError("您不是该任务的办理人");
      }
      const submission = await validateSubmission(tx, actor, task, input.submission);
      failedInstance = { id: task.instanceId, submission };
      const { instance, ctx } = await lockInstance(tx, actor, task.instanceId);
      const step = await openEngine(ctx);
      step.engine.recover(instance.state as never);
      const execution = await step.engine.resume();
      execution.signal({ id: task.elementId, executionId: task.executionId, ...submission });
      await runToRest(step);
      const now = clock.now();
      await tx
        .update(tasks)
        .set({ status: "completed", completedAt: now, completedBy: actor.userId, completedByName: actor.displayName, submission, comment })
        .where(eq(tasks.id, task.id));
      await persistStep(ctx, step, instance.rowVersion);
      await recordAudit(tx, actor, {
        action: "task.complete",
        subjectType: "task",
        subjectId: task.id,
        after: { instanceId: task.instanceId, elementId: task.elementId, submission, comment },
      });
      const [done] = await tx.select().from(tasks).where(eq(tasks.id, task.id));
      return done;
    });
  } catch (error) {
    if (error instanceof StepFailure && failedInstance) {
      await recordIncident(failedInstance.id, error.message, {
        kind: "task",
        taskId,
        userId: actor.userId,
        submission: failedInstance.submission,
      });
      throw new IncidentError(error.message);
    }
    throw error;
  }
}

async function lockVisibleTask(tx: Tx, actor: Actor, taskId: string): Promise<Task> {
  const [task] = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), scope(actor, "task")))
    .for("update");
  if (!task) throw new NotFoundError("任务不存在，或您无权查看");
  return task;
}

async function lockInstance(tx: Tx, actor: Actor, instanceId: string): Promise<{ instance: ProcessInstance; ctx: StepContext }> {
  const [instance] = await tx.select().from(processInstances).where(eq(processInstances.id, instanceId)).for("update");
  if (!instance) throw new NotFoundError("流程实例不存在");
  if (instance.status === "completed" || instance.status === "cancelled") throw new ConflictError("该流程已结束");
  const definition = await definitionById(instance.definitionId, tx);
  const model = await modelOf(definition);
  return { instance, ctx: { tx, actor, definition, model, instance } };
}

// ---------------------------------------------------------------------------------------------
// Persisting a step: the engine's state, the tasks it waits on, the timers it armed

async function persistStep(ctx: StepContext, step: EngineStep, rowVersion: number): Promise<ProcessInstance> {
  const { tx, model, instance } = ctx;
  const now = clock.now();
  const state = storableState(await step.engine.getState());
  const finished = step.engine.state === "idle";
  const [saved] = await tx
    .update(processInstances)
    .set({
      state,
      parties: instance.parties,
      title: instance.title,
      status: finished ? "completed" : "running",
      endedAt: finished ? now : null,
      incident: null,
      rowVersion: rowVersion + 1,
      updatedAt: now,
    })
    .where(and(eq(processInstances.id, instance.id), eq(processInstances.rowVersion, rowVersion)))
    .returning();
  if (!saved) throw new ConflictError("流程已被他人同时处理，请刷新后重试");

  // Timers: keep the due time of those still armed, add the new ones, drop the ones that went away.
  const armed = finished ? [] : pendingTimers(step);
  const stored = await tx
    .select()
    .from(workflowTimers)
    .where(and(eq(workflowTimers.instanceId, instance.id), eq(workflowTimers.status, "pending")));
  const gone = stored.filter((t) => !armed.some((a) => a.executionId === t.executionId)).map((t) => t.id);
  if (gone.length) await tx.update(workflowTimers).set({ status: "cancelled" }).where(inArray(workflowTimers.id, gone));
  const added = armed
    .filter((a) => !stored.some((t) => t.executionId === a.executionId))
    .map((a) => ({ instanceId: instance.id, elementId: a.elementId, executionId: a.executionId, dueAt: a.dueAt(now), createdAt: now }));
  if (added.length) await tx.insert(workflowTimers).values(added);
  const live = [...stored.filter((t) => !gone.includes(t.id)), ...added];
  // A user task's due time is when its earliest boundary timer (its SLA) falls due.
  const dueOf = (taskElementId: string) => {
    const dues = live.filter((t) => model.boundaryOf.get(t.elementId) === taskElementId).map((t) => t.dueAt.getTime());
    return dues.length ? new Date(Math.min(...dues)) : null;
  };

  // Tasks: the user tasks the engine now waits on are the open task rows.
  const waiting = finished
    ? []
    : step.engine.execution
        .getPostponed()
        .filter((a: { type: string }) => a.type === "bpmn:UserTask")
        .map((a: { id: string; executionId: string }) => ({ elementId: a.id, executionId: a.executionId }));
  const open = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.instanceId, instance.id), eq(tasks.status, "open")));
  const closed = open.filter((t) => !waiting.some((w: { executionId: string }) => w.executionId === t.executionId)).map((t) => t.id);
  if (closed.length) await tx.update(tasks).set({ status: "cancelled", completedAt: now }).where(inArray(tasks.id, closed));
  const fresh = waiting.filter((w: { executionId: string }) => !open.some((t) => t.executionId === w.executionId));
  if (fresh.length) {
    await tx.insert(tasks).values(
      fresh.map((w: { elementId: string; executionId: string }) => {
        const info = model.userTasks.get(w.elementId)!;
        return {
          instanceId: instance.id,
          elementId: w.elementId,
          executionId: w.executionId,
          name: info.name,
          formKey: info.formKey!,
          formVersion: ctx.definition.formVersions[info.formKey!] ?? null,
          candidateRoles: info.candidateGroups,
          organisationId: info.candidateGroups.map((g) => instance.parties[g]).find(Boolean) ?? null,
          createdAt: now,
          dueAt: dueOf(w.elementId),
        };
      }),
    );
  }
  return saved;
}

// ---------------------------------------------------------------------------------------------
// Timers

/**
 * Fires one due timer, if any is left that no other process holds: claimed with
 * FOR UPDATE SKIP LOCKED, so two app processes never fire the same one. Returns whether it fired.
 */
export async function fireNextDueTimer(): Promise<boolean> {
  let claimed: { id: string; instanceId: string } | undefined;
  try {
    return await db().transaction(async (tx) => {
      const now = clock.now();
      const [timer] = await tx
        .select()
        .from(workflowTimers)
        .where(
          and(
            eq(workflowTimers.status, "pending"),
            lte(workflowTimers.dueAt, now),
            sql`not exists (select 1 from ${processInstances} i where i.id = ${workflowTimers.instanceId} and i.status = 'incident')`,
          ),
        )
        .orderBy(asc(workflowTimers.dueAt))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!timer) return false;
      claimed = timer;
      const { instance, ctx } = await lockInstance(tx, SYSTEM_ACTOR, timer.instanceId);
      const step = await openEngine(ctx);
      step.engine.recover(instance.state as never);
      const execution = await step.engine.resume();
      await tx.update(workflowTimers).set({ status: "fired", firedAt: now }).where(eq(workflowTimers.id, timer.id));
      execution.cancelActivity({ id: timer.elementId });
      await runToRest(step);
      await persistStep(ctx, step, instance.rowVersion);
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "timer.fire",
        subjectType: "process_instance",
        subjectId: instance.id,
        after: { elementId: timer.elementId, dueAt: timer.dueAt.toISOString() },
      });
      return true;
    });
  } catch (error) {
    if (error instanceof StepFailure && claimed) {
      await recordIncident(claimed.instanceId, error.message, { kind: "timer", timerId: claimed.id });
      return true;
    }
    throw error;
  }
}

/** Fires every due timer, one transaction each. Returns how many fired. */
export async function fireDueTimers(limit = 500): Promise<number> {
  let fired = 0;
  while (fired < limit && (await fireNextDueTimer())) fired++;
  return fired;
}

// ---------------------------------------------------------------------------------------------
// Incidents

async function recordIncident(instanceId: string, message: string, cause: Incident["cause"]): Promise<void> {
  const incident: Incident = { at: clock.now().toISOString(), message, cause };
  await db().transaction(async (tx) => {
    await tx
      .update(processInstances)
      .set({ status: "incident", incident, updatedAt: clock.now() })
      .where(eq(processInstances.id, instanceId));
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: "process.incident",
      subjectType: "process_instance",
      subjectId: instanceId,
      after: incident,
    });
  });
  logger.warn({ instanceId, message }, "workflow incident");
}

export async function getInstance(actor: Actor, instanceId: string, ex: Executor = db()): Promise<ProcessInstance> {
  if (!z.uuid().safeParse(instanceId).success) throw new NotFoundError();
  const [row] = await ex
    .select()
    .from(processInstances)
    .where(and(eq(processInstances.id, instanceId), scope(actor, "instance")));
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * An administrator retries what failed: a task completion is redone as the user who submitted it,
 * with the kept submission; a timer is released to fire again on the next poll.
 */
export async function retryIncident(actor: Actor, instanceId: string): Promise<void> {
  if (!actor.roles.includes("admin")) throw new ForbiddenError("只有平台管理员可以重试流程异常");
  const instance = await getInstance(actor, instanceId);
  if (instance.status !== "incident" || !instance.incident) throw new ConflictError("该流程没有待处理的异常");
  const cause = instance.incident.cause;
  await recordAudit(db(), actor, {
    action: "process.retry",
    subjectType: "process_instance",
    subjectId: instance.id,
    before: instance.incident,
  });
  if (cause.kind === "timer") {
    await db()
      .update(processInstances)
      .set({ status: "running", incident: null, updatedAt: clock.now() })
      .where(eq(processInstances.id, instance.id));
    return;
  }
  const submitter = cause.userId ? await loadActor(db(), cause.userId, actor.ip) : null;
  if (!submitter) throw new ConflictError("原提交人已停用，无法代为重试；请由其他办理人重新提交");
  await completeTask(submitter, cause.taskId, { submission: cause.submission });
}
