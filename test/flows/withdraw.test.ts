import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, projects, tasks, workflowTimers } from "@db/schema";
import { createUser } from "~/server/admin/users.server";
import { db } from "~/server/db.server";
import { ConflictError, NotFoundError } from "~/server/errors.server";
import { completeTask, deployBuiltIns, startProcess, withdrawInstance } from "~/server/workflow/index.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { instanceView } from "~/server/flow-views/instance-view.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { registration } from "../support/insurance";
import { instanceRow, theOpenTask } from "../support/workflow";

// 撤回: a flow started by mistake (新建承保项目 left at 待录入报建信息) is taken back by its starter
// while nobody has submitted anything in it, and leaves nothing behind.

useTestDatabase();
beforeAll(() => deployBuiltIns());

async function freshReview() {
  const insurer = await demoActor("insurer");
  const instance = await startProcess(insurer, { key: "insurance-review", title: "新建承保项目（待录入报建信息）" });
  return { insurer, instance };
}

describe("withdrawing a flow (撤回)", () => {
  describe("the insurer withdraws a fresh 新建承保项目", () => {
    let ctx: Awaited<ReturnType<typeof freshReview>>;
    let taskId: string;

    it("is offered to its starter while its first step is open", async () => {
      ctx = await freshReview();
      taskId = (await theOpenTask(ctx.instance.id)).id;
      expect((await instanceView(ctx.insurer, ctx.instance.id)).canWithdraw).toBe(true);
      expect((await instanceView(await demoActor("regulator"), ctx.instance.id)).canWithdraw).toBe(false);
    });

    it("ends the flow as withdrawn, cancels its task and takes it out of the inbox", async () => {
      await withdrawInstance(ctx.insurer, ctx.instance.id);
      expect(await instanceRow(ctx.instance.id)).toMatchObject({ status: "withdrawn" });
      expect((await instanceRow(ctx.instance.id)).endedAt).not.toBeNull();
      const [task] = await db().select().from(tasks).where(eq(tasks.id, taskId));
      expect(task.status).toBe("cancelled");
      expect((await listTasks(ctx.insurer, {})).rows.map((t) => t.id)).not.toContain(taskId);
      const pending = await db()
        .select()
        .from(workflowTimers)
        .where(and(eq(workflowTimers.instanceId, ctx.instance.id), eq(workflowTimers.status, "pending")));
      expect(pending).toEqual([]);
    });

    it("is audited as 撤回流程 by the insurer, and its history says so", async () => {
      const [event] = await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "process.withdraw"), eq(auditEvents.subjectId, ctx.instance.id)));
      expect(event).toMatchObject({ actorUserId: ctx.insurer.userId, actorName: ctx.insurer.displayName, after: { status: "withdrawn" } });
      expect(event.before).toMatchObject({ status: "running", openTasks: ["录入报建信息"] });
      const view = await instanceView(ctx.insurer, ctx.instance.id);
      expect(view.history.map((h) => h.what)).toContain("撤回流程");
      expect(view.canWithdraw).toBe(false);
    });

    it("leaves no project behind", async () => {
      expect(await db().select().from(projects).where(eq(projects.id, ctx.instance.businessKey))).toEqual([]);
    });

    it("cannot be withdrawn twice, nor its task done afterwards (409)", async () => {
      await expect(withdrawInstance(ctx.insurer, ctx.instance.id)).rejects.toBeInstanceOf(ConflictError);
      await expect(completeTask(ctx.insurer, taskId, { submission: registration({ permitNo: "KM-WD-0001" }) })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await db().select().from(projects).where(eq(projects.permitNo, "KM-WD-0001"))).toEqual([]);
    });
  });

  describe("nobody else may withdraw it: it is not theirs to find (404)", () => {
    it.each([
      ["another insurer", "insurer-cpic"],
      ["the regulator, who sees every flow", "regulator"],
      ["an administrator", "admin"],
    ])("%s", async (_who, username) => {
      const { instance } = await freshReview();
      const error = await withdrawInstance(await demoActor(username), instance.id).catch((e) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe("流程不存在，或不是您发起的");
      expect(await instanceRow(instance.id)).toMatchObject({ status: "running" });
    });

    it("another user of the starter's own organisation", async () => {
      const { insurer, instance } = await freshReview();
      const admin = await demoActor("admin");
      await createUser(admin, {
        username: "picc.colleague",
        password: "Safe2026pass",
        displayName: "人保同事",
        organisationId: insurer.organisationId,
        roles: ["insurer"],
      });
      const colleague = await demoActor("picc.colleague");
      await expect(withdrawInstance(colleague, instance.id)).rejects.toBeInstanceOf(NotFoundError);
      expect(await instanceRow(instance.id)).toMatchObject({ status: "running" });
    });

    it("an id that is no flow, or not an id at all", async () => {
      const insurer = await demoActor("insurer");
      await expect(withdrawInstance(insurer, "00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(NotFoundError);
      await expect(withdrawInstance(insurer, "not-an-id")).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  it("once its first step is submitted, the starter can no longer withdraw it (409), and nothing changes", async () => {
    const { insurer, instance } = await freshReview();
    await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: registration({ permitNo: "KM-WD-0002" }) });
    const error = await withdrawInstance(insurer, instance.id).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe("该流程已有环节提交，不能撤回");
    expect(await instanceRow(instance.id)).toMatchObject({ status: "running" });
    expect((await theOpenTask(instance.id)).elementId).toBe("policy");
    expect((await instanceView(insurer, instance.id)).canWithdraw).toBe(false);
    const withdrawals = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "process.withdraw"), eq(auditEvents.subjectId, instance.id)));
    expect(withdrawals).toEqual([]);
  });
});
