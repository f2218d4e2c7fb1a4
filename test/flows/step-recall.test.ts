import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, projects, tasks } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { ConflictError, ForbiddenError, NotFoundError } from "~/server/errors.server";
import { completeTask, deployBuiltIns, fireDueTimers, startProcess } from "~/server/workflow/index.server";
import { claimTask } from "~/server/tasks/claim.server";
import { commentOnTask } from "~/server/tasks/comments.server";
import { saveDraft } from "~/server/tasks/drafts.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { recallStep } from "~/server/tasks/recall.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { instanceView } from "~/server/flow-views/instance-view.server";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { registration } from "../support/insurance";
import { instanceRow, openTasksOf, startDemoApproval, theOpenTask, timersOf } from "../support/workflow";

// 撤回 of a completed step: its completer takes it back while the next step is untouched; the flow
// is as before the completion, the step reopens with its submission, the next step's tasks go.

useTestDatabase();
beforeAll(() => deployBuiltIns());
afterEach(resetClock);

const refusalOf = async (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

/** A demo approval whose request the insurer has submitted: the review waits for the regulator. */
async function submitted(title: string) {
  const { insurer, regulator, instance } = await startDemoApproval(title);
  const request = await theOpenTask(instance.id);
  const before = await instanceRow(instance.id);
  await completeTask(insurer, request.id, { submission: { subject: title, amount: 100 }, comment: "请审核" });
  const review = await theOpenTask(instance.id);
  return { insurer, regulator, instance, request, review, before };
}

async function expectRefused(actor: Actor, taskId: string, message: string) {
  const error = await refusalOf(recallStep(actor, taskId));
  expect(error).toBeInstanceOf(ConflictError);
  expect(error!.message).toBe(message);
}

describe("the insurer takes back the request it submitted", () => {
  let ctx: Awaited<ReturnType<typeof submitted>>;

  it("is offered to the one who completed it while the review is untouched, to nobody else", async () => {
    ctx = await submitted("演示 撤回");
    expect((await taskView(ctx.insurer, ctx.request.id)).recall).toEqual({ refusal: null });
    expect((await taskView(ctx.regulator, ctx.request.id)).recall).toBeNull();
    expect((await taskView(ctx.regulator, ctx.review.id)).recall).toBeNull();
  });

  it("reopens the request for the insurer with what was submitted, and cancels the review and its timer", async () => {
    const reminder = (await timersOf(ctx.instance.id)).find((t) => t.status === "pending")!;
    expect(reminder.elementId).toBe("reviewReminder");
    const reopened = await recallStep(ctx.insurer, ctx.request.id);
    expect(reopened).toMatchObject({
      id: ctx.request.id,
      status: "open",
      assigneeId: ctx.insurer.userId,
      completedAt: null,
      comment: null,
    });
    const view = await taskView(ctx.insurer, ctx.request.id);
    expect(view).toMatchObject({ canComplete: true, task: { submission: { subject: "演示 撤回", amount: 100 } } });
    const [review] = await db().select().from(tasks).where(eq(tasks.id, ctx.review.id));
    expect(review.status).toBe("cancelled");
    expect((await listTasks(ctx.regulator, {})).rows.map((t) => t.id)).not.toContain(ctx.review.id);
    expect((await listTasks(ctx.insurer, {})).rows.map((t) => t.id)).toContain(ctx.request.id);
    expect((await timersOf(ctx.instance.id)).filter((t) => t.status === "pending")).toEqual([]);
    const row = await instanceRow(ctx.instance.id);
    expect(row.state).toEqual(ctx.before.state);
    expect(row.status).toBe("running");
  });

  it("is audited with what was taken back, tells the regulator, and the history says so", async () => {
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.recall"), eq(auditEvents.subjectId, ctx.request.id)));
    expect(event).toMatchObject({
      actorUserId: ctx.insurer.userId,
      actorName: "人保王经理",
      before: {
        instanceId: ctx.instance.id,
        submission: { subject: "演示 撤回", amount: 100 },
        comment: "请审核",
        openedTasks: ["住建局审核"],
      },
      after: { status: "open", cancelledTasks: [ctx.review.id] },
    });
    // The audit log says it in a task's words (a risk event's open would read 待整改).
    const log = await listAuditEvents(await demoActor("admin"), { q: ctx.request.id, action: "task.recall" });
    expect(log.rows[0].changes).toContainEqual({ field: "状态", before: "已办", after: "待办" });
    const told = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ctx.regulator.userId!), eq(notifications.title, "已撤回：住建局审核 — 演示 撤回")));
    expect(told).toHaveLength(1);
    const history = (await instanceView(ctx.insurer, ctx.instance.id)).history.map((h) => h.what);
    expect(history).toContain("撤回办理：提交申请");
  });

  it("a second 撤回 (a double submit) is 409 and changes nothing", async () => {
    await expectRefused(ctx.insurer, ctx.request.id, "该任务尚未办理，无需撤回");
  });

  it("the flow runs on from the restored state: submitted again, reviewed and approved", async () => {
    await completeTask(ctx.insurer, ctx.request.id, { submission: { subject: "改过的申请", amount: 90 } });
    const review = await theOpenTask(ctx.instance.id);
    expect(review.id).not.toBe(ctx.review.id);
    expect((await timersOf(ctx.instance.id)).filter((t) => t.status === "pending")).toHaveLength(1);
    await completeTask(ctx.regulator, review.id, { submission: { decision: "approve" } });
    expect(await instanceRow(ctx.instance.id)).toMatchObject({ status: "completed" });
    // An ended flow takes nothing back.
    await expectRefused(ctx.regulator, review.id, "该流程已结束，不能撤回");
  });
});

