import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, users } from "@db/schema";
import { apiKeyActor, createApiKey } from "~/server/auth/api-keys.server";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { completeTask, deployBuiltIns, fireDueTimers, startProcess } from "~/server/workflow/index.server";
import { commentOnTask, commentsOnTask } from "~/server/tasks/comments.server";
import { claimTask } from "~/server/tasks/claim.server";
import { inboxCount, listTasks } from "~/server/tasks/inbox.server";
import { urgeTask } from "~/server/tasks/urge.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { instanceRow, openTasksOf, startDemoApproval, theOpenTask, timersOf } from "../support/workflow";

useTestDatabase();
beforeAll(() => deployBuiltIns());
afterEach(resetClock);

const startDemo = startDemoApproval;

describe("demo approval flow", () => {
  describe("the insurer starts it", () => {
    it("opens the request task for the insurer's own organisation", async () => {
      const { insurer, instance } = await startDemo();
      const task = await theOpenTask(instance.id);
      expect(task).toMatchObject({
        elementId: "request",
        name: "提交申请",
        formKey: "demo-request",
        candidateRoles: ["insurer"],
        organisationId: insurer.organisationId,
      });
      expect(instance).toMatchObject({ status: "running", definitionVersion: 1 });
    });

    it("is refused to a role the diagram does not let start it", async () => {
      const tis = await demoActor("tis");
      await expect(startProcess(tis, { key: "demo-approval", businessType: "demo", businessKey: "x", title: "t" })).rejects.toMatchObject({
        status: 403,
      });
    });
  });

  describe("the regulator returns it and the insurer resubmits", () => {
    it("goes back to the request, then on to approval and the end", async () => {
      const { insurer, regulator, instance } = await startDemo();
      await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "第一次", amount: 100 } });
      const review = await theOpenTask(instance.id);
      expect(review).toMatchObject({ elementId: "review", organisationId: regulator.organisationId });
      await completeTask(regulator, review.id, { submission: { decision: "return", reason: "金额有误" }, comment: "请核对金额" });
      const again = await theOpenTask(instance.id);
      expect(again.elementId).toBe("request");
      // The request page says who sent it back and why, and opens with the first submission.
      const page = await taskView(insurer, again.id);
      expect(page.returned).toMatchObject({ name: "住建局审核", by: regulator.displayName, comment: "请核对金额" });
      expect(page.returned?.submission).toMatchObject({ decision: "return", reason: "金额有误" });
      expect(page.task.submission).toMatchObject({ subject: "第一次", amount: 100 });
      await completeTask(insurer, again.id, { submission: { subject: "第二次", amount: 120 } });
      // A step reached for the first time has nothing of the kind.
      expect((await taskView(regulator, (await theOpenTask(instance.id)).id)).returned).toBeNull();
      await completeTask(regulator, (await theOpenTask(instance.id)).id, { submission: { decision: "approve" } });
      expect(await openTasksOf(instance.id)).toEqual([]);
      expect(await instanceRow(instance.id)).toMatchObject({ status: "completed" });
      expect((await timersOf(instance.id)).every((t) => t.status !== "pending")).toBe(true);
    });

    it("audits every step with who did it", async () => {
      const { insurer, instance } = await startDemo();
      const task = await theOpenTask(instance.id);
      await completeTask(insurer, task.id, { submission: { subject: "审计", amount: 1 } });
      const [event] = await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.subjectType, "task"), eq(auditEvents.subjectId, task.id)));
      expect(event).toMatchObject({ action: "task.complete", actorUserId: insurer.userId });
    });
  });

  describe("two people complete the same task at once", () => {
    it("exactly one succeeds; the other is told it is already done", async () => {
      const { instance } = await startDemo();
      const task = await theOpenTask(instance.id);
      const a = await demoActor("insurer");
      const results = await Promise.allSettled([
        completeTask(a, task.id, { submission: { subject: "甲", amount: 1 } }),
        completeTask(a, task.id, { submission: { subject: "乙", amount: 2 } }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ status: 409, message: "该任务已办理，无需重复提交" });
      expect((await openTasksOf(instance.id)).map((t) => t.elementId)).toEqual(["review"]);
    });
  });

  describe("scope", () => {
    it("a user of another organisation gets 404 for the task and cannot complete it", async () => {
      const { instance } = await startDemo();
      const task = await theOpenTask(instance.id);
      const otherInsurer = { ...(await demoActor("insurer")), organisationId: (await demoActor("tis")).organisationId };
      await expect(completeTask(otherInsurer, task.id, { submission: { subject: "x", amount: 1 } })).rejects.toMatchObject({ status: 404 });
      await expect(completeTask(await demoActor("developer"), task.id, { submission: {} })).rejects.toMatchObject({ status: 404 });
      expect((await theOpenTask(instance.id)).id).toBe(task.id);
    });

    it("the regulator sees every task but may not do another role's", async () => {
      const { instance } = await startDemo();
      const task = await theOpenTask(instance.id);
      await expect(completeTask(await demoActor("regulator"), task.id, { submission: {} })).rejects.toMatchObject({ status: 403 });
    });
  });

  describe("the review reminder timer", () => {
    it("sets the review's due time five days out, and fires once when the clock passes it", async () => {
      const start = new Date("2026-01-01T01:00:00Z");
      setClock(() => start);
      const { insurer, regulator, instance } = await startDemo("提醒测试");
      await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "提醒", amount: 5 } });
      const review = await theOpenTask(instance.id);
      expect(review.dueAt?.toISOString()).toBe("2026-01-06T01:00:00.000Z");
      expect(await fireDueTimers()).toBe(0);

      setClock(() => new Date("2026-01-06T01:00:01Z"));
      expect(await fireDueTimers()).toBe(1);
      expect(await fireDueTimers()).toBe(0);
      const regulatorUser = await db().select({ id: users.id }).from(users).where(eq(users.username, "regulator"));
      const notes = await db().select().from(notifications).where(eq(notifications.userId, regulatorUser[0].id));
      expect(notes.map((n) => n.title)).toContain("审核已超过5天，请尽快处理");
      // Non-interrupting: the review is still there to do, and can still be approved.
      expect((await theOpenTask(instance.id)).id).toBe(review.id);
      await completeTask(regulator, review.id, { submission: { decision: "approve" } });
      expect(await instanceRow(instance.id)).toMatchObject({ status: "completed" });
    });
  });
});

