import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { organisations, processInstances, taskSigns, tasks, users, type ProcessInstance, type Task, type TaskSign } from "@db/schema";
import type { Executor, Tx } from "@db/client";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { isApiKeyActorId } from "../auth/api-keys.server";
import { loadActor } from "../auth/current-user.server";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { formSchema } from "../forms/registry.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.server";
import { notify, type Audience } from "../notifications/notify.server";
import { parseInput } from "../validation.server";
import {
  canAct,
  completeTask,
  getTask,
  lockOpenTask,
  stepTransaction,
  taskComment,
  validateSubmission,
  type CompletionGuard,
} from "../workflow/index.server";
import { partiesAndBureau } from "./copy.server";
import { refuseNotHolder } from "./reassign.server";
import { signerAudience } from "./sign-cancel.server";

// 加签 (docs/decisions/039): the holder of an open task asks a signer — a colleague, or an
// organisation that is a party of the flow or the bureau — for an opinion before they complete it
// (前加签: the completion is refused while it is open) or after (后加签: their checked submission
// is kept on the sign; the signer's approval completes the task with it, a return reopens it).

export const SIGN_NOTE_MAX = 500;
export const SIGN_OPINION_MAX = 500;
/** The most open signs one task may wait on at once. */
export const MAX_OPEN_SIGNS = 10;
/** Why a step completed by a 后加签's approval is never taken back (撤回办理). */
export const SIGNED_NOT_RECALLABLE = "该步骤经后加签同意后提交，不能撤回";

const SIGN_KIND_LABELS = { before: "前加签", after: "后加签" } as const;

/** Why an API key asks no 后加签: its approval completes the task as the asker, and a key is no user to complete as. */
export const KEY_NO_SIGN_AFTER = "接口密钥不能发起后加签，请使用前加签";

export const signSchema = z
  .object({
    kind: z
      .enum(["before", "after"], { error: "请选择加签方式（前加签或后加签）" })
      .describe("before：前加签（先征求意见，再办理）；after：后加签（提交后经加签人同意才生效）"),
    to: z
      .string({ error: "请选择加签人" })
      .trim()
      .min(1, "请选择加签人")
      .max(100, "请选择加签人")
      .describe("加签人：任务详情的 signTo 中列出的标识（user:<用户标识> 为本单位同事，organisation:<单位标识> 为参与单位或住建局）"),
    note: z
      .string({ error: "加签说明应为文字" })
      .trim()
      .max(SIGN_NOTE_MAX, `加签说明不能超过${SIGN_NOTE_MAX}个字`)
      .nullish()
      .describe(`加签说明（可选，至多${SIGN_NOTE_MAX}字），随通知告知加签人`),
    submission: z
      .record(z.string(), z.unknown(), { error: "提交的数据格式不正确" })
      .optional()
      .describe("后加签：按任务表单填写的数据（同办理）"),
    comment: taskComment,
  })
  .strict();

export const signAnswerSchema = z
  .object({
    decision: z.enum(["approve", "return"], { error: "请选择同意或退回" }).describe("approve：同意；return：退回"),
    opinion: z
      .string({ error: "加签意见应为文字" })
      .trim()
      .max(SIGN_OPINION_MAX, `加签意见不能超过${SIGN_OPINION_MAX}个字`)
      .nullish()
      .describe(`加签意见（退回时必填，至多${SIGN_OPINION_MAX}字）`),
  })
  .strict();

export interface SignTarget {
  /** user:<id> (a colleague) or organisation:<id>. */
  id: string;
  name: string;
}

/** The organisation whose staff may take the task: its own, or (a city-wide task) the actor's. */
function organisationOf(actor: Actor, task: Pick<Task, "organisationId">): string | null {
  return task.organisationId ?? actor.organisationId ?? null;
}

