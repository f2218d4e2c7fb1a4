import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, notifications, tasks, workflowTimers } from "@db/schema";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import {
  cancelInstance,
  completeTask,
  deployBuiltIns,
  deployDefinition,
  migrateInstances,
  previewMigration,
  registerService,
  retryIncident,
  startProcess,
} from "~/server/workflow/index.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { moveTask } from "~/server/tasks/move.server";
import { heatmapProcesses, processHeatmap } from "~/server/flow-views/heatmap.server";
import { flowVariables, operateCounts, operateInstance, operateInstances } from "~/server/flow-views/operate.server";
import { instanceView } from "~/server/flow-views/instance-view.server";
import type { Actor } from "~/server/auth/actor";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { instanceRow, openTasksOf, partiesOf, theOpenTask } from "../support/workflow";

// 流程运维 (docs/decisions/037): what administrators see of the running work and what they do to it,
// each action with a reason, audited, refused once the flow has ended.

useTestDatabase();
afterEach(resetClock);

let admin: Actor;
let insurer: Actor;
let cpic: Actor;
let regulator: Actor;
let tis: Actor;

beforeAll(async () => {
  await deployBuiltIns();
  [admin, insurer, cpic, regulator, tis] = await Promise.all(["admin", "insurer", "insurer-cpic", "regulator", "tis"].map(demoActor));
});

const DEMO = readFileSync("processes/demo-approval.bpmn", "utf8");

/** The demo approval deployed under another key, so this file's figures are its own. */
async function deployCopy(key: string) {
  return deployDefinition(admin, DEMO.replaceAll('"demo-approval"', `"${key}"`).replace("演示审批流程", `演示审批流程（${key}）`));
}

async function startOf(key: string, title: string) {
  return startProcess(insurer, {
    key,
    businessType: "demo",
    businessKey: crypto.randomUUID(),
    title,
    parties: partiesOf(insurer, regulator),
  });
}

const reasonOfAudit = async (action: string, subjectId: string) => {
  const [event] = await db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.subjectId, subjectId)));
  return event;
};

describe("watching the running work", () => {
  it("counts the flows of each definition version by status", async () => {
    await deployCopy("count-demo");
    const running = await startOf("count-demo", "计数 进行中");
    const cancelled = await startOf("count-demo", "计数 取消");
    await cancelInstance(admin, cancelled.id, { reason: "重复发起" });
    const done = await startOf("count-demo", "计数 完成");
    await completeTask(insurer, (await theOpenTask(done.id)).id, { submission: { subject: "完成", amount: 1 } });
    await completeTask(regulator, (await theOpenTask(done.id)).id, { submission: { decision: "approve" } });
    const counts = (await operateCounts(admin)).find((c) => c.key === "count-demo")!;
    expect(counts).toMatchObject({ version: 1, total: 3, counts: { running: 1, completed: 1, cancelled: 1, withdrawn: 0, incident: 0 } });
    expect(running.status).toBe("running");
  });

  it("lists the flows by definition, version, status, title and started period, and refuses what it cannot read", async () => {
    const list = await operateInstances(admin, { process: "count-demo", status: "running" });
    expect(list.rows.map((r) => r.title)).toEqual(["计数 进行中"]);
    expect((await operateInstances(admin, { process: "count-demo", q: "完成" })).rows.map((r) => r.status)).toEqual(["completed"]);
    expect((await operateInstances(admin, { process: "count-demo", version: "2" })).total).toBe(0);
    expect((await operateInstances(admin, { process: "count-demo", from: "2000-01-01", to: "2000-01-02" })).total).toBe(0);
    await expect(operateInstances(admin, { status: "lost" })).rejects.toMatchObject({ status: 422, fields: { status: "状态不存在" } });
    await expect(operateInstances(admin, { version: "abc" })).rejects.toMatchObject({ status: 422, fields: { version: "版本应为正整数" } });
    await expect(operateInstances(admin, { from: "2026-03-02", to: "2026-03-01" })).rejects.toMatchObject({ status: 422 });
    await expect(operateInstances(insurer, {})).rejects.toMatchObject({ status: 403 });
  });

  it("shows one flow with where it waits, its variables and its tasks", async () => {
    const instance = await startOf("count-demo", "查看 变量");
    await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "查看", amount: 42 } });
    const view = await operateInstance(admin, instance.id);
    expect(view.currentElements).toEqual(expect.arrayContaining(["review"]));
    expect(view.timers.map((t) => [t.elementId, t.boundaryOf])).toEqual([["reviewReminder", "住建局审核"]]);
    expect(view.variables.find((v) => v.name === "request")?.json).toContain('"amount": 42');
    expect(view.tasks.map((t) => [t.name, t.status])).toEqual([
      ["提交申请", "completed"],
      ["住建局审核", "open"],
    ]);
    // The regulator's task may move only to another regulator: none other exists in the demo city.
    expect(view.tasks[1].moveTo).toEqual([]);
    expect(flowVariables(null)).toEqual([]);
    await expect(operateInstance(regulator, instance.id)).rejects.toMatchObject({ status: 403 });
  });
});