describe("the regulator takes back a return: the review's own timer comes back with its due time", () => {
  it("restores the review and its reminder, due when it was", async () => {
    setClock(() => new Date("2026-03-02T01:00:00Z"));
    const { regulator, instance, review } = await submitted("演示 撤回退回");
    const reminder = (await timersOf(instance.id)).find((t) => t.status === "pending")!;
    setClock(() => new Date("2026-03-03T01:00:00Z"));
    await completeTask(regulator, review.id, { submission: { decision: "return", reason: "金额有误" } });
    const again = await theOpenTask(instance.id);
    expect(again.elementId).toBe("request");
    expect((await timersOf(instance.id)).find((t) => t.id === reminder.id)!.status).toBe("cancelled");

    await recallStep(regulator, review.id);
    expect((await openTasksOf(instance.id)).map((t) => t.id)).toEqual([review.id]);
    const restored = (await timersOf(instance.id)).filter((t) => t.status === "pending");
    expect(restored).toEqual([expect.objectContaining({ id: reminder.id, dueAt: new Date("2026-03-07T01:00:00Z") })]);
    expect((await db().select().from(tasks).where(eq(tasks.id, again.id)))[0].status).toBe("cancelled");
    // The restored timer still fires when due, on the restored flow.
    setClock(() => new Date("2026-03-07T01:00:01Z"));
    expect(await fireDueTimers()).toBe(1);
    expect((await theOpenTask(instance.id)).id).toBe(review.id);
    await completeTask(regulator, review.id, { submission: { decision: "approve" } });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "completed" });
  });
});

