import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimRatings, notifications, ownerMessages, units, users } from "@db/schema";
import { getClaim, listClaims } from "~/server/claims/claim-queries.server";
import { claimList, claimView } from "~/server/claims/claim-views.server";
import { reportClaim } from "~/server/claims/claims.server";
import { ownerActor, ownerClaims, ownerClaimTimeline, rateClaim } from "~/server/claims/owner-claims.server";
import { clock, resetClock, runningFrom, setClock } from "~/server/clock.server";
import type { Actor } from "~/server/auth/actor";
import { db } from "~/server/db.server";
import { ConflictError, NotFoundError, ValidationError } from "~/server/errors.server";
import { deployBuiltIns, fireDueTimers } from "~/server/workflow/index.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { urgeTask } from "~/server/tasks/urge.server";
import { demoActor } from "../support/actors";
import {
  acceptance,
  claimRow,
  complete,
  deliveredProject,
  ownerReports,
  repairerActor,
  repairSubmission,
  surveySubmission,
  type DeliveredProject,
} from "../support/claims";
import { useTestDatabase } from "../support/database";
import { openTasksOf, shownButUnopenable } from "../support/workflow";
import { claimObject } from "~/server/claims/claim-object.server";
import { readAttachment } from "~/server/attachments.server";
import { formatDateTime } from "~/shared/time";
import { claimNumber } from "~/shared/claim-labels";
import { claimAwaitingConfirmation } from "../support/claim-progress";

// A claim's life through processes/claim.bpmn, as the owner, the insurer, the repairer and the
// hotline do it; the fast track; the time limits on a moved clock; who sees what.

useTestDatabase();
afterAll(resetClock);

const openElements = async (claimId: string) => (await openTasksOf((await claimRow(claimId)).instanceId!)).map((t) => t.elementId).sort();
/** What the task page's form opens with (before any draft) at the claim's open step `elementId`. */
const opensWith = async (actor: Parameters<typeof complete>[0], claimId: string, elementId: string) => {
  const task = (await openTasksOf((await claimRow(claimId)).instanceId!)).find((t) => t.elementId === elementId)!;
  return (await taskView(actor, task.id)).task.submission;
};
const step = async (actor: Parameters<typeof complete>[0], claimId: string, elementId: string, submission: unknown) =>
  complete(actor, (await claimRow(claimId)).instanceId!, elementId, submission);
async function noticesOf(username: string, title: string) {
  const [user] = await db().select({ id: users.id }).from(users).where(eq(users.username, username));
  return (await db().select().from(notifications).where(eq(notifications.userId, user.id))).filter((n) => n.title.includes(title));
}
const messagesTo = async (phone: string) =>
  (await db().select().from(ownerMessages).where(eq(ownerMessages.phone, phone))).map((m) => m.text);

let p: DeliveredProject;
const OWNER = "13912340001";
const NEIGHBOUR = "13912340002";

beforeAll(async () => {
  await deployBuiltIns();
  p = await deliveredProject([OWNER, NEIGHBOUR]);
});