describe("an administrator's actions, each with a reason", () => {
  it("cancels a flow: its task and timers end, the organisation is told, the reason is audited; again is 409", async () => {
    const instance = await startOf("count-demo", "取消 演示");
    await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "取消", amount: 1 } });
    const review = await theOpenTask(instance.id);
    await expect(cancelInstance(admin, instance.id, { reason: "  " })).rejects.toMatchObject({
      status: 422,
      fields: { reason: "请填写操作原因" },
    });
    await expect(cancelInstance(admin, instance.id, { reason: "x".repeat(501) })).rejects.toMatchObject({
      fields: { reason: "操作原因不能超过500个字" },
    });
    await expect(cancelInstance(insurer, instance.id, { reason: "想取消" })).rejects.toMatchObject({ status: 403 });
    await cancelInstance(admin, instance.id, { reason: "申请人撤销申请" });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "cancelled" });
    expect((await db().select().from(tasks).where(eq(tasks.id, review.id)))[0].status).toBe("cancelled");
    const pending = await db()
      .select()
      .from(workflowTimers)
      .where(and(eq(workflowTimers.instanceId, instance.id), eq(workflowTimers.status, "pending")));
    expect(pending).toEqual([]);
    expect((await listTasks(regulator, {})).rows.map((t) => t.id)).not.toContain(review.id);
    const told = await db().select().from(notifications).where(eq(notifications.userId, regulator.userId!));
    expect(told.map((n) => n.title)).toContain("流程已取消：取消 演示 — 住建局审核");
    expect((await reasonOfAudit("process.cancel", instance.id)).after).toMatchObject({ status: "cancelled", reason: "申请人撤销申请" });
    expect((await instanceView(admin, instance.id)).history.at(-1)).toMatchObject({ what: "管理员取消流程", comment: "申请人撤销申请" });
    // A second click, or a flow that ended meanwhile: 409, nothing written twice.
    await expect(cancelInstance(admin, instance.id, { reason: "申请人撤销申请" })).rejects.toMatchObject({ status: 409 });
    const audits = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "process.cancel"), eq(auditEvents.subjectId, instance.id)));
    expect(audits).toHaveLength(1);
  });

  it("moves a stuck task to another organisation of its role: it leaves the old inbox and arrives in the new one", async () => {
    const instance = await startOf("count-demo", "转交 演示");
    const task = await theOpenTask(instance.id);
    expect((await listTasks(insurer, {})).rows.map((t) => t.id)).toContain(task.id);
    await expect(moveTask(admin, task.id, { organisationId: tis.organisationId, reason: "转给检查机构" })).rejects.toMatchObject({
      status: 422,
      fields: { organisationId: expect.stringContaining("该任务只能由保险公司办理") },
    });
    await expect(moveTask(admin, task.id, { organisationId: insurer.organisationId, reason: "原地" })).rejects.toMatchObject({
      status: 409,
      message: "任务已在“中国人民财产保险股份有限公司昆明市分公司”，无需重复转交",
    });
    await expect(moveTask(admin, task.id, { organisationId: "nope", reason: "x" })).rejects.toMatchObject({
      fields: { organisationId: "请选择接收单位" },
    });
    await expect(moveTask(admin, task.id, { organisationId: cpic.organisationId })).rejects.toMatchObject({
      fields: { reason: "请填写操作原因" },
    });
    await moveTask(admin, task.id, { organisationId: cpic.organisationId, reason: "原经办公司停业" });
    expect((await listTasks(insurer, {})).rows.map((t) => t.id)).not.toContain(task.id);
    expect((await listTasks(cpic, {})).rows.map((t) => t.id)).toContain(task.id);
    const told = await db().select().from(notifications).where(eq(notifications.userId, cpic.userId!));
    expect(told.map((n) => n.body)).toContain("平台管理员将“转交 演示”的任务“提交申请”交给您办理：原经办公司停业");
    // The flow's history says where it went and why.
    expect((await instanceView(admin, instance.id)).history.map((h) => [h.what, h.comment])).toContainEqual([
      "转交任务：提交申请",
      "转交给中国太平洋财产保险股份有限公司云南分公司：原经办公司停业",
    ]);
    expect((await reasonOfAudit("task.move", task.id)).after).toMatchObject({
      organisationId: cpic.organisationId,
      reason: "原经办公司停业",
    });
    // The new organisation does it; the old one (still a party of the flow, so it sees the step) no longer may.
    await expect(completeTask(insurer, task.id, { submission: { subject: "旧", amount: 1 } })).rejects.toMatchObject({
      status: 403,
      message: "您不是该任务的办理人",
    });
    await completeTask(cpic, task.id, { submission: { subject: "新", amount: 2 } });
    await expect(moveTask(admin, task.id, { organisationId: insurer.organisationId, reason: "再转" })).rejects.toMatchObject({
      status: 409,
    });
    await cancelInstance(admin, instance.id, { reason: "结束演示" });
    const review = (await db().select().from(tasks).where(eq(tasks.instanceId, instance.id))).find((t) => t.elementId === "review")!;
    await expect(moveTask(admin, review.id, { organisationId: insurer.organisationId, reason: "已结束" })).rejects.toMatchObject({
      status: 409,
    });
  });
});

