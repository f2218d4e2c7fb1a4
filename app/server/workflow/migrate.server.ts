import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { processDefinitions, processInstances, tasks, workflowTimers, type ProcessDefinition, type ProcessInstance } from "@db/schema";
import type { Executor, Tx } from "@db/client";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError, DomainError, NotFoundError, ValidationError } from "../errors.server";
import { parseQuery } from "../query.server";
import { parseInput } from "../validation.server";
import { stateOnSource, type SourceContext } from "./bpmn-engine-adapter.server";
import type { DiagramModel } from "./bpmn-model.server";
import { definitionById, modelOf } from "./definitions.server";
import { sourceContextOf } from "./engine.server";
import { getInstance } from "./instances.server";
import { operateReason } from "./operate.server";
import { flowStarterIn } from "./start.server";
import { StepFailure, lockInstance, recoverEngine, stepContext, stepTransaction } from "./step.server";

// Moving running flows to a newer version of their definition (docs/decisions/037). A flow moves
// only where everything it waits at (its open tasks, its armed timers) is in the target version as
// the same kind of element, a task with the same form and roles, a boundary timer on the same
// task. The engine's saved state names elements by id, so the state itself moves as it is (its
// definitions' id follows the target diagram's: stateOnSource); the next step recovers it on the target's diagram
// and goes on along the target's flows. A migration is tried on the engine inside its transaction
// before it is kept: a state the target cannot resume is refused, naming why.

/** Why a flow cannot move, each in Chinese (empty: it can). */
export type Refusals = string[];

const TYPE_LABELS: Record<string, string> = {
  "bpmn:UserTask": "用户任务",
  "bpmn:ServiceTask": "服务任务",
  "bpmn:BoundaryEvent": "边界事件",
  "bpmn:IntermediateCatchEvent": "中间捕获事件",
  "bpmn:ReceiveTask": "接收任务",
  "bpmn:SubProcess": "子流程",
  "bpmn:ExclusiveGateway": "排他网关",
  "bpmn:ParallelGateway": "并行网关",
};
const typeLabel = (type: string) => TYPE_LABELS[type] ?? type.replace(/^bpmn:/, "");

interface Waiting {
  tasks: { elementId: string; name: string; formKey: string; candidateRoles: string[] }[];
  timers: { elementId: string }[];
}

async function waitingOf(ex: Executor, instanceId: string): Promise<Waiting> {
  const [open, timers] = await Promise.all([
    ex
      .select({ elementId: tasks.elementId, name: tasks.name, formKey: tasks.formKey, candidateRoles: tasks.candidateRoles })
      .from(tasks)
      .where(and(eq(tasks.instanceId, instanceId), eq(tasks.status, "open"))),
    ex
      .select({ elementId: workflowTimers.elementId })
      .from(workflowTimers)
      .where(and(eq(workflowTimers.instanceId, instanceId), eq(workflowTimers.status, "pending"))),
  ]);
  return { tasks: open, timers };
}

const sameList = (a: string[], b: string[]) => [...a].sort().join(",") === [...b].sort().join(",");

/** Why an instance waiting at `waiting` on `source` cannot move to `target` (empty: it can). */
function refusalsOf(
  instance: Pick<ProcessInstance, "status" | "definitionVersion" | "definitionKey">,
  waiting: Waiting,
  source: DiagramModel,
  target: { definition: ProcessDefinition; model: DiagramModel },
): Refusals {
  const { definition, model } = target;
  const version = `第${definition.version}版`;
  if (definition.key !== instance.definitionKey) return [`目标版本不属于流程“${instance.definitionKey}”`];
  if (definition.version <= instance.definitionVersion) return [`流程已在第${instance.definitionVersion}版，只能迁移到更新的版本`];
  if (instance.status === "incident") return ["流程处于异常状态，请先处理异常再迁移"];
  if (instance.status !== "running") return ["流程已结束，无需迁移"];
  const refusals: Refusals = [];
  const elementOf = (m: DiagramModel, id: string) => m.elements.find((e) => e.id === id);
  const named = (id: string) => {
    const e = elementOf(source, id);
    return e?.name ? `“${e.name}”（${id}）` : `“${id}”`;
  };
  const sameKind = (id: string): boolean => {
    const before = elementOf(source, id);
    const after = elementOf(model, id);
    if (!after) {
      refusals.push(`等待中的环节${named(id)}在${version}中不存在`);
      return false;
    }
    if (before && before.$type !== after.$type) {
      refusals.push(`环节${named(id)}在${version}中类型已改变（${typeLabel(before.$type)} → ${typeLabel(after.$type)}）`);
      return false;
    }
    return true;
  };
  for (const task of waiting.tasks) {
    if (!sameKind(task.elementId)) continue;
    const after = model.userTasks.get(task.elementId)!;
    if (after.formKey !== task.formKey)
      refusals.push(`环节${named(task.elementId)}在${version}中表单已改变（${task.formKey} → ${after.formKey ?? "无"}）`);
    if (!sameList(after.candidateGroups, task.candidateRoles)) refusals.push(`环节${named(task.elementId)}在${version}中办理角色已改变`);
  }
  for (const timer of waiting.timers) {
    if (!sameKind(timer.elementId)) continue;
    const attachedBefore = source.boundaryOf.get(timer.elementId);
    const attachedAfter = model.boundaryOf.get(timer.elementId);
    if (attachedBefore !== attachedAfter) refusals.push(`定时器${named(timer.elementId)}在${version}中所附的环节已改变`);
  }
  return [...new Set(refusals)];
}

