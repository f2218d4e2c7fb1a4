import { and, asc, eq, inArray } from "drizzle-orm";
import { auditEvents, processDefinitions, tasks, type Incident, type Task } from "@db/schema";
import type { Actor } from "../auth/actor";
import { db } from "../db.server";
import { formSchema, type FormSchema } from "../forms/registry.server";
import { businessSummary, getInstance, mayWithdraw } from "../workflow/index.server";
import { copiedToActor, copiesOf } from "../tasks/copy.server";
import { stepsWaitingOn } from "../tasks/open-steps.server";
import { timerWaits, visibleIncident } from "./flow-progress.server";

// A flow's page (/instances/<id>), and the same flow above a task's form: what it is about, its
// history, its diagram with where it stands, and the steps done so far.

export interface HistoryEntry {
  at: string;
  who: string;
  what: string;
  comment: string | null;
}

const EVENT_LABELS: Record<string, string> = {
  "process.start": "发起流程",
  "process.withdraw": "撤回流程",
  "process.message": "收到流程消息",
  "timer.fire": "定时器触发",
  "process.incident": "流程异常",
  "task.urge": "催办",
  "task.claim": "认领任务",
  "task.unclaim": "取消认领",
  "task.transfer": "转办",
  "task.recall": "撤回办理",
  "task.copy": "抄送",
  "task.sign": "加签",
  "task.sign_answer": "加签意见",
  "task.sign_cancel": "加签已取消",
  // An administrator's actions (流程运维), each shown with its reason.
  "process.retry": "管理员重试异常",
  "process.cancel": "管理员取消流程",
  "process.migrate": "迁移到新版本",
  "task.move": "转交任务",
};

/** The administrators' actions whose audit event carries the reason they gave (docs/decisions/037). */
const WITH_REASON = new Set(["process.retry", "process.cancel", "process.migrate", "task.move"]);

/** An instance as its pages show it: summary, history, the diagram and where the flow stands. */
export async function instanceView(actor: Actor, instanceId: string) {
  return (await loadInstanceView(actor, instanceId)).view;
}

