import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, taskSigns, tasks } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { createUser } from "~/server/admin/users.server";
import { db } from "~/server/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/server/errors.server";
import { cancelInstance, completeTask, deployBuiltIns } from "~/server/workflow/index.server";
import { listTasks, inboxCount } from "~/server/tasks/inbox.server";
import { answerSign, askSign, MAX_OPEN_SIGNS, signView } from "~/server/tasks/sign.server";
import { transferTask } from "~/server/tasks/transfer.server";
import { moveTask } from "~/server/tasks/move.server";
import { recallOffer, recallStep } from "~/server/tasks/recall.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { instanceView } from "~/server/flow-views/instance-view.server";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import { claimTask, unclaimTask } from "~/server/tasks/claim.server";
import { apiKeyActorById, createApiKey } from "~/server/auth/api-keys.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { openTasksOf, refusalOf, startDemoTask as startDemo } from "../support/workflow";

// 加签 (docs/decisions/039): the holder of an open task asks a colleague, a party of the flow or
// the bureau for an opinion before (前加签) or after (后加签) completing it.

useTestDatabase();

let insurer: Actor;
let colleague: Actor;
let regulator: Actor;
let inspector: Actor;
let bureau: string;

async function userOf(of: Actor, username: string, displayName: string): Promise<Actor> {
  await createUser(await demoActor("admin"), {
    username,
    password: "Safe2026pass",
    displayName,
    organisationId: of.organisationId,
    roles: of.roles,
  });
  return demoActor(username);
}

beforeAll(async () => {
  await deployBuiltIns();
  insurer = await demoActor("insurer");
  regulator = await demoActor("regulator");
  colleague = await userOf(insurer, "picc.sign", "人保加签专员");
  inspector = await userOf(regulator, "bureau.sign", "住建局会签员");
  bureau = `organisation:${regulator.organisationId}`;
});

const SUBMISSION = { subject: "加签的申请", amount: 120 };

