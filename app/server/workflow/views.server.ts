import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import { auditEvents, processDefinitions, processInstances, tasks, users, type Incident, type Task } from "@db/schema";
import { scope } from "../auth/scope.server";
import type { Actor } from "../auth/actor";
import { commentsOnTask } from "../comments.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { offsetOf, pageSchema } from "../pagination.server";
import { formSchema, type FormSchema } from "../forms/registry.server";
import { businessSummary } from "./business-objects.server";
import { instanceListColumns, timerWaits, withWaits } from "./flow-progress.server";
import { canAct, getInstance, mayWithdraw } from "./instances.server";
import { loadDraft } from "./drafts.server";
import { prefilledValues } from "./prefill.server";
import { getTask, urgesOf } from "./tasks.server";

export interface HistoryEntry {
  at: string;
  who: string;
  what: string;
  comment: string | null;
}

const EVENT_LABELS: Record<string, string> = {
  "process.start": "发起流程",
  "process.withdraw": "撤回流程",
  "timer.fire": "定时器触发",
  "process.incident": "流程异常",
  "task.urge": "催办",
  "task.claim": "认领任务",
  "task.unclaim": "取消认领",
};

const INCIDENT_FOR_USERS = "流程执行出错，已记录为流程异常，平台管理员正在处理";

/**
 * An instance's incident as `actor` may read it: administrators get its cause (it may hold a
 * database message); everyone else that the flow has an incident, and when. Never the submission.
 */
export function visibleIncident(actor: Actor, incident: Incident | null): { at: string; message: string } | null {
  if (!incident) return null;
  return { at: incident.at, message: actor.roles.includes("admin") ? incident.message : INCIDENT_FOR_USERS };
}

/** An instance as its pages show it: summary, history, the diagram and where the flow stands. */
export async function instanceView(actor: Actor, instanceId: string) {
  return (await loadInstanceView(actor, instanceId)).view;
}