async function targetsOf(ex: Executor, actor: Actor, task: Task, instance: Pick<ProcessInstance, "parties">): Promise<SignTarget[]> {
  const organisationId = organisationOf(actor, task);
  const colleagues = organisationId
    ? await ex
        .select({ id: users.id, name: users.displayName })
        .from(users)
        .where(
          and(eq(users.organisationId, organisationId), eq(users.status, "active"), actor.userId ? ne(users.id, actor.userId) : undefined),
        )
        .orderBy(asc(users.displayName))
    : [];
  const others = (await partiesAndBureau(ex, actor, instance)).filter((o) => o.id !== organisationId);
  return [
    ...colleagues.map((c) => ({ id: `user:${c.id}`, name: `${c.name}（本单位同事）` })),
    ...others.map((o) => ({ id: `organisation:${o.id}`, name: o.name })),
  ];
}

/** Whom the actor may ask to sign this task: none unless they may do it. */
export async function signTargets(actor: Actor, task: Task): Promise<SignTarget[]> {
  if (task.status !== "open" || !canAct(actor, task)) return [];
  const [instance] = await db()
    .select({ parties: processInstances.parties })
    .from(processInstances)
    .where(eq(processInstances.id, task.instanceId));
  return targetsOf(db(), actor, task, instance);
}

const NOT_A_TARGET = "只能加签给本单位的同事、本流程的参与单位或住建局";

function refusal(field: string, message: string): ValidationError {
  return new ValidationError({ [field]: message }, message);
}

/** Whom a sign is addressed to, as notices and pages name them. */
async function signerName(ex: Executor, sign: Pick<TaskSign, "organisationId" | "userId">): Promise<string> {
  if (sign.userId) {
    const [u] = await ex.select({ name: users.displayName }).from(users).where(eq(users.id, sign.userId));
    return u?.name ?? "";
  }
  const [o] = await ex.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, sign.organisationId));
  return o?.name ?? "";
}

/** The holder of a task, to be told of an answer: its assignee, or whoever of its roles in its organisation. */
function holderAudience(task: Task): Audience {
  return task.assigneeId ? { userId: task.assigneeId } : { roles: task.candidateRoles, organisationId: task.organisationId };
}

async function lockSigns(tx: Tx, taskId: string): Promise<TaskSign[]> {
  return tx.select().from(taskSigns).where(eq(taskSigns.taskId, taskId)).orderBy(asc(taskSigns.createdAt)).for("update");
}

/**
 * 加签 in one transaction, in the one lock order (the instance, the task, then its sign rows):
 * outside the scope 404; not the actor's to do 403 (409 once claimed by another or closed); a
 * signer who is not one (another organisation's user, the actor, a disabled account), too many
 * open signs, or one already asked: 422 on `to`. A 后加签's submission is checked as a completion
 * is (422 on its fields) and kept on the sign. Audited; the signer is told.
 */