// A service the test makes fail: the step that calls it becomes an incident.
let serviceFails = true;
registerService("operateFlaky", {
  label: "测试用不稳定服务（运维）",
  async run() {
    if (serviceFails) throw new Error("外部系统无响应");
    return { ok: true };
  },
});

describe("retrying an incident with a reason", () => {
  it("marks the failed step, refuses a retry without a reason, redoes it with one (audited), and a second retry is 409", async () => {
    await deployDefinition(
      admin,
      `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="retry-demo" name="重试演示" isExecutable="true" camunda:candidateStarterGroups="insurer">
    <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:userTask id="a" name="申请" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="call" />
    <bpmn:serviceTask id="call" name="调用外部系统" implementation="\${environment.services.operateFlaky}" />
    <bpmn:sequenceFlow id="f3" sourceRef="call" targetRef="end" /><bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`,
    );
    const instance = await startOf("retry-demo", "重试 演示");
    await expect(
      completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: "重试", amount: 1 } }),
    ).rejects.toMatchObject({ status: 503 });
    const view = await operateInstance(admin, instance.id);
    expect(view.instance).toMatchObject({ status: "incident", incidentElement: "a" });
    expect(view.instance.incident?.message).toContain("外部系统无响应");
    await expect(retryIncident(admin, instance.id, {})).rejects.toMatchObject({ status: 422, fields: { reason: "请填写操作原因" } });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "incident" });
    serviceFails = false;
    await retryIncident(admin, instance.id, { reason: "外部系统已恢复" });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "completed", incident: null });
    expect((await reasonOfAudit("process.retry", instance.id)).after).toMatchObject({ outcome: "task_redone", reason: "外部系统已恢复" });
    expect((await instanceView(admin, instance.id)).history.map((h) => [h.what, h.comment])).toContainEqual([
      "管理员重试异常",
      "外部系统已恢复",
    ]);
    await expect(retryIncident(admin, instance.id, { reason: "再试一次" })).rejects.toMatchObject({ status: 409 });
  });
});

// A clock that stands still at a moment (the platform's clock for each step).
const at = (iso: string) => setClock(() => new Date(iso));
const HOUR = 3600;
const DAY = 24 * HOUR;

