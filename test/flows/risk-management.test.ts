import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspections, notifications, policies, projects, riskEvents, riskReports, tisRatings, users } from "@db/schema";
import { resetClock, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { fireDueTimers } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useRestartableDatabase } from "../support/database";
import {
  complete,
  insuredProject,
  inspectionSubmission,
  photo,
  planSubmission,
  riskEventInput,
  taskAt,
  type InsuredProject,
} from "../support/risk";
import { demoCreditCode, instanceRow, openTasksOf, timersOf } from "../support/workflow";
import { lookupOrganisations } from "~/server/organisations/lookup.server";
import { projectRisk } from "~/server/risk/project-risk.server";
import { projectSummary } from "~/server/projects/project-summary.server";
import { projectDetail } from "~/server/projects/projects.server";
import { projectRiskTab } from "~/server/risk/risk-views.server";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import { createUser } from "~/server/admin/users.server";

// The risk management of one project from the TIS's plan to the re-inspection, through the flow
// as its users complete it, on a moved clock. This file opens its own database: one step restarts it.

const database = useRestartableDatabase();
beforeAll(() => clockAt("2026-11-25T02:00:00Z"));
afterAll(resetClock);

/** The platform's clock set to a moment and running on from it, so steps keep their order. */
const clockAt = (iso: string) => setClock(runningFrom(new Date(iso)));

const openElements = async (id: string) => (await openTasksOf(id)).map((t) => t.elementId).sort();
const projectRow = async (id: string) => (await db().select().from(projects).where(eq(projects.id, id)))[0];
const eventsOf = async (projectId: string) =>
  db().select().from(riskEvents).where(eq(riskEvents.projectId, projectId)).orderBy(riskEvents.seq);
async function noticesOf(username: string, title: string) {
  const [user] = await db().select({ id: users.id }).from(users).where(eq(users.username, username));
  const rows = await db().select().from(notifications).where(eq(notifications.userId, user.id));
  return rows.filter((n) => n.title.includes(title));
}

let p: InsuredProject;

/** Where the project's risk management stands: its flow's 当前环节 on the project's page, in the summary above its steps, on its 风险 tab. */
async function riskStands() {
  const flow = (await projectDetail(p.insurer, p.projectId)).flows.find((f) => f.id === p.riskFlowId)!;
  const summary = (await projectSummary(p.insurer, p.projectId))!.sections.find((s) => s.title === "风险管理")!;
  return {
    listed: flow.currentSteps,
    summary: summary.items.find((i) => i.label === "当前环节")?.text,
    tab: (await projectRiskTab(p.insurer, p.projectId, {})).progress,
  };
}