export async function askSign(actor: Actor, taskId: string, input: unknown): Promise<{ id: string; to: SignTarget; notified: number }> {
  const visible = await getTask(actor, taskId);
  if (visible.status === "open" && !canAct(actor, visible)) refuseNotHolder(actor, visible, "加签");
  const { kind, to, note, submission, comment } = parseInput(signSchema, input ?? {});
  if (kind === "after" && !submission) throw refusal("submission", "后加签须先填写并提交表单");
  // A 前加签 submits nothing: its holder submits once it is answered.
  if (kind === "before" && submission !== undefined) throw refusal("submission", "前加签不提交表单，答复后再办理");
  if (kind === "before" && comment !== undefined && comment !== null) throw refusal("comment", "前加签不提交办理意见，答复后再办理");
  if (kind === "after" && (!actor.userId || isApiKeyActorId(actor.userId))) throw refusal("kind", KEY_NO_SIGN_AFTER);
  return stepTransaction(async (tx) => {
    const { instance, task } = await lockOpenTask(tx, visible);
    if (!canAct(actor, task)) refuseNotHolder(actor, task, "加签");
    const open = (await lockSigns(tx, task.id)).filter((s) => s.status === "open");
    if (open.some((s) => s.kind === "after")) throw new ConflictError("该任务已提交，正在等待后加签人的意见");
    if (kind === "after" && open.length) throw new ConflictError("该任务有未完成的加签，答复后才能提交");
    if (open.length >= MAX_OPEN_SIGNS) throw refusal("to", `每个任务最多同时有${MAX_OPEN_SIGNS}个未答复的加签`);
    const [type, id] = to.split(":", 2);
    if (type === "user" && id === actor.userId) throw refusal("to", "不能加签给自己");
    const target = (await targetsOf(tx, actor, task, instance)).find((t) => t.id === to);
    if (!target) {
      const [user] = type === "user" && z.uuid().safeParse(id).success ? await tx.select().from(users).where(eq(users.id, id)) : [];
      if (user && user.organisationId === organisationOf(actor, task) && user.status !== "active")
        throw refusal("to", `${user.displayName}的账号已停用，不能加签`);
      throw refusal("to", NOT_A_TARGET);
    }
    const signer = type === "user" ? { organisationId: organisationOf(actor, task)!, userId: id } : { organisationId: id, userId: null };
    if (open.some((s) => s.organisationId === signer.organisationId && s.userId === signer.userId))
      throw refusal("to", `已请${target.name.replace(/（本单位同事）$/, "")}加签，尚未答复`);
    const kept = kind === "after" ? await validateSubmission(tx, actor, task, instance, submission) : null;
    const [sign] = await tx
      .insert(taskSigns)
      .values({
        taskId: task.id,
        instanceId: instance.id,
        kind,
        ...signer,
        note: note || null,
        submission: kept,
        comment: kind === "after" ? comment || null : null,
        askedBy: actor.userId ?? actor.username,
        askedByName: actor.displayName,
      })
      .returning();
    // A 后加签 holds the task for its asker, as 认领 does: no colleague takes it over meanwhile.
    if (kind === "after" && task.assigneeId !== actor.userId)
      await tx.update(tasks).set({ assigneeId: actor.userId }).where(eq(tasks.id, task.id));
    const name = await signerName(tx, sign);
    const notified = await notify(
      tx,
      [
        {
          to: signerAudience(sign),
          message: {
            title: `加签：${task.name}`,
            body: `${actor.displayName}请您对“${instance.title}”的“${task.name}”${kind === "after" ? "已填写的办理内容" : ""}提出意见${note ? `：${note}` : ""}`,
            link: `/signs/${sign.id}`,
          },
        },
      ],
      { except: actor.userId },
    );
    await recordAudit(tx, actor, {
      action: "task.sign",
      subjectType: "task",
      subjectId: task.id,
      after: { instanceId: instance.id, signId: sign.id, kind, signerName: name, note: note || null, status: "open", notified },
    });
    return { id: sign.id, to: { id: target.id, name }, notified };
  });
}

const SIGN_NOT_FOUND = "加签不存在，或您无权查看";

/** Whether the actor is the one a sign asks: its user, or (an organisation's sign) anyone of it. */
export function isSigner(actor: Actor, sign: Pick<TaskSign, "organisationId" | "userId">): boolean {
  if (!actor.organisationId || sign.organisationId !== actor.organisationId) return false;
  return sign.userId ? sign.userId === actor.userId : !!actor.userId;
}

/** A sign, read through its task's scope (404 outside it). */
async function visibleSign(actor: Actor, signId: string): Promise<{ sign: TaskSign; task: Task }> {
  if (!z.uuid().safeParse(signId).success) throw new NotFoundError(SIGN_NOT_FOUND);
  const [row] = await db()
    .select({ sign: taskSigns, task: tasks })
    .from(taskSigns)
    .innerJoin(tasks, eq(tasks.id, taskSigns.taskId))
    .where(and(eq(taskSigns.id, signId), scope(actor, "task")));
  if (!row) throw new NotFoundError(SIGN_NOT_FOUND);
  return row;
}

/** An answer to a sign whose task closed meanwhile (completed, the flow cancelled): 同意 and 退回 alike. */
const SIGN_TASK_CLOSED = "该任务已办理或已关闭，加签无需答复";

function closedSign(sign: TaskSign): ConflictError {
  return new ConflictError(sign.status === "cancelled" ? "该加签已取消，无需答复" : "该加签已答复，无需重复提交");
}