/** The view, and the instance's task rows it was built from (the task page reads them too). */
export async function loadInstanceView(actor: Actor, instanceId: string) {
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
  const logged = await db()
    .select()
    .from(auditEvents)
    .where(
      and(
        inArray(auditEvents.action, [...Object.keys(EVENT_LABELS), "task.complete"]),
        inArray(auditEvents.subjectId, [instance.id, ...taskRows.map((t) => t.id)]),
      ),
    )
    .orderBy(asc(auditEvents.at));
  const events = logged.filter((e) => e.action !== "task.complete");
  const history: HistoryEntry[] = [
    // A completion taken back (撤回办理) is gone from its task's row: its audit event tells it.
    ...recalledCompletions(logged).map((e) => ({
      at: e.at.toISOString(),
      who: e.actorName,
      what: `办理：${taskRows.find((t) => t.id === e.subjectId)?.name ?? ""}`,
      comment: (e.after as { comment?: string | null } | null)?.comment ?? null,
    })),
    ...events.map((e) => ({
      at: e.at.toISOString(),
      who: e.actorName,
      what: `${eventLabel(e)}${e.action.startsWith("task.") ? `：${taskRows.find((t) => t.id === e.subjectId)?.name ?? ""}` : ""}`,
      // An urge's message and an incident's cause are what the reader needs to see.
      comment:
        e.action === "task.urge"
          ? ((e.after as { message?: string } | null)?.message ?? null)
          : e.action === "process.incident"
            ? (visibleIncident(actor, e.after as Incident)?.message ?? null)
            : e.action === "task.transfer"
              ? transferNote(e.after as { assigneeName?: string; reason?: string | null } | null)
              : e.action === "task.copy"
                ? copyNote(e.after as { organisationName?: string; note?: string | null } | null)
                : e.action === "task.sign"
                  ? signNote(e.after as SignAfter | null)
                  : e.action === "task.sign_answer" || e.action === "task.sign_cancel"
                    ? answerNote(e.after as SignAfter | null)
                    : e.action === "task.move"
                      ? moveNote(e.after as { organisationName?: string; reason?: string } | null)
                      : WITH_REASON.has(e.action)
                        ? ((e.after as { reason?: string } | null)?.reason ?? null)
                        : null,
    })),
    ...taskRows
      .filter((t) => t.status === "completed")
      .map((t) => ({ at: t.completedAt!.toISOString(), who: t.completedByName ?? "", what: `办理：${t.name}`, comment: t.comment })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const waits = (await timerWaits([instance.id])).get(instance.id) ?? [];
  const open = taskRows.filter((t) => t.status === "open");
  const parties = await stepsWaitingOn(actor, open);
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
    openTasks: open.map((t) => ({ id: t.id, name: t.name, dueAt: t.dueAt, party: parties.get(t.id)!.party })),
    /** The timer events the flow waits at (the next revisit), soonest first. */
    waits: waits.map((w) => ({ name: w.name, dueAt: w.dueAt })),
    canWithdraw: mayWithdraw(actor, instance, taskRows),
    summary: await businessSummary(actor, instance.businessType, instance.businessKey),
    completedSteps: takesPart(actor, taskRows) || (await copiedToActor(actor, instance.id)) ? await completedSteps(taskRows) : [],
    /** The organisations the flow was copied (抄送) to. */
    copies: await copiesOf(instance.id),
  };
  return { view, taskRows };
}

/** The completions a later 撤回办理 of the same task took back (their rows now hold the later one, or none). */
function recalledCompletions<E extends { action: string; subjectId: string | null; at: Date }>(events: E[]): E[] {
  return events.filter(
    (e) =>
      e.action === "task.complete" &&
      events.some((r) => r.action === "task.recall" && r.subjectId === e.subjectId && r.at.getTime() >= e.at.getTime()),
  );
}

/** 转办 in the history: to whom, and why when the one who handed it on said. */
function transferNote(after: { assigneeName?: string; reason?: string | null } | null): string | null {
  if (!after?.assigneeName) return null;
  return `转给${after.assigneeName}${after.reason ? `：${after.reason}` : ""}`;
}

type SignAfter = { kind?: string; signerName?: string; note?: string | null; decision?: string; opinion?: string | null; reason?: string };

const SIGN_KINDS: Record<string, string> = { before: "前加签", after: "后加签" };

/** An event's name in the history: a 加签 by its kind (前加签/后加签). */
function eventLabel(e: { action: string; after: unknown }): string {
  const kind = e.action === "task.sign" ? SIGN_KINDS[(e.after as SignAfter | null)?.kind ?? ""] : undefined;
  return kind ?? EVENT_LABELS[e.action];
}

/** 加签 in the history: whom the holder asked (the 加签人), and what for. */
function signNote(after: SignAfter | null): string | null {
  if (!after?.signerName) return null;
  return `请${after.signerName}提出意见${after.note ? `：${after.note}` : ""}`;
}

/** A 加签人's answer in the history (同意 or 退回, and their opinion), or a sign cancelled and why. */
function answerNote(after: SignAfter | null): string | null {
  if (after?.reason) return `${after.signerName ?? ""}的${SIGN_KINDS[after.kind ?? ""] ?? "加签"}已取消（${after.reason}）`;
  if (!after?.decision) return null;
  return `${after.signerName ?? ""}${after.decision === "approve" ? "同意" : "退回"}${after.opinion ? `：${after.opinion}` : ""}`;
}

/** An administrator's 转交任务 in the history: to which organisation, and why. */
function moveNote(after: { organisationName?: string; reason?: string } | null): string | null {
  if (!after?.organisationName) return after?.reason ?? null;
  return `转交给${after.organisationName}${after.reason ? `：${after.reason}` : ""}`;
}

/** 抄送 in the history: to which organisation, and the word that went with it. */
function copyNote(after: { organisationName?: string; note?: string | null } | null): string | null {
  if (!after?.organisationName) return null;
  return `抄送给${after.organisationName}${after.note ? `：${after.note}` : ""}`;
}

/**
 * Whether `actor` reads the flow's submissions: the supervisors (regulator, administrators) and the
 * organisations that had a step of it (and those it was copied to: 抄送). Seeing a flow (a party of the project) is not reading what
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