describe("前加签: the bureau's opinion before the holder submits", () => {
  let taskId: string;
  let instanceId: string;
  let signId: string;

  it("offers the colleagues, the flow's parties and the bureau, never the holder", async () => {
    const { instance, task } = await startDemo("演示 前加签");
    taskId = task.id;
    instanceId = instance.id;
    const view = await taskView(insurer, taskId);
    expect(view.signTo).toContainEqual({ id: `user:${colleague.userId}`, name: "人保加签专员（本单位同事）" });
    expect(view.signTo).toContainEqual({ id: bureau, name: regulator.organisationName });
    expect(view.signTo.map((t) => t.id)).not.toContain(`user:${insurer.userId}`);
    expect(view.signTo.map((t) => t.id)).not.toContain(`organisation:${insurer.organisationId}`);
    expect((await taskView(regulator, taskId)).signTo).toEqual([]);
  });

  it("asks the bureau: its users are told and find the sign in 待办; the holder cannot submit meanwhile", async () => {
    const before = await inboxCount(regulator);
    const asked = await askSign(insurer, taskId, { kind: "before", to: bureau, note: "请确认金额口径" });
    signId = asked.id;
    expect(asked.to.name).toBe(regulator.organisationName);
    expect(asked.notified).toBeGreaterThanOrEqual(2);
    const [told] = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, inspector.userId!), eq(notifications.title, "加签：提交申请")));
    expect(told).toMatchObject({ body: "人保王经理请您对“演示 前加签”的“提交申请”提出意见：请确认金额口径", link: `/signs/${signId}` });

    const todo = await listTasks(regulator, { q: "演示 前加签" });
    expect(todo.rows).toEqual([expect.objectContaining({ kind: "sign", id: signId, taskId, name: "加签：提交申请" })]);
    expect(todo.total).toBe(1);
    expect(await inboxCount(regulator)).toBe(before + 1);
    // The holder's own row stays a task row.
    expect((await listTasks(insurer, { q: "演示 前加签" })).rows).toEqual([expect.objectContaining({ kind: "task", id: taskId })]);

    const error = await refusalOf(completeTask(insurer, taskId, { submission: SUBMISSION }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe("该任务有未完成的加签");
    const view = await taskView(insurer, taskId);
    expect(view.signHold).toBe(`该任务有未完成的加签：等待${regulator.organisationName}的意见，答复后才能提交`);
    expect(view.signs).toEqual([expect.objectContaining({ kindLabel: "前加签", status: "open", note: "请确认金额口径" })]);
  });

  it("only the signer answers: the holder 403, another insurer 404, a bad id 404", async () => {
    expect(await refusalOf(answerSign(insurer, signId, { decision: "approve" }))).toBeInstanceOf(ForbiddenError);
    expect(await refusalOf(answerSign(await demoActor("insurer-cpic"), signId, { decision: "approve" }))).toBeInstanceOf(NotFoundError);
    expect(await refusalOf(answerSign(regulator, "nope", { decision: "approve" }))).toBeInstanceOf(NotFoundError);
    const fieldsOf = async (input: unknown) => ((await refusalOf(answerSign(regulator, signId, input))) as ValidationError).fields;
    expect(await fieldsOf({})).toEqual({ decision: "请选择同意或退回" });
    expect(await fieldsOf({ decision: "return" })).toEqual({ opinion: "退回时请填写加签意见" });
    expect(await fieldsOf({ decision: "approve", opinion: "长".repeat(501) })).toEqual({ opinion: "加签意见不能超过500个字" });
    expect((await signView(regulator, signId)).canAnswer).toBe(true);
  });

  it("two bureau users approve at once: one wins, the other 409; a third submit 409", async () => {
    const results = await Promise.allSettled([
      answerSign(regulator, signId, { decision: "approve", opinion: "金额口径无误" }),
      answerSign(inspector, signId, { decision: "approve", opinion: "同意" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [lost] = results.filter((r) => r.status === "rejected");
    expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const again = await refusalOf(answerSign(regulator, signId, { decision: "approve" }));
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as Error).message).toBe("该加签已答复，无需重复提交");
    expect(await db().select().from(taskSigns).where(eq(taskSigns.id, signId))).toEqual([expect.objectContaining({ status: "approved" })]);
    expect((await listTasks(regulator, { q: "演示 前加签" })).rows).toEqual([]);
  });

  it("the holder then submits; the history tells the sign and its answer", async () => {
    expect((await taskView(insurer, taskId)).signHold).toBeNull();
    await completeTask(insurer, taskId, { submission: SUBMISSION });
    const history = (await instanceView(insurer, instanceId)).history;
    expect(history.map((h) => h.what)).toEqual(expect.arrayContaining(["前加签：提交申请", "加签意见：提交申请", "办理：提交申请"]));
    expect(history).toContainEqual(
      expect.objectContaining({
        who: "人保王经理",
        what: "前加签：提交申请",
        comment: `请${regulator.organisationName}提出意见：请确认金额口径`,
      }),
    );
    expect(history.find((h) => h.what === "加签意见：提交申请")!.comment).toMatch(new RegExp(`^${regulator.organisationName}同意：`));
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.sign"), eq(auditEvents.subjectId, taskId)));
    expect(event).toMatchObject({ actorUserId: insurer.userId, after: expect.objectContaining({ kind: "before", signId }) });
  });
});

describe("what 加签 refuses", () => {
  it.each([
    ["oneself", () => `user:${insurer.userId}`, "不能加签给自己"],
    [
      "another insurer's organisation",
      async () => `organisation:${(await demoActor("insurer-cpic")).organisationId}`,
      "只能加签给本单位的同事、本流程的参与单位或住建局",
    ],
    [
      "another organisation's user",
      async () => `user:${(await demoActor("insurer-cpic")).userId}`,
      "只能加签给本单位的同事、本流程的参与单位或住建局",
    ],
    ["the holder's own organisation", () => `organisation:${insurer.organisationId}`, "只能加签给本单位的同事、本流程的参与单位或住建局"],
    ["nobody", () => "user:\u0000", "只能加签给本单位的同事、本流程的参与单位或住建局"],
  ])("%s: 422 on to", async (_who, target, message) => {
    const { task } = await startDemo(`演示 拒绝加签 ${_who}`);
    const error = await refusalOf(askSign(insurer, task.id, { kind: "before", to: await target() }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual({ to: message });
    expect(await db().select().from(taskSigns).where(eq(taskSigns.taskId, task.id))).toEqual([]);
  });

  it("bad bodies, the same signer twice, more than the limit, someone who may not do the task", async () => {
    const { task } = await startDemo("演示 加签 输入");
    const fieldsOf = async (input: unknown) => ((await refusalOf(askSign(insurer, task.id, input))) as ValidationError).fields;
    expect(await fieldsOf({ to: bureau })).toEqual({ kind: "请选择加签方式（前加签或后加签）" });
    expect(await fieldsOf({ kind: "before", to: bureau, note: "长".repeat(501) })).toEqual({ note: "加签说明不能超过500个字" });
    expect(await fieldsOf({ kind: "before", to: bureau, extra: 1 })).toEqual({ extra: "不接受的字段“extra”" });
    expect(await fieldsOf({ kind: "after", to: bureau })).toEqual({ submission: "后加签须先填写并提交表单" });
    // A 前加签 submits nothing: a submission or 办理意见 sent with it is refused, not dropped.
    expect(await fieldsOf({ kind: "before", to: bureau, submission: SUBMISSION })).toEqual({
      submission: "前加签不提交表单，答复后再办理",
    });
    expect(await fieldsOf({ kind: "before", to: bureau, comment: "请审核" })).toEqual({ comment: "前加签不提交办理意见，答复后再办理" });
    expect(Object.keys((await fieldsOf({ kind: "after", to: bureau, submission: { amount: "x" } }))!)).toContain("amount");

    await askSign(insurer, task.id, { kind: "before", to: bureau });
    expect(await fieldsOf({ kind: "before", to: bureau })).toEqual({ to: `已请${regulator.organisationName}加签，尚未答复` });
    // A 后加签 waits for the 前加签s to be answered first.
    expect(
      await refusalOf(askSign(insurer, task.id, { kind: "after", to: `user:${colleague.userId}`, submission: SUBMISSION })),
    ).toBeInstanceOf(ConflictError);
    expect(await refusalOf(askSign(regulator, task.id, { kind: "before", to: `user:${colleague.userId}` }))).toBeInstanceOf(ForbiddenError);
    expect(await refusalOf(askSign(await demoActor("insurer-cpic"), task.id, { kind: "before", to: bureau }))).toBeInstanceOf(
      NotFoundError,
    );

    // The limit: filled with signs to colleagues of the organisation.
    for (let i = 1; i < MAX_OPEN_SIGNS; i++) {
      const extra = await userOf(insurer, `picc.limit${i}`, `人保限额${i}`);
      await askSign(insurer, task.id, { kind: "before", to: `user:${extra.userId}` });
    }
    expect(await fieldsOf({ kind: "before", to: `user:${colleague.userId}` })).toEqual({
      to: `每个任务最多同时有${MAX_OPEN_SIGNS}个未答复的加签`,
    });
  });
});

describe("后加签: the holder's submission takes effect once the signer approves", () => {
  it("keeps the checked submission; the engine moves only on the approval, as the holder's completion", async () => {
    const { instance, task } = await startDemo("演示 后加签");
    const { id } = await askSign(insurer, task.id, {
      kind: "after",
      to: `user:${colleague.userId}`,
      note: "请赵专员复核",
      submission: SUBMISSION,
      comment: "请审核",
    });
    // Nothing moved: the task is open, no next step, the holder cannot submit again.
    expect((await openTasksOf(instance.id)).map((t) => t.id)).toEqual([task.id]);
    const held = await taskView(insurer, task.id);
    expect(held.signHold).toBe("已提交，等待人保加签专员的后加签意见，同意后生效");
    expect(held.task.submission).toEqual(SUBMISSION);
    expect(held.signTo).toEqual([]);
    expect(await refusalOf(completeTask(insurer, task.id, { submission: SUBMISSION }))).toBeInstanceOf(ConflictError);
    expect((await signView(colleague, id)).sign.submission).toEqual(SUBMISSION);
    // The task is the asker's meanwhile (claimed by the 后加签): the colleague finds only the sign.
    expect((await listTasks(colleague, { q: "演示 后加签" })).rows.map((r) => r.kind)).toEqual(["sign"]);

    // Two approvals at once (a double submit): one completes, the engine is signalled once.
    const results = await Promise.allSettled([
      answerSign(colleague, id, { decision: "approve", opinion: "复核无误" }),
      answerSign(colleague, id, { decision: "approve", opinion: "复核无误" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const [done] = await db().select().from(tasks).where(eq(tasks.id, task.id));
    expect(done).toMatchObject({ status: "completed", completedBy: insurer.userId, submission: SUBMISSION, comment: "请审核" });
    const next = await openTasksOf(instance.id);
    expect(next).toHaveLength(1);
    expect(next[0].name).not.toBe("提交申请");
    // The holder told; the completion cannot be taken back (the signer approved exactly it).
    expect(await recallOffer(insurer, done)).toEqual({ refusal: "该步骤经后加签同意后提交，不能撤回" });
    const history = (await instanceView(insurer, instance.id)).history;
    expect(history).toContainEqual(
      expect.objectContaining({ who: "人保王经理", what: "后加签：提交申请", comment: "请人保加签专员提出意见：请赵专员复核" }),
    );
    expect(history).toContainEqual(
      expect.objectContaining({ who: "人保加签专员", what: "加签意见：提交申请", comment: "人保加签专员同意：复核无误" }),
    );
    expect(history).toContainEqual(expect.objectContaining({ who: "人保王经理", what: "办理：提交申请", comment: "请审核" }));
  });

  it("a return reopens the task for the holder with the signer's opinion and the kept submission", async () => {
    const { instance, task } = await startDemo("演示 后加签 退回");
    const { id } = await askSign(insurer, task.id, { kind: "after", to: bureau, submission: SUBMISSION, comment: "请局里复核" });
    await answerSign(inspector, id, { decision: "return", opinion: "金额需附依据" });
    expect((await openTasksOf(instance.id)).map((t) => t.id)).toEqual([task.id]);
    const view = await taskView(insurer, task.id);
    // The form and its 办理意见 come back as they were sent.
    expect(view).toMatchObject({
      signHold: null,
      canComplete: true,
      signReturned: { by: "住建局会签员", opinion: "金额需附依据", comment: "请局里复核" },
    });
    expect(view.task.submission).toEqual(SUBMISSION);
    const [told] = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, insurer.userId!), eq(notifications.title, "加签意见：提交申请 — 退回")));
    expect(told.body).toBe("住建局会签员对“演示 后加签 退回”的“提交申请”退回：金额需附依据，请修改后重新提交");
    await completeTask(insurer, task.id, { submission: { ...SUBMISSION, amount: 80 } });
    expect(await refusalOf(answerSign(inspector, id, { decision: "approve" }))).toBeInstanceOf(ConflictError);
  });
});

/** The sign is cancelled; what the given user was told of it. */
async function cancelNotice(signId: string, to: Actor) {
  expect(await db().select().from(taskSigns).where(eq(taskSigns.id, signId))).toEqual([expect.objectContaining({ status: "cancelled" })]);
  const [told] = await db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, to.userId!), eq(notifications.title, "加签已取消：提交申请")));
  return told;
}

describe("open signs end with their task", () => {
  it("转办 cancels them and tells the signer", async () => {
    const { task } = await startDemo("演示 加签 转办");
    const { id } = await askSign(insurer, task.id, { kind: "before", to: bureau });
    await transferTask(insurer, task.id, { to: colleague.userId });
    const told = await cancelNotice(id, inspector);
    expect(told.body).toBe("“提交申请”的加签已取消（任务已转给他人办理），无需答复");
    expect(((await refusalOf(answerSign(inspector, id, { decision: "approve" }))) as Error).message).toBe("该加签已取消，无需答复");
    await completeTask(colleague, task.id, { submission: SUBMISSION });
  });

  it("an administrator's move to another organisation cancels them", async () => {
    const { task } = await startDemo("演示 加签 转交");
    const { id } = await askSign(insurer, task.id, { kind: "before", to: bureau });
    const cpic = await demoActor("insurer-cpic");
    await moveTask(await demoActor("admin"), task.id, { organisationId: cpic.organisationId, reason: "演示转交" });
    expect(await db().select().from(taskSigns).where(eq(taskSigns.id, id))).toEqual([expect.objectContaining({ status: "cancelled" })]);
    await completeTask(cpic, task.id, { submission: SUBMISSION });
  });

  it("a 加签 on the next step keeps the step before it from being taken back (撤回办理)", async () => {
    const { instance, task } = await startDemo("演示 加签 撤回");
    await completeTask(insurer, task.id, { submission: SUBMISSION });
    const review = (await openTasksOf(instance.id))[0];
    await askSign(regulator, review.id, { kind: "before", to: `user:${inspector.userId}` });
    const [done] = await db().select().from(tasks).where(eq(tasks.id, task.id));
    expect(await recallOffer(insurer, done)).toEqual({ refusal: `下一步“${review.name}”已有加签，不能撤回` });
  });

  it("an administrator cancelling the flow cancels them", async () => {
    const { instance, task } = await startDemo("演示 加签 取消流程");
    const { id } = await askSign(insurer, task.id, { kind: "after", to: `user:${colleague.userId}`, submission: SUBMISSION });
    const admin = await demoActor("admin");
    await cancelInstance(admin, instance.id, { reason: "演示取消" });
    expect(await db().select().from(taskSigns).where(eq(taskSigns.id, id))).toEqual([expect.objectContaining({ status: "cancelled" })]);
    // Audited: the sign's own row by the administrator, and the count on the cancel's row.
    const [row] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.sign_cancel"), eq(auditEvents.subjectId, task.id)));
    expect(row).toMatchObject({ actorUserId: admin.userId, after: expect.objectContaining({ signId: id, status: "cancelled" }) });
    const log = await listAuditEvents(admin, { q: instance.id, action: "process.cancel" });
    expect(log.rows[0].changes).toContainEqual({ field: "加签", before: "", after: "1 个加签已取消" });
    expect((await listTasks(colleague, { q: "演示 加签 取消流程" })).rows).toEqual([]);
    // 同意 and 退回 are told the same.
    const approve = await refusalOf(answerSign(colleague, id, { decision: "approve" }));
    const back = await refusalOf(answerSign(colleague, id, { decision: "return", opinion: "不同意" }));
    expect(approve).toBeInstanceOf(ConflictError);
    expect((back as Error).message).toBe((approve as Error).message);
    expect(await db().select().from(taskSigns).where(eq(taskSigns.id, id))).toEqual([expect.objectContaining({ status: "cancelled" })]);
  });
});

describe("a waiting 后加签 holds the task for its 发起人", () => {
  it("claims it for the asker: a colleague neither claims nor hands it on (409); the asker cannot release it", async () => {
    const { task } = await startDemo("演示 后加签 占用");
    const other = await userOf(insurer, "picc.other", "人保另一经理");
    await askSign(insurer, task.id, { kind: "after", to: bureau, submission: SUBMISSION });
    expect(await db().select({ assigneeId: tasks.assigneeId }).from(tasks).where(eq(tasks.id, task.id))).toEqual([
      { assigneeId: insurer.userId },
    ]);
    const waits = "该任务已提交后加签，等待答复";
    for (const work of [
      () => claimTask(other, task.id),
      () => transferTask(other, task.id, { to: colleague.userId }),
      () => transferTask(insurer, task.id, { to: colleague.userId }),
      () => unclaimTask(insurer, task.id),
    ]) {
      const error = await refusalOf(work());
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toBe(waits);
    }
    expect((await taskView(other, task.id)).canClaim).toBe(false);
  });

  it("an administrator's move still may: the sign is cancelled, audited, and its 发起人 told", async () => {
    const { task } = await startDemo("演示 后加签 转交");
    const { id } = await askSign(insurer, task.id, { kind: "after", to: bureau, submission: SUBMISSION });
    const cpic = await demoActor("insurer-cpic");
    await moveTask(await demoActor("admin"), task.id, { organisationId: cpic.organisationId, reason: "演示转交" });
    const told = await cancelNotice(id, insurer);
    expect(told.body).toBe("您对“提交申请”的后加签已取消（任务已转给他人办理），提交未生效");
    const log = await listAuditEvents(await demoActor("admin"), { q: task.id });
    expect(log.rows.find((r) => r.action === "转交任务")!.changes).toContainEqual({ field: "加签", before: "", after: "1 个加签已取消" });
    expect(log.rows.find((r) => r.action === "加签已取消")!.changes).toEqual([
      { field: "加签方式", before: "", after: "后加签" },
      { field: "加签人", before: "", after: regulator.organisationName },
      { field: "状态", before: "待答复", after: "已取消" },
      { field: "原因", before: "", after: "任务已转给他人办理" },
    ]);
    const history = (await instanceView(insurer, task.instanceId)).history;
    expect(history).toContainEqual(
      expect.objectContaining({
        what: "加签已取消：提交申请",
        comment: `${regulator.organisationName}的后加签已取消（任务已转给他人办理）`,
      }),
    );
  });

  it("前加签 stay possible while only 前加签 are open; not while a 后加签 waits", async () => {
    const { task } = await startDemo("演示 多个前加签");
    await askSign(insurer, task.id, { kind: "before", to: bureau });
    const view = await taskView(insurer, task.id);
    expect(view).toMatchObject({ signAfterWaits: false, canComplete: true });
    expect(view.signTo.length).toBeGreaterThan(0);
    await askSign(insurer, task.id, { kind: "before", to: `user:${colleague.userId}` });
    const { task: held } = await startDemo("演示 后加签 无前加签");
    await askSign(insurer, held.id, { kind: "after", to: bureau, submission: SUBMISSION });
    expect(await taskView(insurer, held.id)).toMatchObject({ signAfterWaits: true, signTo: [] });
  });

  it("an API key asks no 后加签 (it could never be approved): 422 on kind", async () => {
    const { task } = await startDemo("演示 接口密钥 后加签");
    const { id: keyId } = await createApiKey(await demoActor("admin"), {
      name: "人保加签接口",
      organisationId: insurer.organisationId,
      roles: ["insurer"],
    });
    const key = (await apiKeyActorById(`apikey:${keyId}`, null))!;
    const error = await refusalOf(askSign(key, task.id, { kind: "after", to: bureau, submission: SUBMISSION }));
    expect((error as ValidationError).fields).toEqual({ kind: "接口密钥不能发起后加签，请使用前加签" });
    await askSign(key, task.id, { kind: "before", to: bureau });
  });
});

describe("the audit log names a 加签's fields by its own words", () => {
  it("on the review step (whose form has its own 审核结论): 加签, 加签意见", async () => {
    const { instance, task } = await startDemo("演示 加签 审计");
    await completeTask(insurer, task.id, { submission: SUBMISSION });
    const review = (await openTasksOf(instance.id))[0];
    const { id } = await askSign(regulator, review.id, { kind: "before", to: `user:${inspector.userId}`, note: "请核对金额" });
    await answerSign(inspector, id, { decision: "return", opinion: "金额不对" });
    const log = await listAuditEvents(await demoActor("admin"), { q: review.id });
    // Each row's changes as the log reads them: field before→after.
    const read = (action: string) =>
      log.rows
        .find((r) => r.action === action)!
        .changes.map((c) => `${c.field} ${c.before}→${c.after}`)
        .join("；");
    expect(read("加签")).toBe("加签方式 →前加签；加签人 →住建局会签员；加签说明 →请核对金额；状态 →待答复；通知人数 →1");
    expect(read("加签意见")).toBe("加签方式 →前加签；加签人 →住建局会签员；意见 →退回；加签意见 →金额不对；状态 待答复→已退回");
  });
});

describe("the history after 撤回办理", () => {
  it("shows the original completion, the 撤回 and the later completion, in order", async () => {
    const { instance, task } = await startDemo("演示 撤回 历史");
    await completeTask(insurer, task.id, { submission: SUBMISSION, comment: "第一次提交" });
    await recallStep(insurer, task.id);
    await completeTask(insurer, task.id, { submission: { ...SUBMISSION, amount: 99 }, comment: "改后提交" });
    const history = (await instanceView(insurer, instance.id)).history.filter((h) => h.what.endsWith("提交申请"));
    expect(history.map((h) => [h.what, h.comment])).toEqual([
      ["办理：提交申请", "第一次提交"],
      ["撤回办理：提交申请", null],
      ["办理：提交申请", "改后提交"],
    ]);
  });
});
