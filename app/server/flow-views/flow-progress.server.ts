import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { organisations, processDefinitions, processInstances, tasks, workflowTimers, type Incident } from "@db/schema";
import { INSTANCE_STATUS_LABELS } from "~/shared/labels";
import { formatDateTime } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { listParams, offsetOf, pageSchema } from "../pagination.server";
import { type DiagramModel, definitionById, modelOf } from "../workflow/index.server";

// Where a flow stands, as lists and summaries tell it: its open steps; or, running with none open,
// what it waits for (a project in its use stage waits for the next revisit and the re-inspection,
// not for a step nobody has); or how it ended. And the lists of flows themselves (我发起的, 流程异常).

/** A flow as a row of a list (InstanceTable): what it is, where it stands (its open steps), when. Join processDefinitions. */
export const instanceListColumns = {
  id: processInstances.id,
  title: processInstances.title,
  status: processInstances.status,
  processName: processDefinitions.name,
  version: processInstances.definitionVersion,
  startedAt: processInstances.startedAt,
  endedAt: processInstances.endedAt,
  incident: processInstances.incident,
  // The open steps with the organisation that must act on them, the steps of one party together:
  // 现场风险检查、风险过程评估报告（云南建科…）、审核最终检查报告（中国人民财产保险…）.
  currentSteps: sql<string | null>`(select string_agg(waiting.steps || coalesce('（' || waiting.party || '）', ''), '、'
    order by waiting.since) from (select string_agg(${tasks.name}, '、' order by ${tasks.createdAt}) as steps,
    ${organisations.name} as party, min(${tasks.createdAt}) as since
    from ${tasks} left join ${organisations} on ${organisations.id} = ${tasks.organisationId}
    where ${tasks.instanceId} = ${processInstances.id} and ${tasks.status} = 'open' group by ${tasks.organisationId}, ${organisations.name}) as waiting)`,
};

export interface TimerWait {
  elementId: string;
  /** The timer event's name in the diagram (回访周期（6个月）). */
  name: string;
  dueAt: Date;
}

/**
 * What flows wait for besides their tasks, by instance: their armed timer events, soonest first.
 * A task's boundary timers are its limits, not something the flow waits for.
 */
export async function timerWaits(instanceIds: string[]): Promise<Map<string, TimerWait[]>> {
  const waits = new Map<string, TimerWait[]>();
  if (!instanceIds.length) return waits;
  const rows = await db()
    .select({
      instanceId: workflowTimers.instanceId,
      elementId: workflowTimers.elementId,
      dueAt: workflowTimers.dueAt,
      definitionId: processInstances.definitionId,
    })
    .from(workflowTimers)
    .innerJoin(processInstances, eq(processInstances.id, workflowTimers.instanceId))
    .where(and(inArray(workflowTimers.instanceId, instanceIds), eq(workflowTimers.status, "pending")))
    .orderBy(asc(workflowTimers.dueAt));
  const models = new Map<string, Promise<DiagramModel>>();
  for (const row of rows) {
    if (!models.has(row.definitionId)) models.set(row.definitionId, definitionById(row.definitionId).then(modelOf));
    const model = await models.get(row.definitionId)!;
    if (model.boundaryOf.has(row.elementId)) continue;
    const name = model.elements.find((e) => e.id === row.elementId)?.name || row.elementId;
    waits.set(row.instanceId, [...(waits.get(row.instanceId) ?? []), { elementId: row.elementId, name, dueAt: row.dueAt }]);
  }
  return waits;
}

/** "等待：回访周期（6个月）至 2027-06-21、竣工验收满两年前复查至 2028-11-20" */
function waitingLine(waits: TimerWait[]): string {
  return `等待：${waits.map((w) => `${w.name}至 ${formatDateTime(w.dueAt, "YYYY-MM-DD")}`).join("、")}`;
}

type ListedFlow = { id: string; status: keyof typeof INSTANCE_STATUS_LABELS; currentSteps: string | null };

/** Flows as rows of a list, a running one with no open step saying what it waits for. */
export async function withWaits<T extends ListedFlow>(rows: T[]): Promise<T[]> {
  const idle = rows.filter((r) => r.status === "running" && !r.currentSteps).map((r) => r.id);
  const waits = await timerWaits(idle);
  return rows.map((r) => (waits.has(r.id) ? { ...r, currentSteps: waitingLine(waits.get(r.id)!) } : r));
}

/**
 * Where the latest flow that `where` selects stands, as one line: its open steps, what it waits
 * for, or its state (已完成, 已取消…); null when there is no such flow.
 */
export async function flowProgress(where: SQL): Promise<string | null> {
  const [row] = await db()
    .select(instanceListColumns)
    .from(processInstances)
    .innerJoin(processDefinitions, eq(processInstances.definitionId, processDefinitions.id))
    .where(where)
    .orderBy(desc(processInstances.startedAt))
    .limit(1);
  if (!row) return null;
  const [flow] = await withWaits([row]);
  return flow.currentSteps ?? INSTANCE_STATUS_LABELS[flow.status];
}

const INCIDENT_FOR_USERS = "流程执行出错，已记录为流程异常，平台管理员正在处理";

/**
 * An instance's incident as `actor` may read it: administrators get its cause (it may hold a
 * database message); everyone else that the flow has an incident, and when. Never the submission.
 */
export function visibleIncident(actor: Actor, incident: Incident | null): { at: string; message: string } | null {
  if (!incident) return null;
  return { at: incident.at, message: actor.roles.includes("admin") ? incident.message : INCIDENT_FOR_USERS };
}

/** Flows the actor started (我发起的), or every flow with an incident (for administrators). */
export async function listInstances(actor: Actor, which: "started" | "incidents", query: unknown) {
  const q = listParams(pageSchema, query);
  const where = and(
    scope(actor, "instance"),
    which === "started" ? eq(processInstances.startedBy, actor.userId ?? "") : eq(processInstances.status, "incident"),
  );
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select(instanceListColumns)
      .from(processInstances)
      .innerJoin(processDefinitions, eq(processInstances.definitionId, processDefinitions.id))
      .where(where)
      .orderBy(desc(processInstances.updatedAt))
      .limit(q.pageSize)
      .offset(offsetOf(q))
      .then(withWaits),
    db().select({ total: count() }).from(processInstances).where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r, incident: visibleIncident(actor, r.incident) })), total, page: q.page, pageSize: q.pageSize };
}