describe("a claim from the owner's report to the rating", () => {
  let claimId: string;
  afterAll(resetClock);

  it("the owner reports on their home: the claim waits for the insurer's acceptance; the owner's channel confirms it, no notice repeats it", async () => {
    const claim = await ownerReports(OWNER, p.homes[0].id);
    claimId = claim.id;
    expect(claim.status).toBe("reported");
    expect(claim.inCoverage).toBe(true);
    expect(claim.photos).toHaveLength(1);
    expect(await openElements(claim.id)).toEqual(["accept"]);
    // The owner's own channel answers the report itself (报案成功！…): a notice would say it twice.
    expect((await messagesTo(OWNER)).filter((m) => m.startsWith(`【${claimNumber(claim.seq)}】`))).toEqual([]);
    const task = (await openTasksOf(claim.instanceId!))[0];
    expect(task.organisationId).toBe(p.insurer.organisationId);
  });

  it("reporting the same thing again within minutes finds the first claim (409)", async () => {
    const first = await claimRow(claimId);
    const again = reportClaim(ownerActor(OWNER, "web"), {
      unitId: p.homes[0].id,
      part: first.part,
      description: first.description,
      reporterName: "业主",
      reporterPhone: OWNER,
      channel: "web",
    });
    await expect(again).rejects.toThrow(ConflictError);
  });

  it("an owner cannot report on a neighbour's home, nor through the hotline's channel", async () => {
    await expect(ownerReports(OWNER, p.homes[1].id)).rejects.toThrow(NotFoundError);
    await expect(ownerReports(OWNER, p.homes[0].id, { channel: "hotline" })).rejects.toThrow(/渠道/);
  });

  it("accepted with the repairer named, above the fast-track threshold it goes to the survey", async () => {
    await step(p.insurer, claimId, "accept", acceptance());
    expect(await openElements(claimId)).toEqual(["survey"]);
    const claim = await claimRow(claimId);
    expect(claim.status).toBe("accepted");
    expect(claim.repairerId).not.toBeNull();
  });

  it("the survey report and the registration; the assessment sends it to the repairer", async () => {
    await step(p.insurer, claimId, "survey", await surveySubmission(p.insurer));
    expect((await claimRow(claimId)).survey?.cause).toBe("卫生间防水层破损");
    // The survey is a step the owner is told of, as every other.
    expect((await messagesTo(OWNER)).at(-1)).toMatch(
      /^【LP\d{6}】现场查勘已完成（查勘日期 \d{4}-\d{2}-\d{2}），保险公司将据此作出是否立案的决定。$/,
    );
    // A decision is this step's own: nothing of the survey is put into it.
    expect(await opensWith(p.insurer, claimId, "decide")).toBeNull();
    await step(p.insurer, claimId, "decide", { decision: "register" });
    expect((await claimRow(claimId)).status).toBe("registered");
    // The survey's 维修建议 is the plan to start from.
    expect(await opensWith(p.insurer, claimId, "assess")).toEqual({ plan: "重做防水层并修复顶棚" });
    await step(p.insurer, claimId, "assess", { plan: "重做防水", estimatedCost: 6500 });
    expect(await openElements(claimId)).toEqual(["repair"]);
    expect((await noticesOf("repairer", "新的维修任务")).length).toBeGreaterThan(0);
  });

  it("the insurer opens the repairer's 维修 read-only and urges it from the claim's page; a stranger to the flow cannot", async () => {
    const task = (await openTasksOf((await claimRow(claimId)).instanceId!)).find((t) => t.elementId === "repair")!;
    const page = await claimView(p.insurer, claimId);
    expect(page).toMatchObject({ openTask: { id: task.id, name: "维修" }, canActOnTask: false, taskVisible: true, canUrgeTask: true });
    expect((await taskView(p.insurer, task.id)).task.name).toBe("维修");
    expect(await urgeTask(p.insurer, task.id, { message: "请尽快上门" })).toBeGreaterThan(0);
    expect((await noticesOf("repairer", "催办：维修"))[0].body).toContain("请尽快上门");
    // The repairer does it; the developer follows the claim but is no party to its flow.
    expect(await claimView(await repairerActor(), claimId)).toMatchObject({ canActOnTask: true, canUrgeTask: false });
    expect(await claimView(p.developer, claimId)).toMatchObject({ taskVisible: false, canUrgeTask: false });
    await expect(taskView(p.developer, task.id)).rejects.toThrow(NotFoundError);
  });

  it("the owner refuses the repair with a reason: it goes back to the repairer, who sees why", async () => {
    const repairer = await repairerActor();
    const first = await repairSubmission(repairer);
    await step(repairer, claimId, "repair", first);
    expect((await claimRow(claimId)).status).toBe("confirming");
    await expect(step(ownerActor(OWNER, "web"), claimId, "confirm", { decision: "refuse", reason: "  " })).rejects.toThrow(ValidationError);
    // Two days later (the clock stays there for the rest of this claim's life).
    setClock(runningFrom(new Date(clock.now().getTime() + 2 * 86_400_000)));
    await step(ownerActor(OWNER, "web"), claimId, "confirm", { decision: "refuse", reason: "顶棚仍有水渍" });
    const claim = await claimRow(claimId);
    expect(claim.status).toBe("repairing");
    expect(claim.refusalReason).toBe("顶棚仍有水渍");
    expect((await noticesOf("repairer", "业主退回重修"))[0].body).toContain("顶棚仍有水渍");
    // The step reopens with all it was sent, its dates too; a redo cannot be dated before the owner sent it back.
    expect(await opensWith(repairer, claimId, "repair")).toMatchObject({
      startedOn: first.startedOn,
      finishedOn: first.finishedOn,
      description: first.description,
    });
    const returnedOn = formatDateTime(clock.now(), "YYYY-MM-DD");
    const redoneEarly = await step(repairer, claimId, "repair", first).catch((e) => e);
    expect(redoneEarly.fields).toEqual({
      startedOn: `重修的开工日期不能早于业主退回的日期（${returnedOn}）`,
      finishedOn: `重修的完工日期不能早于业主退回的日期（${returnedOn}）`,
    });
    expect((await claimRow(claimId)).status).toBe("repairing");
  });

  it("a neighbour cannot confirm the owner's repair", async () => {
    const repairer = await repairerActor();
    await step(repairer, claimId, "repair", await repairSubmission(repairer));
    await expect(step(ownerActor(NEIGHBOUR, "web"), claimId, "confirm", { decision: "accept" })).rejects.toThrow(NotFoundError);
  });

  it("the owner accepts, the insurer closes with the amount; the owner rates once", async () => {
    await step(ownerActor(OWNER, "web"), claimId, "confirm", { decision: "accept" });
    expect((await claimRow(claimId)).status).toBe("settling");
    // 结案 opens with what the survey and the assessment hold: the part, the cause, the assessed cost.
    expect(await opensWith(p.insurer, claimId, "settle")).toEqual({ part: "waterproofing", cause: "卫生间防水层破损", cost: 6500 });
    await step(p.insurer, claimId, "settle", { part: "waterproofing", cause: "防水层破损", cost: 6200, paidAmount: 6200 });
    const claim = await claimRow(claimId);
    expect(claim.status).toBe("closed");
    expect(claim.settlement).toMatchObject({ paidAmount: 6200, repairerName: "昆明利家物业服务有限公司" });
    expect((await ownerClaims(OWNER))[0]).toMatchObject({ statusLabel: "已结案", canRate: true });
    await expect(rateClaim(ownerActor(OWNER, "web"), claimId, { stars: 6 })).rejects.toThrow(ValidationError);
    await rateClaim(ownerActor(OWNER, "telegram"), claimId, { stars: 4, reasons: ["duration"], comment: "第一次没修好" });
    await expect(rateClaim(ownerActor(OWNER, "web"), claimId, { stars: 5 })).rejects.toThrow(ConflictError);
    const [rating] = await db().select().from(claimRatings).where(eq(claimRatings.claimId, claimId));
    expect(rating).toMatchObject({ stars: 4, reasons: ["duration"], channel: "telegram" });
    await expect(rateClaim(ownerActor(NEIGHBOUR, "web"), claimId, { stars: 1 })).rejects.toThrow(NotFoundError);
  });

  it("every photo the claim's card shows (report, survey, repair) opens for each who sees the claim, and for nobody else", async () => {
    const coinsurer = await demoActor("insurer-cpic");
    const readers = [
      p.insurer,
      coinsurer,
      await demoActor("regulator"),
      await demoActor("hotline"),
      p.developer,
      await repairerActor(),
      ownerActor(OWNER, "web"),
    ];
    for (const reader of readers) {
      const card = await claimObject.summary!(reader, claimId);
      expect(
        card?.sections.flatMap((s) => s.items.filter((i) => i.files).map((i) => i.label)),
        reader.username,
      ).toEqual(["报案照片", "查勘照片", "维修前照片", "维修后照片"]);
      expect(await shownButUnopenable(reader, card), reader.username).toEqual([]);
    }
    const shown = (await claimObject.summary!(p.insurer, claimId))!.sections.flatMap((s) => s.items.flatMap((i) => i.files ?? []));
    const otherInsurer = { ...coinsurer, organisationId: "00000000-0000-4000-8000-000000000001" };
    for (const outsider of [ownerActor(NEIGHBOUR, "web"), otherInsurer])
      for (const file of shown) await expect(readAttachment(outsider, file.id)).rejects.toThrow(NotFoundError);
  });

  it("the owner's timeline tells every step in order; a neighbour is told there is no such claim", async () => {
    const timeline = await ownerClaimTimeline(OWNER, claimId);
    expect(timeline.steps.map((s) => s.label)).toEqual([
      "报案",
      "受理报案",
      "提交查勘报告",
      "立案",
      "定损",
      "提交维修情况",
      "业主退回重修",
      "提交维修情况",
      "业主验收",
      "结案",
      "评价理赔服务",
    ]);
    expect(timeline.steps.find((s) => s.label === "业主退回重修")?.detail).toBe("顶棚仍有水渍");
    await expect(ownerClaimTimeline(NEIGHBOUR, claimId)).rejects.toThrow(NotFoundError);
  });
});