describe("the heatmap: time spent per step over a period", () => {
  // The moment the figures are asked for: ten days after the last review opened.
  const NOW = new Date(Date.parse("2026-03-02T02:00:00Z") + (4 * HOUR + 10 * DAY) * 1000).toISOString();
  beforeEach(() => at(NOW));
  beforeAll(async () => {
    await deployCopy("heat-demo");
    // Four requests opened at 10:00 on 2026-03-02 (Beijing), done after 1, 2, 3 and 4 hours; their
    // reviews (due 5 days after they open) done after 1, 2 and 6 days, the fourth still open.
    const t0 = Date.parse("2026-03-02T02:00:00Z");
    const iso = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
    const reviews: string[] = [];
    for (const i of [1, 2, 3, 4]) {
      at(iso(0));
      const instance = await startOf("heat-demo", `热力 ${i}`);
      at(iso(i * HOUR));
      await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: { subject: `热力 ${i}`, amount: i } });
      reviews.push((await theOpenTask(instance.id)).id);
    }
    for (const [i, days] of [1, 2, 6].entries()) {
      at(iso((i + 1) * HOUR + days * DAY));
      await completeTask(regulator, reviews[i], { submission: { decision: "approve" } });
    }
  });

  it("offers only the flows with user steps", async () => {
    const keys = (await heatmapProcesses()).map((p) => p.value);
    expect(keys).toEqual(expect.arrayContaining(["heat-demo", "demo-approval"]));
    // 定期统计报告 and 承保汇总报表 run services only: nobody waits on a step.
    expect(keys).not.toContain("statistics-report");
    expect(keys).not.toContain("underwriting-report");
  });

  it("gives the mean and 90th percentile of each step, the open one counting its age, and the share past due", async () => {
    const map = await processHeatmap(regulator, "heat-demo", { from: "2026-03-02", to: "2026-03-02" });
    expect(map).toMatchObject({ key: "heat-demo", version: null, versions: [1], from: "2026-03-02", to: "2026-03-02" });
    const request = map.steps.find((s) => s.elementId === "request")!;
    expect(request).toMatchObject({ name: "提交申请", count: 4, open: 0, withDue: 0, overdue: 0, overdueShare: null });
    expect(request.meanSeconds).toBeCloseTo(2.5 * HOUR, 6);
    // percentile_cont(0.9) of 1, 2, 3, 4 hours: 3 + 0.7 × (4 − 3).
    expect(request.p90Seconds).toBeCloseTo(3.7 * HOUR, 6);
    const review = map.steps.find((s) => s.elementId === "review")!;
    expect(review).toMatchObject({ name: "住建局审核", count: 4, open: 1, withDue: 4, overdue: 2, overdueShare: 0.5 });
    expect(review.meanSeconds).toBeCloseTo(((1 + 2 + 6 + 10) / 4) * DAY, 6);
    expect(review.p90Seconds).toBeCloseTo((6 + 0.7 * 4) * DAY, 6);
  });

  it("counts only the steps opened in the period and the version asked for", async () => {
    expect((await processHeatmap(admin, "heat-demo", { from: "2026-03-03", to: "2026-03-31" })).steps).toEqual([]);
    expect((await processHeatmap(admin, "heat-demo", { version: "1", from: "2026-03-01", to: "2026-03-02" })).steps).toHaveLength(2);
    // By default the 30 days up to today on the platform's clock (2026-03-12 here).
    expect(await processHeatmap(admin, "heat-demo", {})).toMatchObject({ from: "2026-02-11", to: "2026-03-12" });
  });

  it("is the bureau's and the administrators': 403 for others, 404 for no such flow, 422 for a query it cannot read", async () => {
    await expect(processHeatmap(insurer, "heat-demo", {})).rejects.toMatchObject({ status: 403 });
    await expect(processHeatmap(admin, "no-such-flow", {})).rejects.toMatchObject({ status: 404 });
    await expect(processHeatmap(admin, "heat-demo", { version: "7" })).rejects.toMatchObject({
      status: 422,
      fields: { version: "流程没有第7版" },
    });
    await expect(processHeatmap(admin, "heat-demo", { from: "2026-13-01" })).rejects.toMatchObject({ status: 422 });
    await expect(processHeatmap(admin, "heat-demo", { from: "2026-03-05", to: "2026-03-01" })).rejects.toMatchObject({
      fields: { to: "结束日期不能早于开始日期" },
    });
    await expect(processHeatmap(admin, "heat-demo", { from: "2025-03-01", to: "2026-03-02" })).rejects.toMatchObject({
      fields: { from: "查询期间不能超过366天" },
    });
    expect((await processHeatmap(admin, "heat-demo", { from: "2025-03-02", to: "2026-03-02" })).steps).toHaveLength(2);
    await expect(processHeatmap(admin, "heat-demo", { days: "3" })).rejects.toMatchObject({ fields: { days: "未知的查询参数“days”" } });
  });
});

