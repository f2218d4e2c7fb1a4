import { and, count, eq, inArray, isNotNull, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  organisations,
  users,
  claimRatings,
  claims,
  notifications,
  ownerMessages,
  policies,
  processInstances,
  projects,
  reports,
  riskEvents,
  riskReports,
  tasks,
  units,
  workflowTimers,
} from "@db/schema";
import { DEMO_OWNER_PHONE } from "~/demo/demo-claims";
import { listClaims } from "~/server/claims/claim-queries.server";
import { listProjects } from "~/server/projects/project-list.server";
import { deliverOwnerMessages, ownerClaims, ownerUnits } from "~/server/claims/owner-claims.server";
import { resetClock, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { seedDemoProjects } from "~/demo/demo-projects-seed";
import { listRiskEvents } from "~/server/risk/risk-event-queries.server";
import { overdueAt } from "~/server/risk/risk-events.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { demoActor } from "../support/actors";
import { acceptance, complete } from "../support/claims";
import { useTestDatabase } from "../support/database";
import { fillReport } from "../support/owners";
import { FakeTelegram, TelegramOwner } from "../support/telegram";
import { noticesSent, registerOwnerNotices, useTelegramApi } from "../../bots/notices";

// The demo city as one seed leaves it (seeding takes minutes, so one file checks it all): forty
// projects in every state of the insurance review; insured projects at every risk-management stage,
// events in every state, each project's history in the past of the seed date; the delivered
// projects' homes and their owners' claims at every step.

const SEEDED = new Date("2026-11-25T03:00:00Z");
const DAY = 86_400_000;

useTestDatabase();
let seedMs = 0;
let seedCpuMs = 0;
beforeAll(async () => {
  setClock(runningFrom(SEEDED));
  await deployBuiltIns();
  const started = Date.now();
  const cpu = process.cpuUsage();
  await seedDemoProjects();
  seedMs = Date.now() - started;
  const used = process.cpuUsage(cpu);
  seedCpuMs = Math.round((used.user + used.system) / 1000);
}, 600_000);
afterAll(resetClock);

const stageOf = async (stage: string) =>
  db()
    .select()
    .from(projects)
    .where(eq(projects.stage, stage as never));
/** The open tasks of the projects' risk-management flows, by element. */
async function openRiskTasks() {
  const rows = await db()
    .select({ projectId: processInstances.businessKey, element: tasks.elementId })
    .from(tasks)
    .innerJoin(processInstances, eq(processInstances.id, tasks.instanceId))
    .where(and(eq(tasks.status, "open"), eq(processInstances.definitionKey, "risk-management")));
  return rows;
}

describe("the demo city's risk management", () => {
  it("holds at least 300 risk events in every state, across categories, levels and TIS", async () => {
    console.info(`demo projects seeded in ${seedMs} ms (${seedCpuMs} ms of CPU)`);
    const regulator = await demoActor("regulator");
    const all = await listRiskEvents(regulator, { pageSize: 1 });
    expect(all.total).toBeGreaterThanOrEqual(300);
    const byStatus = await db().select({ status: riskEvents.status, n: count() }).from(riskEvents).groupBy(riskEvents.status);
    const statuses = Object.fromEntries(byStatus.map((r) => [r.status, r.n]));
    console.info(statuses);
    for (const status of ["open", "rectifying", "awaiting_review", "closed", "cancelled"]) expect(statuses[status]).toBeGreaterThan(0);
    // Overdue: the timer marked them on their day, and the list shows them as such.
    const overdue = await listRiskEvents(regulator, { overdue: "true", pageSize: 1 });
    expect(overdue.total).toBeGreaterThanOrEqual(20);
    const [{ marked }] = await db()
      .select({ marked: count() })
      .from(riskEvents)
      .where(and(inArray(riskEvents.status, ["open", "rectifying", "awaiting_review"]), isNotNull(riskEvents.overdueAt)));
    expect(marked).toBeGreaterThan(0);
    // None was marked, nor its parties told, before its deadline had passed (Beijing time), as when
    // the engine judged the deadline on the machine's clock while the seed's clock stood in the past.
    const markedEvents = await db()
      .select({ id: riskEvents.id, deadline: riskEvents.deadline, overdueAt: riskEvents.overdueAt })
      .from(riskEvents)
      .where(isNotNull(riskEvents.overdueAt));
    const late = (e: { deadline: string }) => new Date(overdueAt(e.deadline)).getTime();
    expect(markedEvents.filter((e) => e.overdueAt!.getTime() < late(e)).map((e) => [e.deadline, e.overdueAt])).toEqual([]);
    const notices = await db()
      .select({ link: notifications.link, createdAt: notifications.createdAt })
      .from(notifications)
      .where(like(notifications.title, "风险事件已逾期未整改%"));
    expect(notices.length).toBeGreaterThan(0);
    const byId = new Map(markedEvents.map((e) => [e.id, e]));
    const early = notices.filter((n) => n.createdAt.getTime() < late(byId.get(n.link!.split("/").at(-1)!)!));
    expect(early).toEqual([]);
    const spread = await db().select({ category: riskEvents.category, level: riskEvents.level, tisId: riskEvents.tisId }).from(riskEvents);
    expect(new Set(spread.map((e) => e.category)).size).toBeGreaterThanOrEqual(7);
    expect(new Set(spread.map((e) => e.level)).size).toBe(3);
    expect(new Set(spread.map((e) => e.tisId)).size).toBe(3);
    // Every event happened before the seed date, and was sent back at least once for some.
    const raised = await db().select({ raisedAt: riskEvents.raisedAt, returns: riskEvents.returnCount }).from(riskEvents);
    expect(raised.every((e) => e.raisedAt.getTime() < SEEDED.getTime())).toBe(true);
    expect(raised.filter((e) => e.returns > 0).length).toBeGreaterThan(5);
  });

  it("has a project at each stage, with the tasks its parties see", async () => {
    const open = await openRiskTasks();
    const at = (element: string) => new Set(open.filter((t) => t.element === element).map((t) => t.projectId));
    // Planning: plans waiting for the insurer's review, one sent back to the TIS, one not written yet.
    const planning = await stageOf("planning");
    expect(planning.length).toBe(3);
    expect(planning.filter((p) => at("planReview").has(p.id))).toHaveLength(1);
    expect(planning.filter((p) => at("plan").has(p.id))).toHaveLength(2);
    // Construction: the TIS inspects; one final report waits for the insurer.
    const construction = await stageOf("construction");
    expect(construction.length).toBeGreaterThanOrEqual(10);
    expect(construction.filter((p) => at("finalReview").has(p.id))).toHaveLength(1);
    // Completion: the report issued, the developer records the acceptance.
    expect((await stageOf("completion")).filter((p) => at("completion").has(p.id))).toHaveLength(1);
    // Terminated: the policy ends with its reason, the project's rectifications with it.
    const [terminated] = await stageOf("terminated");
    const [policy] = await db().select().from(policies).where(eq(policies.projectId, terminated.id));
    expect([policy.status, policy.terminationReason]).toEqual(["terminated", "主体结构重大质量缺陷逾期未整改"]);
    const cancelled = await db().select().from(riskEvents).where(eq(riskEvents.projectId, terminated.id));
    expect(cancelled.some((e) => e.status === "cancelled")).toBe(true);
    expect(cancelled.every((e) => e.status === "cancelled" || e.status === "closed")).toBe(true);
  });

  it("has projects in use: revisit reports reviewed, and a re-inspection due within a month of the seed date", async () => {
    const inUse = await stageOf("use");
    expect(inUse).toHaveLength(2);
    const revisits = await db()
      .select()
      .from(riskReports)
      .where(
        and(
          inArray(
            riskReports.projectId,
            inUse.map((p) => p.id),
          ),
          eq(riskReports.kind, "revisit"),
        ),
      );
    expect(revisits.length).toBeGreaterThanOrEqual(4);
    const timers = await db()
      .select({ projectId: processInstances.businessKey, dueAt: workflowTimers.dueAt })
      .from(workflowTimers)
      .innerJoin(processInstances, eq(processInstances.id, workflowTimers.instanceId))
      .where(and(eq(workflowTimers.status, "pending"), eq(workflowTimers.elementId, "reinspectionWait")));
    const dueSoon = timers.filter((t) => t.dueAt.getTime() > SEEDED.getTime() && t.dueAt.getTime() <= SEEDED.getTime() + 30 * DAY);
    expect(dueSoon).toHaveLength(1);
    const project = inUse.find((p) => p.id === dueSoon[0].projectId)!;
    expect(project.reinspectionDueOn).toBe(dueSoon[0].dueAt.toISOString().slice(0, 10));
    // The TIS of that project sees nothing of it yet: the platform pushes the task when it falls due.
    const tis = await listTasks(await demoActor("tis"), { pageSize: 100 });
    expect(tis.rows.every((t) => t.name !== "竣工验收满两年前复查")).toBe(true);
  });

  it("gives each project's parties their own work: the other TIS have inspections, builders rectifications", async () => {
    for (const username of ["tis", "tis-at", "tis-hx"]) {
      const todo = await listTasks(await demoActor(username), { pageSize: 100 });
      expect(todo.rows.map((t) => t.name)).toContain("现场风险检查");
    }
    for (const username of ["contractor", "contractor-km3", "contractor-zj", "contractor-dh"]) {
      const todo = await listTasks(await demoActor(username), { pageSize: 100 });
      expect(todo.rows.map((t) => t.name)).toContain("风险事件整改");
    }
  });

  it("has the bureau's reports of the last month, quarter and year, made as their timers make them", async () => {
    const made = await db()
      .select({ period: reports.periodKind, title: reports.title, by: reports.requestedBy })
      .from(reports)
      .where(eq(reports.kind, "statistics"))
      .orderBy(reports.periodKind);
    expect(made.map((r) => [r.period, r.by])).toEqual([
      ["month", null],
      ["quarter", null],
      ["year", null],
    ]);
    expect(made.every((r) => r.title.startsWith("住宅工程质量潜在缺陷保险统计报告（"))).toBe(true);
  });

  it("is seeded on the first start only", async () => {
    const counted = () => Promise.all([riskEvents, claims, units, claimRatings, reports].map((table) => db().select({ n: count() }).from(table)));
    const before = await counted();
    expect(await seedDemoProjects()).toBe(0);
    expect(await counted()).toEqual(before);
  });
});

describe("the demo city's claims", () => {
  const delivered = async () => (await stageOf("use")).map((p) => p.id);

  it("has the delivered projects' homes, imported by the property companies their developers named, covered from completion acceptance", async () => {
    const companies = new Set<string>();
    for (const projectId of await delivered()) {
      const [project] = await db().select().from(projects).where(eq(projects.id, projectId));
      const [company] = await db().select().from(organisations).where(eq(organisations.id, project.propertyCompanyId!));
      expect(company.type).toBe("repairer");
      companies.add(company.name);
      const homes = await db().select().from(units).where(eq(units.projectId, projectId));
      const importers = await db()
        .select({ organisationId: users.organisationId })
        .from(users)
        .where(inArray(users.id, [...new Set(homes.map((h) => h.importedBy!))]));
      expect(importers.map((i) => i.organisationId)).toEqual([company.id]);
      expect(homes.length).toBeGreaterThanOrEqual(80);
      expect(homes.length).toBeLessThanOrEqual(120);
      expect(
        homes.every((h) => h.ownerName && /^1390871\d{4}$/.test(h.ownerPhone ?? "") && h.importedAt!.getTime() < SEEDED.getTime()),
      ).toBe(true);
      const [policy] = await db().select().from(policies).where(eq(policies.projectId, projectId));
      expect(policy.coverage.map((c) => c.years)).toEqual([10, 5, 2]);
      expect(new Date(policy.periodStart).getTime()).toBeLessThan(SEEDED.getTime() - 365 * DAY);
    }
    expect(companies.size).toBe(2);
    // The demo owner's phone owns homes on both projects.
    const mine = await ownerUnits(DEMO_OWNER_PHONE);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(new Set(mine.map((u) => u.projectName)).size).toBe(2);
  });

  it("holds about sixty claims at every step, from every channel, in the past ten months", async () => {
    const regulator = await demoActor("regulator");
    const all = await listClaims(regulator, { pageSize: 100 });
    expect(all.total).toBeGreaterThanOrEqual(55);
    const rows = await db().select().from(claims);
    const projectIds = await delivered();
    expect(rows.every((c) => projectIds.includes(c.projectId) && c.inCoverage)).toBe(true);
    expect(rows.every((c) => c.reportedAt.getTime() < SEEDED.getTime() && c.reportedAt.getTime() > SEEDED.getTime() - 320 * DAY)).toBe(
      true,
    );
    const statuses = new Set(rows.map((c) => c.status));
    for (const status of ["reported", "accepted", "declined", "registered", "repairing", "confirming", "settling", "closed"])
      expect(statuses, status).toContain(status);
    expect(new Set(rows.map((c) => c.channel))).toEqual(new Set(["telegram", "web", "hotline", "insurer"]));
    expect(rows.filter((c) => c.fastTrack).length).toBeGreaterThanOrEqual(5);
    expect(rows.filter((c) => c.status === "declined").every((c) => c.declineReason)).toBe(true);
    // Sent back by the owner once: one waits for the repairer again, others closed after it.
    expect(rows.some((c) => c.refusalCount === 1 && c.status === "repairing" && c.refusalReason)).toBe(true);
    expect(rows.filter((c) => c.refusalCount === 1 && c.status === "closed").length).toBeGreaterThanOrEqual(1);
    // Late steps marked on their day by the timers; acceptances escalated to the regulator.
    const escalated = rows.filter((c) => c.escalatedAt);
    expect(escalated.length).toBeGreaterThanOrEqual(4);
    expect(escalated.some((c) => c.status === "reported")).toBe(true);
    expect(escalated.some((c) => c.status === "closed")).toBe(true);
    const overdue = await listClaims(regulator, { overdue: "true", pageSize: 100 });
    const steps = new Set(overdue.rows.flatMap((r) => rows.find((c) => c.id === r.id)!.overdueSteps));
    for (const step of ["accept", "survey", "decide", "repair", "settle"]) expect(steps, step).toContain(step);
  });

  it("has closed claims rated with a spread of stars and reasons; the demo owner can rate and confirm", async () => {
    const ratings = await db().select().from(claimRatings);
    expect(ratings.length).toBeGreaterThanOrEqual(15);
    expect(new Set(ratings.map((r) => r.stars)).size).toBe(5);
    expect(new Set(ratings.flatMap((r) => r.reasons)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(ratings.map((r) => r.channel)).size).toBe(3);
    const mine = await ownerClaims(DEMO_OWNER_PHONE);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.some((c) => c.canRate)).toBe(true);
    expect(mine.map((c) => c.statusLabel)).toContain("待业主验收");
  });

  it("keeps what the owners were told as history: the demo owner's bot is sent none of it, a claim reported now is sent", async () => {
    const [{ told }] = await db().select({ told: count() }).from(ownerMessages).where(eq(ownerMessages.phone, DEMO_OWNER_PHONE));
    expect(told).toBeGreaterThanOrEqual(8);
    const telegram = new FakeTelegram();
    registerOwnerNotices();
    useTelegramApi(telegram.bot.api);
    try {
      const owner = new TelegramOwner(telegram, 4242);
      await owner.start();
      await owner.press("验证手机号");
      expect((await owner.shareContact(`+86${DEMO_OWNER_PHONE}`))[0]).toContain("验证成功");
      expect(await deliverOwnerMessages()).toBe(0);
      await noticesSent();
      expect(owner.answers()).toEqual([]);
      // The owners' channels still tell what happens from now on.
      const [home] = await ownerUnits(DEMO_OWNER_PHONE);
      await fillReport(owner, {
        home: `${home.communityName} ${home.label}`,
        part: "给排水",
        description: "厨房水槽下水管渗水",
        name: "云先生",
      });
      const number = /LP\d{6}/.exec((await owner.press("确认提交"))[0])![0];
      // The report is confirmed in the chat itself; the next step is sent as it happens.
      expect(await deliverOwnerMessages()).toBe(0);
      const [claim] = await db()
        .select()
        .from(claims)
        .where(eq(claims.seq, Number(number.slice(2))));
      const insurer = await demoActor(
        claim.insurerId === (await demoActor("insurer-cpic")).organisationId ? "insurer-cpic" : "insurer-pingan",
      );
      await complete(insurer, claim.instanceId!, "accept", acceptance());
      expect(await deliverOwnerMessages()).toBe(1);
      await noticesSent();
      expect(owner.answers().map((m) => m.text)).toEqual([
        `【案件进展】【${number}】保险公司已受理您的报案，将安排查勘或维修。\n当前状态：已受理`,
      ]);
    } finally {
      useTelegramApi(null);
    }
  });
});

describe("the demo city's projects", () => {
  it("are forty, in every state of the insurance review", async () => {
    const rows = await db().select({ status: projects.status, n: count() }).from(projects).groupBy(projects.status);
    expect(Object.fromEntries(rows.map((r) => [r.status, r.n]))).toEqual({ insured: 18, awaiting_confirmation: 8, draft: 8, returned: 6 });
  });

  it("went through the flow: the regulator has confirmations waiting, the TIS has risk plans to write and sites to inspect", async () => {
    const confirmations = await listTasks(await demoActor("regulator"), { q: "", pageSize: 100 });
    expect(confirmations.rows.filter((t) => t.name === "住建局确认投保")).toHaveLength(8);
    const [{ n: riskFlows }] = await db()
      .select({ n: count() })
      .from(processInstances)
      .where(eq(processInstances.definitionKey, "risk-management"));
    expect(riskFlows).toBe(18);
    const tisTasks = await listTasks(await demoActor("tis"), { pageSize: 100 });
    expect(tisTasks.rows.length).toBeGreaterThan(0);
    expect(new Set(tisTasks.rows.map((t) => t.name))).toEqual(
      new Set(["风险交底及检查计划", "现场风险检查", "风险过程评估报告", "质量风险最终检查报告", "整改复核"]),
    );
  });

  it("have consistent policies: premium = sum insured × rate", async () => {
    const rows = await db().select().from(policies);
    expect(rows).toHaveLength(32);
    for (const p of rows) expect(Math.abs(Number(p.sumInsured) * Number(p.rate) - Number(p.premium))).toBeLessThanOrEqual(1);
  });

  it("are spread over the city and among the insurers", async () => {
    const regulator = await demoActor("regulator");
    const all = await listProjects(regulator, { pageSize: 100 });
    expect(new Set(all.rows.map((r) => r.district)).size).toBeGreaterThanOrEqual(10);
    // Each project has a name of its own: the same name under two statuses reads as one project.
    expect(new Set(all.rows.map((r) => r.name)).size).toBe(all.rows.length);
    expect(new Set(all.rows.map((r) => r.insurerName)).size).toBe(3);
    expect((await listProjects(await demoActor("insurer-cpic"), { pageSize: 100 })).total).toBeGreaterThan(10);
  });

  it("are seeded on the first start only", async () => {
    expect(await seedDemoProjects()).toBe(0);
  });
});
