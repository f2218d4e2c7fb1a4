import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, claimRatings, units } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { callerHome, findCaller, rateForCaller, reportForCaller } from "~/server/claims/hotline.server";
import { db } from "~/server/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/server/errors.server";
import { completeTask, deployBuiltIns } from "~/server/workflow/index.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { claimNumber } from "~/shared/claim-labels";
import { demoActor } from "../support/actors";
import { claimAwaitingConfirmation, closedClaim } from "../support/claim-progress";
import { claimRow, deliveredProject, ownerReports, type DeliveredProject } from "../support/claims";
import { useTestDatabase } from "../support/database";

// The hotline console (服务热线) as its services answer it: finding a caller by phone, home or claim
// number; reporting on a caller's behalf; the owner's confirmation taken from the hotline's inbox;
// rating for a caller.

useTestDatabase();

const OWNER = "13933330001";
const NEIGHBOUR = "13933330002";
const CALLER = "13933330009";

let p: DeliveredProject;
let hotline: Actor;

beforeAll(async () => {
  await deployBuiltIns();
  p = await deliveredProject([OWNER, NEIGHBOUR]);
  hotline = await demoActor("hotline");
});

const report = (overrides: Record<string, unknown> = {}) =>
  reportForCaller(hotline, {
    unitId: p.homes[0].id,
    part: "electrical",
    description: `客厅插座无电 ${Math.random().toString(36).slice(2, 6)}`,
    reporterName: "王女士",
    reporterPhone: "139 3333 0009",
    estimate: null,
    ...overrides,
  });

