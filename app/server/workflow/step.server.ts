import { and, eq, inArray, type SQL } from "drizzle-orm";
import { CITY_WIDE_ROLES, type Role } from "@db/schema/roles";
import {
  organisations,
  processInstances,
  tasks,
  workflowTimers,
  type Incident,
  type ProcessDefinition,
  type ProcessInstance,
  type Task,
  type WorkflowTimer,
} from "@db/schema";
import type { Tx } from "@db/client";
import { recordAudit, type AuditEntry } from "../audit.server";
import { SYSTEM_ACTOR, type Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { isTransientConflict } from "../db-errors.server";
import { BusyError, ConflictError, DomainError, NotFoundError } from "../errors.server";
import { logger } from "../logger.server";
import { immediateWrites, type Writes } from "../writes.server";
import { ROLE_LABELS } from "~/shared/labels";
import { storableState, waitingActivities } from "./bpmn-engine-adapter.server";
import type { DiagramModel } from "./bpmn-model.server";
import { definitionById, modelOf } from "./definitions.server";
import { createEngine, pendingTimers, settle, sourceContextOf, type EngineStep } from "./engine.server";
import { workflowService, workflowServiceNames, type FlowStarter } from "./services.server";
import { notifyStepOutcome, type CompletedStep, type OpenedTask } from "./step-notices.server";

// One step of an instance, shared by starting, completing and firing a timer: the transaction it
// runs in, the engine it drives, and what it persists. Lock order (docs/architecture.md rule 7): the
// instance row first, then its tasks and timers.

/** What users are told when a step failed: the details are the administrators', in the incident. */
const INCIDENT_MESSAGE = "流程执行出错，本次操作未生效，已记录为流程异常，平台管理员会尽快处理";

/** A step failed unexpectedly: rolled back, and recorded as an incident of its instance. */
export class IncidentError extends DomainError {
  constructor() {
    super(503, "incident", INCIDENT_MESSAGE);
  }
}

/** A step could not run (a failing service, a missing party, an engine error): its message is for administrators. */
export class StepFailure extends Error {}

export type InstanceInfo = Pick<ProcessInstance, "id" | "businessType" | "businessKey" | "title" | "parties">;

export interface StepContext {
  tx: Tx;
  actor: Actor;
  definition: ProcessDefinition;
  model: DiagramModel;
  instance: InstanceInfo;
  /**
   * How a service starts another flow in a given transaction (the start module's, handed in by the
   * caller because that module depends on this one); services get it bound to the step's tx.
   */
  flowStarterIn: (tx: Tx) => FlowStarter;
  /** Where the step's writes go: at once, or gathered and sent as one statement by the step's owner (a completion). */
  writes?: Writes;
}

/**
 * Runs a step's transaction; when PostgreSQL aborts it to break a deadlock or a serialization
 * conflict it is tried once more, then the user is told to try again (never a 500). Inside an
 * outer transaction it is a savepoint, and the outer one owns the retry.
 */
export async function stepTransaction<T>(work: (tx: Tx) => Promise<T>, outer?: Tx): Promise<T> {
  if (outer) return outer.transaction(work);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db().transaction(work);
    } catch (error) {
      if (!isTransientConflict(error)) throw error;
      if (attempt >= 2) {
        logger.warn({ err: error }, "workflow step aborted twice by the database");
        throw new BusyError();
      }
    }
  }
}

