import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, tasks } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import {
  completeTask,
  deliverMessage,
  deployBuiltIns,
  deployDefinition,
  fireDueTimers,
  startProcess,
} from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { instanceRow, openTasksOf, partiesOf, theOpenTask, timersOf } from "../support/workflow";

// Message catch events, delivered as one step each (what POST /api/v1/instances/{id}/messages/{name}
// calls): an insurer's system saying 付款完成 moves a claim-like flow on.

useTestDatabase();
afterEach(resetClock);

const XML = readFileSync("test/flows/diagrams/claim-payment.bpmn", "utf8");
const T0 = new Date("2026-08-01T00:00:00Z");

let insurer: Actor;
let otherInsurer: Actor;
let tis: Actor;
let admin: Actor;
beforeAll(async () => {
  await deployBuiltIns();
  admin = await demoActor("admin");
  await deployDefinition(admin, XML);
  insurer = await demoActor("insurer");
  otherInsurer = await demoActor("insurer-cpic");
  tis = await demoActor("tis");
});

/** A claim past 理算, waiting for 付款完成 or ten days. */
async function waitingForPayment(title: string) {
  setClock(() => T0);
  const instance = await startProcess(insurer, { key: "test-claim-payment", title, parties: partiesOf(insurer, tis) });
  await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: title, amount: 5000 } });
  return instance;
}

const pendingTimers = async (instanceId: string) =>
  (await timersOf(instanceId)).filter((t) => t.status === "pending").map((t) => t.elementId);

