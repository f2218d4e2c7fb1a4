import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, taskDrafts, users } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { createUser, setUserStatus } from "~/server/admin/users.server";
import { db } from "~/server/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/server/errors.server";
import { completeTask, deployBuiltIns } from "~/server/workflow/index.server";
import { saveDraft } from "~/server/tasks/drafts.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { transferTask } from "~/server/tasks/transfer.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { instanceView } from "~/server/flow-views/instance-view.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { startDemoApproval, theOpenTask } from "../support/workflow";

// 转办: whoever may do an open task hands it to a colleague of the same organisation holding one of
// its roles; the colleague holds it and is told, the one who handed it on no longer can submit it.

useTestDatabase();

let insurer: Actor;
let colleague: Actor;
let third: Actor;
let retired: { id: string };
let roleless: { id: string };

async function colleagueOf(of: Actor, username: string, displayName: string) {
  const admin = await demoActor("admin");
  const user = await createUser(admin, {
    username,
    password: "Safe2026pass",
    displayName,
    organisationId: of.organisationId,
    roles: of.roles,
  });
  return user;
}

beforeAll(async () => {
  await deployBuiltIns();
  insurer = await demoActor("insurer");
  await colleagueOf(insurer, "picc.zhao", "人保赵专员");
  await colleagueOf(insurer, "picc.qian", "人保钱专员");
  colleague = await demoActor("picc.zhao");
  third = await demoActor("picc.qian");
  retired = await colleagueOf(insurer, "picc.sun", "人保孙专员");
  await setUserStatus(await demoActor("admin"), retired.id, "disabled");
  // An account of the organisation whose roles no longer include the task's: the platform lets an
  // insurer's staff hold only the insurer role, so the row is changed under it, as a role taken
  // away by a later change of the organisation's type would leave it.
  roleless = await colleagueOf(insurer, "picc.li", "人保李专员");
  await db().update(users).set({ roles: [] }).where(eq(users.id, roleless.id));
});

async function startDemo(title: string) {
  const { instance } = await startDemoApproval(title);
  return { instance, task: await theOpenTask(instance.id) };
}

const refusalOf = async (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("转办 to a colleague of the same organisation", () => {
  let taskId: string;
  let instanceId: string;

  it("offers the active colleagues holding the task's role, not the one handing it on", async () => {
    const { instance, task } = await startDemo("演示 转办");
    taskId = task.id;
    instanceId = instance.id;
    const view = await taskView(insurer, taskId);
    expect(view.transferTo.map((c) => c.username).sort()).toEqual(["insurer2", "picc.qian", "picc.zhao"]);
    // Someone who only sees the task (the regulator, the other insurer not at all) is offered nobody.
    expect((await taskView(await demoActor("regulator"), taskId)).transferTo).toEqual([]);
  });

  it("gives the task to the colleague, who is told; the one who handed it on loses it and their draft", async () => {
    await saveDraft(insurer, taskId, { subject: "写了一半" });
    const { to, notified } = await transferTask(insurer, taskId, { to: colleague.userId, reason: "我下周出差，请赵专员办理" });
    expect(to).toMatchObject({ id: colleague.userId, name: "人保赵专员" });
    expect(notified).toBe(1);

    const colleaguesView = await taskView(colleague, taskId);
    expect(colleaguesView).toMatchObject({ canComplete: true, task: { assigneeName: "人保赵专员", claimedByMe: true } });
    expect((await listTasks(colleague, {})).rows.map((t) => t.id)).toContain(taskId);

    const mine = await taskView(insurer, taskId);
    expect(mine).toMatchObject({ canComplete: false, transferTo: [] });
    expect((await listTasks(insurer, {})).rows.map((t) => t.id)).not.toContain(taskId);
    expect((await listTasks(third, {})).rows.map((t) => t.id)).not.toContain(taskId);
    expect(await db().select().from(taskDrafts).where(eq(taskDrafts.taskId, taskId))).toEqual([]);

    // Besides the 新待办 every insurer of the organisation got when the task arrived.
    const told = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, colleague.userId!), eq(notifications.title, "转办：提交申请")));
    expect(told).toEqual([
      expect.objectContaining({
        title: "转办：提交申请",
        body: "人保王经理将“演示 转办”的任务“提交申请”交给您办理：我下周出差，请赵专员办理",
        link: `/tasks/${taskId}`,
      }),
    ]);
  });

  it("is audited (who, when, from whom to whom, why) and shown in the flow's history", async () => {
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.transfer"), eq(auditEvents.subjectId, taskId)));
    expect(event).toMatchObject({
      actorUserId: insurer.userId,
      actorName: "人保王经理",
      organisationId: insurer.organisationId,
      before: { instanceId, assigneeId: null },
      after: { instanceId, assigneeId: colleague.userId, assigneeName: "人保赵专员", reason: "我下周出差，请赵专员办理" },
    });
    expect(event.at).toBeInstanceOf(Date);
    const history = (await instanceView(insurer, instanceId)).history;
    expect(history).toContainEqual(
      expect.objectContaining({ who: "人保王经理", what: "转办：提交申请", comment: "转给人保赵专员：我下周出差，请赵专员办理" }),
    );
  });

  it("a second submit of the same 转办 finds the task no longer the sender's (409), and changes nothing", async () => {
    const error = await refusalOf(transferTask(insurer, taskId, { to: colleague.userId }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe("该任务已由他人认领，不能转办");
    expect(await refusalOf(completeTask(insurer, taskId, { submission: { subject: "抢先提交", amount: 1 } }))).toBeInstanceOf(
      ConflictError,
    );
  });

  it("the colleague may hand it on again, and does it", async () => {
    await transferTask(colleague, taskId, { to: third.userId });
    expect((await taskView(third, taskId)).canComplete).toBe(true);
    expect((await taskView(colleague, taskId)).canComplete).toBe(false);
  });
});

