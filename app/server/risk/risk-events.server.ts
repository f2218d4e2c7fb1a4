import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import {
  ACTIVE_RISK_EVENT_STATUSES,
  projects,
  RECTIFIER_ROLES,
  BUILDING_PARTS,
  RISK_LEVELS,
  riskEvents,
  type RiskEventSource,
  type Project,
  type RectifierRole,
  type RiskEvent,
} from "@db/schema";
import type { Tx } from "@db/client";
import { RECTIFIER_ROLE_LABELS, RISK_CATEGORY_LABELS, riskEventNumber } from "~/shared/risk-labels";
import { isCalendarDate, shiftDay } from "~/shared/time";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { tallyRiskEvent } from "../tallies.server";
import { parseInput } from "../validation.server";
import type { FlowStarter } from "../workflow/index.server";

// A risk event's life: raised by an inspection (or the re-inspection) with its own flow
// (processes/risk-event.bpmn), rectified by its party, verified and closed (销项) or sent back by
// the TIS, marked overdue by the flow's timer. Each change is one function here, run inside the
// step of the event's flow.

const fileRef = z.object({ id: z.uuid(), name: z.string().max(255), size: z.number().int().nonnegative() });

/** One event as an inspection's form (or the re-inspection's) gives it. */
export const raisedEventSchema = z.object({
  category: z.enum(BUILDING_PARTS),
  level: z.enum(RISK_LEVELS),
  location: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(2000),
  photos: z.array(fileRef).max(20).default([]),
  deadline: z.string().refine(isCalendarDate, "整改期限不是有效日期"),
  rectifierRole: z.enum(RECTIFIER_ROLES).default("contractor"),
});
export type RaisedEvent = z.infer<typeof raisedEventSchema>;

const RECTIFIER_COLUMNS: Record<RectifierRole, keyof Project> = {
  contractor: "contractorId",
  developer: "developerId",
  supervisor: "supervisorId",
  designer: "designerId",
};

/** The organisation that must rectify, by its role on the project; null when the project names none. */
export function rectifierOf(project: Project, role: RectifierRole): string | null {
  return (project[RECTIFIER_COLUMNS[role]] as string | null) ?? null;
}

/** A form's list of events, parsed: a bad row is a 422 naming its field (events.0.location), never an incident. */
export function parseRaisedEvents(rows: unknown[], listField: string): RaisedEvent[] {
  return parseInput(z.object({ [listField]: z.array(raisedEventSchema).max(100) }), { [listField]: rows })[listField] as RaisedEvent[];
}

/**
 * What stands against raising these events on this project, by the form's field paths. With
 * `notBefore` (the inspection's day, and the form's words for a deadline before it), the services'
 * own check of what the form's rule says first.
 */
export function raisedEventProblems(
  project: Project,
  events: RaisedEvent[],
  listField: string,
  notBefore?: { day: string; message: string },
): FieldErrors {
  const problems: FieldErrors = {};
  events.forEach((event, i) => {
    if (!rectifierOf(project, event.rectifierRole))
      problems[`${listField}.${i}.rectifierRole`] = `本项目未登记${RECTIFIER_ROLE_LABELS[event.rectifierRole]}，请选择其他整改单位`;
    if (notBefore && event.deadline < notBefore.day) problems[`${listField}.${i}.deadline`] = notBefore.message;
  });
  return problems;
}

/** When an event with this deadline becomes overdue: the start of the next day, Beijing time. */
export function overdueAt(deadline: string): string {
  return `${shiftDay(deadline, 1, "day")}T00:00:00+08:00`;
}

export interface RaiseContext {
  tx: Tx;
  actor: Actor;
  project: Project;
  startFlow: FlowStarter;
  inspectionId?: string;
  source: RiskEventSource;
  /** The form's field holding the events (events, or the re-inspection's defects), for messages. */
  listField: string;
}

/** Records the events and starts each one's rectification flow, in the caller's transaction. */
export async function raiseRiskEvents(ctx: RaiseContext, input: unknown[]): Promise<RiskEvent[]> {
  const { tx, actor, project } = ctx;
  if (!project.tisId) throw new ValidationError({ events: "项目尚未指定风险管理机构" });
  const events = parseRaisedEvents(input, ctx.listField);
  const problems = raisedEventProblems(project, events, ctx.listField);
  if (Object.keys(problems).length) throw new ValidationError(problems);
  const now = clock.now();
  const raised: RiskEvent[] = [];
  for (const event of events) {
    const rectifierId = rectifierOf(project, event.rectifierRole)!;
    const [row] = await tx
      .insert(riskEvents)
      .values({
        projectId: project.id,
        inspectionId: ctx.inspectionId ?? null,
        source: ctx.source,
        tisId: project.tisId,
        rectifierRole: event.rectifierRole,
        rectifierId,
        category: event.category,
        level: event.level,
        location: event.location,
        description: event.description,
        photos: event.photos,
        deadline: event.deadline,
        raisedAt: now,
        updatedAt: now,
      })
      .returning();
    await tallyRiskEvent(tx, row);
    const flow = await ctx.startFlow({
      key: "risk-event",
      businessType: "risk-event",
      businessKey: row.id,
      title: `${project.name}：${RISK_CATEGORY_LABELS[event.category]}风险事件 ${riskEventNumber(row.seq)}`,
      // The rectifier is the flow's only party among the rectifying roles: its task goes to it.
      parties: { tis: project.tisId, insurer: project.leadInsurerId, [event.rectifierRole]: rectifierId },
      variables: { overdueAt: overdueAt(event.deadline) },
    });
    const [saved] = await tx.update(riskEvents).set({ instanceId: flow.id }).where(eq(riskEvents.id, row.id)).returning();
    await recordAudit(tx, actor, {
      action: "risk_event.raise",
      subjectType: "risk_event",
      subjectId: row.id,
      after: { number: riskEventNumber(row.seq), category: event.category, level: event.level, deadline: event.deadline },
    });
    raised.push(saved);
  }
  return raised;
}