describe("declined claims", () => {
  it("a decline needs its reason, and the owner is told it", async () => {
    const claim = await ownerReports(NEIGHBOUR, p.homes[1].id);
    await step(p.insurer, claim.id, "accept", acceptance());
    await step(p.insurer, claim.id, "survey", await surveySubmission(p.insurer));
    await expect(step(p.insurer, claim.id, "decide", { decision: "decline", reason: " " })).rejects.toThrow(ValidationError);
    await step(p.insurer, claim.id, "decide", { decision: "decline", reason: "系业主自行改造造成" });
    expect(await claimRow(claim.id)).toMatchObject({ status: "declined", declineReason: "系业主自行改造造成" });
    expect(await openElements(claim.id)).toEqual([]);
    expect((await messagesTo(NEIGHBOUR)).join()).toContain("系业主自行改造造成。如有异议，请拨打服务热线 0871-12345。");
  });
});

describe("what the steps' forms refuse", () => {
  it("a step's date before the report, and a payment above the repair's cost, each on its field; nothing moves", async () => {
    const claim = await ownerReports(OWNER, p.homes[0].id, { estimate: 1500, part: "plumbing", description: "阳台地漏返水" });
    const reportedOn = formatDateTime(claim.reportedAt, "YYYY-MM-DD");
    const early = await step(p.insurer, claim.id, "accept", acceptance({ contactedOn: "2000-01-01" })).catch((e) => e);
    expect(early).toBeInstanceOf(ValidationError);
    expect(early.fields).toEqual({ contactedOn: `联系业主日期不能早于报案日期（${reportedOn}）` });
    expect(await openElements(claim.id)).toEqual(["accept"]);
    await step(p.insurer, claim.id, "accept", acceptance());
    const repairer = await repairerActor();
    const repair = await repairSubmission(repairer);
    const backdated = await step(repairer, claim.id, "repair", { ...repair, startedOn: "2001-01-01", finishedOn: "2001-01-02" }).catch(
      (e) => e,
    );
    expect(backdated.fields).toEqual({
      startedOn: `开工日期不能早于报案日期（${reportedOn}）`,
      finishedOn: `完工日期不能早于报案日期（${reportedOn}）`,
    });
    await step(repairer, claim.id, "repair", repair);
    await step(ownerActor(OWNER, "web"), claim.id, "confirm", { decision: "accept" });
    const overpaid = await step(p.insurer, claim.id, "settle", {
      part: "plumbing",
      cause: "地漏存水弯缺失",
      cost: 1,
      paidAmount: 100_000_000,
    }).catch((e) => e);
    expect(overpaid.fields).toEqual({ paidAmount: "赔付金额不能超过维修费用" });
    const negative = await step(p.insurer, claim.id, "settle", {
      part: "plumbing",
      cause: "地漏存水弯缺失",
      cost: -1,
      paidAmount: -1,
    }).catch((e) => e);
    expect(negative).toMatchObject({ status: 422, fields: { cost: "维修费用不能为负数", paidAmount: "赔付金额不能为负数" } });
    expect((await claimRow(claim.id)).status).toBe("settling");
  });
});