/** The view, and the instance's task rows it was built from (the task page reads them too). */
async function loadInstanceView(actor: Actor, instanceId: string) {
  const instance = await getInstance(actor, instanceId);
  const [definition] = await db()
    .select({
      key: processDefinitions.key,
      version: processDefinitions.version,
      name: processDefinitions.name,
      xml: processDefinitions.xml,
    })
    .from(processDefinitions)
    .where(eq(processDefinitions.id, instance.definitionId));
  const taskRows = await db().select().from(tasks).where(eq(tasks.instanceId, instance.id)).orderBy(asc(tasks.createdAt));
  const events = await db()
    .select()
    .from(auditEvents)
    .where(
      and(
        inArray(auditEvents.action, Object.keys(EVENT_LABELS)),
        inArray(auditEvents.subjectId, [instance.id, ...taskRows.map((t) => t.id)]),
      ),
    )
    .orderBy(asc(auditEvents.at));
  const history: HistoryEntry[] = [
    ...events.map((e) => ({
      at: e.at.toISOString(),
      who: e.actorName,
      what: `${EVENT_LABELS[e.action]}${e.action.startsWith("task.") ? `：${taskRows.find((t) => t.id === e.subjectId)?.name ?? ""}` : ""}`,
      // An urge's message and an incident's cause are what the reader needs to see.
      comment:
        e.action === "task.urge"
          ? ((e.after as { message?: string } | null)?.message ?? null)
          : e.action === "process.incident"
            ? (visibleIncident(actor, e.after as Incident)?.message ?? null)
            : null,
    })),
    ...taskRows
      .filter((t) => t.status === "completed")
      .map((t) => ({ at: t.completedAt!.toISOString(), who: t.completedByName ?? "", what: `办理：${t.name}`, comment: t.comment })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const waits = (await timerWaits([instance.id])).get(instance.id) ?? [];
  const view = {
    instance: {
      id: instance.id,
      title: instance.title,
      status: instance.status,
      businessType: instance.businessType,
      businessKey: instance.businessKey,
      startedAt: instance.startedAt,
      endedAt: instance.endedAt,
      incident: visibleIncident(actor, instance.incident),
    },
    definition: { key: definition.key, version: definition.version, name: definition.name, xml: definition.xml },
    history,
    completedElements: [...new Set(taskRows.filter((t) => t.status === "completed").map((t) => t.elementId))],
    currentElements: [...taskRows.filter((t) => t.status === "open").map((t) => t.elementId), ...waits.map((w) => w.elementId)],
    returnedElements: returnedElements(taskRows),
    openTasks: taskRows.filter((t) => t.status === "open").map((t) => ({ id: t.id, name: t.name, dueAt: t.dueAt })),
    /** The timer events the flow waits at (the next revisit), soonest first. */
    waits: waits.map((w) => ({ name: w.name, dueAt: w.dueAt })),
    canWithdraw: mayWithdraw(actor, instance, taskRows),
    summary: await businessSummary(actor, instance.businessType, instance.businessKey),
    completedSteps: takesPart(actor, taskRows) ? await completedSteps(taskRows) : [],
  };
  return { view, taskRows };
}

/**
 * Whether `actor` reads the flow's submissions: the supervisors (regulator, administrators) and the
 * organisations that had a step of it. Seeing a flow (a party of the project) is not reading what
 * others submitted in it (an insurer's premium and reinsurance, for a contractor or the hotline).
 */
function takesPart(actor: Actor, rows: Task[]): boolean {
  if (actor.roles.some((r) => r === "admin" || r === "regulator")) return true;
  return !!actor.organisationId && rows.some((t) => t.organisationId === actor.organisationId);
}

export interface CompletedStep {
  taskId: string;
  name: string;
  by: string | null;
  at: Date;
  comment: string | null;
  submission: Record<string, unknown> | null;
  /** The form version it was submitted with; null when that form is gone. */
  schema: FormSchema | null;
}

/**
 * The flow's steps done so far, read-only: the latest submission of each step, in the order the
 * steps first ran, each with the form version it was made with.
 */
async function completedSteps(rows: Task[]): Promise<CompletedStep[]> {
  const firstRun = firstRuns(rows);
  const latest = new Map<string, Task>();
  for (const t of rows)
    if (t.status === "completed" && (latest.get(t.elementId)?.completedAt?.getTime() ?? 0) < t.completedAt!.getTime())
      latest.set(t.elementId, t);
  const schemas = new Map<string, Promise<FormSchema | undefined>>();
  const schemaOf = (t: Task) => {
    const key = `${t.formKey}@${t.formVersion}`;
    if (!schemas.has(key)) schemas.set(key, formSchema(t.formKey, t.formVersion));
    return schemas.get(key)!;
  };
  const steps = [...latest.values()].sort((a, b) => firstRun.get(a.elementId)! - firstRun.get(b.elementId)!);
  return Promise.all(
    steps.map(async (t) => ({
      taskId: t.id,
      name: t.name,
      by: t.completedByName,
      at: t.completedAt!,
      comment: t.comment,
      submission: t.submission as Record<string, unknown> | null,
      schema: (await schemaOf(t)) ?? null,
    })),
  );
}

/**
 * The steps whose latest submission was sent back, each with the task that sent it back (drawn
 * 被退回 on the diagram; its decision is shown on the step's page). A step's work is sent back
 * when, after it was last done, the flow came back to it or to a step before it (by when each step
 * first ran) and the step that turned the flow back was another one: the review that returns a
 * request marks the request, and every step between them (a returned registration must also
 * re-enter its policy), not itself. Once a step is done again going forwards it is no longer
 * marked. A step that simply repeats (a periodic inspection opening its next round) sent nothing
 * back. Only user tasks have rows, so service steps are never marked.
 */
export function sentBack<T extends Pick<Task, "elementId" | "status" | "createdAt" | "completedAt">>(rows: T[]): Map<string, T> {
  const firstRun = firstRuns(rows);
  const completed = rows.filter((t) => t.status === "completed").sort((a, b) => a.completedAt!.getTime() - b.completedAt!.getTime());
  const marked = new Map<string, T>();
  for (const elementId of new Set(completed.map((t) => t.elementId))) {
    const latest = completed.filter((t) => t.elementId === elementId).at(-1)!;
    const since = latest.completedAt!.getTime();
    // The first step opened since, at this step or before it: the flow came back here.
    const back = rows
      .filter((t) => t !== latest && t.createdAt.getTime() >= since && firstRun.get(t.elementId)! <= firstRun.get(elementId)!)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
    if (!back) continue;
    // Who turned it back: the last step done before that one opened (the same transaction stamps both).
    const turnedBy = completed.filter((t) => t.completedAt!.getTime() <= back.createdAt.getTime()).at(-1);
    if (turnedBy && turnedBy !== latest) marked.set(elementId, turnedBy);
  }
  return marked;
}

/** When each step of the flow first ran (its first task row opened): the order of the flow's steps. */
function firstRuns(rows: Pick<Task, "elementId" | "createdAt">[]): Map<string, number> {
  const firstRun = new Map<string, number>();
  for (const t of rows) firstRun.set(t.elementId, Math.min(firstRun.get(t.elementId) ?? Infinity, t.createdAt.getTime()));
  return firstRun;
}

/** The steps drawn 被退回 on the diagram (see sentBack). */
export function returnedElements(rows: Pick<Task, "elementId" | "status" | "createdAt" | "completedAt">[]): string[] {
  return [...sentBack(rows).keys()];
}

/** A task page: the task, its form, what the actor may do with it, and its instance. */
export async function taskView(actor: Actor, taskId: string) {
  const task = await getTask(actor, taskId);
  const { view, taskRows } = await loadInstanceView(actor, task.instanceId);
  const [assignee] = task.assigneeId ? await db().select({ name: users.displayName }).from(users).where(eq(users.id, task.assigneeId)) : [];
  const schema: FormSchema | undefined = await formSchema(task.formKey, task.formVersion);
  const [remarks, urges] = await Promise.all([commentsOnTask(task.id), urgesOf({ taskId: task.id })]);
  // What the actor typed here and has not submitted: the page opens with it instead of the stored values.
  const draft = await loadDraft(actor, task);
  // The instance's completed steps, oldest first.
  const done =
    task.status === "open"
      ? taskRows.filter((t) => t.status === "completed").sort((a, b) => a.completedAt!.getTime() - b.completedAt!.getTime())
      : [];
  // A step sent back opens with what was submitted there last time (to correct it), and with who
  // sent it back and why. A step reached again going forwards (the review of a corrected request)
  // or one that simply repeats opens empty: its last decision is not this round's.
  const returnedBy = task.status === "open" ? sentBack(taskRows).get(task.elementId) : undefined;
  const previous = returnedBy ? done.filter((t) => t.elementId === task.elementId).at(-1) : undefined;
  // Otherwise it opens with what earlier steps hold of the fields that ask for it (drafts still win, on the page).
  const prefilled = task.status === "open" && !previous && schema ? await prefilledValues(schema, done) : null;
  return {
    returned: returnedBy
      ? {
          name: returnedBy.name,
          by: returnedBy.completedByName,
          at: returnedBy.completedAt,
          comment: returnedBy.comment,
          submission: returnedBy.submission as Record<string, unknown> | null,
          schema: (await formSchema(returnedBy.formKey, returnedBy.formVersion)) ?? null,
        }
      : null,
    task: {
      id: task.id,
      name: task.name,
      status: task.status,
      formKey: task.formKey,
      createdAt: task.createdAt,
      dueAt: task.dueAt,
      // On the platform's clock, as the inbox and the API tell it.
      overdue: task.status === "open" && !!task.dueAt && task.dueAt < clock.now(),
      completedAt: task.completedAt,
      completedByName: task.completedByName,
      submission: (task.submission ?? previous?.submission ?? prefilled) as Record<string, unknown> | null,
      comment: task.comment,
      assigneeName: assignee?.name ?? null,
      claimedByMe: !!task.assigneeId && task.assigneeId === actor.userId,
    },
    schema: schema ?? null,
    draft,
    comments: remarks,
    /** Who urged this task, when, and what they said: the urged party reads it here. */
    urges,
    canComplete: task.status === "open" && canAct(actor, task),
    canClaim: task.status === "open" && !task.assigneeId && canAct(actor, task),
    canUrge: task.status === "open" && !canAct(actor, task),
    ...view,
    // The steps before this one: the task's own submission is its form.
    completedSteps: view.completedSteps.filter((s) => s.taskId !== task.id),
  };
}

/** Flows the actor started (我发起的), or every flow with an incident (for administrators). */
export async function listInstances(actor: Actor, which: "started" | "incidents", query: unknown) {
  const q = pageSchema.parse(query);
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
