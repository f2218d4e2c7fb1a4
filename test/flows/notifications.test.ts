import { and, eq, like } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { notifications, processInstances } from "@db/schema";
import { ValidationError } from "~/server/errors.server";
import { resetClock, setClock } from "~/server/clock.server";
import { listNotifications, markNotificationsRead, openNotification } from "~/server/notifications/in-app.server";
import { notify } from "~/server/notifications/notify.server";
import { db } from "~/server/db.server";
import { completeTask, deployBuiltIns, deployDefinition, registerService, startProcess } from "~/server/workflow/index.server";
import type { Actor } from "~/server/auth/actor";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { policy, registration } from "../support/insurance";
import { partiesOf, theOpenTask } from "../support/workflow";

useTestDatabase();
beforeAll(() => deployBuiltIns());

/** What `actor` was told about the flow titled `title`, oldest first. */
async function notesOf(actor: Actor, title: string) {
  const rows = await db()
    .select({ title: notifications.title, body: notifications.body, link: notifications.link })
    .from(notifications)
    .where(and(eq(notifications.userId, actor.userId!), like(notifications.title, `%${title}%`)))
    .orderBy(notifications.createdAt);
  return rows;
}

describe("notifications of the insurance review", () => {
  const name = "通知测试花园";
  let insurer: Actor, regulator: Actor, tis: Actor;
  let instanceId: string, projectId: string;

  beforeAll(async () => {
    [insurer, regulator, tis] = await Promise.all([demoActor("insurer"), demoActor("regulator"), demoActor("tis")]);
    const instance = await startProcess(insurer, { key: "insurance-review", title: `新建承保项目 ${name}` });
    instanceId = instance.id;
    projectId = instance.businessKey;
    await completeTask(insurer, (await theOpenTask(instanceId)).id, { submission: registration({ name, permitNo: "KM-2026-0901" }) });
  });

  it("tells nobody about their own steps: the insurer, moving its project on, gets nothing", async () => {
    expect(await notesOf(insurer, name)).toEqual([]);
  });

  it("tells the regulator a confirmation task arrived, with a link to it", async () => {
    await completeTask(insurer, (await theOpenTask(instanceId)).id, { submission: policy({ policyNo: "PICC-IDI-2026-0901" }) });
    const confirmation = await theOpenTask(instanceId);
    expect(await notesOf(regulator, name)).toEqual([
      { title: `新待办：住建局确认投保 — ${name}`, body: "保险审核", link: `/tasks/${confirmation.id}` },
    ]);
  });

  it("tells the insurer, once, that its project was returned, with the reason and a link to the step to redo", async () => {
    await completeTask(regulator, (await theOpenTask(instanceId)).id, {
      submission: { decision: "return", reason: "施工单位资质证书已过期" },
    });
    const redo = await theOpenTask(instanceId);
    expect(redo.elementId).toBe("registration");
    expect(await notesOf(insurer, name)).toEqual([
      {
        title: `已退回：${name} — 录入报建信息`,
        body: "住建局李科长在“住建局确认投保”中退回，退回原因：施工单位资质证书已过期",
        link: `/tasks/${redo.id}`,
      },
    ]);
  });

  it("does not take the corrected registration's next step for a return", async () => {
    await completeTask(insurer, (await theOpenTask(instanceId)).id, { submission: registration({ name, permitNo: "KM-2026-0901" }) });
    await completeTask(insurer, (await theOpenTask(instanceId)).id, { submission: policy({ policyNo: "PICC-IDI-2026-0901" }) });
    expect((await notesOf(insurer, name)).map((n) => n.title)).toEqual([`已退回：${name} — 录入报建信息`]);
    expect((await notesOf(regulator, name)).map((n) => n.title)).toEqual([
      `新待办：住建局确认投保 — ${name}`,
      `新待办：住建局确认投保 — ${name}`,
    ]);
  });

  it("tells the starter the project is insured, and the appointed TIS that its risk plan task arrived", async () => {
    await completeTask(regulator, (await theOpenTask(instanceId)).id, { submission: { decision: "confirm" } });
    expect((await notesOf(insurer, name)).at(-1)).toEqual({
      title: `您的项目“${name}”已确认投保`,
      body: "保险审核",
      link: `/projects/${projectId}`,
    });
    const [risk] = await db()
      .select({ id: processInstances.id })
      .from(processInstances)
      .where(and(eq(processInstances.definitionKey, "risk-management"), eq(processInstances.businessKey, projectId)));
    const plan = await theOpenTask(risk.id);
    expect(await notesOf(tis, name)).toEqual([
      { title: `新待办：风险交底及检查计划 — ${name}`, body: "风险管理", link: `/tasks/${plan.id}` },
    ]);
    // The regulator decided: it is told nothing about its own decision.
    expect(await notesOf(regulator, name)).toHaveLength(2);
  });
});

describe("a decision that neither returns nor ends", () => {
  it("tells the starter what was decided, in the words of the form", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    const regulator = await demoActor("regulator");
    await deployDefinition(admin, TWO_REVIEWS);
    const instance = await startProcess(insurer, {
      key: "two-reviews",
      businessType: "demo",
      title: "两级审批",
      parties: partiesOf(insurer, regulator),
    });
    await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "两级审批", amount: 10 } });
    await completeTask(regulator, (await theOpenTask(instance.id)).id, { submission: { decision: "approve" } });
    expect((await notesOf(insurer, "两级审批")).map((n) => n.title)).toEqual(["您的流程“两级审批”：初审 — 同意"]);
  });
});