describe("the fast track (小额快赔)", () => {
  it("below the diagram's threshold, a covered part skips the survey and goes to repair at once", async () => {
    const claim = await ownerReports(OWNER, p.homes[0].id, { estimate: 1500, part: "plumbing" });
    await step(p.insurer, claim.id, "accept", acceptance());
    expect(await openElements(claim.id)).toEqual(["repair"]);
    expect(await claimRow(claim.id)).toMatchObject({ status: "repairing", fastTrack: true });
  });

  it("at or above the threshold, or with no estimate, it is surveyed", async () => {
    for (const estimate of [3000, null]) {
      const claim = await ownerReports(OWNER, p.homes[0].id, { estimate, part: "plumbing" });
      await step(p.insurer, claim.id, "accept", acceptance());
      expect(await openElements(claim.id)).toEqual(["survey"]);
    }
  });

  it("a part whose cover has not started is surveyed whatever the estimate", async () => {
    const later = await deliveredProject(["13912340003"], undefined, false);
    const claim = await ownerReports("13912340003", later.homes[0].id, { estimate: 100 });
    expect(claim.inCoverage).toBe(false);
    await step(later.insurer, claim.id, "accept", acceptance());
    expect(await openElements(claim.id)).toEqual(["survey"]);
  });
});

describe("time limits", () => {
  it("an acceptance waiting past its limit reminds the insurer, then is escalated to the regulator and marked", async () => {
    const claim = await ownerReports(NEIGHBOUR, p.homes[1].id, { description: "外墙渗水" });
    const reported = clock.now();
    setClock(runningFrom(new Date(reported.getTime() + 13 * 3600_000)));
    expect(await fireDueTimers()).toBe(1);
    expect((await noticesOf("insurer", "请尽快受理")).length).toBeGreaterThan(0);
    expect((await claimRow(claim.id)).overdueSteps).toEqual([]);
    setClock(runningFrom(new Date(reported.getTime() + 25 * 3600_000)));
    expect(await fireDueTimers()).toBe(1);
    const marked = await claimRow(claim.id);
    expect(marked.overdueSteps).toEqual(["accept"]);
    expect(marked.escalatedAt).not.toBeNull();
    expect((await noticesOf("regulator", "理赔受理已逾期")).length).toBe(1);
    const regulator = await demoActor("regulator");
    const overdue = await listClaims(regulator, { overdue: "true" });
    expect(overdue.rows.map((r) => r.id)).toContain(claim.id);
    // Accepting late still works; the mark stays for the record.
    await step(p.insurer, claim.id, "accept", acceptance());
    expect((await claimRow(claim.id)).overdueSteps).toEqual(["accept"]);
    resetClock();
  });
});