/** Why an answer found the sign's task closed meanwhile: the sign's own state, read again. */
async function closedMeanwhile(signId: string): Promise<ConflictError> {
  const [sign] = await db().select().from(taskSigns).where(eq(taskSigns.id, signId));
  return sign && sign.status !== "open" ? closedSign(sign) : new ConflictError(SIGN_TASK_CLOSED);
}

/**
 * The signer's answer, in the lock order (the instance, the task, its sign rows): 同意 or 退回 with
 * an opinion (required to return). A 前加签's answer only records it; a 后加签's approval completes
 * the task with the kept submission as the holder's completion (one step: the engine is signalled
 * only then), its return reopens the task for the holder. Outside the scope 404, not the signer
 * 403, a sign answered or cancelled (a double submit) 409.
 */
export async function answerSign(
  actor: Actor,
  signId: string,
  input: unknown,
  /** The task the sign was reached under (the API's path): another task's sign is not found. */
  taskId?: string,
): Promise<{ decision: "approve" | "return" }> {
  const { sign: seen, task: seenTask } = await visibleSign(actor, signId);
  if (taskId !== undefined && seen.taskId !== taskId) throw new NotFoundError(SIGN_NOT_FOUND);
  if (!isSigner(actor, seen)) throw new ForbiddenError("您不是该加签的加签人，不能答复");
  const { decision, opinion } = parseInput(signAnswerSchema, input ?? {});
  if (decision === "return" && !opinion) throw refusal("opinion", "退回时请填写加签意见");
  const record = async (tx: Tx, task: Task) => {
    const sign = (await lockSigns(tx, task.id)).find((s) => s.id === seen.id)!;
    if (sign.status !== "open") throw closedSign(sign);
    await tx
      .update(taskSigns)
      .set({
        status: decision === "approve" ? "approved" : "returned",
        opinion: opinion || null,
        answeredBy: actor.userId,
        answeredByName: actor.displayName,
        answeredAt: clock.now(),
      })
      .where(eq(taskSigns.id, sign.id));
    const [instance] = await tx
      .select({ title: processInstances.title })
      .from(processInstances)
      .where(eq(processInstances.id, task.instanceId));
    const verdict = decision === "approve" ? "同意" : "退回";
    await notify(
      tx,
      [
        {
          to: sign.kind === "after" ? { userId: sign.askedBy } : holderAudience(task),
          message: {
            title: `加签意见：${task.name} — ${verdict}`,
            body: `${actor.displayName}对“${instance.title}”的“${task.name}”${verdict}${opinion ? `：${opinion}` : ""}${
              sign.kind === "after" ? (decision === "approve" ? "，您的提交已生效" : "，请修改后重新提交") : ""
            }`,
            link: `/tasks/${task.id}`,
          },
        },
      ],
      { except: actor.userId },
    );
    await recordAudit(tx, actor, {
      action: "task.sign_answer",
      subjectType: "task",
      subjectId: task.id,
      before: { instanceId: task.instanceId, signId: sign.id, status: "open" },
      after: {
        instanceId: task.instanceId,
        signId: sign.id,
        kind: sign.kind,
        signerName: await signerName(tx, sign),
        decision,
        opinion: opinion || null,
        status: decision === "approve" ? "approved" : "returned",
      },
    });
  };
  // 同意 and 退回 read alike on a closed sign (its flow cancelled, a double submit).
  if (seen.status !== "open") throw closedSign(seen);
  if (seen.kind === "after" && decision === "approve") {
    const holder = await loadActor(db(), seen.askedBy, actor.ip);
    if (!holder) throw new ConflictError("提交人的账号已停用，不能按其提交办理，请退回");
    await completeTask(
      holder,
      seen.taskId,
      { submission: seen.submission, comment: seen.comment },
      { signOff: record, notRecallable: SIGNED_NOT_RECALLABLE },
    ).catch(async (error: unknown) => {
      // The task closed or the sign was answered meanwhile (a double submit): the sign's own words.
      throw error instanceof ConflictError && /已办理|已结束/.test(error.message) ? await closedMeanwhile(seen.id) : error;
    });
    return { decision };
  }
  await stepTransaction(async (tx) => {
    const { task } = await lockOpenTask(tx, seenTask).catch(async (error: unknown) => {
      throw error instanceof ConflictError ? await closedMeanwhile(seen.id) : error;
    });
    await record(tx, task);
  });
  return { decision };
}

