import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, processDefinitions, processInstances, projects, workflowTimers } from "@db/schema";
import { SYSTEM_ACTOR } from "~/server/auth/actor";
import { apiKeyActor, createApiKey } from "~/server/auth/api-keys.server";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { ValidationError } from "~/server/errors.server";
import { recordRegistration } from "~/server/projects/insurance.server";
import { projectDetail } from "~/server/projects/projects.server";
import {
  TIMER_ATTEMPTS,
  completeTask,
  deployBuiltIns,
  deployDefinition,
  fireDueTimers,
  registerService,
  retryIncident,
  startProcess,
  stepTransaction,
} from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { registration } from "../support/insurance";
import { instanceRow, openTasksOf, partiesOf, theOpenTask, timersOf } from "../support/workflow";

// The workflow core as an attacker and a careless client meet it: another organisation's objects,
// failing timers, lock conflicts, incidents that must stay until an administrator handles them.

useTestDatabase();
beforeAll(() => deployBuiltIns());
afterEach(resetClock);

const diagram = (id: string, body: string, extra = "") => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="${id}" name="测试流程 ${id}" isExecutable="true" camunda:candidateStarterGroups="insurer,admin">${extra}
${body}
  </bpmn:process>
</bpmn:definitions>`;

/** An insured-to-be project registered by PICC's insurer through the real flow. */
async function picсProject(permitNo: string) {
  const insurer = await demoActor("insurer");
  const instance = await startProcess(insurer, { key: "insurance-review", title: "新建承保项目" });
  await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: registration({ permitNo, name: `项目 ${permitNo}` }) });
  return { insurer, instance, projectId: instance.businessKey };
}

describe("a flow attaches to another organisation's business object", () => {
  it("insurer B cannot start the insurance review on insurer A's project (404), and A's project is untouched", async () => {
    const { projectId } = await picсProject("KM-ATK-001");
    const cpic = await demoActor("insurer-cpic");
    await expect(startProcess(cpic, { key: "insurance-review", businessKey: projectId, title: "改写别人的项目" })).rejects.toMatchObject({
      status: 404,
    });
    const [project] = await db().select().from(projects).where(eq(projects.id, projectId));
    expect(project).toMatchObject({ permitNo: "KM-ATK-001", name: "项目 KM-ATK-001" });
    const flows = await db().select().from(processInstances).where(eq(processInstances.businessKey, projectId));
    expect(flows).toHaveLength(1);
  });

  it("a malformed or unknown project key is a 422 at start, never a failing step", async () => {
    const insurer = await demoActor("insurer");
    await expect(startProcess(insurer, { key: "insurance-review", businessKey: "not-a-project", title: "t" })).rejects.toMatchObject({
      status: 422,
      fields: { businessKey: "项目标识格式不正确" },
    });
    await expect(startProcess(insurer, { key: "insurance-review", businessKey: crypto.randomUUID(), title: "t" })).rejects.toMatchObject({
      status: 422,
      fields: { businessKey: "项目不存在" },
    });
  });

  it("another flow cannot borrow the project type to show on someone's project page", async () => {
    const { projectId } = await picсProject("KM-ATK-002");
    const cpic = await demoActor("insurer-cpic");
    await expect(
      startProcess(cpic, { key: "demo-approval", businessType: "project", businessKey: projectId, title: "退保申请（住建局已同意）" }),
    ).rejects.toMatchObject({ status: 422, fields: { businessType: expect.stringContaining("项目") } });
  });

  it("the lead insurer cannot open a second review of its project while one runs (409)", async () => {
    const { insurer, projectId } = await picсProject("KM-ATK-003");
    await expect(startProcess(insurer, { key: "insurance-review", businessKey: projectId, title: "再来一次" })).rejects.toMatchObject({
      status: 409,
    });
  });

  it("the lead insurer cannot start a review of its project once it is with the regulator or insured (409); nothing is created", async () => {
    const { insurer, instance, projectId } = await picсProject("KM-ATK-006");
    // The running review ended (withdrawn, failed): only the project's status says whether another may start.
    await db().update(processInstances).set({ status: "completed" }).where(eq(processInstances.id, instance.id));
    for (const [status, message] of [
      ["awaiting_confirmation", "该项目已提交住建局确认，不能再发起保险审核"],
      ["insured", "该项目已确认投保，不能再发起保险审核"],
    ] as const) {
      await db().update(projects).set({ status }).where(eq(projects.id, projectId));
      await expect(startProcess(insurer, { key: "insurance-review", businessKey: projectId, title: "再审一次" })).rejects.toMatchObject({
        status: 409,
        message,
      });
    }
    expect(await db().select().from(processInstances).where(eq(processInstances.businessKey, projectId))).toHaveLength(1);
    // Returned by the regulator: the insurer may review it again.
    await db().update(projects).set({ status: "returned" }).where(eq(projects.id, projectId));
    await expect(startProcess(insurer, { key: "insurance-review", businessKey: projectId, title: "重新报送" })).resolves.toMatchObject({
      businessKey: projectId,
    });
  });

  it("a title sent as a number is not text (应为文字), not a missing title", async () => {
    const insurer = await demoActor("insurer");
    await expect(startProcess(insurer, { key: "demo-approval", title: 42 })).rejects.toMatchObject({
      status: 422,
      fields: { title: "应为文字" },
    });
    await expect(startProcess(insurer, { key: "demo-approval" })).rejects.toMatchObject({ status: 422, fields: { title: "请填写标题" } });
  });

  it("a blank business key is no key: a flow started with one gets its own", async () => {
    const insurer = await demoActor("insurer");
    for (const businessKey of [" ", "", "\t"]) {
      const started = await startProcess(insurer, { key: "demo-approval", businessKey, title: "空白业务键" });
      expect(started.businessKey, JSON.stringify(businessKey)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("the registration service itself refuses another insurer's project and one already under review", async () => {
    const { projectId } = await picсProject("KM-ATK-004");
    const cpic = await demoActor("insurer-cpic");
    await expect(
      db().transaction((tx) => recordRegistration(tx, cpic, projectId, registration({ permitNo: "KM-ATK-004" }))),
    ).rejects.toMatchObject({ status: 404 });
    await db().update(projects).set({ status: "insured" }).where(eq(projects.id, projectId));
    const insurer = await demoActor("insurer");
    await expect(
      db().transaction((tx) => recordRegistration(tx, insurer, projectId, registration({ permitNo: "KM-ATK-004" }))),
    ).rejects.toMatchObject({ status: 409 });
  });

  it("a project page lists only the flows its viewer may see", async () => {
    const { projectId } = await picсProject("KM-ATK-005");
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    const developer = await demoActor("developer");
    await deployDefinition(
      admin,
      diagram(
        "insurer-only-note",
        `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="note" />
         <bpmn:userTask id="note" name="内部备注" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
         <bpmn:sequenceFlow id="f2" sourceRef="note" targetRef="end" /><bpmn:endEvent id="end" />`,
        `<bpmn:extensionElements><camunda:properties><camunda:property name="businessType" value="project" /></camunda:properties></bpmn:extensionElements>`,
      ),
    );
    // Started by the platform with the insurer alone as its party: the developer sees the project, not this flow.
    await startProcess(SYSTEM_ACTOR, {
      key: "insurer-only-note",
      businessKey: projectId,
      title: "保险公司内部备注",
      parties: partiesOf(insurer),
    });
    const seenByDeveloper = await projectDetail(developer, projectId);
    expect(seenByDeveloper.flows.map((f) => f.title)).not.toContain("保险公司内部备注");
    expect((await projectDetail(insurer, projectId)).flows.map((f) => f.title)).toContain("保险公司内部备注");
  });
});

describe("a task for a party the flow does not name", () => {
  const flow = diagram(
    "needs-contractor",
    `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill" />
     <bpmn:userTask id="fill" name="填写" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
     <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="fix" />
     <bpmn:userTask id="fix" name="施工单位整改" camunda:formKey="demo-request" camunda:candidateGroups="contractor" />
     <bpmn:sequenceFlow id="f3" sourceRef="fix" targetRef="end" /><bpmn:endEvent id="end" />`,
  );

  it("at start is the starter's 422, naming the task and the party", async () => {
    const admin = await demoActor("admin");
    await deployDefinition(admin, flow);
    await expect(startProcess(admin, { key: "needs-contractor", title: "无保险公司" })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("“填写”（fill）应由本流程的保险公司办理"),
    });
  });

  it("later becomes an incident naming it, and no contractor of the city gets the task", async () => {
    const insurer = await demoActor("insurer");
    const instance = await startProcess(insurer, { key: "needs-contractor", title: "缺施工单位" });
    await expect(
      completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "整改", amount: 1 } }),
    ).rejects.toMatchObject({ status: 503 });
    const row = await instanceRow(instance.id);
    expect(row.status).toBe("incident");
    expect(row.incident!.message).toContain("未指定施工单位");
    expect((await openTasksOf(instance.id)).map((t) => t.elementId)).toEqual(["fill"]);
  });
});

// A timer step that the test makes fail in the way it chooses.
let timerFailure: "refuse" | "crash" | null = "refuse";
registerService("afterWait", {
  label: "测试用定时后服务",
  async run() {
    if (timerFailure === "refuse") throw new ValidationError({ form: "不接受" });
    if (timerFailure === "crash") throw new Error("外部系统无响应");
    return { ok: true };
  },
});

// A service whose query the database keeps aborting (a serialization failure, as PostgreSQL reports it).
registerService("alwaysAborted", {
  label: "测试用总被数据库中止的服务",
  async run() {
    throw Object.assign(new Error("could not serialize access due to concurrent update"), { code: "40001" });
  },
});

describe("timers that fail", () => {
  const waiting = (id: string, service?: string) =>
    diagram(
      id,
      `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
       <bpmn:intermediateCatchEvent id="wait" name="等待"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
       <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="${service ? "call" : "next"}" />
       ${service ? `<bpmn:serviceTask id="call" name="调用" implementation="\${environment.services.${service}}" /><bpmn:sequenceFlow id="f3" sourceRef="call" targetRef="next" />` : ""}
       <bpmn:userTask id="next" name="下一步" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
       <bpmn:sequenceFlow id="f4" sourceRef="next" targetRef="end" /><bpmn:endEvent id="end" />`,
    );

  it("do not hold up the others: each failure waits longer, the last one is an incident, a retry releases it", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    await deployDefinition(admin, waiting("bad-timer", "afterWait"));
    await deployDefinition(admin, waiting("good-timer"));
    const t0 = new Date("2027-01-01T00:00:00Z").getTime();
    setClock(() => new Date(t0));
    const bad = await startProcess(insurer, { key: "bad-timer", title: "坏定时" });
    setClock(() => new Date(t0 + 60_000));
    const good = await startProcess(insurer, { key: "good-timer", title: "好定时" });

    // Both due; the bad one is first in line and fails, the good one still fires.
    setClock(() => new Date(t0 + 2 * 3600_000));
    expect(await fireDueTimers()).toBe(1);
    expect((await openTasksOf(good.id)).map((t) => t.elementId)).toEqual(["next"]);
    const [first] = await timersOf(bad.id);
    expect(first).toMatchObject({ status: "pending", attempts: 1, lastError: "不接受" });
    expect(first.nextAttemptAt!.getTime()).toBe(t0 + 2 * 3600_000 + 60_000);

    // Not before its backoff; then twice more (the second wait is longer), and it becomes an incident.
    expect(await fireDueTimers()).toBe(0);
    timerFailure = "crash";
    setClock(() => new Date(t0 + 2 * 3600_000 + 60_000));
    expect(await fireDueTimers()).toBe(0);
    expect((await timersOf(bad.id))[0]).toMatchObject({ attempts: 2 });
    setClock(() => new Date(t0 + 3 * 3600_000));
    expect(await fireDueTimers()).toBe(0);
    expect((await timersOf(bad.id))[0]).toMatchObject({ attempts: TIMER_ATTEMPTS, status: "pending" });
    const failed = await instanceRow(bad.id);
    expect(failed.status).toBe("incident");
    expect(failed.incident).toMatchObject({ cause: { kind: "timer" }, message: expect.stringContaining("外部系统无响应") });
    expect(await fireDueTimers()).toBe(0);

    // The administrator retries: the timer gets its attempts back and fires.
    timerFailure = null;
    await retryIncident(admin, bad.id, { reason: "修复后重试" });
    expect((await timersOf(bad.id))[0]).toMatchObject({ attempts: 0, nextAttemptAt: null });
    expect(await fireDueTimers()).toBe(1);
    expect(await instanceRow(bad.id)).toMatchObject({ status: "running", incident: null });
    expect((await openTasksOf(bad.id)).map((t) => t.elementId)).toEqual(["next"]);
    const retries = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "process.retry"), eq(auditEvents.subjectId, bad.id)));
    expect(retries.map((r) => r.actorName)).toEqual([admin.displayName]);
  });

  /** Two flows waiting an hour, started a minute apart: the first one's timer is first in line. */
  async function twoWaiting(first: string, second: string, t0: number) {
    const insurer = await demoActor("insurer");
    setClock(() => new Date(t0));
    const a = await startProcess(insurer, { key: first, title: first });
    setClock(() => new Date(t0 + 60_000));
    const b = await startProcess(insurer, { key: second, title: second });
    return { a, b };
  }

  it("one whose diagram cannot be read does not stop the others: it is counted, and fires once it is readable and retried", async () => {
    const admin = await demoActor("admin");
    const unreadable = await deployDefinition(admin, waiting("unreadable-timer"));
    await deployDefinition(admin, waiting("steady-timer"));
    const t0 = new Date("2027-02-01T00:00:00Z").getTime();
    const { a: broken, b: steady } = await twoWaiting("unreadable-timer", "steady-timer", t0);
    // Its definition row now holds a diagram that cannot be read (a damaged row, or one read while
    // something went wrong): loading the instance fails before its step can start.
    const [damaged] = await db()
      .insert(processDefinitions)
      .values({ ...unreadable, id: undefined, version: 2, xml: "<bpmn:definitions", checksum: "damaged", deployedAt: undefined })
      .returning();
    await db().update(processInstances).set({ definitionId: damaged.id }).where(eq(processInstances.id, broken.id));

    setClock(() => new Date(t0 + 2 * 3600_000));
    expect(await fireDueTimers()).toBe(1);
    expect((await openTasksOf(steady.id)).map((t) => t.elementId)).toEqual(["next"]);
    const [first] = await timersOf(broken.id);
    expect(first).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringContaining("无法解析流程图") });
    expect(first.nextAttemptAt!.getTime()).toBe(t0 + 2 * 3600_000 + 60_000);

    // Its other attempts fail the same way, and the instance becomes an incident.
    setClock(() => new Date(t0 + 2 * 3600_000 + 60_000));
    expect(await fireDueTimers()).toBe(0);
    setClock(() => new Date(t0 + 3 * 3600_000));
    expect(await fireDueTimers()).toBe(0);
    expect(await instanceRow(broken.id)).toMatchObject({
      status: "incident",
      incident: { cause: { kind: "timer" }, message: expect.stringContaining("无法解析流程图") },
    });

    // Readable again: the diagram is read anew (a failed reading is not kept), and the retry fires it.
    await db().update(processDefinitions).set({ xml: unreadable.xml }).where(eq(processDefinitions.id, damaged.id));
    await retryIncident(admin, broken.id, { reason: "修复后重试" });
    expect(await fireDueTimers()).toBe(1);
    expect(await instanceRow(broken.id)).toMatchObject({ status: "running", incident: null });
    expect((await openTasksOf(broken.id)).map((t) => t.elementId)).toEqual(["next"]);
  });

  it("one whose step the database keeps aborting does not stop the others, and its attempt is counted", async () => {
    const admin = await demoActor("admin");
    await deployDefinition(admin, waiting("aborted-timer", "alwaysAborted"));
    await deployDefinition(admin, waiting("calm-timer"));
    const t0 = new Date("2027-03-01T00:00:00Z").getTime();
    const { a: aborted, b: calm } = await twoWaiting("aborted-timer", "calm-timer", t0);

    setClock(() => new Date(t0 + 2 * 3600_000));
    expect(await fireDueTimers()).toBe(1);
    expect((await openTasksOf(calm.id)).map((t) => t.elementId)).toEqual(["next"]);
    const [timer] = await timersOf(aborted.id);
    expect(timer).toMatchObject({ status: "pending", attempts: 1, lastError: "系统繁忙，本次操作未生效，请稍后重试" });
    expect(timer.nextAttemptAt!.getTime()).toBe(t0 + 2 * 3600_000 + 60_000);
    expect(await instanceRow(aborted.id)).toMatchObject({ status: "running" });
  });
});

// A completion that the test makes fail.
let completionFails = true;
registerService("flakyStep", {
  label: "测试用不稳定服务",
  async run() {
    if (completionFails) throw new Error("外部系统无响应");
    return { ok: true };
  },
});

describe("incidents stay until they are handled", () => {
  const parallel = diagram(
    "two-branches",
    `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split" />
     <bpmn:parallelGateway id="split" />
     <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="left" /><bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="right" />
     <bpmn:userTask id="left" name="左" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
     <bpmn:userTask id="right" name="右" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
     <bpmn:sequenceFlow id="f4" sourceRef="left" targetRef="call" />
     <bpmn:serviceTask id="call" name="调用" implementation="\${environment.services.flakyStep}" />
     <bpmn:sequenceFlow id="f5" sourceRef="call" targetRef="join" /><bpmn:sequenceFlow id="f6" sourceRef="right" targetRef="join" />
     <bpmn:parallelGateway id="join" /><bpmn:sequenceFlow id="f7" sourceRef="join" targetRef="end" /><bpmn:endEvent id="end" />`,
  );

  it("another task done meanwhile does not clear it; a failed retry writes no retry audit; a submission made with an API key is retried as that key", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    await deployDefinition(admin, parallel);
    const { key } = await createApiKey(admin, { organisationId: insurer.organisationId, name: "核心系统", roles: ["insurer"] });
    const system = (await apiKeyActor(key, null))!;
    const instance = await startProcess(system, { key: "two-branches", title: "并行" });
    const task = async (elementId: string) => (await openTasksOf(instance.id)).find((t) => t.elementId === elementId)!;
    const submission = { subject: "接口提交", amount: 5 };

    await expect(completeTask(system, (await task("left")).id, { submission })).rejects.toMatchObject({ status: 503 });
    const incident = (await instanceRow(instance.id)).incident;
    expect(incident).toMatchObject({ cause: { kind: "task", userId: system.userId } });

    await completeTask(insurer, (await task("right")).id, { submission: { subject: "右边", amount: 1 } });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "incident", incident });

    await expect(retryIncident(admin, instance.id, { reason: "修复后重试" })).rejects.toMatchObject({ status: 503 });
    const retryAudits = () =>
      db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "process.retry"), eq(auditEvents.subjectId, instance.id)));
    expect(await retryAudits()).toEqual([]);

    completionFails = false;
    await retryIncident(admin, instance.id, { reason: "修复后重试" });
    const done = await instanceRow(instance.id);
    expect(done).toMatchObject({ status: "completed", incident: null });
    expect((await retryAudits()).map((a) => a.actorName)).toEqual([admin.displayName]);
    const completion = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "task.complete"), eq(auditEvents.actorUserId, system.userId!)));
    expect(completion).toHaveLength(1);
  });
});

// A service whose query the database aborts once (a deadlock, as PostgreSQL reports it).
let abortsLeft = 0;
registerService("abortedOnce", {
  label: "测试用被数据库中止一次的服务",
  async run() {
    if (abortsLeft-- > 0) throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
    return { ok: true };
  },
});

describe("a step the database aborts", () => {
  const deadlock = () => Object.assign(new Error("deadlock detected"), { code: "40P01" });

  it("inside a service is tried once more, not recorded as an incident", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    await deployDefinition(
      admin,
      diagram(
        "service-deadlock",
        `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill" />
         <bpmn:userTask id="fill" name="填写" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
         <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="call" />
         <bpmn:serviceTask id="call" name="调用" implementation="\${environment.services.abortedOnce}" />
         <bpmn:sequenceFlow id="f3" sourceRef="call" targetRef="next" />
         <bpmn:userTask id="next" name="下一步" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
         <bpmn:sequenceFlow id="f4" sourceRef="next" targetRef="end" /><bpmn:endEvent id="end" />`,
      ),
    );
    const instance = await startProcess(insurer, { key: "service-deadlock", title: "服务死锁" });
    abortsLeft = 1;
    await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "死锁", amount: 1 } });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "running", incident: null });
    expect((await theOpenTask(instance.id)).elementId).toBe("next");
  });

  it("is tried once more", async () => {
    let attempts = 0;
    const result = await stepTransaction(async () => {
      attempts++;
      if (attempts === 1) throw deadlock();
      return "done";
    });
    expect([result, attempts]).toEqual(["done", 2]);
  });

  it("and after a second abort the user is asked in Chinese to try again (503), never a 500", async () => {
    await expect(
      stepTransaction(async () => {
        throw deadlock();
      }),
    ).rejects.toMatchObject({ status: 503, message: "系统繁忙，本次操作未生效，请稍后重试" });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("a completion racing its own boundary timer (PostgreSQL)", () => {
  it("never deadlocks: 20 times, each either order, no error and one open step", async () => {
    const insurer = await demoActor("insurer");
    const regulator = await demoActor("regulator");
    for (let i = 0; i < 20; i++) {
      setClock(() => new Date("2027-03-01T00:00:00Z"));
      const instance = await startProcess(insurer, { key: "demo-approval", title: `竞争 ${i}`, parties: partiesOf(insurer, regulator) });
      await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "竞争", amount: 1 } });
      const review = await theOpenTask(instance.id);
      // The review's reminder (P5D) is due: the scheduler and the reviewer act at the same moment.
      setClock(() => new Date("2027-03-07T00:00:00Z"));
      await Promise.all([fireDueTimers(), completeTask(regulator, review.id, { submission: { decision: "approve", reason: "同意" } })]);
      const row = await instanceRow(instance.id);
      expect(row.status).toBe("completed");
      const timers = await db().select().from(workflowTimers).where(eq(workflowTimers.instanceId, instance.id));
      expect(timers.every((t) => t.status !== "pending")).toBe(true);
    }
  });
});