describe("the decision's limits", () => {
  it("a decision waiting 7 days is marked overdue; at 30 days (the Insurance Law's bound) it is escalated to the regulator", async () => {
    const home = (await deliveredProject(["13912340004"])).homes[0];
    const claim = await ownerReports("13912340004", home.id, { description: "楼板裂缝" });
    const insurer = p.insurer;
    await step(insurer, claim.id, "accept", acceptance());
    await step(insurer, claim.id, "survey", await surveySubmission(insurer));
    const surveyed = clock.now();
    setClock(runningFrom(new Date(surveyed.getTime() + 8 * 86_400_000)));
    await fireDueTimers();
    expect(await claimRow(claim.id)).toMatchObject({ overdueSteps: ["decide"], escalatedAt: null });
    setClock(runningFrom(new Date(surveyed.getTime() + 31 * 86_400_000)));
    await fireDueTimers();
    const escalated = await claimRow(claim.id);
    expect(escalated.overdueSteps).toEqual(["decide"]);
    expect(escalated.escalatedAt).not.toBeNull();
    expect((await noticesOf("regulator", "理赔立案决定已逾期")).length).toBe(1);
    resetClock();
  });
});

describe("who sees a claim", () => {
  let claimId: string;
  beforeAll(async () => {
    claimId = (await ownerReports(OWNER, p.homes[0].id, { description: "墙面开裂" })).id;
  });

  it("the handling insurer and the regulator see the owner's phone; the developer sees it masked", async () => {
    expect((await getClaim(p.insurer, claimId)).reporterPhone).toBe(OWNER);
    expect((await getClaim(await demoActor("regulator"), claimId)).reporterPhone).toBe(OWNER);
    const developerView = await getClaim(p.developer, claimId);
    expect(developerView.reporterPhone).toBe("139****0001");
    expect(developerView.owner.phone).toBe("139****0001");
  });

  it("a search by the reporter's name finds the claim for those who see the name, and not for the developer, who sees it masked", async () => {
    const name = (await getClaim(p.insurer, claimId)).reporterName;
    expect((await listClaims(p.insurer, { q: name })).rows.map((r) => r.id)).toContain(claimId);
    expect((await listClaims(await demoActor("regulator"), { q: name })).rows.map((r) => r.id)).toContain(claimId);
    expect((await listClaims(p.developer, { q: name })).rows.map((r) => r.id)).not.toContain(claimId);
    expect((await listClaims(p.developer, {})).rows.map((r) => r.id)).toContain(claimId);
  });

  it("the 承保公司 filter offers the co-insurer too (it insures the claim), and finds the claim by it", async () => {
    const cpic = await demoActor("insurer-cpic");
    const names = async (actor: Actor) => (await claimList(actor, {})).insurerOptions.map((o) => o.name);
    for (const viewer of [await demoActor("regulator"), p.insurer, cpic, p.developer])
      expect(await names(viewer)).toEqual(["中国人民财产保险股份有限公司昆明市分公司", "中国太平洋财产保险股份有限公司云南分公司"].sort());
    const byCoinsurer = await claimList(await demoActor("regulator"), { insurer: cpic.organisationId! });
    expect(byCoinsurer.page.rows.map((r) => r.id)).toContain(claimId);
  });

  it("another insurer and another repairer do not see it (404), nor list it", async () => {
    const other = await demoActor("insurer-cpic");
    const stranger = { ...other, organisationId: "00000000-0000-4000-8000-000000000001" };
    await expect(getClaim(stranger, claimId)).rejects.toThrow(NotFoundError);
    expect((await listClaims(stranger, {})).total).toBe(0);
    // The demo repairer sees the claims entrusted to it, not this one (not yet accepted).
    await expect(getClaim(await repairerActor(), claimId)).rejects.toThrow(NotFoundError);
  });

  it("the hotline reports for a caller, marked as hotline-reported, with the caller's contact", async () => {
    const hotline = await demoActor("hotline");
    const claim = await reportClaim(hotline, {
      unitId: p.homes[1].id,
      part: "electrical",
      description: "插座无电",
      reporterName: "王女士",
      reporterPhone: "139 1234 0009",
      channel: "hotline",
    });
    expect(claim).toMatchObject({ channel: "hotline", reporterPhone: "13912340009" });
    // Reported for them, the caller and the home's owner are told the number.
    expect(await messagesTo("13912340009")).toEqual([
      `【${claimNumber(claim.seq)}】已收到您的报案，案件号 ${claimNumber(claim.seq)}，等待保险公司受理。受理后会在这里通知您。`,
    ]);
    await expect(
      reportClaim(hotline, {
        unitId: p.homes[1].id,
        part: "electrical",
        description: "x",
        reporterName: "王",
        reporterPhone: "123",
        channel: "hotline",
      }),
    ).rejects.toThrow(ValidationError);
  });
});