export async function openEngine(ctx: StepContext): Promise<EngineStep> {
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
        startFlow: ctx.flowStarterIn(ctx.tx),
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

/**
 * Runs the engine until it waits. A service's refusal (a DomainError) answers like a form; anything
 * else is a StepFailure, whose cause stays the service's error: a database abort in a service's
 * query is retried with the whole step (stepTransaction), like one anywhere else in it.
 */
export async function runToRest(step: EngineStep): Promise<void> {
  try {
    await settle(step);
  } catch (error) {
    throw new StepFailure((error as Error).message);
  }
  if (!step.failure) return;
  if (step.failure instanceof DomainError) throw step.failure;
  throw new StepFailure(adminText(step.failure), { cause: step.failure });
}

/**
 * Locks the instance row: always the first lock of a step. A timer (skipLocked) passes over an
 * instance another step holds, or one that has ended meanwhile (null); anyone else is told.
 */
export async function lockInstance(tx: Tx, instanceId: string, options: { skipLocked?: boolean } = {}): Promise<ProcessInstance | null> {
  const [instance] = await tx
    .select()
    .from(processInstances)
    .where(eq(processInstances.id, instanceId))
    .for("update", options.skipLocked ? { skipLocked: true } : {});
  if (!instance) {
    if (options.skipLocked) return null;
    throw new NotFoundError("流程实例不存在");
  }
  if (hasEnded(instance)) {
    if (options.skipLocked) return null;
    throw new ConflictError("该流程已结束");
  }
  return instance;
}

/** Locks the running instance `where` finds (the one of a task the actor sees: complete.server.ts); null when none. */
export async function lockRunningInstanceWhere(tx: Tx, where: SQL): Promise<ProcessInstance | null> {
  const [instance] = await tx.select().from(processInstances).where(where).for("update");
  if (instance && hasEnded(instance)) throw new ConflictError("该流程已结束");
  return instance ?? null;
}

const hasEnded = (instance: ProcessInstance) =>
  instance.status === "completed" || instance.status === "cancelled" || instance.status === "withdrawn";

/** What a step of a locked instance runs with: its definition version and that version's diagram. */
export async function stepContext(
  tx: Tx,
  actor: Actor,
  instance: ProcessInstance,
  flowStarterIn: (tx: Tx) => FlowStarter,
): Promise<StepContext> {
  const definition = await definitionById(instance.definitionId, tx);
  const model = await modelOf(definition);
  return { tx, actor, definition, model, instance, flowStarterIn };
}

/** Recovers the instance's engine from its row and resumes it, ready for a signal. */
export async function recoverEngine(ctx: StepContext, state: unknown) {
  const step = await openEngine(ctx);
  let execution;
  try {
    step.engine.recover(state as never);
    execution = await step.engine.resume();
  } catch (error) {
    throw new StepFailure(`流程状态无法恢复：${(error as Error).message}`);
  }
  // A running instance waits on something; a state that resumes to nothing is damaged, and must not
  // pass for a flow that has ended.
  if (step.engine.state === "idle") throw new StepFailure("流程状态无法恢复：保存的状态中没有等待中的环节");
  return { step, execution };
}

/**
 * The rest of a step the platform signalled on an instance (a timer fired, a message received):
 * run the engine to its next waits, persist, and audit it on the instance, in the step's transaction.
 */
export async function finishSignalledStep(
  ctx: StepContext,
  step: EngineStep,
  instance: ProcessInstance,
  audit: Pick<AuditEntry, "action" | "after">,
): Promise<void> {
  await runToRest(step);
  await persistStep(ctx, step, instance);
  await recordAudit(ctx.tx, ctx.actor, { ...audit, subjectType: "process_instance", subjectId: instance.id });
}

/** How a step closing tasks hands its writes on: gathered, and which task it completed (its guards ran). */
export interface ClosingStep {
  writes: Writes;
  completedId?: string;
}

/**
 * A hook on closed tasks: the actor who closed them (the platform for a step of the flow), and
 * what it dropped, counted by a name the closing event's audit row shows (e.g. signsCancelled).
 */
type TasksClosedHook = (tx: Tx, taskIds: string[], actor?: Actor, step?: ClosingStep) => Promise<Record<string, number> | void>;
const tasksClosedHooks = new Map<string, TasksClosedHook>();

/**
 * What another module keeps about tasks and drops when a step closes them (the drafts of their
 * forms: docs/decisions/006), registered at the app's start (composition.server.ts).
 */
export function onTasksClosed(name: string, hook: TasksClosedHook): void {
  tasksClosedHooks.set(name, hook);
}

/**
 * Tells the hooks which tasks this step closed (completed, or cancelled by the flow), in the
 * step's transaction. Returns what they dropped (nothing counted left out), for the audit row.
 */
export async function tasksClosed(tx: Tx, taskIds: string[], actor?: Actor, step?: ClosingStep): Promise<Record<string, number>> {
  const dropped: Record<string, number> = {};
  if (!taskIds.length) return dropped;
  for (const hook of tasksClosedHooks.values())
    for (const [what, n] of Object.entries((await hook(tx, taskIds, actor, step)) ?? {})) if (n) dropped[what] = (dropped[what] ?? 0) + n;
  return dropped;
}

export interface PersistOptions {
  /** The instance's incident is handled by this step (a retry): it runs again. Otherwise an incident stays. */
  resolvesIncident?: boolean;
  /** The task whose completion this step is: who is told what depends on it (step-notices.server.ts). */
  completed?: CompletedStep;
  /**
   * What the caller read of the instance under its lock, so the step need not read it again (a
   * completion reads it with the task: complete.server.ts). The completed task is not among the open.
   */
  known?: KnownRows;
}

/** The instance's rows a step reads before it persists. */
export interface KnownRows {
  openTasks: Task[];
  pendingTimers: Pick<WorkflowTimer, "id" | "elementId" | "executionId" | "dueAt">[];
}

/**
 * Persists a step: the engine's state, the tasks it now waits on, the timers it armed; what other
 * modules keep of the tasks it closed (the one just completed, and any the flow cancelled) goes
 * with them (tasksClosed).
 */
export async function persistStep(
  ctx: StepContext,
  step: EngineStep,
  previous: ProcessInstance,
  options: PersistOptions = {},
): Promise<ProcessInstance> {
  const { tx, model, instance } = ctx;
  const writes = ctx.writes ?? immediateWrites;
  const { known } = options;
  const now = clock.now();
  const state = storableState(await step.engine.getState());
  const finished = step.engine.state === "idle";
  // An incident stays until it is handled: another task of the instance may still be done meanwhile.
  const keepsIncident = previous.status === "incident" && !options.resolvesIncident && !finished;
  const changes = {
    state,
    parties: instance.parties,
    title: instance.title,
    status: finished ? ("completed" as const) : keepsIncident ? ("incident" as const) : ("running" as const),
    endedAt: finished ? now : null,
    incident: keepsIncident ? previous.incident : null,
    rowVersion: previous.rowVersion + 1,
    updatedAt: now,
  };
  // The step holds the instance's lock: the version is the one it read, or another step slipped in.
  await writes.add(
    tx
      .update(processInstances)
      .set(changes)
      .where(and(eq(processInstances.id, instance.id), eq(processInstances.rowVersion, previous.rowVersion)))
      .returning({ id: processInstances.id }),
    { rows: 1, otherwise: () => new ConflictError("流程已被他人同时处理，请刷新后重试") },
  );
  const saved: ProcessInstance = { ...previous, ...changes };

  // Timers: keep the due time of those still armed, add the new ones, drop the ones that went away.
  const armed = finished ? [] : pendingTimers(step);
  const stored =
    known?.pendingTimers ??
    (await tx
      .select()
      .from(workflowTimers)
      .where(and(eq(workflowTimers.instanceId, instance.id), eq(workflowTimers.status, "pending"))));
  const gone = stored.filter((t) => !armed.some((a) => a.executionId === t.executionId)).map((t) => t.id);
  if (gone.length) await writes.add(tx.update(workflowTimers).set({ status: "cancelled" }).where(inArray(workflowTimers.id, gone)));
  const added = armed
    .filter((a) => !stored.some((t) => t.executionId === a.executionId))
    .map((a) => ({ instanceId: instance.id, elementId: a.elementId, executionId: a.executionId, dueAt: a.dueAt(now), createdAt: now }));
  if (added.length) await writes.add(tx.insert(workflowTimers).values(added));
  // A user task's due time is when its earliest boundary timer (its limit) falls due, reminders
  // before the limit aside; also when that timer fired at once (a risk event's deadline already
  // past when its rectification reopens). A task inside an embedded subprocess is due by its
  // subprocess's limit too, whose timer may have started steps ago (its row holds its due time).
  const timers = [
    ...[...step.timersStarted.values()].map((t) => ({ elementId: t.elementId, due: t.dueAt(now) })),
    ...stored.filter((t) => !gone.includes(t.id)).map((t) => ({ elementId: t.elementId, due: t.dueAt })),
  ];
  const dueOf = (taskElementId: string) => taskLimit(model, timers, taskElementId);

  // Tasks: the user tasks the engine now waits on are the open task rows: those inside embedded
  // subprocesses too, and each iteration of a 会签/或签 (multi-instance) task, for its organisation.
  const waiting = finished ? [] : waitingUserTasks(step, model);
  const open =
    known?.openTasks ??
    (await tx
      .select()
      .from(tasks)
      .where(and(eq(tasks.instanceId, instance.id), eq(tasks.status, "open"))));
  const closed = open.filter((t) => !waiting.some((w) => w.executionId === t.executionId)).map((t) => t.id);
  if (closed.length) await writes.add(tx.update(tasks).set({ status: "cancelled", completedAt: now }).where(inArray(tasks.id, closed)));
  const completedId = options.completed?.id;
  await tasksClosed(tx, completedId ? [completedId, ...closed] : closed, undefined, { writes, completedId });
  const fresh = waiting.filter((w) => !open.some((t) => t.executionId === w.executionId));
  let opened: OpenedTask[] = [];
  if (fresh.length) {
    const signers = await signingOrganisations(tx, model, fresh);
    const rows = fresh.map((w) => {
      const info = model.userTasks.get(w.elementId)!;
      return {
        id: crypto.randomUUID(),
        instanceId: instance.id,
        elementId: w.elementId,
        executionId: w.executionId,
        name: info.name,
        formKey: info.formKey!,
        formVersion: ctx.definition.formVersions[info.formKey!] ?? null,
        candidateRoles: info.candidateGroups,
        organisationId: w.iteration ? signers.get(w.iteration.signer)! : organisationFor(instance, info),
        createdAt: now,
        dueAt: dueOf(w.elementId),
      };
    });
    await writes.add(tx.insert(tasks).values(rows));
    opened = rows.map(({ id, elementId, name, candidateRoles, organisationId }) => ({
      id,
      elementId,
      name,
      candidateRoles,
      organisationId,
    }));
  }
  const end = step.endsReached.filter((e) => e.name).at(-1);
  await notifyStepOutcome(
    { ...ctx, writes },
    { saved, opened, completed: options.completed, ended: finished ? { name: end?.name ?? null } : null },
  );
  return saved;
}

/**
 * A user task's limit (办理期限): the earliest of the timers on its boundary or on the boundary of a
 * subprocess around it, reminders aside.
 */
export function taskLimit(model: DiagramModel, timers: { elementId: string; due: Date }[], taskElementId: string): Date | null {
  const holders = new Set<string>();
  for (let id: string | undefined = taskElementId; id; id = model.parentOf.get(id)) holders.add(id);
  const dues = timers
    .filter((t) => model.properties.get(t.elementId)?.reminder !== "true" && holders.has(model.boundaryOf.get(t.elementId) ?? ""))
    .map((t) => t.due.getTime());
  return dues.length ? new Date(Math.min(...dues)) : null;
}

export interface WaitingTask {
  elementId: string;
  executionId: string;
  /** A multi-instance iteration, with its element variable: the organisation that must do it. */
  iteration?: { signer: unknown; index: number; of: number };
}

/** The user tasks the engine waits on, each iteration of a multi-instance task on its own. */
export function waitingUserTasks(step: EngineStep, model: DiagramModel): WaitingTask[] {
  return waitingActivities(step.engine)
    .filter((a) => a.type === "bpmn:UserTask")
    .map((a) => {
      const variable = model.userTasks.get(a.id)?.multiInstance?.elementVariable;
      const iteration =
        a.index === undefined
          ? undefined
          : { signer: variable ? a.content[variable] : undefined, index: a.index, of: Number(a.content.loopCardinality) || 0 };
      return { elementId: a.id, executionId: a.executionId, ...(iteration ? { iteration } : {}) };
    });
}

/**
 * The organisations the iterations of 会签/或签 tasks go to, by the id their element variable
 * holds. Each must be an active organisation whose type is one of the task's roles: the flow's data
 * (a list in a submission or a service's result) cannot send a task to anyone else. Otherwise the
 * step fails, naming the task and the value.
 */
async function signingOrganisations(tx: Tx, model: DiagramModel, fresh: WaitingTask[]): Promise<Map<unknown, string>> {
  const iterations = fresh.flatMap((w) => (w.iteration ? [{ elementId: w.elementId, ...w.iteration }] : []));
  const seen = new Set<string>();
  for (const w of iterations) {
    const info = model.userTasks.get(w.elementId)!;
    if (w.of > MAX_SIGNERS) throw new MissingPartyError(`任务“${info.name}”（${info.id}）最多由${MAX_SIGNERS}个单位会签`);
    const key = `${w.elementId} ${String(w.signer).toLowerCase()}`;
    if (seen.has(key)) throw new MissingPartyError(`任务“${info.name}”（${info.id}）的办理单位“${shown(w.signer)}”重复`);
    seen.add(key);
  }
  const ids = iterations.map((w) => w.signer).filter((v): v is string => typeof v === "string" && UUID.test(v));
  const rows = ids.length
    ? await tx
        .select({ id: organisations.id, type: organisations.type, status: organisations.status })
        .from(organisations)
        .where(inArray(organisations.id, ids))
    : [];
  const found = new Map<unknown, string>();
  for (const w of iterations) {
    const info = model.userTasks.get(w.elementId)!;
    const signer = w.signer;
    const row = typeof signer === "string" ? rows.find((r) => r.id === signer.toLowerCase()) : undefined;
    if (!row || row.status !== "active" || !info.candidateGroups.includes(row.type)) {
      const roles = info.candidateGroups.map((g) => ROLE_LABELS[g as Role] ?? g).join("或");
      throw new MissingPartyError(`任务“${info.name}”（${info.id}）的办理单位“${shown(w.signer)}”不是平台上有效的${roles}单位`);
    }
    found.set(w.signer, row.id);
  }
  return found;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The most organisations one 会签/或签 task goes to. */
export const MAX_SIGNERS = 50;

/** A list entry as an administrator reads it in the refusal (an object as JSON, not [object Object]). */
const shown = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? String(value))).slice(0, 60);