describe("who may not take it: 422 on the field, in Chinese, nothing changed", () => {
  it.each([
    ["a user of another organisation", async () => (await demoActor("insurer-cpic")).userId!, "只能转办给本单位的同事"],
    ["no such user", async () => "no-such-user", "只能转办给本单位的同事"],
    ["a disabled colleague", async () => retired.id, "人保孙专员的账号已停用，不能转办"],
    ["a colleague without the task's role", async () => roleless.id, "人保李专员没有办理该任务的角色（保险公司）"],
    ["oneself", async () => insurer.userId!, "不能转办给自己"],
  ])("%s", async (_who, target, message) => {
    const { task } = await startDemo(`演示 拒绝转办 ${message}`);
    const error = await refusalOf(transferTask(insurer, task.id, { to: await target() }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual({ to: message });
    expect((await taskView(insurer, task.id)).canComplete).toBe(true);
    expect(
      await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "task.transfer"), eq(auditEvents.subjectId, task.id))),
    ).toEqual([]);
  });

  it("nobody chosen, a reason too long, a field it does not take", async () => {
    const { task } = await startDemo("演示 转办 输入");
    const fieldsOf = async (input: unknown) => ((await refusalOf(transferTask(insurer, task.id, input))) as ValidationError).fields;
    expect(await fieldsOf({})).toEqual({ to: "请选择转办给谁" });
    expect(await fieldsOf({ to: 42 })).toEqual({ to: "请选择转办给谁" });
    expect(await fieldsOf({ to: colleague.userId, reason: "长".repeat(501) })).toEqual({ reason: "转办说明不能超过500个字" });
    expect(await fieldsOf({ to: colleague.userId, assigneeId: insurer.userId })).toEqual({ assigneeId: "不接受的字段“assigneeId”" });
  });
});

describe("who may not hand it on", () => {
  it("someone who only sees the task (the regulator, a party) is refused (403); another insurer finds none (404)", async () => {
    const { task } = await startDemo("演示 转办 无权");
    expect(await refusalOf(transferTask(await demoActor("regulator"), task.id, { to: colleague.userId }))).toBeInstanceOf(ForbiddenError);
    expect(await refusalOf(transferTask(await demoActor("insurer-cpic"), task.id, { to: colleague.userId }))).toBeInstanceOf(NotFoundError);
    expect(await refusalOf(transferTask(insurer, "not-an-id", { to: colleague.userId }))).toBeInstanceOf(NotFoundError);
  });

  it("a task already done is 409", async () => {
    const { task } = await startDemo("演示 转办 已办");
    await completeTask(insurer, task.id, { submission: { subject: "已提交", amount: 1 } });
    const error = await refusalOf(transferTask(insurer, task.id, { to: colleague.userId }));
    expect(error).toBeInstanceOf(ConflictError);
  });
});

describe("two people at once", () => {
  it("two colleagues hand the same task to a third at once: one wins, the other gets 409", async () => {
    const { task } = await startDemo("演示 转办 并发");
    const results = await Promise.allSettled([
      transferTask(insurer, task.id, { to: third.userId }),
      transferTask(colleague, task.id, { to: third.userId }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [lost] = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(lost.reason).toBeInstanceOf(ConflictError);
    const events = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.transfer"), eq(auditEvents.subjectId, task.id)));
    expect(events).toHaveLength(1);
  });

  it("one completes while another hands it on: exactly one of them happens", async () => {
    const { task } = await startDemo("演示 转办 与提交并发");
    const results = await Promise.allSettled([
      completeTask(colleague, task.id, { submission: { subject: "赵专员提交", amount: 1 } }),
      transferTask(insurer, task.id, { to: third.userId }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [lost] = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(lost.reason).toBeInstanceOf(ConflictError);
  });
});
