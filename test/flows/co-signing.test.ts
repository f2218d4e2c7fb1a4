import { readFileSync } from "node:fs";
import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, taskDrafts, tasks, users } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { saveDraft } from "~/server/tasks/drafts.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { completeTask, deployBuiltIns, deployDefinition, fireDueTimers, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { instanceRow, openTasksOf, partiesOf, theOpenTask, timersOf } from "../support/workflow";

// 会签 (every organisation must sign) and 或签 (the first one to sign ends the others): one task row
// per organisation of a list in the flow's data, each in its own organisation's inbox.

useTestDatabase();
afterEach(resetClock);

const ALL = readFileSync("test/flows/diagrams/co-signing-all.bpmn", "utf8");
const ANY = readFileSync("test/flows/diagrams/co-signing-any.bpmn", "utf8");
const APPROVE = { decision: "approve" };
const RETURN = { decision: "return", reason: "免赔额需再议" };

let insurers: Actor[];
let regulator: Actor;
let tis: Actor;
beforeAll(async () => {
  await deployBuiltIns();
  const admin = await demoActor("admin");
  await deployDefinition(admin, ALL);
  await deployDefinition(admin, ANY);
  insurers = [await demoActor("insurer"), await demoActor("insurer-cpic"), await demoActor("insurer-pingan")];
  regulator = await demoActor("regulator");
  tis = await demoActor("tis");
});

/** A 会签 started by PICC and asked of all three insurers, past its first step. */
async function coSigning(title: string) {
  const [picc] = insurers;
  const instance = await startProcess(picc, {
    key: "test-co-signing-all",
    title,
    variables: { signers: insurers.map((i) => i.organisationId) },
  });
  await completeTask(picc, (await theOpenTask(instance.id)).id, { submission: { subject: title, amount: 100 } });
  return instance;
}

/** The open task of `actor`'s organisation in the instance. */
async function taskOf(instanceId: string, actor: Actor) {
  const mine = (await openTasksOf(instanceId)).filter((t) => t.organisationId === actor.organisationId);
  expect(mine).toHaveLength(1);
  return mine[0];
}