describe("finding a caller", () => {
  let claimId: string;

  beforeAll(async () => {
    claimId = (await ownerReports(OWNER, p.homes[0].id)).id;
  });

  it("by the phone they call from: their homes with the owner's full contact, and their claims", async () => {
    const found = await findCaller(hotline, { q: "139-3333-0001" });
    expect(found.kind).toBe("phone");
    if (found.kind !== "phone") return;
    expect(found.homes).toEqual([
      expect.objectContaining({ id: p.homes[0].id, label: "1栋2单元1501", ownerName: "业主1", ownerPhone: OWNER }),
    ]);
    expect(found.claims.map((c) => c.id)).toContain(claimId);
  });

  it("by a claim number", async () => {
    const number = claimNumber((await claimRow(claimId)).seq);
    const found = await findCaller(hotline, { q: number.toLowerCase() });
    expect(found).toMatchObject({ kind: "claim", claims: [{ id: claimId, number, statusLabel: "已报案", unitLabel: "1栋2单元1501" }] });
  });

  it("by the home they name (community, then building and room), and the projects by name as before", async () => {
    const { communityName } = (await callerHome(hotline, p.homes[1].id)).coverage.project;
    const found = await findCaller(hotline, { q: `${communityName} 1栋 1502` });
    expect(found.kind === "text" && found.homes.map((h) => h.id)).toEqual([p.homes[1].id]);
    const projects = await findCaller(hotline, { q: communityName });
    expect(projects.kind === "text" && projects.projects.map((r) => r.id)).toContain(p.projectId);
  });

  it("by a home's address as callers give it: the building and unit named come first, and a room is that room exactly", async () => {
    const { communityName } = (await callerHome(hotline, p.homes[0].id)).coverage.project;
    // 宝象壹号's layout in small: room 1401 in three places, 1001 in two, and a 401.
    const layout = ["1-1-1401", "1-2-1401", "3-1-1401", "1-1-1001", "3-1-1001", "1-1-401"];
    await db()
      .insert(units)
      .values(layout.map((a) => a.split("-")).map(([building, unitNo, room]) => ({ projectId: p.projectId, building, unitNo, room })));
    const homesFor = async (address: string) => {
      const found = await findCaller(hotline, { q: `${communityName}${address}` });
      return found.kind === "text" ? found.homes.map((h) => `${h.label}${h.exact ? "" : "（楼栋或单元不符）"}`) : [];
    };
    expect(await homesFor(" 1栋 1401")).toEqual(["1栋1单元1401", "1栋2单元1401", "3栋1单元1401（楼栋或单元不符）"]);
    expect(await homesFor(" 1栋 1001")).toEqual(["1栋1单元1001", "3栋1单元1001（楼栋或单元不符）"]);
    expect(await homesFor(" 1栋1单元1001")).toEqual(["1栋1单元1001", "3栋1单元1001（楼栋或单元不符）"]);
    expect(await homesFor("1栋1单元1001")).toEqual(["1栋1单元1001", "3栋1单元1001（楼栋或单元不符）"]);
    for (const typed of [" 1-2-1401", " 1号楼2单元1401室", " 1 2 1401"])
      expect(await homesFor(typed), typed).toEqual(["1栋2单元1401", "1栋1单元1401（楼栋或单元不符）", "3栋1单元1401（楼栋或单元不符）"]);
    expect(await homesFor(" 401")).toEqual(["1栋1单元401"]);
    expect(await homesFor(" 3栋")).toEqual(["3栋1单元1001", "3栋1单元1401"]);
    // A room with a leading zero, a building and unit in Chinese numerals, as callers say them.
    expect(await homesFor(" 1栋1单元01001")).toEqual(["1栋1单元1001", "3栋1单元1001（楼栋或单元不符）"]);
    expect(await homesFor("一栋二单元1401")).toEqual(["1栋2单元1401", "1栋1单元1401（楼栋或单元不符）", "3栋1单元1401（楼栋或单元不符）"]);
  });

  it("by the lead insurer, by its name or what people call it (人保, 中国人民财产保险)", async () => {
    for (const q of ["人保", "人民财产"]) {
      const found = await findCaller(hotline, { q });
      expect(found.kind === "text" && found.projects.map((r) => r.id), q).toContain(p.projectId);
    }
  });

  it("a found home shows its cover and its claims", async () => {
    const home = await callerHome(hotline, p.homes[0].id);
    expect(home.coverage.parts).toHaveLength(3);
    expect(home.coverage.hotline).toBeTruthy();
    expect(home.claims.map((c) => c.id)).toContain(claimId);
    await expect(callerHome(hotline, "not-a-uuid")).rejects.toThrow(NotFoundError);
  });

  it("nobody but the hotline uses the console", async () => {
    await expect(findCaller(await demoActor("developer"), { q: OWNER })).rejects.toThrow(ForbiddenError);
  });

  it("a number typed in full-width digits finds the owner and files the report, as in every other channel", async () => {
    const fullWidth = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const found = await findCaller(hotline, { q: fullWidth(OWNER) });
    expect(found).toMatchObject({ kind: "phone", phone: OWNER });
    expect(await report({ reporterPhone: fullWidth("13933330009") })).toMatchObject({ reporterPhone: "13933330009" });
  });

  it("a number with another country's code is no owner's phone: +1 393 333 0001 finds nobody", async () => {
    expect((await findCaller(hotline, { q: "+1 393 333 0001" })).kind).not.toBe("phone");
    const failure = await report({ reporterPhone: "+1 393 333 0009" }).catch((e) => e);
    expect(failure.fields).toEqual({ reporterPhone: "来电号码只能是中国大陆手机号（+86）" });
    // Nor one in North America's grouping, whose eleven digits read as a mainland 139…: said so, never a home.
    for (const q of ["1-393-333-0001", "1 393 333 0001"]) {
      expect(await findCaller(hotline, { q }), q).toEqual({
        kind: "foreign",
        message: "来电号码只能是中国大陆手机号（+86）：该号码不能用于查找业主的房屋和报案",
      });
      expect((await report({ reporterPhone: q }).catch((e) => e)).fields, q).toEqual({
        reporterPhone: "来电号码只能是中国大陆手机号（+86）",
      });
    }
    // Nor one written without its "+": 141 is no mainland mobile segment. It is said to be no
    // mainland mobile number, not taken for an address.
    expect(await findCaller(hotline, { q: "1415 555 0100" })).toEqual({ kind: "notMobile" });
    const unsigned = await report({ reporterPhone: "1415 555 0100" }).catch((e) => e);
    expect(unsigned.fields).toEqual({ reporterPhone: "来电号码应为中国大陆11位手机号" });
  });

  it("an empty query finds nothing; an oversized or strange one is refused on its field rather than failing", async () => {
    expect(await findCaller(hotline, {})).toEqual({ kind: "none" });
    await expect(findCaller(hotline, { q: "x".repeat(5000) })).rejects.toMatchObject({
      status: 422,
      fields: { q: "查询内容不能超过100个字" },
    });
    await expect(findCaller(hotline, { q: ["a"] })).rejects.toMatchObject({ status: 422, fields: { q: expect.any(String) } });
  });
});