describe("risk management of one project, from the plan to the re-inspection", () => {
  it("starts when the regulator confirms the project, at the TIS's plan; a returned plan comes back with its reason", async () => {
    p = await insuredProject("滇池风险");
    expect((await projectRow(p.projectId)).stage).toBe("planning");
    const planTask = await taskAt(p.riskFlowId, "plan");
    expect(planTask.organisationId).toBe(p.tis.organisationId);

    await complete(p.tis, p.riskFlowId, "plan", planSubmission);
    expect((await taskAt(p.riskFlowId, "planReview")).organisationId).toBe(p.insurer.organisationId);
    await expect(complete(p.insurer, p.riskFlowId, "planReview", { decision: "return" })).rejects.toMatchObject({
      status: 422,
      fields: { reason: "退回时必须填写退回原因" },
    });
    await complete(p.insurer, p.riskFlowId, "planReview", { decision: "return", reason: "检查频次不足，请补充主体结构阶段的检查安排" });
    expect(await openElements(p.riskFlowId)).toEqual(["plan"]);
    expect((await noticesOf("tis", "退回")).length).toBeGreaterThan(0);

    await complete(p.tis, p.riskFlowId, "plan", { ...planSubmission, inspectionPlan: "每两周检查一次，主体结构每层检查" });
    await complete(p.insurer, p.riskFlowId, "planReview", { decision: "approve" });
    const project = await projectRow(p.projectId);
    expect(project.stage).toBe("construction");
    expect(project.sections.map((s) => s.name)).toEqual(["1号楼", "地下车库"]);
    const [plan] = await db().select().from(riskReports).where(eq(riskReports.projectId, p.projectId));
    expect([plan.kind, plan.decision, (plan.body as { inspectionPlan: string }).inspectionPlan]).toEqual([
      "plan",
      "approved",
      "每两周检查一次，主体结构每层检查",
    ]);
    // Site risk management is open: inspections, assessments and the final report, all the TIS's.
    expect(await openElements(p.riskFlowId)).toEqual(["assessment", "finalReport", "inspection"]);
  });

  it("refuses an inspection with a deadline before it, a future date or a party the project lacks, naming each field", async () => {
    const error = await complete(
      p.tis,
      p.riskFlowId,
      "inspection",
      inspectionSubmission([riskEventInput({ deadline: "2026-11-01" }), riskEventInput({ level: "severe" })], {
        inspectedOn: "2026-12-24",
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422 });
    const fields = (error as { fields: Record<string, string> }).fields;
    expect(fields.inspectedOn).toBe("检查日期不能晚于今天");
    expect(fields["events.1.level"]).toBeTruthy();
    expect(await eventsOf(p.projectId)).toEqual([]);
    expect(await db().select().from(inspections).where(eq(inspections.projectId, p.projectId))).toEqual([]);
  });

  it("records an inspection as often as needed; each event's rectification goes to its party, the loop stays open", async () => {
    // A colleague of the inspector: told when a task arrives, not each time the standing inspection reopens.
    await createUser(await demoActor("admin"), {
      username: "tis-li",
      displayName: "建科李工",
      organisationId: p.tis.organisationId,
      roles: ["tis"],
      password: "Kunming-2026-tis",
    });
    const picture = await photo(p.tis);
    await complete(
      p.tis,
      p.riskFlowId,
      "inspection",
      inspectionSubmission([
        riskEventInput({ photos: [picture] }),
        riskEventInput({
          category: "structure",
          level: "critical",
          rectifierRole: "developer",
          location: "2号楼屋面",
          deadline: "2026-12-05",
        }),
      ]),
    );
    const events = await eventsOf(p.projectId);
    expect(events.map((e) => [e.category, e.level, e.status, e.rectifierId])).toEqual([
      ["waterproofing", "major", "open", p.contractor.organisationId],
      ["structure", "critical", "open", p.developer.organisationId],
    ]);
    expect(events[0].photos.map((f) => f.id)).toEqual([picture.id]);
    expect((await taskAt(events[0].instanceId!, "rectify")).organisationId).toBe(p.contractor.organisationId);
    expect((await taskAt(events[1].instanceId!, "rectify")).organisationId).toBe(p.developer.organisationId);
    // The overdue timer waits for the day after the deadline, Beijing time.
    expect((await timersOf(events[1].instanceId!)).map((t) => t.dueAt.toISOString())).toEqual(["2026-12-05T16:00:00.000Z"]);
    expect(await openElements(p.riskFlowId)).toEqual(["assessment", "finalReport", "inspection"]);
    expect(await noticesOf("tis-li", "现场风险检查")).toEqual([]);
    // The project's 风险 tab: the inspection on its timeline with the events it raised.
    const risk = await projectRisk(p.insurer, p.projectId);
    expect(risk.inspections.map((i) => [i.inspectedOn, i.stage, i.events])).toEqual([["2026-11-20", "地基与基础施工", 2]]);
    expect([risk.project.stage, risk.counts.raised, risk.counts.open]).toEqual(["construction", 2, 2]);
  });

  it("sends a rectification back with the TIS's reason and closes it (销项) once put right", async () => {
    const [event] = await eventsOf(p.projectId);
    const evidence = await photo(p.contractor, "整改后.png");
    await expect(
      complete(p.contractor, event.instanceId!, "rectify", { rectifiedOn: "2026-11-24", measures: "补设止水钢板", photos: [] }),
    ).rejects.toMatchObject({ status: 422 });
    await complete(p.contractor, event.instanceId!, "rectify", { rectifiedOn: "2026-11-24", measures: "补设止水钢板", photos: [evidence] });
    expect((await eventsOf(p.projectId))[0].status).toBe("awaiting_review");
    await complete(p.tis, event.instanceId!, "verify", { decision: "return", reason: "止水钢板搭接长度不足" });
    const returned = (await eventsOf(p.projectId))[0];
    expect([returned.status, returned.returnReason, returned.returnCount]).toEqual(["rectifying", "止水钢板搭接长度不足", 1]);
    // Redone, it cannot be dated before the TIS sent it back.
    await expect(
      complete(p.contractor, event.instanceId!, "rectify", { rectifiedOn: "2026-11-24", measures: "按规范重新搭接", photos: [evidence] }),
    ).rejects.toMatchObject({ status: 422, fields: { rectifiedOn: "重新整改的完成日期不能早于退回整改的日期（2026-11-25）" } });
    await complete(p.contractor, event.instanceId!, "rectify", {
      rectifiedOn: "2026-11-25",
      measures: "按规范重新搭接",
      photos: [evidence],
    });
    await complete(p.tis, event.instanceId!, "verify", { decision: "close" });
    const closed = (await eventsOf(p.projectId))[0];
    expect([closed.status, (await instanceRow(event.instanceId!)).status]).toEqual(["closed", "completed"]);
    // The audit log tells the event's story in Chinese, under its number.
    const log = await listAuditEvents(await demoActor("admin"), { q: event.id });
    expect(log.rows.map((r) => r.action).reverse()).toEqual(["登记风险事件", "提交整改", "退回整改", "提交整改", "风险事件销项"]);
    expect(log.rows[0].subject).toMatchObject({ type: "风险事件", title: expect.stringMatching(/^FX\d{6}（滇池风险\d+）$/) });
    expect(log.rows.at(-1)!.changes).toContainEqual({ field: "风险类别", before: "", after: "防水" });
  });

  it("marks an event overdue once when its deadline passes, telling its party, the TIS and the insurer", async () => {
    const event = (await eventsOf(p.projectId))[1];
    clockAt("2026-12-05T15:59:00Z");
    expect(await fireDueTimers()).toBe(0);
    clockAt("2026-12-05T16:01:00Z");
    expect(await fireDueTimers()).toBe(1);
    expect(await fireDueTimers()).toBe(0);
    expect((await eventsOf(p.projectId))[1].overdueAt).not.toBeNull();
    for (const user of ["developer", "tis", "insurer"]) expect(await noticesOf(user, "逾期")).toHaveLength(1);
    expect(await noticesOf("contractor", "逾期")).toHaveLength(0);
    // The rectification stays open: overdue is a mark, not an end.
    expect((await taskAt(event.instanceId!, "rectify")).organisationId).toBe(p.developer.organisationId);
  });

  it("scores a process assessment from the events and the inspector's judgement, and tells the developer", async () => {
    await complete(p.tis, p.riskFlowId, "assessment", {
      reportDate: "2026-12-06",
      period: "2026年11月",
      judgement: 80,
      summary: "防水施工质量有待提高",
    });
    const [report] = await db()
      .select()
      .from(riskReports)
      .where(and(eq(riskReports.projectId, p.projectId), eq(riskReports.kind, "assessment")));
    // Raised 2, closed 1 (r = 0.5); open: one critical, overdue (p = 10 + 3 = 13).
    // d = 100 × 0.5 × 0.4 + 87 × 0.6 = 72.2; s = 72.2 × 0.7 + 80 × 0.3 = 74.54 → 74.5, grade C.
    expect([report.score, report.grade]).toEqual(["74.5", "C"]);
    expect(await noticesOf("developer", "风险过程评估报告")).toHaveLength(1);
    expect(await openElements(p.riskFlowId)).toEqual(["assessment", "finalReport", "inspection"]);
  });

  it("takes the final report through a return and the insurer's approval, which ends the site's loops", async () => {
    const report = await photo(p.tis, "最终检查报告.png");
    const final = {
      reportDate: "2026-12-06",
      summary: "整体质量良好",
      rectification: "已整改1项",
      conclusion: "同意竣工",
      documents: [report],
    };
    await complete(p.tis, p.riskFlowId, "finalReport", final);
    // The insurer decides with the project's risk in view, on the card above the review's form.
    const card = await projectSummary(p.insurer, p.projectId);
    expect(card!.sections.find((s) => s.title === "风险管理")!.items).toEqual([
      { label: "阶段", text: "施工阶段" },
      // Each step with the party that must act on it.
      {
        label: "当前环节",
        text: "现场风险检查、风险过程评估报告（云南建科工程质量风险管理有限公司）、审核最终检查报告（中国人民财产保险股份有限公司昆明市分公司）",
      },
      { label: "风险事件", text: "共2项，已销项1项，未销项1项" },
      { label: "未销项重大事件", text: "1项" },
      { label: "已逾期未整改", text: "1项" },
      { label: "整改率", text: "50.00%" },
      { label: "最近评估", text: "2026-12-06 74.5分（C（中））" },
    ]);
    await expect(complete(p.insurer, p.riskFlowId, "finalReview", { decision: "terminate" })).rejects.toMatchObject({
      status: 422,
      fields: { reason: "退回或终止保险合同时必须填写原因" },
    });
    await complete(p.insurer, p.riskFlowId, "finalReview", { decision: "return", reason: "请补充屋面结构问题的整改情况" });
    expect(await openElements(p.riskFlowId)).toEqual(["assessment", "finalReport", "inspection"]);
    await complete(p.tis, p.riskFlowId, "finalReport", { ...final, rectification: "屋面结构问题已整改" });
    await complete(p.insurer, p.riskFlowId, "finalReview", { decision: "approve" });
    expect(await openElements(p.riskFlowId)).toEqual(["issue"]);
    expect((await projectRow(p.projectId)).stage).toBe("completion");
  });

  it("issues the report with its documents to the developer and rates the TIS; the developer records completion", async () => {
    const [stamped, statement, notice] = await Promise.all(
      ["盖章报告.png", "责任范围说明书.png", "告知书.png"].map((n) => photo(p.insurer, n)),
    );
    await complete(p.insurer, p.riskFlowId, "issue", {
      stampedReport: [stamped],
      coverageStatement: [statement],
      notice: [notice],
      tisStars: 4,
      tisComment: "检查及时，报告规范",
    });
    const [rating] = await db().select().from(tisRatings).where(eq(tisRatings.projectId, p.projectId));
    expect([rating.stars, rating.tisId]).toEqual([4, p.tis.organisationId]);
    // The rating shows when an insurer next appoints a TIS (the register's lookup in the policy form).
    const [appointable] = await lookupOrganisations(p.insurer, { code: demoCreditCode("tis-yjk"), type: "tis" });
    expect(appointable.rating).toEqual({ stars: 4, count: 1 });
    expect(await noticesOf("developer", "最终检查报告已出具")).toHaveLength(1);

    const acceptance = await photo(p.developer, "竣工验收备案表.png");
    expect((await taskAt(p.riskFlowId, "completion")).organisationId).toBe(p.developer.organisationId);
    clockAt("2026-12-21T02:00:00Z");
    await complete(p.developer, p.riskFlowId, "completion", { acceptedOn: "2026-12-20", documents: [acceptance] });
    const project = await projectRow(p.projectId);
    expect([project.stage, project.completionAcceptedOn, project.reinspectionDueOn]).toEqual(["use", "2026-12-20", "2028-11-20"]);
    // Two timers wait: the revisit cycle (6 months) and the re-inspection (30 days before the second anniversary, 09:00).
    const timers = (await timersOf(p.riskFlowId))
      .filter((t) => t.status === "pending")
      .map((t) => [t.elementId, t.dueAt.toISOString().slice(0, 16)]);
    expect(timers.sort()).toEqual([
      ["reinspectionWait", "2028-11-20T01:00"],
      ["revisitWait", "2027-06-21T02:00"],
    ]);
    // In use, with no step open, the flow says what it waits for, on the project's page and its summaries.
    const waiting = "等待：回访周期（6个月）至 2027-06-21、竣工验收满两年前复查至 2028-11-20";
    expect(await riskStands()).toEqual({ listed: waiting, summary: waiting, tab: waiting });
  });

  it("pushes revisits to the TIS every cycle, each reviewed (or returned) by the insurer until it ends them", async () => {
    clockAt("2027-06-22T00:00:00Z");
    expect(await fireDueTimers()).toBe(1);
    expect((await taskAt(p.riskFlowId, "revisit")).organisationId).toBe(p.tis.organisationId);
    const revisit = { visitedOn: "2027-06-22", inspectors: "周工", findings: "未发现新的质量问题" };
    await complete(p.tis, p.riskFlowId, "revisit", revisit);
    await complete(p.insurer, p.riskFlowId, "revisitReview", { decision: "return", reason: "请补充地下室渗漏情况的回访记录" });
    expect(await openElements(p.riskFlowId)).toEqual(["revisit"]);
    const atRevisit = "保修期回访（云南建科工程质量风险管理有限公司）";
    expect(await riskStands()).toEqual({ listed: atRevisit, summary: atRevisit, tab: atRevisit });
    await complete(p.tis, p.riskFlowId, "revisit", { ...revisit, findings: "地下室无渗漏，未发现新的质量问题" });
    await complete(p.insurer, p.riskFlowId, "revisitReview", { decision: "continue" });
    expect(await openElements(p.riskFlowId)).toEqual([]);
    clockAt("2027-12-23T00:00:00Z");
    expect(await fireDueTimers()).toBe(1);
    await complete(p.tis, p.riskFlowId, "revisit", { ...revisit, visitedOn: "2027-12-23" });
    await complete(p.insurer, p.riskFlowId, "revisitReview", { decision: "finish" });
    const revisits = await db()
      .select()
      .from(riskReports)
      .where(and(eq(riskReports.projectId, p.projectId), eq(riskReports.kind, "revisit")));
    expect(revisits.map((r) => r.decision).sort()).toEqual(["approved", "finished"]);
    expect((await timersOf(p.riskFlowId)).filter((t) => t.status === "pending").map((t) => t.elementId)).toEqual(["reinspectionWait"]);
    expect((await riskStands()).listed).toBe("等待：竣工验收满两年前复查至 2028-11-20");
  });

  it("pushes the re-inspection by itself once, after a restart; each defect goes to the party responsible", async () => {
    await database.restart(() => clockAt("2028-11-20T01:00:01Z"));
    const [first, second] = await Promise.all([fireDueTimers(), fireDueTimers()]);
    expect(first + second).toBe(1);
    expect(await fireDueTimers()).toBe(0);
    const tis = await demoActor("tis");
    const reinspection = await taskAt(p.riskFlowId, "reinspection");
    // One name wherever the re-inspection is named: its wait (above), its task, where the flow stands.
    expect([reinspection.name, reinspection.organisationId]).toEqual(["竣工验收满两年前复查", tis.organisationId]);
    expect((await riskStands()).listed).toBe("竣工验收满两年前复查（云南建科工程质量风险管理有限公司）");
    const report = await photo(tis, "复查报告.png");
    await complete(tis, p.riskFlowId, "reinspection", {
      inspectedOn: "2028-11-20",
      inspectors: "周工",
      conclusion: "3号楼外墙渗水，属施工质量问题",
      documents: [report],
      defects: [
        riskEventInput({
          category: "waterproofing",
          level: "general",
          rectifierRole: "contractor",
          location: "3号楼外墙",
          deadline: "2028-12-20",
        }),
      ],
    });
    const defect = (await eventsOf(p.projectId)).find((e) => e.source === "reinspection")!;
    expect((await taskAt(defect.instanceId!, "rectify")).organisationId).toBe(p.contractor.organisationId);
    expect((await instanceRow(p.riskFlowId)).status).toBe("completed");
    expect((await riskStands()).summary).toBe("已完成");
  });
});

describe("terminating the policy when major defects stay unrectified", () => {
  it("ends the policy with its reason, cancels the project's open rectifications and tells the regulator and the developer", async () => {
    clockAt("2026-11-25T02:00:00Z");
    const q = await insuredProject("终止测试");
    await complete(q.tis, q.riskFlowId, "plan", planSubmission);
    await complete(q.insurer, q.riskFlowId, "planReview", { decision: "approve" });
    await complete(q.tis, q.riskFlowId, "inspection", inspectionSubmission([riskEventInput({ level: "critical" }), riskEventInput()]));
    const events = await eventsOf(q.projectId);
    const report = await photo(q.tis, "最终检查报告.png");
    await complete(q.tis, q.riskFlowId, "finalReport", {
      reportDate: "2026-11-25",
      summary: "主体结构存在重大缺陷",
      rectification: "未整改",
      unrectifiedDefects: "地下室防水重大缺陷未整改",
      conclusion: "不具备竣工条件",
      documents: [report],
    });
    const regulatorBefore = (await noticesOf("regulator", "保险合同已终止")).length;
    await complete(q.insurer, q.riskFlowId, "finalReview", { decision: "terminate", reason: "重大质量缺陷逾期未整改" });

    const [policy] = await db().select().from(policies).where(eq(policies.projectId, q.projectId));
    expect([policy.status, policy.terminationReason]).toEqual(["terminated", "重大质量缺陷逾期未整改"]);
    expect((await projectRow(q.projectId)).stage).toBe("terminated");
    expect((await eventsOf(q.projectId)).map((e) => e.status)).toEqual(["cancelled", "cancelled"]);
    const flows = await Promise.all(events.map((e) => instanceRow(e.instanceId!)));
    expect(flows.map((f) => f.status)).toEqual(["cancelled", "cancelled"]);
    expect(await openTasksOf(events[0].instanceId!)).toEqual([]);
    expect((await timersOf(events[0].instanceId!)).filter((t) => t.status === "pending")).toEqual([]);
    expect((await instanceRow(q.riskFlowId)).status).toBe("completed");
    expect(await openTasksOf(q.riskFlowId)).toEqual([]);
    expect((await noticesOf("regulator", "保险合同已终止")).length).toBe(regulatorBefore + 1);
    expect((await noticesOf("developer", "保险合同已终止")).length).toBeGreaterThan(0);
  });
});