describe("会签: every organisation named in the flow's data signs", () => {
  it("gives each insurer its own task, due by the 会签's limit, in its own inbox, told by a notice", async () => {
    setClock(() => new Date("2026-05-01T02:00:00Z"));
    const instance = await coSigning("三家共保会签");
    const open = await openTasksOf(instance.id);
    expect(open.map((t) => [t.elementId, t.organisationId, t.dueAt?.toISOString()])).toEqual(
      insurers.map((i) => ["sign", i.organisationId, "2026-05-04T02:00:00.000Z"]),
    );
    expect(new Set(open.map((t) => t.executionId)).size).toBe(3);
    for (const insurer of insurers) {
      const inbox = await listTasks(insurer, { q: "三家共保会签" });
      expect(inbox.rows.map((r) => [r.name, r.dueAt?.toISOString()])).toEqual([["共保方会签", "2026-05-04T02:00:00.000Z"]]);
      // The task page opens for it, with its form, and only its own task can be done by it.
      const view = await taskView(insurer, inbox.rows[0].id);
      expect(view.canComplete).toBe(true);
    }
    const [cpicUser] = await db().select({ id: users.id }).from(users).where(eq(users.username, "insurer-cpic"));
    const told = await db()
      .select({ title: notifications.title })
      .from(notifications)
      .where(and(eq(notifications.userId, cpicUser.id), eq(notifications.link, `/tasks/${open[1].id}`)));
    expect(told).toEqual([{ title: "新待办：共保方会签 — 三家共保会签" }]);
    // PICC sees the flow it started, but another insurer's signature is not PICC's to give; an insurer
    // outside the flow does not see PICC's task at all.
    await expect(completeTask(insurers[0], open[1].id, { submission: APPROVE })).rejects.toMatchObject({
      status: 403,
      message: "您不是该任务的办理人",
    });
    await expect(completeTask(tis, open[0].id, { submission: APPROVE })).rejects.toMatchObject({ status: 404 });
  });

  it("waits for every signature, keeps each draft to its own task, then moves on once", async () => {
    const instance = await coSigning("会签顺序完成");
    const [picc, cpic, pingan] = insurers;
    const cpicTask = await taskOf(instance.id, cpic);
    await saveDraft(cpic, cpicTask.id, { decision: "approve" });
    await completeTask(picc, (await taskOf(instance.id, picc)).id, { submission: APPROVE });
    expect((await openTasksOf(instance.id)).map((t) => t.organisationId)).toEqual([cpic.organisationId, pingan.organisationId]);
    expect(await db().select().from(taskDrafts).where(eq(taskDrafts.taskId, cpicTask.id))).toHaveLength(1);
    await completeTask(cpic, cpicTask.id, { submission: APPROVE });
    expect(await db().select().from(taskDrafts).where(eq(taskDrafts.taskId, cpicTask.id))).toEqual([]);
    expect((await openTasksOf(instance.id)).map((t) => t.organisationId)).toEqual([pingan.organisationId]);
    await completeTask(pingan, (await taskOf(instance.id, pingan)).id, { submission: APPROVE });
    // Everyone agreed (everyEq over environment.output.sign): the regulator confirms.
    expect((await theOpenTask(instance.id)).elementId).toBe("confirm");
    const done = await db()
      .select({ organisationId: tasks.organisationId, submission: tasks.submission })
      .from(tasks)
      .where(and(eq(tasks.instanceId, instance.id), eq(tasks.elementId, "sign")));
    expect(done).toHaveLength(3);
    const audits = await db()
      .select({ before: auditEvents.before })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, "task.complete"),
          inArray(
            auditEvents.subjectId,
            (await signRows(instance.id)).map((t) => t.id),
          ),
        ),
      );
    // Each signature is audited on its own, not as a change of a co-signer's.
    expect(audits).toEqual([{ before: null }, { before: null }, { before: null }]);
  });

  it("ends as 会签未通过 when one insurer returns it, after all have answered", async () => {
    const instance = await coSigning("一家不同意");
    const [picc, cpic, pingan] = insurers;
    await completeTask(picc, (await taskOf(instance.id, picc)).id, { submission: APPROVE });
    await completeTask(cpic, (await taskOf(instance.id, cpic)).id, { submission: RETURN });
    expect(await openTasksOf(instance.id)).toHaveLength(1);
    await completeTask(pingan, (await taskOf(instance.id, pingan)).id, { submission: APPROVE });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "completed" });
    expect(await openTasksOf(instance.id)).toEqual([]);
  });

  it("takes two signatures at the same moment: both are kept and the flow moves on exactly once", async () => {
    const instance = await coSigning("同时会签");
    const [picc, cpic, pingan] = insurers;
    await completeTask(picc, (await taskOf(instance.id, picc)).id, { submission: APPROVE });
    const [cpicTask, pinganTask] = [await taskOf(instance.id, cpic), await taskOf(instance.id, pingan)];
    const [a, b] = await Promise.allSettled([
      completeTask(cpic, cpicTask.id, { submission: APPROVE }),
      completeTask(pingan, pinganTask.id, { submission: APPROVE }),
    ]);
    expect([a.status, b.status]).toEqual(["fulfilled", "fulfilled"]);
    expect((await openTasksOf(instance.id)).map((t) => t.elementId)).toEqual(["confirm"]);
    const confirms = await db()
      .select()
      .from(tasks)
      .where(and(eq(tasks.instanceId, instance.id), eq(tasks.elementId, "confirm")));
    expect(confirms).toHaveLength(1);
    expect((await signRows(instance.id)).map((t) => t.status)).toEqual(["completed", "completed", "completed"]);
  });

  it("fires its limit once for all the signatures, which stay open past it and overdue, and still move the flow on", async () => {
    setClock(() => new Date("2026-06-01T00:00:00Z"));
    const instance = await coSigning("会签逾期");
    const [picc, cpic, pingan] = insurers;
    await completeTask(picc, (await taskOf(instance.id, picc)).id, { submission: APPROVE });
    setClock(() => new Date("2026-06-04T00:00:01Z"));
    await fireDueTimers();
    expect((await timersOf(instance.id)).map((t) => [t.elementId, t.status])).toEqual([["signLimit", "fired"]]);
    const open = await openTasksOf(instance.id);
    expect(open.map((t) => [t.organisationId, t.dueAt?.toISOString()])).toEqual([
      [cpic.organisationId, "2026-06-04T00:00:00.000Z"],
      [pingan.organisationId, "2026-06-04T00:00:00.000Z"],
    ]);
    expect((await listTasks(cpic, { q: "会签逾期", overdue: "1" })).rows.map((r) => r.overdue)).toEqual([true]);
    await completeTask(cpic, (await taskOf(instance.id, cpic)).id, { submission: APPROVE });
    await completeTask(pingan, (await taskOf(instance.id, pingan)).id, { submission: APPROVE });
    expect((await theOpenTask(instance.id)).elementId).toBe("confirm");
  });

  it("refuses a list naming an organisation that is not an insurer, naming the task", async () => {
    const [picc] = insurers;
    const instance = await startProcess(picc, {
      key: "test-co-signing-all",
      title: "名单有误",
      variables: { signers: [picc.organisationId, tis.organisationId] },
    });
    await expect(
      completeTask(picc, (await theOpenTask(instance.id)).id, { submission: { subject: "名单有误", amount: 1 } }),
    ).rejects.toMatchObject({ status: 503 });
    expect((await instanceRow(instance.id)).incident?.message).toContain(
      `任务“共保方会签”（sign）的办理单位“${tis.organisationId}”不是平台上有效的保险公司单位`,
    );
  });
});