/**
 * Which organisation must do a task: the instance's party in one of the task's roles. A task for a
 * party role (an insurer, a TIS, a contractor…) whose party the flow has not named must not fall
 * back to every organisation of that role: the step fails, naming the missing party.
 */
function organisationFor(instance: InstanceInfo, task: { id: string; name: string; candidateGroups: string[] }): string | null {
  const party = task.candidateGroups.map((g) => instance.parties[g]).find(Boolean);
  if (party) return party;
  if (task.candidateGroups.some((g) => CITY_WIDE_ROLES.includes(g as Role))) return null;
  const roles = task.candidateGroups.map((g) => ROLE_LABELS[g as Role] ?? g).join("或");
  throw new MissingPartyError(`任务“${task.name}”（${task.id}）应由本流程的${roles}办理，但流程未指定${roles}`);
}

/** A task's party is not named: at start the starter's mistake (422), later an incident. */
export class MissingPartyError extends StepFailure {}

// ---------------------------------------------------------------------------------------------
// Incidents

/** Marks the instance as an incident, in its own transaction (the failed step was rolled back). */
export async function recordIncident(instanceId: string, message: string, cause: Incident["cause"]): Promise<void> {
  await db().transaction((tx) => markIncident(tx, instanceId, message, cause));
}

export async function markIncident(tx: Tx, instanceId: string, message: string, cause: Incident["cause"]): Promise<void> {
  const incident: Incident = { at: clock.now().toISOString(), message, cause };
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
  logger.warn({ instanceId, message }, "workflow incident");
}

/**
 * The text an administrator reads in an incident: a step failure's own message, or for anything
 * else (a database error) its message without the query's parameters.
 */
export function incidentMessage(error: unknown): string {
  return error instanceof StepFailure ? error.message : `系统错误：${adminText(error)}`;
}

/** An error's message without a failed query's parameters (they may hold personal data). */
function adminText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\nparams:")[0].slice(0, 500);
}
