import { and, count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditEvents, notifications, processDefinitions, processInstances, tasks } from "@db/schema";
import { resetClock, setClock } from "~/server/clock.server";
import { ValidationError } from "~/server/errors.server";
import { db } from "~/server/db.server";
import { notify } from "~/server/notifications/notify.server";
import {
  completeTask,
  deployDefinition,
  fireDueTimers,
  registerService,
  retryIncident,
  startProcess,
} from "~/server/workflow/index.server";
import { sourceContextOf } from "~/server/workflow/engine.server";
import { demoActor } from "../support/actors";
import { useRestartableDatabase } from "../support/database";
import { instanceRow, openTasksOf, partiesOf, theOpenTask, timersOf } from "../support/workflow";

// This file's database can be restarted: one test restarts the platform's database.
const database = useRestartableDatabase();
afterEach(resetClock);

// A service whose failure the tests switch on. It writes before it fails, to show the write is undone.
let flakyFails = true;
registerService("flakyNotify", {
  label: "测试用不稳定服务",
  async run({ tx, instance }) {
    await notify(tx, [{ to: { roles: ["regulator"], organisationId: null }, message: { title: `不应留下的通知 ${instance.id}` } }]);
    if (flakyFails) throw new Error("外部系统无响应");
    return { ok: true };
  },
});

registerService("refuseBigAmounts", {
  label: "测试用金额检查",
  async run({ output }) {
    const amount = (output.fill as { amount?: number } | undefined)?.amount ?? 0;
    if (amount > 1000) throw new ValidationError({ amount: "金额超过本流程的上限" });
    return { ok: true };
  },
});

const FLAKY = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="flaky-flow" name="不稳定流程" isExecutable="true" camunda:candidateStarterGroups="insurer">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill" />
    <bpmn:userTask id="fill" name="填写" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
    <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="call" />
    <bpmn:serviceTask id="call" name="调用外部系统" implementation="\${environment.services.flakyNotify}" />
    <bpmn:sequenceFlow id="f3" sourceRef="call" targetRef="review" />
    <bpmn:userTask id="review" name="审核" camunda:formKey="demo-review" camunda:candidateGroups="regulator" />
    <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe("a failing service task", () => {
  it("rolls the whole completion back, keeps the submission in an incident, and a retry goes through", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    await deployDefinition(admin, FLAKY);
    const instance = await startProcess(insurer, {
      key: "flaky-flow",
      businessType: "demo",
      businessKey: "flaky-1",
      title: "不稳定",
      parties: partiesOf(insurer),
    });
    const fill = await theOpenTask(instance.id);
    const submission = { subject: "要保留的输入", amount: 42 };

    // The user is told in Chinese that it failed and was recorded; what failed is the administrators'.
    const refusal = await completeTask(insurer, fill.id, { submission }).catch((e: Error) => e);
    expect(refusal).toMatchObject({ status: 503, message: expect.stringContaining("已记录为流程异常") });
    expect((refusal as Error).message).not.toContain("外部系统无响应");

    expect((await theOpenTask(instance.id)).id).toBe(fill.id);
    const failed = await instanceRow(instance.id);
    expect(failed).toMatchObject({ status: "incident", rowVersion: instance.rowVersion });
    expect(failed.incident).toMatchObject({ message: "外部系统无响应", cause: { kind: "task", taskId: fill.id, submission } });
    const [{ n: leftovers }] = await db()
      .select({ n: count() })
      .from(notifications)
      .where(eq(notifications.title, `不应留下的通知 ${instance.id}`));
    expect(leftovers).toBe(0);
    const completions = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.complete"), eq(auditEvents.subjectId, fill.id)));
    expect(completions).toEqual([]);

    flakyFails = false;
    await completeTask(insurer, fill.id, { submission });
    expect((await theOpenTask(instance.id)).elementId).toBe("review");
    expect(await instanceRow(instance.id)).toMatchObject({ status: "running", incident: null });
  });
});

describe("a service that refuses the submission", () => {
  it("answers 422 with its field message and rolls back, without an incident", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    await deployDefinition(
      admin,
      FLAKY.replace('id="flaky-flow" name="不稳定流程"', 'id="strict-flow" name="严格流程"').replace("flakyNotify", "refuseBigAmounts"),
    );
    const instance = await startProcess(insurer, {
      key: "strict-flow",
      businessType: "demo",
      businessKey: "strict-1",
      title: "严格",
      parties: partiesOf(insurer),
    });
    const fill = await theOpenTask(instance.id);
    await expect(completeTask(insurer, fill.id, { submission: { subject: "大额", amount: 5000 } })).rejects.toMatchObject({
      status: 422,
      fields: { amount: "金额超过本流程的上限" },
    });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "running", incident: null });
    await completeTask(insurer, fill.id, { submission: { subject: "小额", amount: 50 } });
    expect((await theOpenTask(instance.id)).elementId).toBe("review");
  });
});

