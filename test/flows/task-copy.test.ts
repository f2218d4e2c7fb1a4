import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, instanceCopies, notifications, processInstances } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { scope } from "~/server/auth/scope.server";
import { db } from "~/server/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/server/errors.server";
import { completeTask, deployBuiltIns, startProcess } from "~/server/workflow/index.server";
import { copyTask } from "~/server/tasks/copy.server";
import { transferTask } from "~/server/tasks/transfer.server";
import { instanceView } from "~/server/flow-views/instance-view.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { theOpenTask } from "../support/workflow";

// 抄送: the holder of a task copies its flow to a party of it or the bureau: they are told and read
// the flow (its page, history, the steps' submissions), never act on it; nobody else gains sight.

useTestDatabase();

let insurer: Actor;
let regulator: Actor;
let tis: Actor;
let cpic: Actor;

beforeAll(async () => {
  await deployBuiltIns();
  [insurer, regulator, tis, cpic] = await Promise.all(["insurer", "regulator", "tis", "insurer-cpic"].map(demoActor));
});

/** A demo approval that names the TIS as a party (as a project's flows do), its request submitted. */
async function reviewWaiting(title: string) {
  const instance = await startProcess(insurer, {
    key: "demo-approval",
    businessType: "demo",
    businessKey: crypto.randomUUID(),
    title,
    parties: { insurer: insurer.organisationId!, tis: tis.organisationId! },
  });
  await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: `${title} 申请`, amount: 300 } });
  return { instance, review: await theOpenTask(instance.id) };
}

const refusalOf = async (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

/** The instances among `ids` the actor's scope lets through, by the one scope function. */
async function seenInstances(actor: Actor, ids: string[]): Promise<string[]> {
  const rows = await db()
    .select({ id: processInstances.id })
    .from(processInstances)
    .where(and(scope(actor, "instance")));
  return rows.map((r) => r.id).filter((id) => ids.includes(id));
}

describe("抄送 of the review to the TIS, a party of the flow", () => {
  let ctx: Awaited<ReturnType<typeof reviewWaiting>>;

  it("offers the flow's parties and the bureau, not the actor's own organisation", async () => {
    ctx = await reviewWaiting("演示 抄送");
    const view = await taskView(regulator, ctx.review.id);
    expect(view.copyTo.map((o) => o.id).sort()).toEqual([insurer.organisationId, tis.organisationId].sort());
    // Someone who may not do the task is offered nothing.
    expect((await taskView(tis, ctx.review.id)).copyTo).toEqual([]);
  });

  it("before it, the TIS sees the flow (a party) but not what was submitted in it", async () => {
    expect((await instanceView(tis, ctx.instance.id)).completedSteps).toEqual([]);
  });

  it("copies it: the TIS's users are told, and read every step's submission from then on", async () => {
    const { to, notified } = await copyTask(regulator, ctx.review.id, { organisationId: tis.organisationId, note: "请关注该申请" });
    expect(to.id).toBe(tis.organisationId);
    expect(notified).toBeGreaterThan(0);
    const told = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, tis.userId!), eq(notifications.title, "抄送：演示 抄送")));
    expect(told).toEqual([
      expect.objectContaining({
        body: "住建局李科长将“演示 抄送”（住建局审核）抄送给贵单位：请关注该申请",
        link: `/instances/${ctx.instance.id}`,
      }),
    ]);
    const view = await instanceView(tis, ctx.instance.id);
    expect(view.completedSteps.map((s) => s.submission)).toEqual([{ subject: "演示 抄送 申请", amount: 300 }]);
    expect(view.copies).toEqual([
      expect.objectContaining({ organisationName: expect.any(String), by: "住建局李科长", note: "请关注该申请" }),
    ]);
    expect(view.history).toContainEqual(expect.objectContaining({ what: "抄送：住建局审核", who: "住建局李科长" }));
  });

  it("never acts on it: the TIS cannot complete, hand on or copy the review", async () => {
    expect((await taskView(tis, ctx.review.id)).canComplete).toBe(false);
    expect(await refusalOf(completeTask(tis, ctx.review.id, { submission: { decision: "approve" } }))).toBeInstanceOf(ForbiddenError);
    expect(await refusalOf(transferTask(tis, ctx.review.id, { to: tis.userId }))).toBeInstanceOf(ForbiddenError);
    expect(await refusalOf(copyTask(tis, ctx.review.id, { organisationId: insurer.organisationId }))).toBeInstanceOf(ForbiddenError);
  });

  it("is audited: who, when, to whom, with the note", async () => {
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.copy"), eq(auditEvents.subjectId, ctx.review.id)));
    expect(event).toMatchObject({
      actorUserId: regulator.userId,
      after: { instanceId: ctx.instance.id, organisationId: tis.organisationId, note: "请关注该申请" },
    });
  });

  it("copying it again to the same organisation is a 422 on the field; a double submit changes nothing", async () => {
    const error = await refusalOf(copyTask(regulator, ctx.review.id, { organisationId: tis.organisationId }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual({ organisationId: expect.stringMatching(/^本流程已抄送给/) });
    expect(await db().select().from(instanceCopies).where(eq(instanceCopies.instanceId, ctx.instance.id))).toHaveLength(1);
  });
});