describe("reporting for a caller (代业主报案)", () => {
  it("records the claim as hotline-reported with the caller's own name and phone", async () => {
    const claim = await report();
    expect(claim).toMatchObject({ channel: "hotline", reporterName: "王女士", reporterPhone: CALLER, reportedBy: hotline.userId });
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.subjectId, claim.id));
    expect(event).toMatchObject({ action: "claim.report", actorName: hotline.displayName });
    expect(event.after).toMatchObject({ channel: "hotline" });
  });

  it("answers bad fields with Chinese messages on each field", async () => {
    const failure = await report({ part: "roof", description: "", reporterName: "", reporterPhone: "123", estimate: "很多" }).catch(
      (e) => e,
    );
    expect(failure).toBeInstanceOf(ValidationError);
    expect(failure.fields).toMatchObject({
      part: "请选择缺陷部位",
      description: "请描述缺陷情况",
      reporterName: "请填写联系人",
      reporterPhone: "来电号码应为中国大陆11位手机号",
      estimate: "估计维修费用应为数字",
    });
    await expect(reportForCaller(hotline, "text")).rejects.toThrow(ValidationError);
    const noHome = await report({ unitId: "x" }).catch((e) => e);
    expect(noHome.fields).toEqual({ form: "请选择房屋" });
    await expect(report({ description: "漏水\u0000" })).rejects.toThrow(ValidationError);
    // The page's 估计维修费用 is a text box: an amount typed as text (full-width too) is read as one.
    expect(Number((await report({ estimate: " １５００ " })).estimate)).toBe(1500);
    expect((await report({ estimate: "" })).estimate).toBeNull();
    // A negative or nought estimate is refused, not taken as "below the fast-track threshold".
    for (const estimate of [-5, 0, 0.000001, "-5", "－５", "0"])
      expect((await report({ estimate }).catch((e) => e)).fields).toEqual({ estimate: "估计维修费用应不少于1元，不清楚可不填" });
  });
});

describe("the owner's confirmation (业主验收) taken by the hotline", () => {
  it("appears in the hotline's 待办 inbox and the hotline completes it for the owner", async () => {
    const claim = await claimAwaitingConfirmation(p, OWNER, p.homes[0].id);
    const number = claimNumber(claim.seq);
    const inbox = await listTasks(hotline, { view: "todo", pageSize: 100 });
    const task = inbox.rows.find((t) => t.name === "业主验收" && t.title.includes(number));
    expect(task).toBeDefined();
    await completeTask(hotline, task!.id, { submission: { decision: "accept" } });
    expect((await claimRow(claim.id)).status).toBe("settling");
    expect((await listTasks(hotline, { view: "todo", pageSize: 100 })).rows.find((t) => t.id === task!.id)).toBeUndefined();
  });
});

describe("rating for a caller (代业主评价)", () => {
  it("records the caller's rating of a closed claim as given through the hotline, once", async () => {
    const claim = await closedClaim(p, NEIGHBOUR, p.homes[1].id, hotline);
    const home = await callerHome(hotline, p.homes[1].id);
    expect(home.claims.find((c) => c.id === claim.id)?.canRate).toBe(true);
    await expect(rateForCaller(hotline, { claimId: claim.id, stars: 0 })).rejects.toThrow(ValidationError);
    await rateForCaller(hotline, { claimId: claim.id, stars: 3, reasons: ["attitude"], comment: "电话回访时业主反映态度一般" });
    const [rating] = await db().select().from(claimRatings).where(eq(claimRatings.claimId, claim.id));
    expect(rating).toMatchObject({ stars: 3, reasons: ["attitude"], channel: "hotline" });
    expect((await callerHome(hotline, p.homes[1].id)).claims.find((c) => c.id === claim.id)?.canRate).toBe(false);
    await expect(rateForCaller(hotline, { claimId: claim.id, stars: 5 })).rejects.toThrow(ConflictError);
  });

  it("an open claim cannot be rated, and a made-up one is not found", async () => {
    const open = await report();
    await expect(rateForCaller(hotline, { claimId: open.id, stars: 5 })).rejects.toThrow(ConflictError);
    await expect(rateForCaller(hotline, { claimId: 42, stars: 5 })).rejects.toThrow(NotFoundError);
  });
});