describe("an administrator retries an incident", () => {
  it("redoes the failed completion as the user who submitted it, with the kept submission", async () => {
    const insurer = await demoActor("insurer");
    const admin = await demoActor("admin");
    flakyFails = true;
    const instance = await startProcess(insurer, {
      key: "flaky-flow",
      businessType: "demo",
      businessKey: "flaky-2",
      title: "管理员重试",
      parties: partiesOf(insurer),
    });
    const fill = await theOpenTask(instance.id);
    await expect(completeTask(insurer, fill.id, { submission: { subject: "保留", amount: 7 } })).rejects.toMatchObject({ status: 503 });
    await expect(retryIncident(insurer, instance.id, { reason: "修复后重试" })).rejects.toMatchObject({ status: 403 });

    flakyFails = false;
    await retryIncident(admin, instance.id, { reason: "修复后重试" });
    const [done] = await db().select().from(tasks).where(eq(tasks.id, fill.id));
    expect(done).toMatchObject({ status: "completed", completedBy: insurer.userId, submission: { subject: "保留", amount: 7 } });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "running", incident: null });
    await expect(retryIncident(admin, instance.id, { reason: "修复后重试" })).rejects.toMatchObject({ status: 409 });
  });
});

describe("a timer that falls due while the platform is down", () => {
  it("fires exactly once after the restart", async () => {
    setClock(() => new Date("2025-03-01T00:00:00Z"));
    const insurer = await demoActor("insurer");
    const regulator = await demoActor("regulator");
    const instance = await startProcess(insurer, {
      key: "demo-approval",
      businessType: "demo",
      businessKey: "restart-1",
      title: "停机期间到期",
      parties: partiesOf(insurer, regulator),
    });
    await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "停机", amount: 1 } });
    expect((await timersOf(instance.id)).map((t) => [t.status, t.dueAt.toISOString()])).toEqual([["pending", "2025-03-06T00:00:00.000Z"]]);

    await database.restart(() => setClock(() => new Date("2025-03-09T00:00:00Z")));

    const [first, second] = await Promise.all([fireDueTimers(), fireDueTimers()]);
    expect(first + second).toBe(1);
    expect(await fireDueTimers()).toBe(0);
    expect((await timersOf(instance.id)).map((t) => t.status)).toEqual(["fired"]);
    expect((await openTasksOf(instance.id)).map((t) => t.elementId)).toEqual(["review"]);
  });
});

describe("a service task that starts another flow", () => {
  it("starts it in the same transaction, about the same business object and parties", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    await deployDefinition(
      admin,
      FLAKY.replace('id="flaky-flow" name="不稳定流程"', 'id="chain-flow" name="串联流程"')
        .replace("${environment.services.flakyNotify}", "${environment.services.startProcess}")
        .replace(
          '<bpmn:serviceTask id="call" name="调用外部系统" implementation="${environment.services.startProcess}" />',
          '<bpmn:serviceTask id="call" name="发起演示审批" implementation="${environment.services.startProcess}"><bpmn:extensionElements><camunda:properties><camunda:property name="key" value="demo-approval" /></camunda:properties></bpmn:extensionElements></bpmn:serviceTask>',
        ),
    );
    const first = await startProcess(insurer, {
      key: "chain-flow",
      businessType: "demo",
      businessKey: "P-001",
      title: "串联",
      parties: partiesOf(insurer),
    });
    await completeTask(insurer, (await theOpenTask(first.id)).id, { submission: { subject: "串联", amount: 1 } });
    const [second] = await db()
      .select()
      .from(processInstances)
      .where(and(eq(processInstances.definitionKey, "demo-approval"), eq(processInstances.businessKey, "P-001")));
    expect(second).toMatchObject({ businessType: "demo", title: "串联", parties: partiesOf(insurer) });
    expect((await theOpenTask(second.id)).elementId).toBe("request");
  });
});

describe("an instance's saved state", () => {
  it("keeps no copy of the diagram (its definition version has it), and a state saved with one still continues", async () => {
    const insurer = await demoActor("insurer");
    const regulator = await demoActor("regulator");
    const start = (title: string) =>
      startProcess(insurer, { key: "demo-approval", businessType: "demo", title, parties: partiesOf(insurer, regulator) });
    const lean = await start("精简状态");
    const state = (await instanceRow(lean.id)).state as { definitions: { source?: string }[] };
    expect(state.definitions.length).toBe(1);
    expect(state.definitions[0].source).toBeUndefined();

    // Saved before the diagram was left out: the copy inside is used, and the step saves it lean.
    const old = await start("旧格式状态");
    const [definition] = await db().select().from(processDefinitions).where(eq(processDefinitions.id, old.definitionId));
    const withDiagram = structuredClone((await instanceRow(old.id)).state) as typeof state;
    withDiagram.definitions[0].source = (
      (await sourceContextOf(definition.id, definition.xml)) as unknown as { serialize(): string }
    ).serialize();
    await db().update(processInstances).set({ state: withDiagram }).where(eq(processInstances.id, old.id));
    await completeTask(insurer, (await theOpenTask(old.id)).id, { submission: { subject: "旧格式", amount: 10 } });
    expect((await theOpenTask(old.id)).elementId).toBe("review");
    expect(((await instanceRow(old.id)).state as typeof state).definitions[0].source).toBeUndefined();
  });
});