describe("the scope: a copy opens that flow to that organisation and nothing else", () => {
  it("the copied organisation sees the copied flow through the copy alone; another flow and another organisation stay out (404)", async () => {
    // A copy goes only to a party of the flow, who sees it as a party anyway. To see what the copy
    // itself opens, both flows then stop naming the TIS (as a re-appointed TIS leaves a project's
    // flows: a service renames the party): only the copied one stays in its sight.
    const copied = await reviewWaiting("演示 抄送 范围");
    const other = await reviewWaiting("演示 未抄送");
    await copyTask(regulator, copied.review.id, { organisationId: tis.organisationId });
    for (const id of [copied.instance.id, other.instance.id])
      await db()
        .update(processInstances)
        .set({ parties: { insurer: insurer.organisationId! } })
        .where(eq(processInstances.id, id));
    expect(await seenInstances(tis, [copied.instance.id, other.instance.id])).toEqual([copied.instance.id]);
    expect((await instanceView(tis, copied.instance.id)).instance.id).toBe(copied.instance.id);
    expect(await refusalOf(instanceView(tis, other.instance.id))).toBeInstanceOf(NotFoundError);
    expect((await taskView(tis, copied.review.id)).canComplete).toBe(false);
    expect(await refusalOf(taskView(tis, other.review.id))).toBeInstanceOf(NotFoundError);
    // Another organisation gains nothing from the copy.
    expect(await seenInstances(cpic, [copied.instance.id, other.instance.id])).toEqual([]);
    expect(await refusalOf(instanceView(cpic, copied.instance.id))).toBeInstanceOf(NotFoundError);
  });
});

describe("refused", () => {
  it.each([
    ["the actor's own organisation", () => regulator.organisationId!, "不能抄送给本单位"],
    ["an organisation that is no party of the flow", () => cpic.organisationId!, "只能抄送给本流程的参与单位或住建局"],
    ["no organisation at all", () => "00000000-0000-4000-8000-000000000000", "只能抄送给本流程的参与单位或住建局"],
  ])("%s: 422 on the field", async (_what, target, message) => {
    const { review } = await reviewWaiting(`演示 抄送 拒绝 ${message}`);
    const error = await refusalOf(copyTask(regulator, review.id, { organisationId: target() }));
    expect((error as ValidationError).fields).toEqual({ organisationId: message });
  });

  it("bad input, someone who only sees the task, another insurer, a closed task", async () => {
    const { review } = await reviewWaiting("演示 抄送 输入");
    expect(((await refusalOf(copyTask(regulator, review.id, {}))) as ValidationError).fields).toEqual({ organisationId: "请选择抄送单位" });
    expect(
      ((await refusalOf(copyTask(regulator, review.id, { organisationId: tis.organisationId, note: "长".repeat(501) }))) as ValidationError)
        .fields,
    ).toEqual({ note: "抄送说明不能超过500个字" });
    expect(await refusalOf(copyTask(insurer, review.id, { organisationId: tis.organisationId }))).toBeInstanceOf(ForbiddenError);
    expect(await refusalOf(copyTask(cpic, review.id, { organisationId: tis.organisationId }))).toBeInstanceOf(NotFoundError);
    await completeTask(regulator, review.id, { submission: { decision: "approve" } });
    expect(await refusalOf(copyTask(regulator, review.id, { organisationId: tis.organisationId }))).toBeInstanceOf(ConflictError);
  });

  it("two copies to the same organisation at once: one is made, the other refused", async () => {
    const { instance, review } = await reviewWaiting("演示 抄送 并发");
    const results = await Promise.allSettled([
      copyTask(regulator, review.id, { organisationId: tis.organisationId }),
      copyTask(regulator, review.id, { organisationId: tis.organisationId }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db().select().from(instanceCopies).where(eq(instanceCopies.instanceId, instance.id))).toHaveLength(1);
  });
});
