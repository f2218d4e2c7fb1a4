import { type ProcessDefinition, type ProcessInstance, type Task } from "@db/schema";
import type { Tx } from "@db/client";
import type { Actor } from "../auth/actor";
import { formSchema } from "../forms/registry.server";
import { notify, type Notice } from "../notifications/notify.server";
import type { Writes } from "../writes.server";
import { businessObjectType } from "./business-objects.server";

// Who is told what after a step, written with the step (a rolled-back step tells nobody):
// - a task arriving at an organisation: the active users there holding one of its roles;
// - a step sent back for correction (the flow went back to a step that first ran before the one
//   just done, as flow-views/instance-view.server.ts tells a return): those who must redo it, with
//   the reason;
// - the flow's starter, when someone else decides about it: a return, a decision (a step whose
//   form has a `decision` choice), and the end of the flow (named by the end event reached).
// Nobody is told about their own action. One query finds the recipients of all of it.

/** What the notices read of a step: who took it, in which flow, and the transaction it runs in. */
interface NoticeContext {
  tx: Tx;
  actor: Pick<Actor, "userId" | "displayName">;
  definition: Pick<ProcessDefinition, "name">;
  instance: Pick<ProcessInstance, "id" | "title" | "businessType" | "businessKey">;
  /** Where the notices are written: at once, or with the step's other writes. */
  writes?: Writes;
}

/** A task row the step opened. */
export type OpenedTask = Pick<Task, "id" | "elementId" | "name" | "candidateRoles" | "organisationId">;

/**
 * The task whose completion moved the flow, with what was submitted and when each step of the
 * instance first ran (its earliest task, by element id, read with the task before this step).
 */
export type CompletedStep = Pick<Task, "id" | "elementId" | "name" | "formKey" | "formVersion" | "comment"> & {
  submission: Record<string, unknown>;
  firstRuns: Map<string, number>;
};

export interface StepOutcome {
  saved: Pick<ProcessInstance, "startedBy">;
  opened: OpenedTask[];
  completed?: CompletedStep;
  /** The flow ended in this step, at the end event with this name (null: unnamed). */
  ended: { name: string | null } | null;
}

export async function notifyStepOutcome(ctx: NoticeContext, outcome: StepOutcome): Promise<void> {
  const { instance, actor } = ctx;
  const { opened, completed, ended } = outcome;
  const sentBack = completed ? sentBackBy(completed, opened) : new Set<string>();
  const reason = completed ? reasonOf(completed) : null;
  // A standing task that reopens at once after its own completion (现场风险检查: as often as needed)
  // is no news to anyone: its organisation already has it.
  const news = opened.filter((task) => sentBack.has(task.id) || task.elementId !== completed?.elementId);
  const notices: Notice[] = news.map((task) => ({
    to: { roles: task.candidateRoles, organisationId: task.organisationId },
    message: sentBack.has(task.id)
      ? {
          title: `已退回：${instance.title} — ${task.name}`,
          body: `${actor.displayName}在“${completed!.name}”中退回，退回原因：${reason ?? "未填写"}`,
          link: `/tasks/${task.id}`,
        }
      : { title: `新待办：${task.name} — ${instance.title}`, body: ctx.definition.name, link: `/tasks/${task.id}` },
  }));

  const starter = outcome.saved.startedBy;
  if (starter && starter !== actor.userId) {
    const yours = `您的${businessObjectType(instance.businessType)?.label ?? "流程"}“${instance.title}”`;
    const link = businessObjectType(instance.businessType)?.pagePath?.(instance.businessKey) ?? `/instances/${instance.id}`;
    if (ended) {
      notices.push({ to: { userId: starter }, message: { title: `${yours}${ended.name ?? "已办结"}`, body: ctx.definition.name, link } });
    } else if (sentBack.size) {
      // The starter who must redo it has the return already; one who need not is told here.
      notices.push({
        to: { userId: starter },
        message: {
          title: `${yours}已退回：${clip(reason ?? "未填写原因")}`,
          body: `${actor.displayName}在“${completed!.name}”中退回`,
          link,
        },
        unlessReached: true,
      });
    } else if (completed) {
      const decision = await decisionLabel(ctx, completed);
      if (decision)
        notices.push({
          to: { userId: starter },
          message: { title: `${yours}：${completed.name} — ${decision}`, body: actor.displayName, link },
        });
    }
  }
  await notify(ctx.tx, notices, { except: actor.userId, writes: ctx.writes });
}

/**
 * The opened tasks that the completed step sent back: their step first ran before the completed
 * one did. A step reached again going forwards (a corrected request's next step) first ran after.
 */
function sentBackBy(completed: CompletedStep, opened: OpenedTask[]): Set<string> {
  const { firstRuns } = completed;
  // Read before this step: a step first run now (none before) was not sent back.
  const decidedAt = firstRuns.get(completed.elementId)!;
  return new Set(
    opened.filter((t) => t.elementId !== completed.elementId && (firstRuns.get(t.elementId) ?? Infinity) < decidedAt).map((t) => t.id),
  );
}

/** Why a step was sent back: the returning form's reason field, else the step's comment. */
function reasonOf(completed: CompletedStep): string | null {
  const reason = completed.submission.reason;
  return (typeof reason === "string" && reason.trim()) || completed.comment || null;
}

/** The chosen option of the completed form's `decision` field, as the form names it. */
async function decisionLabel(ctx: NoticeContext, completed: CompletedStep): Promise<string | null> {
  const value = completed.submission.decision;
  if (value === undefined || value === null) return null;
  const schema = await formSchema(completed.formKey, completed.formVersion, ctx.tx);
  const options = (schema?.properties?.decision as { enum?: unknown } | undefined)?.enum;
  if (!Array.isArray(options)) return null;
  const chosen = options.find((o) => (o as { value?: unknown })?.value === value) as { label?: unknown } | undefined;
  return typeof chosen?.label === "string" ? chosen.label : null;
}

const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);