/** A version of the key to migrate to: the given one, or the latest. 404 when there is none. */
async function targetOf(key: string, version: number | undefined, ex: Executor = db()) {
  const [definition] = await ex
    .select()
    .from(processDefinitions)
    .where(
      version === undefined
        ? eq(processDefinitions.key, key)
        : and(eq(processDefinitions.key, key), eq(processDefinitions.version, version)),
    )
    .orderBy(desc(processDefinitions.version))
    .limit(1);
  if (!definition) throw new NotFoundError(version === undefined ? "流程不存在" : `流程“${key}”没有第${version}版`);
  return { definition, model: await modelOf(definition) };
}

export interface MigrationRow {
  instanceId: string;
  title: string;
  status: ProcessInstance["status"];
  version: number;
  /** The elements it waits at (open tasks, armed timers), with their names in its version's diagram. */
  waitingAt: { id: string; name: string }[];
  /** Empty: it can move. */
  refusals: Refusals;
}

const PREVIEW_LIMIT = 500;

const previewSchema = z.object({
  key: z.string({ error: "请指定流程" }).min(1, "请指定流程").max(64, "流程标识不能超过64个字符"),
  fromVersion: z.coerce.number({ error: "版本应为正整数" }).int("版本应为正整数").min(1, "版本应为正整数").optional(),
  toVersion: z.coerce.number({ error: "版本应为正整数" }).int("版本应为正整数").min(1, "版本应为正整数").optional(),
  instanceId: z.uuid({ error: "流程实例不存在" }).optional(),
});

/**
 * What a migration to `toVersion` (the latest by default) would do: for one instance, or for the
 * running flows of one version (at most PREVIEW_LIMIT, oldest first), which can move and, for each
 * that cannot, why. Changes nothing.
 */
export async function previewMigration(actor: Actor, input: z.input<typeof previewSchema>) {
  assertCan(actor, "manage:processes");
  // Read as a query is (docs/decisions/033): empty values are no filter, an unknown key is refused.
  const q = parseQuery(previewSchema, input);
  const target = await targetOf(q.key, q.toVersion);
  const where = q.instanceId
    ? and(eq(processInstances.id, q.instanceId), eq(processInstances.definitionKey, q.key))
    : and(
        eq(processInstances.definitionKey, q.key),
        inArray(processInstances.status, ["running", "incident"]),
        q.fromVersion ? eq(processInstances.definitionVersion, q.fromVersion) : undefined,
      );
  const rows = await db().select().from(processInstances).where(where).orderBy(asc(processInstances.startedAt)).limit(PREVIEW_LIMIT);
  if (q.instanceId && !rows.length) throw new NotFoundError("流程实例不存在");
  const out: MigrationRow[] = [];
  for (const instance of rows) {
    const waiting = await waitingOf(db(), instance.id);
    const source = await modelOf(await definitionById(instance.definitionId));
    out.push({
      instanceId: instance.id,
      title: instance.title,
      status: instance.status,
      version: instance.definitionVersion,
      waitingAt: [...new Set([...waiting.tasks.map((t) => t.elementId), ...waiting.timers.map((t) => t.elementId)])].map((id) => ({
        id,
        name: source.elements.find((e) => e.id === id)?.name || id,
      })),
      refusals: refusalsOf(instance, waiting, source, target),
    });
  }
  return { key: q.key, toVersion: target.definition.version, rows: out, limited: rows.length === PREVIEW_LIMIT };
}