describe("a submission with bad fields", () => {
  it("gets 422 with a Chinese message per field and changes nothing", async () => {
    const { insurer, instance } = await startDemo("校验");
    const task = await theOpenTask(instance.id);
    const before = await instanceRow(instance.id);
    await expect(completeTask(insurer, task.id, { submission: { subject: "", amount: "很多" } })).rejects.toMatchObject({
      status: 422,
      fields: { subject: "请填写“申请事项”", amount: "“金额（元）”应为数字" },
    });
    await expect(completeTask(insurer, task.id, { submission: { subject: "x".repeat(101), amount: -1 } })).rejects.toMatchObject({
      fields: { subject: "申请事项不能超过100个字", amount: "金额不能为负数" },
    });
    expect(await instanceRow(instance.id)).toMatchObject({ rowVersion: before.rowVersion, status: "running" });
    expect((await theOpenTask(instance.id)).id).toBe(task.id);
  });

  it("keeps only the fields the form declares", async () => {
    const { insurer, instance } = await startDemo("多余字段");
    const task = await theOpenTask(instance.id);
    const done = await completeTask(insurer, task.id, { submission: { subject: "正常", amount: 3, isAdmin: true } });
    expect(done.submission).toEqual({ subject: "正常", amount: 3 });
  });
});

describe("returning for correction", () => {
  it("requires a reason, by the form's own rule, on the server as on the page", async () => {
    const { insurer, regulator, instance } = await startDemo("退回原因");
    await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "退回", amount: 1 } });
    const review = await theOpenTask(instance.id);
    await expect(completeTask(regulator, review.id, { submission: { decision: "return" } })).rejects.toMatchObject({
      status: 422,
      fields: { reason: "退回时必须填写退回原因" },
    });
    await completeTask(regulator, review.id, { submission: { decision: "return", reason: "缺少附件" } });
    expect((await theOpenTask(instance.id)).elementId).toBe("request");
  });
});

describe("comments on a task", () => {
  it("anyone who may see the task can remark on it; others get 404; an empty remark is refused", async () => {
    const { instance } = await startDemo("评论");
    const task = await theOpenTask(instance.id);
    await commentOnTask(await demoActor("regulator"), task.id, { body: "请尽快补充材料" });
    await expect(commentOnTask(await demoActor("tis"), task.id, { body: "路过" })).rejects.toMatchObject({ status: 404 });
    await expect(commentOnTask(await demoActor("insurer"), task.id, { body: "  " })).rejects.toMatchObject({
      status: 422,
      fields: { body: "请输入评论内容" },
    });
    expect((await commentsOnTask(task.id)).map((c) => [c.authorName, c.body])).toEqual([["住建局李科长", "请尽快补充材料"]]);
  });
});