/** A one-step flow (a → end) or, with `then`, two steps (a → b → end); `formOfA` the first step's form. */
function migrationDiagram(key: string, options: { then?: boolean; formOfA?: string; first?: string } = {}) {
  const first = options.first ?? "a";
  const b = options.then
    ? `<bpmn:sequenceFlow id="f2" sourceRef="${first}" targetRef="b" />
    <bpmn:userTask id="b" name="复核" camunda:formKey="demo-review" camunda:candidateGroups="regulator" />
    <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="end" />`
    : `<bpmn:sequenceFlow id="f2" sourceRef="${first}" targetRef="end" />`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="${key}" name="迁移演示" isExecutable="true" camunda:candidateStarterGroups="insurer">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="${first}" />
    <bpmn:userTask id="${first}" name="申请" camunda:formKey="${options.formOfA ?? "demo-request"}" camunda:candidateGroups="insurer" />
    ${b}
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe("migrating running flows to a newer version", () => {
  const KEY = "migrate-demo";
  let moved: string;
  let stays: string;
  let ended: string;

  beforeAll(async () => {
    await deployDefinition(admin, migrationDiagram(KEY));
    moved = (await startOf(KEY, "迁移 甲")).id;
    stays = (await startOf(KEY, "迁移 乙")).id;
    ended = (await startOf(KEY, "迁移 丙")).id;
    await cancelInstance(admin, ended, { reason: "不再需要" });
    await deployDefinition(admin, migrationDiagram(KEY, { then: true })); // v2: a → b
    await deployDefinition(admin, migrationDiagram(KEY, { then: true, formOfA: "demo-review" })); // v3: a's form changed
    await deployDefinition(admin, migrationDiagram(KEY, { then: true, first: "a2" })); // v4: a is gone
  });

  it("previews which flows can move, and names why the others cannot", async () => {
    const toV2 = await previewMigration(admin, { key: KEY, fromVersion: 1, toVersion: 2 });
    expect(toV2.rows.map((r) => [r.title, r.waitingAt, r.refusals])).toEqual([
      ["迁移 甲", [{ id: "a", name: "申请" }], []],
      ["迁移 乙", [{ id: "a", name: "申请" }], []],
    ]);
    const toV3 = await previewMigration(admin, { key: KEY, instanceId: moved, toVersion: 3 });
    expect(toV3.rows[0].refusals).toEqual(["环节“申请”（a）在第3版中表单已改变（demo-request → demo-review）"]);
    const toV4 = await previewMigration(admin, { key: KEY, instanceId: moved });
    expect(toV4).toMatchObject({ toVersion: 4, rows: [{ refusals: ["等待中的环节“申请”（a）在第4版中不存在"] }] });
    expect((await previewMigration(admin, { key: KEY, instanceId: ended, toVersion: 2 })).rows[0].refusals).toEqual([
      "流程已结束，无需迁移",
    ]);
    await expect(previewMigration(admin, { key: KEY, toVersion: 9 })).rejects.toMatchObject({ status: 404 });
    await expect(previewMigration(insurer, { key: KEY })).rejects.toMatchObject({ status: 403 });
    await expect(previewMigration(admin, { key: KEY, fromVersion: "x" as never })).rejects.toMatchObject({
      fields: { fromVersion: "版本应为正整数" },
    });
    await expect(previewMigration(admin, { key: KEY, sort: "title" } as never)).rejects.toMatchObject({
      fields: { sort: "未知的查询参数“sort”" },
    });
  });

  it("refuses a flow that cannot move, naming why, and leaves it as it was", async () => {
    const result = await migrateInstances(admin, { key: KEY, toVersion: 4, instanceIds: [moved], reason: "试迁移" });
    expect(result).toEqual({
      toVersion: 4,
      migrated: [],
      refused: [{ instanceId: moved, refusals: ["等待中的环节“申请”（a）在第4版中不存在"] }],
    });
    expect(await instanceRow(moved)).toMatchObject({ definitionVersion: 1 });
    await expect(migrateInstances(admin, { key: KEY, toVersion: 2, instanceIds: [moved] })).rejects.toMatchObject({
      fields: { reason: "请填写操作原因" },
    });
  });

  it("moves a flow to version 2: completing its waiting step then follows version 2's path", async () => {
    const result = await migrateInstances(admin, { key: KEY, toVersion: 2, instanceIds: [moved, ended], reason: "新增复核环节" });
    expect(result).toMatchObject({ migrated: [moved], refused: [{ instanceId: ended, refusals: ["流程已结束，无需迁移"] }] });
    expect(await instanceRow(moved)).toMatchObject({ definitionVersion: 2, status: "running" });
    expect((await reasonOfAudit("process.migrate", moved)).after).toMatchObject({ version: 2, reason: "新增复核环节" });
    await completeTask(insurer, (await theOpenTask(moved)).id, { submission: { subject: "迁移后", amount: 3 } });
    expect((await openTasksOf(moved)).map((t) => t.elementId)).toEqual(["b"]);
    // The flow left on version 1 finishes on version 1's path.
    await completeTask(insurer, (await theOpenTask(stays)).id, { submission: { subject: "旧版", amount: 4 } });
    expect(await instanceRow(stays)).toMatchObject({ status: "completed", definitionVersion: 1 });
    // Done twice: the flow is on version 2 already.
    const again = await migrateInstances(admin, { key: KEY, toVersion: 2, instanceIds: [moved], reason: "再次" });
    expect(again.refused[0].refusals).toEqual(["流程已在第2版，只能迁移到更新的版本"]);
  });
});