// A flow whose completion starts risk management (a task for the TIS) and then is refused.
let refuse = true;
registerService("refuseAfterStart", {
  label: "测试用最后检查",
  async run() {
    if (refuse) throw new ValidationError({ amount: "金额超过本流程的上限" });
    return { ok: true };
  },
});

const START_THEN_REFUSE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="start-then-refuse" name="先发起后拒绝" isExecutable="true" camunda:candidateStarterGroups="insurer">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill" />
    <bpmn:userTask id="fill" name="填写" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
    <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="startRisk" />
    <bpmn:serviceTask id="startRisk" name="请风险管理机构检查" implementation="\${environment.services.startProcess}">
      <bpmn:extensionElements><camunda:properties><camunda:property name="key" value="tis-check" /></camunda:properties></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="startRisk" targetRef="check" />
    <bpmn:serviceTask id="check" name="最后检查" implementation="\${environment.services.refuseAfterStart}" />
    <bpmn:sequenceFlow id="f4" sourceRef="check" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const TIS_CHECK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="tis-check" name="现场检查" isExecutable="true" camunda:candidateStarterGroups="admin">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="inspect" />
    <bpmn:userTask id="inspect" name="现场检查" camunda:formKey="demo-request" camunda:candidateGroups="tis" />
    <bpmn:sequenceFlow id="f2" sourceRef="inspect" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const TWO_REVIEWS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="two-reviews" name="两级审批" isExecutable="true" camunda:candidateStarterGroups="insurer">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="request" />
    <bpmn:userTask id="request" name="提交申请" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
    <bpmn:sequenceFlow id="f2" sourceRef="request" targetRef="first" />
    <bpmn:userTask id="first" name="初审" camunda:formKey="demo-review" camunda:candidateGroups="regulator" />
    <bpmn:sequenceFlow id="f3" sourceRef="first" targetRef="second" />
    <bpmn:userTask id="second" name="复审" camunda:formKey="demo-review" camunda:candidateGroups="regulator" />
    <bpmn:sequenceFlow id="f4" sourceRef="second" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe("a step that is rolled back", () => {
  it("leaves no notification, not even the one of a task that a flow it started opened", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    const tis = await demoActor("tis");
    await deployDefinition(admin, TIS_CHECK);
    await deployDefinition(admin, START_THEN_REFUSE);
    const title = "回滚不通知";
    const instance = await startProcess(insurer, {
      key: "start-then-refuse",
      businessType: "demo",
      title,
      parties: partiesOf(insurer, tis),
    });
    const fill = await theOpenTask(instance.id);
    await expect(completeTask(insurer, fill.id, { submission: { subject: title, amount: 5 } })).rejects.toBeInstanceOf(ValidationError);
    expect(await notesOf(tis, title)).toEqual([]);

    refuse = false;
    await completeTask(insurer, fill.id, { submission: { subject: title, amount: 5 } });
    expect((await notesOf(tis, title)).map((n) => n.title)).toEqual([`新待办：现场检查 — ${title}`]);
  });
});

describe("the notifications page, a page at a time", () => {
  afterEach(resetClock);

  it("pages through every notice newest first, and the 未读 view keeps only the unread ones", async () => {
    const user = await demoActor("tis");
    const before = await listNotifications(user.userId!, { view: "unread" });
    for (let i = 1; i <= 60; i++) {
      // Later than anything else of the user, one minute apart: the newest come first.
      setClock(() => new Date(Date.UTC(2030, 0, 1, 0, i)));
      await notify(db(), [{ to: { userId: user.userId! }, message: { title: `分页通知 ${i}` } }]);
    }
    const first = await listNotifications(user.userId!, { pageSize: "20" });
    expect(first).toMatchObject({ page: 1, pageSize: 20, view: "all" });
    expect(first.rows.map((n) => n.title)).toEqual(Array.from({ length: 20 }, (_, i) => `分页通知 ${60 - i}`));
    const third = await listNotifications(user.userId!, { page: "3", pageSize: "20" });
    expect(third.rows.map((n) => n.title)).toEqual(Array.from({ length: 20 }, (_, i) => `分页通知 ${20 - i}`));
    expect(third.total).toBe(first.total);
    expect(first.total).toBeGreaterThanOrEqual(60);

    for (const n of first.rows.slice(0, 10)) await markNotificationsRead(user.userId!, n.id);
    const unread = await listNotifications(user.userId!, { view: "unread", pageSize: "20" });
    expect(unread.total).toBe(before.total + 50);
    expect(unread.rows.map((n) => n.title)).toEqual(Array.from({ length: 20 }, (_, i) => `分页通知 ${50 - i}`));
    // A query a hand could write does not break the page: it falls back to the first page of all.
    expect(await listNotifications(user.userId!, { page: "-1", pageSize: "9999", view: "<b>" })).toMatchObject({
      page: 1,
      pageSize: 20,
      view: "all",
    });
  });

  it("opening a notification by a made-up or another user's id marks nothing and leads back to the list", async () => {
    const tis = await demoActor("tis");
    const insurer = await demoActor("insurer");
    await notify(db(), [{ to: { userId: insurer.userId! }, message: { title: "别人的通知", link: "/inbox" } }]);
    const [theirs] = (await listNotifications(insurer.userId!, {})).rows;
    // 36 characters that look like an id to a loose pattern but are no UUID: PostgreSQL refused the cast (a 500).
    for (const id of ["-".repeat(36), "0".repeat(36), theirs.id]) expect(await openNotification(tis.userId!, id)).toBe("/notifications");
    expect((await listNotifications(insurer.userId!, {})).rows[0]).toMatchObject({ id: theirs.id, readAt: null });
    expect(await openNotification(insurer.userId!, theirs.id)).toBe("/inbox");
  });
});