describe("the owner's 验收 recorded by the hotline", () => {
  it("is told to the owner, either way, with the reason of a refusal", async () => {
    const hotline = await demoActor("hotline");
    const refused = await claimAwaitingConfirmation(p, OWNER, p.homes[0].id);
    await step(hotline, refused.id, "confirm", { decision: "refuse", reason: "墙面仍有裂缝" });
    const accepted = await claimAwaitingConfirmation(p, OWNER, p.homes[0].id);
    await step(hotline, accepted.id, "confirm", { decision: "accept" });
    const told = await messagesTo(OWNER);
    expect(told).toContain(`【${claimNumber(refused.seq)}】服务热线已按您的意见退回重修，原因：墙面仍有裂缝。维修单位将再次上门处理。`);
    expect(told).toContain(`【${claimNumber(accepted.seq)}】服务热线已按您的意见登记验收合格，保险公司将办理结案。`);
    // The owner's own 验收 in their channel is answered there, not told again.
    const own = await claimAwaitingConfirmation(p, OWNER, p.homes[0].id);
    await step(ownerActor(OWNER, "web"), own.id, "confirm", { decision: "accept" });
    expect((await messagesTo(OWNER)).filter((m) => m.startsWith(`【${claimNumber(own.seq)}】`) && m.includes("验收合格"))).toEqual([]);
  });
});