/** The completion guard: a task with an open sign is not completed (a 后加签's approval closes its own first). */
export const refuseWhileSigning: CompletionGuard = {
  refusedWhen: (taskId) => sql`exists (select 1 from task_signs s where s.task_id = ${taskId} and s.status = 'open')`,
  refusal: () => new ConflictError("该任务有未完成的加签"),
};

export interface SignView {
  id: string;
  kind: TaskSign["kind"];
  kindLabel: string;
  signerName: string;
  status: TaskSign["status"];
  note: string | null;
  askedByName: string;
  createdAt: Date;
  opinion: string | null;
  answeredByName: string | null;
  answeredAt: Date | null;
}

/** A task's signs, oldest first, as its page lists them. */
export async function signsOfTask(taskId: string): Promise<(SignView & { submission: Record<string, unknown> | null })[]> {
  const rows = await db().select().from(taskSigns).where(eq(taskSigns.taskId, taskId)).orderBy(asc(taskSigns.createdAt));
  return Promise.all(
    rows.map(async (s) => ({
      id: s.id,
      kind: s.kind,
      kindLabel: SIGN_KIND_LABELS[s.kind],
      signerName: await signerName(db(), s),
      status: s.status,
      note: s.note,
      askedByName: s.askedByName,
      createdAt: s.createdAt,
      opinion: s.opinion,
      answeredByName: s.answeredByName,
      answeredAt: s.answeredAt,
      submission: s.submission ?? null,
    })),
  );
}

/** The sign page: the sign, its task and flow, the kept submission of a 后加签, whether the actor answers it. */
export async function signView(actor: Actor, signId: string) {
  const { sign, task } = await visibleSign(actor, signId);
  const [instance] = await db()
    .select({ id: processInstances.id, title: processInstances.title })
    .from(processInstances)
    .where(eq(processInstances.id, task.instanceId));
  return {
    sign: {
      id: sign.id,
      kind: sign.kind,
      kindLabel: SIGN_KIND_LABELS[sign.kind],
      status: sign.status,
      note: sign.note,
      askedByName: sign.askedByName,
      createdAt: sign.createdAt,
      signerName: await signerName(db(), sign),
      opinion: sign.opinion,
      answeredByName: sign.answeredByName,
      answeredAt: sign.answeredAt,
      submission: sign.submission ?? null,
      comment: sign.comment,
    },
    task: { id: task.id, name: task.name, status: task.status },
    /** The task's form, to read a 后加签's kept submission in. */
    schema: sign.submission ? ((await formSchema(task.formKey, task.formVersion)) ?? null) : null,
    instance: instance!,
    canAnswer: sign.status === "open" && task.status === "open" && isSigner(actor, sign),
  };
}

/** What holds the task's completion: its open signs' words for the page, or null. */
export function signHold(signs: SignView[]): string | null {
  const open = signs.filter((s) => s.status === "open");
  if (!open.length) return null;
  const after = open.find((s) => s.kind === "after");
  if (after) return `已提交，等待${after.signerName}的后加签意见，同意后生效`;
  return `该任务有未完成的加签：等待${open.map((s) => s.signerName).join("、")}的意见，答复后才能提交`;
}

/** The latest returned 后加签's submission and opinion: the reopened form's prefill. */
export async function returnedSign(
  taskId: string,
): Promise<Pick<TaskSign, "submission" | "comment" | "opinion" | "answeredByName"> | null> {
  const [row] = await db()
    .select({
      submission: taskSigns.submission,
      comment: taskSigns.comment,
      opinion: taskSigns.opinion,
      answeredByName: taskSigns.answeredByName,
      status: taskSigns.status,
    })
    .from(taskSigns)
    .where(and(eq(taskSigns.taskId, taskId), eq(taskSigns.kind, "after")))
    .orderBy(desc(taskSigns.createdAt))
    .limit(1);
  return row?.status === "returned" ? row : null;
}