describe("claiming and urging", () => {
  it("a claimed task is the claimer's; the regulator's urge notifies them", async () => {
    const { insurer, instance } = await startDemo("认领催办");
    const task = await theOpenTask(instance.id);
    await claimTask(insurer, task.id);
    const colleague = { ...insurer, userId: crypto.randomUUID(), displayName: "同事" };
    await expect(completeTask(colleague, task.id, { submission: { subject: "抢", amount: 1 } })).rejects.toMatchObject({
      status: 409,
      message: "该任务已由他人认领",
    });
    expect(await urgeTask(await demoActor("regulator"), task.id, { message: "本周内完成" })).toBe(1);
    const notes = await db().select().from(notifications).where(eq(notifications.userId, insurer.userId!));
    expect(notes.at(-1)).toMatchObject({ title: "催办：提交申请", link: `/tasks/${task.id}` });
    await expect(urgeTask(insurer, task.id, {})).rejects.toMatchObject({ status: 409 });
  });
});

describe("urging the same task again", () => {
  it("within 30 minutes is refused for the whole organisation, saying who urged when, and nobody is notified twice; later it is allowed", async () => {
    setClock(() => new Date("2026-03-02T02:05:20Z"));
    const { insurer, regulator, instance } = await startDemo("重复催办");
    const task = await theOpenTask(instance.id);
    const before = await db().select().from(notifications).where(eq(notifications.userId, insurer.userId!));
    const sent = await urgeTask(regulator, task.id, {});
    expect(sent).toBeGreaterThan(0);
    setClock(() => new Date("2026-03-02T02:30:00Z"));
    // The same user, a colleague and the organisation's API key are one urger.
    const colleague = { ...regulator, userId: crypto.randomUUID(), displayName: "住建局王科员" };
    const { key: secret } = await createApiKey(await demoActor("admin"), {
      organisationId: regulator.organisationId,
      name: "监管系统",
      roles: ["regulator"],
    });
    const key = (await apiKeyActor(secret, null))!;
    for (const urger of [regulator, colleague, key]) {
      await expect(urgeTask(urger, task.id, { message: "再催" })).rejects.toMatchObject({
        status: 409,
        message: `本单位已于 10:05 催办过该任务（${regulator.displayName}），同一单位30分钟内只催办一次，请于 10:36 后再催办`,
      });
    }
    const after = await db().select().from(notifications).where(eq(notifications.userId, insurer.userId!));
    expect(after.length - before.length).toBe(1);
    setClock(() => new Date("2026-03-02T02:36:00Z"));
    expect(await urgeTask(colleague, task.id, {})).toBe(sent);
  });
});

describe("the inbox", () => {
  it("lists what the user may do, due first with overdue marked, and what they did", async () => {
    setClock(() => new Date("2025-01-01T00:00:00Z"));
    const { insurer, regulator, instance } = await startDemo("收件箱");
    await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "收件箱", amount: 1 } });
    setClock(() => new Date("2025-01-10T00:00:00Z"));
    const todo = await listTasks(regulator, { q: "收件箱" });
    expect(todo.rows.map((t) => [t.name, t.title, t.overdue])).toEqual([["住建局审核", "收件箱", true]]);
    expect((await listTasks(regulator, { q: "收件箱", overdue: "1" })).total).toBe(1);
    expect(await inboxCount(regulator)).toBeGreaterThan(0);
    const done = await listTasks(insurer, { view: "done", q: "收件箱" });
    expect(done.rows.map((t) => [t.name, t.status])).toEqual([["提交申请", "completed"]]);
    expect((await listTasks(await demoActor("tis"), { q: "收件箱" })).total).toBe(0);
  });

  it.each([
    [{ overdue: "yes" }, "overdue", "“仅看已逾期”只能为 1"],
    [{ mine: "true" }, "mine", "“我认领的”只能为 1"],
    [{ process: "p".repeat(65) }, "process", "流程不存在"],
  ])("refuses the filter %o on its field, in Chinese, never listing everything", async (query, field, message) => {
    await expect(listTasks(await demoActor("regulator"), query)).rejects.toMatchObject({ status: 422, fields: { [field]: message } });
  });
});