describe("a message catch event", () => {
  it("moves the flow on when the flow's insurer says 付款完成, with the amount for the next gateway, audited", async () => {
    const instance = await waitingForPayment("付款完成");
    expect(await openTasksOf(instance.id)).toEqual([]);
    expect(await pendingTimers(instance.id)).toEqual(["paymentLate"]);
    const receipt = await deliverMessage(insurer, instance.id, "付款完成", { amount: 4800, paidOn: "2026-08-03" });
    expect(receipt).toEqual({ caughtBy: ["paid"] });
    // The amount (environment.output.paid.amount) took the gateway to 确认到账; the ten days are off.
    expect((await theOpenTask(instance.id)).elementId).toBe("confirm");
    expect(await pendingTimers(instance.id)).toEqual([]);
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "process.message"), eq(auditEvents.subjectId, instance.id)));
    expect(audit).toMatchObject({
      actorUserId: insurer.userId,
      after: { name: "付款完成", caughtBy: ["paid"], variables: { amount: 4800, paidOn: "2026-08-03" } },
    });
    // Said twice: the flow no longer waits for it.
    await expect(deliverMessage(insurer, instance.id, "付款完成", { amount: 4800 })).rejects.toMatchObject({
      status: 409,
      message: "该流程当前没有在等待“付款完成”消息",
    });
  });

  it("takes the other branch when the amount is not one", async () => {
    const instance = await waitingForPayment("金额为零");
    await deliverMessage(insurer, instance.id, "付款完成", { amount: 0 });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "completed" });
  });

  it("is refused before the flow waits for it, and after its timer branch won", async () => {
    setClock(() => T0);
    const early = await startProcess(insurer, { key: "test-claim-payment", title: "尚未理算", parties: partiesOf(insurer) });
    await expect(deliverMessage(insurer, early.id, "付款完成", { amount: 1 })).rejects.toMatchObject({ status: 409 });
    expect((await theOpenTask(early.id)).elementId).toBe("settle");

    const instance = await waitingForPayment("十天未付款");
    setClock(() => new Date(T0.getTime() + 10 * 86_400_000 + 1000));
    await fireDueTimers();
    expect((await theOpenTask(instance.id)).elementId).toBe("chase");
    await expect(deliverMessage(insurer, instance.id, "付款完成", { amount: 1 })).rejects.toMatchObject({ status: 409 });
  });

  it("is sent only by the party in the role its event names, or an administrator; others find nothing", async () => {
    const instance = await waitingForPayment("谁可以发送");
    await expect(deliverMessage(otherInsurer, instance.id, "付款完成", { amount: 1 })).rejects.toMatchObject({ status: 404 });
    await expect(deliverMessage(tis, instance.id, "付款完成", { amount: 1 })).rejects.toMatchObject({
      status: 403,
      message: "您无权向该流程发送“付款完成”消息",
    });
    await expect(deliverMessage(insurer, instance.id, "到账", { amount: 1 })).rejects.toMatchObject({ status: 404 });
    await expect(deliverMessage(insurer, "not-a-uuid", "付款完成", {})).rejects.toMatchObject({ status: 404 });
    expect(await pendingTimers(instance.id)).toEqual(["paymentLate"]);
    await deliverMessage(admin, instance.id, "付款完成", { amount: 10 });
    expect((await theOpenTask(instance.id)).elementId).toBe("confirm");
  });

  it("refuses a body that is not a small object of named variables (422), changing nothing", async () => {
    const instance = await waitingForPayment("消息内容有误");
    const refused = async (body: unknown) => {
      const error = (await deliverMessage(insurer, instance.id, "付款完成", body).catch((e: unknown) => e)) as {
        status: number;
        fields: unknown;
      };
      expect(error.status).toBe(422);
      return error.fields;
    };
    expect(await refused([1, 2])).toEqual({ body: "消息内容应为 JSON 对象" });
    expect(await refused("付款")).toEqual({ body: "消息内容应为 JSON 对象" });
    expect(await refused({ "amount paid": 1 })).toEqual({ "amount paid": expect.stringContaining("变量名应为字母或下划线开头") });
    expect(await refused({ id: "x" })).toEqual({ id: "变量名 id 由平台保留，请换一个名称" });
    expect(await refused({ note: "款".repeat(6000) })).toEqual({ body: "消息内容不能超过16KB" });
    expect(await refused(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, i])))).toEqual({ body: "消息最多携带50个变量" });
    expect(await pendingTimers(instance.id)).toEqual(["paymentLate"]);
    expect(await openTasksOf(instance.id)).toEqual([]);
  });

  it("takes one of two deliveries at the same moment; the other is told the flow no longer waits", async () => {
    const instance = await waitingForPayment("同时送达");
    const results = await Promise.allSettled([
      deliverMessage(insurer, instance.id, "付款完成", { amount: 100 }),
      deliverMessage(admin, instance.id, "付款完成", { amount: 200 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    const confirms = await db()
      .select()
      .from(tasks)
      .where(and(eq(tasks.instanceId, instance.id), eq(tasks.elementId, "confirm")));
    expect(confirms).toHaveLength(1);
  });
});

describe("a message boundary event", () => {
  it("interrupts the task it is attached to: an administrator's 撤案 cancels 理算 and ends the claim", async () => {
    setClock(() => T0);
    const instance = await startProcess(insurer, { key: "test-claim-payment", title: "撤案", parties: partiesOf(insurer) });
    const settle = await theOpenTask(instance.id);
    // Nobody but an administrator may send it (its event names no sender role).
    await expect(deliverMessage(insurer, instance.id, "撤案", {})).rejects.toMatchObject({ status: 403 });
    expect(await deliverMessage(admin, instance.id, "撤案", { reason: "重复报案" })).toEqual({ caughtBy: ["withdrawn"] });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "completed" });
    const [closed] = await db().select().from(tasks).where(eq(tasks.id, settle.id));
    expect(closed.status).toBe("cancelled");
    await expect(completeTask(insurer, settle.id, { submission: { subject: "迟到", amount: 1 } })).rejects.toMatchObject({ status: 409 });
    await expect(deliverMessage(admin, instance.id, "撤案", {})).rejects.toMatchObject({ status: 409, message: "该流程已结束" });
  });
});