describe("too late: the next step is touched (409, in Chinese), nothing changes", () => {
  it.each([
    ["the review is claimed", async (c: Ctx) => claimTask(c.regulator, c.review.id), "下一步“住建局审核”已被认领，不能撤回"],
    [
      "someone typed into the review",
      async (c: Ctx) => void (await saveDraft(c.regulator, c.review.id, { decision: "approve" })),
      "下一步“住建局审核”已有人开始填写，不能撤回",
    ],
    [
      "someone commented on the review",
      async (c: Ctx) => void (await commentOnTask(c.regulator, c.review.id, { body: "看过了" })),
      "下一步“住建局审核”已有评论，不能撤回",
    ],
    [
      "the review is done",
      async (c: Ctx) => void (await completeTask(c.regulator, c.review.id, { submission: { decision: "return", reason: "补充" } })),
      "流程在您提交后已继续办理，不能撤回",
    ],
  ])("%s", async (_what, touch, message) => {
    const c = await submitted(`演示 撤回 太晚 ${message}`);
    await touch(c);
    const tasksBefore = await db().select().from(tasks).where(eq(tasks.instanceId, c.instance.id));
    expect((await taskView(c.insurer, c.request.id)).recall).toEqual({ refusal: message });
    await expectRefused(c.insurer, c.request.id, message);
    expect(await db().select().from(tasks).where(eq(tasks.instanceId, c.instance.id))).toEqual(tasksBefore);
  });

  it("the review's reminder has fired", async () => {
    setClock(() => new Date("2026-04-01T01:00:00Z"));
    const c = await submitted("演示 撤回 提醒已触发");
    setClock(() => new Date("2026-04-06T01:00:01Z"));
    expect(await fireDueTimers()).toBe(1);
    await expectRefused(c.insurer, c.request.id, "流程在您提交后已继续办理（其他步骤已办理或定时器已触发），不能撤回");
  });

  it("a step whose completion ran a service (the registration creates the project) is never taken back", async () => {
    const insurer = await demoActor("insurer");
    const instance = await startProcess(insurer, { key: "insurance-review", title: "新建承保项目（撤回）" });
    const first = await theOpenTask(instance.id);
    await completeTask(insurer, first.id, { submission: registration({ permitNo: "KM-RECALL-0001" }) });
    await expectRefused(insurer, first.id, "该步骤提交后流程已执行系统处理（如登记、保存或通知），不能撤回");
    expect(await db().select().from(projects).where(eq(projects.permitNo, "KM-RECALL-0001"))).toHaveLength(1);
  });
});

type Ctx = Awaited<ReturnType<typeof submitted>>;

describe("who may not take it back", () => {
  it("someone else who sees it 403, another insurer 404, an open task 409, no id 404", async () => {
    const c = await submitted("演示 撤回 无权");
    expect(await refusalOf(recallStep(c.regulator, c.request.id))).toBeInstanceOf(ForbiddenError);
    expect(await refusalOf(recallStep(await demoActor("insurer-cpic"), c.request.id))).toBeInstanceOf(NotFoundError);
    await expectRefused(c.regulator, c.review.id, "该任务尚未办理，无需撤回");
    expect(await refusalOf(recallStep(c.insurer, "not-an-id"))).toBeInstanceOf(NotFoundError);
    expect((await theOpenTask(c.instance.id)).id).toBe(c.review.id);
  });
});

describe("two people at once", () => {
  it("the insurer takes back its request while the regulator completes the review: exactly one happens", async () => {
    const c = await submitted("演示 撤回 并发");
    const results = await Promise.allSettled([
      recallStep(c.insurer, c.request.id),
      completeTask(c.regulator, c.review.id, { submission: { decision: "approve" } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [lost] = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(lost.reason).toBeInstanceOf(ConflictError);
    const row = await instanceRow(c.instance.id);
    if (results[0].status === "fulfilled") expect((await theOpenTask(c.instance.id)).id).toBe(c.request.id);
    else expect(row.status).toBe("completed");
  });

  it("two 撤回 of the same step at once: one wins, the other gets 409", async () => {
    const c = await submitted("演示 撤回 双击");
    const results = await Promise.allSettled([recallStep(c.insurer, c.request.id), recallStep(c.insurer, c.request.id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: expect.any(ConflictError) });
    const events = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.recall"), eq(auditEvents.subjectId, c.request.id)));
    expect(events).toHaveLength(1);
  });
});