/** The event a step of its flow acts on, locked for the step. */
export async function lockRiskEvent(tx: Tx, eventId: string): Promise<RiskEvent> {
  const [event] = await tx.select().from(riskEvents).where(eq(riskEvents.id, eventId)).for("update");
  if (!event) throw new NotFoundError("风险事件不存在");
  return event;
}

const rectificationSchema = z.object({
  measures: z.string().trim().min(1).max(2000),
  rectifiedOn: z.string().refine(isCalendarDate, "整改完成日期不是有效日期"),
  photos: z.array(fileRef).min(1, "请上传整改后照片").max(20),
});

const ACTIVE = ACTIVE_RISK_EVENT_STATUSES;

function refuseEnded(event: RiskEvent) {
  if (!(ACTIVE as readonly string[]).includes(event.status)) throw new ConflictError("该风险事件已销项或已终止");
}

/** The rectifier says it is put right, with evidence: the TIS verifies next. */
export async function recordRectification(tx: Tx, actor: Actor, eventId: string, input: unknown): Promise<RiskEvent> {
  const event = await lockRiskEvent(tx, eventId);
  refuseEnded(event);
  const rectification = parseInput(rectificationSchema, input);
  const now = clock.now();
  const [saved] = await tx
    .update(riskEvents)
    .set({ status: "awaiting_review", rectification, rectifiedAt: now, updatedAt: now })
    .where(eq(riskEvents.id, eventId))
    .returning();
  await recordAudit(tx, actor, {
    action: "risk_event.rectify",
    subjectType: "risk_event",
    subjectId: eventId,
    before: { status: event.status },
    after: { status: saved.status, measures: rectification.measures, rectifiedOn: rectification.rectifiedOn },
  });
  return saved;
}

/** The TIS's verification: 销项 (closed), or back to the rectifier with the reason. */
export async function recordVerification(
  tx: Tx,
  actor: Actor,
  eventId: string,
  decision: { close: boolean; reason?: string | null },
): Promise<RiskEvent> {
  const event = await lockRiskEvent(tx, eventId);
  refuseEnded(event);
  const now = clock.now();
  const change = decision.close
    ? { status: "closed" as const, closedAt: now, returnReason: null }
    : { status: "rectifying" as const, returnReason: decision.reason ?? null, returnCount: event.returnCount + 1 };
  const [saved] = await tx
    .update(riskEvents)
    .set({ ...change, updatedAt: now })
    .where(eq(riskEvents.id, eventId))
    .returning();
  await recordAudit(tx, actor, {
    action: decision.close ? "risk_event.close" : "risk_event.return",
    subjectType: "risk_event",
    subjectId: eventId,
    before: { status: event.status },
    after: { status: saved.status, reason: decision.reason ?? null },
  });
  return saved;
}

/**
 * The deadline passed with the event still open: marked overdue once, and its rectifier, the TIS
 * and the insurer are told. A second firing (the step re-entered after a return) changes nothing.
 */
export async function markOverdue(tx: Tx, actor: Actor, eventId: string): Promise<boolean> {
  const event = await lockRiskEvent(tx, eventId);
  if (event.overdueAt || !(ACTIVE as readonly string[]).includes(event.status)) return false;
  const now = clock.now();
  await tx.update(riskEvents).set({ overdueAt: now, updatedAt: now }).where(eq(riskEvents.id, eventId));
  const [project] = await tx.select().from(projects).where(eq(projects.id, event.projectId));
  const number = riskEventNumber(event.seq);
  const message = {
    title: `风险事件已逾期未整改：${number}`,
    body: `“${project.name}”的${RISK_CATEGORY_LABELS[event.category]}风险事件（${event.location}）整改期限为${event.deadline}，已逾期，请尽快整改。`,
    link: `/risk/events/${event.id}`,
  };
  await notify(tx, [
    { to: { roles: [event.rectifierRole], organisationId: event.rectifierId }, message },
    { to: { roles: ["tis"], organisationId: event.tisId }, message },
    { to: { roles: ["insurer"], organisationId: project.leadInsurerId }, message },
  ]);
  await recordAudit(tx, actor, {
    action: "risk_event.overdue",
    subjectType: "risk_event",
    subjectId: eventId,
    after: { deadline: event.deadline },
  });
  return true;
}

/** The policy ended first (终止): every event of the project still open ends with it. */
export async function cancelOpenEvents(tx: Tx, projectId: string): Promise<string[]> {
  const now = clock.now();
  const rows = await tx
    .update(riskEvents)
    .set({ status: "cancelled", updatedAt: now })
    .where(and(eq(riskEvents.projectId, projectId), inArray(riskEvents.status, [...ACTIVE])))
    .returning({ id: riskEvents.id, instanceId: riskEvents.instanceId });
  return rows.map((r) => r.instanceId).filter((id): id is string => !!id);
}