describe("a home whose registered owner changes", () => {
  it("keeps its claims with the owner it had when they were reported: the new phone cannot confirm, rate or read them", async () => {
    const claim = await claimAwaitingConfirmation(p, OWNER, p.homes[0].id);
    const NEWCOMER = "13912349998";
    // A re-import of the homes' list (a sale, or a mistake) puts another phone on the home.
    await db().update(units).set({ ownerPhone: NEWCOMER }).where(eq(units.id, p.homes[0].id));
    const newcomer = ownerActor(NEWCOMER, "web");
    await expect(step(newcomer, claim.id, "confirm", { decision: "accept" })).rejects.toThrow(NotFoundError);
    await expect(ownerClaimTimeline(NEWCOMER, claim.id)).rejects.toThrow(NotFoundError);
    expect((await ownerClaims(NEWCOMER)).map((c) => c.id)).not.toContain(claim.id);
    // The owner who reported it still follows and confirms it; the new owner's own report is theirs.
    expect((await ownerClaimTimeline(OWNER, claim.id)).canConfirm).toBe(true);
    await step(ownerActor(OWNER, "web"), claim.id, "confirm", { decision: "accept" });
    const theirs = await ownerReports(NEWCOMER, p.homes[0].id, { description: "入户门变形关不严" });
    expect((await ownerClaims(NEWCOMER)).map((c) => c.id)).toContain(theirs.id);
    await db().update(units).set({ ownerPhone: OWNER }).where(eq(units.id, p.homes[0].id));
  });
});

// Last in the file: the clock moves weeks ahead, which fires the other claims' timers too.
describe("the owner's confirmation (业主验收) left unanswered", () => {
  it("reminds the owner after a week, and after fifteen days takes the repair as confirmed and goes on to settlement", async () => {
    const claim = await claimAwaitingConfirmation(p, OWNER, p.homes[0].id);
    const repaired = clock.now().getTime();
    setClock(runningFrom(new Date(repaired + 8 * 86_400_000)));
    await fireDueTimers();
    expect((await messagesTo(OWNER)).join()).toContain("维修完成后15日内未确认的，视为验收合格");
    expect(await claimRow(claim.id)).toMatchObject({ status: "confirming" });
    setClock(runningFrom(new Date(repaired + 16 * 86_400_000)));
    await fireDueTimers();
    expect(await claimRow(claim.id)).toMatchObject({ status: "settling" });
    expect(await openElements(claim.id)).toEqual(["settle"]);
    expect((await messagesTo(OWNER)).join()).toContain("视为验收合格，保险公司将办理结案");
    const { timeline } = await getClaim(p.insurer, claim.id);
    expect(timeline.map((t) => t.label)).toContain("视为验收合格");
    resetClock();
  });
});

describe("claim numbers", () => {
  it("a report refused (its photo is not the reporter's) takes no number: the next one follows the last", async () => {
    const phone = "13912340009";
    const own = await deliveredProject([phone]);
    const last = await ownerReports(phone, own.homes[0].id);
    const stranger = { id: crypto.randomUUID(), name: "别人的照片.png", size: 1 };
    await expect(ownerReports(phone, own.homes[0].id, { photos: [stranger] })).rejects.toMatchObject({
      status: 422,
      fields: { photos: "照片不存在或已使用，请重新上传" },
    });
    expect((await ownerReports(phone, own.homes[0].id)).seq).toBe(last.seq + 1);
  });
});