describe("a 会签 list the flow's data gives", () => {
  it("is refused when it names an organisation twice, or more than fifty, or what is no id", async () => {
    const [picc, cpic] = insurers;
    for (const [signers, says] of [
      [[cpic.organisationId, cpic.organisationId], `的办理单位“${cpic.organisationId}”重复`],
      [Array.from({ length: 51 }, () => crypto.randomUUID()), "最多由50个单位会签"],
      [[{ id: cpic.organisationId }], `的办理单位“{"id":"${cpic.organisationId}"}”不是平台上有效的保险公司单位`],
    ] as const) {
      const instance = await startProcess(picc, { key: "test-co-signing-all", title: "名单有误", variables: { signers } });
      await expect(
        completeTask(picc, (await theOpenTask(instance.id)).id, { submission: { subject: "名单有误", amount: 1 } }),
      ).rejects.toMatchObject({ status: 503 });
      expect((await instanceRow(instance.id)).incident?.message, says).toContain(says);
      expect(await openTasksOf(instance.id), says).toHaveLength(1);
    }
  });
});

describe("或签: the first organisation to sign ends the others", () => {
  async function orSigning(title: string) {
    const [picc] = insurers;
    const instance = await startProcess(picc, { key: "test-co-signing-any", title, parties: partiesOf(tis) });
    return instance;
  }

  it("gives the flow's insurer and TIS a task each; one signature closes the other, whose organisation is told 409", async () => {
    const instance = await orSigning("任一方确认");
    const [picc] = insurers;
    expect((await openTasksOf(instance.id)).map((t) => t.organisationId)).toEqual([picc.organisationId, tis.organisationId]);
    const tisTask = await taskOf(instance.id, tis);
    await saveDraft(tis, tisTask.id, { decision: "approve" });
    await completeTask(picc, (await taskOf(instance.id, picc)).id, { submission: APPROVE });
    expect((await theOpenTask(instance.id)).elementId).toBe("confirm");
    const [closed] = await db().select().from(tasks).where(eq(tasks.id, tisTask.id));
    expect(closed.status).toBe("cancelled");
    expect(await db().select().from(taskDrafts).where(eq(taskDrafts.taskId, tisTask.id))).toEqual([]);
    await expect(completeTask(tis, tisTask.id, { submission: APPROVE })).rejects.toMatchObject({
      status: 409,
      message: "该任务已结束，无需再办理：流程已不在此环节（例如或签已由其他单位办理）",
    });
    expect((await listTasks(tis, { q: "任一方确认" })).rows).toEqual([]);
  });

  it("takes two signatures at the same moment: one wins, the other is told in Chinese, the flow moves on once", async () => {
    const instance = await orSigning("同时或签");
    const [picc] = insurers;
    const [piccTask, tisTask] = [await taskOf(instance.id, picc), await taskOf(instance.id, tis)];
    const results = await Promise.allSettled([
      completeTask(picc, piccTask.id, { submission: APPROVE }),
      completeTask(tis, tisTask.id, { submission: RETURN }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refusal = results.find((r) => r.status === "rejected")!.reason as { status: number; message: string };
    expect(refusal).toMatchObject({ status: 409, message: expect.stringContaining("或签已由其他单位办理") });
    expect((await signRows(instance.id)).map((t) => t.status).sort()).toEqual(["cancelled", "completed"]);
    expect((await openTasksOf(instance.id)).map((t) => t.elementId)).toEqual(["confirm"]);
    await completeTask(regulator, (await theOpenTask(instance.id)).id, { submission: APPROVE });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "completed" });
  });
});

async function signRows(instanceId: string) {
  return db()
    .select()
    .from(tasks)
    .where(and(eq(tasks.instanceId, instanceId), eq(tasks.elementId, "sign")))
    .orderBy(tasks.createdAt, tasks.organisationId);
}