const migrateSchema = z.object({
  key: previewSchema.shape.key,
  toVersion: previewSchema.shape.toVersion,
  instanceIds: z
    .array(z.uuid({ error: "流程实例不存在" }), { error: "请选择要迁移的流程" })
    .min(1, "请选择要迁移的流程")
    .max(200, "一次最多迁移200个流程"),
  reason: operateReason,
});

/**
 * Moves the chosen flows to the target version, each in a transaction of its own (the instance row
 * locked first): checked again under the lock, its state recovered on the target's diagram (it must
 * resume waiting at its open tasks), then its row names the target version, with an audit event
 * and the reason. A flow that cannot move is left as it was and named with why.
 */
export async function migrateInstances(actor: Actor, input: unknown) {
  assertCan(actor, "manage:processes");
  const q = parseInput(migrateSchema, input);
  const target = await targetOf(q.key, q.toVersion);
  const source = await sourceContextOf(target.definition.id, target.definition.xml);
  const migrated: string[] = [];
  const refused: { instanceId: string; refusals: Refusals }[] = [];
  for (const instanceId of [...new Set(q.instanceIds)]) {
    try {
      await stepTransaction((tx) => migrateOne(tx, actor, instanceId, target, source, q.reason));
      migrated.push(instanceId);
    } catch (error) {
      if (error instanceof MigrationRefused) refused.push({ instanceId, refusals: error.refusals });
      else if (error instanceof DomainError && error.status !== 503) refused.push({ instanceId, refusals: [error.message] });
      else throw error;
    }
  }
  return { toVersion: target.definition.version, migrated, refused };
}

class MigrationRefused extends ValidationError {
  constructor(readonly refusals: Refusals) {
    super({ instanceIds: refusals.join("；") }, refusals.join("；"));
  }
}

async function migrateOne(
  tx: Tx,
  actor: Actor,
  instanceId: string,
  target: { definition: ProcessDefinition; model: DiagramModel },
  source: SourceContext,
  reason: string,
): Promise<void> {
  const seen = await getInstance(actor, instanceId, tx);
  if (seen.definitionKey !== target.definition.key) throw new MigrationRefused([`流程不是“${target.definition.key}”的实例`]);
  let instance: ProcessInstance;
  try {
    instance = (await lockInstance(tx, instanceId))!;
  } catch (error) {
    if (error instanceof ConflictError) throw new MigrationRefused(["流程已结束，无需迁移"]);
    throw error;
  }
  const waiting = await waitingOf(tx, instance.id);
  const sourceModel = await modelOf(await definitionById(instance.definitionId, tx));
  const refusals = refusalsOf(instance, waiting, sourceModel, target);
  if (refusals.length) throw new MigrationRefused(refusals);
  const open = await tx
    .select({ executionId: tasks.executionId })
    .from(tasks)
    .where(and(eq(tasks.instanceId, instance.id), eq(tasks.status, "open")))
    .for("update");
  let state: unknown;
  try {
    state = stateOnSource(instance.state, source);
    if (!state) throw new StepFailure("流程状态无法迁移：保存的状态不是一个流程定义");
    // Tried on the target's diagram: it must resume waiting at the same tasks.
    const ctx = await stepContext(tx, actor, { ...instance, definitionId: target.definition.id }, flowStarterIn);
    const { step } = await recoverEngine(ctx, state);
    const postponed = new Set(
      step.engine.execution
        .getPostponed()
        .filter((a: { type: string }) => a.type === "bpmn:UserTask")
        .map((a: { executionId: string }) => a.executionId),
    );
    if (postponed.size !== open.length || open.some((t) => !postponed.has(t.executionId)))
      throw new StepFailure(`流程在第${target.definition.version}版上恢复后等待的环节与当前待办不一致`);
  } catch (error) {
    if (error instanceof StepFailure) throw new MigrationRefused([error.message]);
    throw error;
  }
  await tx
    .update(processInstances)
    .set({
      definitionId: target.definition.id,
      definitionVersion: target.definition.version,
      state,
      rowVersion: instance.rowVersion + 1,
      updatedAt: clock.now(),
    })
    .where(eq(processInstances.id, instance.id));
  await recordAudit(tx, actor, {
    action: "process.migrate",
    subjectType: "process_instance",
    subjectId: instance.id,
    before: { definitionId: instance.definitionId, version: instance.definitionVersion },
    after: { definitionId: target.definition.id, version: target.definition.version, reason },
  });
}
