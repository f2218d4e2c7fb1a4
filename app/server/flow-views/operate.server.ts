import { and, asc, count, desc, eq, gte, ilike, inArray, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { INSTANCE_STATUSES, organisations, processDefinitions, processInstances, workflowTimers, type InstanceStatus } from "@db/schema";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";
import { dayFilter, likePattern, listParams, oneOfFilter, offsetOf, pageSchema, periodInOrder, searchText } from "../pagination.server";
import { dayStarts, shiftDay } from "~/shared/time";
import { definitionById, modelOf, previewMigration, type MigrationRow } from "../workflow/index.server";
import { loadInstanceView } from "./instance-view.server";
import { instanceListColumns, visibleIncident, withWaits } from "./flow-progress.server";

// 流程运维 (docs/decisions/037): what administrators watch of the running work — how many flows of
// each definition version stand where, a filtered list of them, and one flow as its administrator
// sees it (diagram with where it waits, its variables, history and tasks). The instance page's
// view (instance-view.server.ts) is the base; this adds what only administrators read.

export type StatusCounts = Record<InstanceStatus, number>;

export interface VersionCounts {
  key: string;
  name: string;
  version: number;
  counts: StatusCounts;
  total: number;
}

const noCounts = (): StatusCounts => Object.fromEntries(INSTANCE_STATUSES.map((s) => [s, 0])) as StatusCounts;

/** Per definition and version, newest version first: how many flows are running, completed, cancelled, withdrawn, in incident. */
export async function operateCounts(actor: Actor): Promise<VersionCounts[]> {
  assertCan(actor, "manage:processes");
  const [versions, rows] = await Promise.all([
    db()
      .select({ key: processDefinitions.key, name: processDefinitions.name, version: processDefinitions.version })
      .from(processDefinitions)
      .orderBy(asc(processDefinitions.key), desc(processDefinitions.version)),
    db()
      .select({
        key: processInstances.definitionKey,
        version: processInstances.definitionVersion,
        status: processInstances.status,
        n: count(),
      })
      .from(processInstances)
      .where(scope(actor, "instance"))
      .groupBy(processInstances.definitionKey, processInstances.definitionVersion, processInstances.status),
  ]);
  return versions.map((v) => {
    const counts = noCounts();
    for (const r of rows) if (r.key === v.key && r.version === v.version) counts[r.status] = Number(r.n);
    return { ...v, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
  });
}

const listSchema = pageSchema
  .extend({
    process: z.string().trim().max(64, "流程不存在").optional(),
    version: z
      .string()
      .regex(/^[1-9][0-9]{0,5}$/, "版本应为正整数")
      .transform(Number)
      .optional(),
    status: oneOfFilter(INSTANCE_STATUSES, "状态不存在"),
    q: searchText(),
    from: dayFilter("发起日期起"),
    to: dayFilter("发起日期止"),
  })
  .refine(...periodInOrder("发起日期起", "发起日期止"));

export type OperateQuery = z.input<typeof listSchema>;

/** The flows an administrator looks for: by definition, version, status, title or business key, started period; newest first. */
export async function operateInstances(actor: Actor, query: unknown) {
  assertCan(actor, "manage:processes");
  const q = listParams(listSchema, query);
  const filters: (SQL | undefined)[] = [scope(actor, "instance")];
  if (q.process) filters.push(eq(processInstances.definitionKey, q.process));
  if (q.version) filters.push(eq(processInstances.definitionVersion, q.version));
  if (q.status) filters.push(eq(processInstances.status, q.status));
  if (q.q) filters.push(or(ilike(processInstances.title, likePattern(q.q)), ilike(processInstances.businessKey, likePattern(q.q))));
  if (q.from) filters.push(gte(processInstances.startedAt, dayStarts(q.from)));
  if (q.to) filters.push(lt(processInstances.startedAt, dayStarts(shiftDay(q.to, 1, "day"))));
  const where = and(...filters);
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({ ...instanceListColumns, businessKey: processInstances.businessKey })
      .from(processInstances)
      .innerJoin(processDefinitions, eq(processInstances.definitionId, processDefinitions.id))
      .where(where)
      .orderBy(desc(processInstances.startedAt), desc(processInstances.id))
      .limit(q.pageSize)
      .offset(offsetOf(q))
      .then(withWaits),
    db().select({ total: count() }).from(processInstances).where(where),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, incident: visibleIncident(actor, r.incident) })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** A variable of the flow as the administrator reads it: its name and its value as JSON text. */
export interface FlowVariable {
  name: string;
  json: string;
}

// What bpmn-engine keeps in an environment's variables of its own (the message that started the run).
const ENGINE_KEYS = new Set(["fields", "content", "properties"]);

/**
 * The flow's data from its stored engine state, read-only: the process environment's output (each
 * step's submission by task id, each service's result) and its variables, the engine's own keys left out.
 */
export function flowVariables(state: unknown): FlowVariable[] {
  type Env = { output?: Record<string, unknown>; variables?: Record<string, unknown> };
  const s = state as { environment?: Env; definitions?: { execution?: { processes?: { environment?: Env }[] } }[] } | null;
  const process = s?.definitions?.[0]?.execution?.processes?.[0]?.environment;
  const merged = new Map<string, unknown>();
  for (const env of [s?.environment, process])
    for (const part of [env?.variables, env?.output])
      for (const [name, value] of Object.entries(part ?? {})) if (!ENGINE_KEYS.has(name)) merged.set(name, value);
  return [...merged].map(([name, value]) => ({ name, json: JSON.stringify(value, null, 2) ?? "null" }));
}

/** One flow as 流程运维 shows it: the instance page's view, with its variables, every task and timer, and what it can move to. */
export async function operateInstance(actor: Actor, instanceId: string) {
  assertCan(actor, "manage:processes");
  const { view, taskRows } = await loadInstanceView(actor, instanceId);
  const [instance] = await db().select().from(processInstances).where(eq(processInstances.id, view.instance.id));
  const definition = await definitionById(instance.definitionId);
  const model = await modelOf(definition);
  const nameOf = (id: string) => model.elements.find((e) => e.id === id)?.name || id;
  const timers = await db()
    .select()
    .from(workflowTimers)
    .where(and(eq(workflowTimers.instanceId, instance.id), eq(workflowTimers.status, "pending")))
    .orderBy(asc(workflowTimers.dueAt));
  const cause = instance.incident?.cause;
  const incidentElement =
    cause?.kind === "task"
      ? (taskRows.find((t) => t.id === cause.taskId)?.elementId ?? null)
      : cause?.kind === "timer"
        ? ((await db().select({ elementId: workflowTimers.elementId }).from(workflowTimers).where(eq(workflowTimers.id, cause.timerId)))[0]
            ?.elementId ?? null)
        : null;
  const orgIds = [...new Set(taskRows.map((t) => t.organisationId).filter((id): id is string => !!id))];
  const orgNames = new Map(
    orgIds.length
      ? (
          await db().select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, orgIds))
        ).map((o) => [o.id, o.name])
      : [],
  );
  const open = taskRows.filter((t) => t.status === "open");
  // Who an open task may move to: the active organisations of its roles.
  const roles = [...new Set(open.flatMap((t) => t.candidateRoles))];
  const candidates = roles.length
    ? await db()
        .select({ id: organisations.id, name: organisations.name, type: organisations.type })
        .from(organisations)
        .where(and(inArray(organisations.type, roles as never), eq(organisations.status, "active")))
        .orderBy(asc(organisations.name))
        .limit(500)
    : [];
  const ended = !["running", "incident"].includes(instance.status);
  const [latest] = await db()
    .select({ version: processDefinitions.version })
    .from(processDefinitions)
    .where(eq(processDefinitions.key, definition.key))
    .orderBy(desc(processDefinitions.version))
    .limit(1);
  let migration: MigrationRow | null = null;
  if (!ended && latest.version > definition.version)
    migration = (await previewMigration(actor, { key: definition.key, instanceId: instance.id })).rows[0] ?? null;
  return {
    ...view,
    instance: { ...view.instance, definitionVersion: definition.version, incidentElement },
    ended,
    latestVersion: latest.version,
    migration,
    variables: flowVariables(instance.state),
    timers: timers.map((t) => ({
      id: t.id,
      elementId: t.elementId,
      name: nameOf(t.elementId),
      boundaryOf: model.boundaryOf.has(t.elementId) ? nameOf(model.boundaryOf.get(t.elementId)!) : null,
      dueAt: t.dueAt,
      attempts: t.attempts,
      lastError: t.lastError,
    })),
    tasks: taskRows.map((t) => ({
      id: t.id,
      elementId: t.elementId,
      name: t.name,
      status: t.status,
      organisationName: t.organisationId ? (orgNames.get(t.organisationId) ?? "") : null,
      candidateRoles: t.candidateRoles,
      createdAt: t.createdAt,
      dueAt: t.dueAt,
      completedAt: t.completedAt,
      completedByName: t.completedByName,
      moveTo: t.status === "open" ? candidates.filter((o) => t.candidateRoles.includes(o.type) && o.id !== t.organisationId) : [],
    })),
  };
}

/** The definitions whose flows 流程运维 filters by, with their versions. */
export async function operateDefinitions(actor: Actor) {
  assertCan(actor, "manage:processes");
  const rows = await db()
    .select({ key: processDefinitions.key, name: processDefinitions.name, version: processDefinitions.version })
    .from(processDefinitions)
    .orderBy(asc(processDefinitions.key), desc(processDefinitions.version));
  const byKey = new Map<string, { key: string; name: string; versions: number[] }>();
  for (const r of rows) {
    const d = byKey.get(r.key) ?? { key: r.key, name: r.name, versions: [] };
    d.versions.push(r.version);
    byKey.set(r.key, d);
  }
  return [...byKey.values()];
}

/** 404 for a definition key that does not exist. */
export async function definitionNamed(key: string) {
  const [row] = await db()
    .select()
    .from(processDefinitions)
    .where(eq(processDefinitions.key, key))
    .orderBy(desc(processDefinitions.version))
    .limit(1);
  if (!row) throw new NotFoundError("流程不存在");
  return row;
}
