import type { ActionFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, claimRatings, projects, units } from "@db/schema";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import {
  followClaim,
  COMMUNITY_MATCHES,
  homeFinder,
  LOOKUP_LIMITS,
  LOOKUP_NOT_FOUND,
  rateFollowedClaim,
  sendRatingCode,
} from "~/server/claims/owner-page.server";
import { action as pageAction } from "~/routes/owner._index";
import { CODE_TRIES, CODES_PER_REQUESTER } from "~/server/sms/phone-codes.server";
import { catchSmsCodes } from "../support/owners";
import { clock, resetClock, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { env } from "~/server/env.server";
import { ConflictError, DomainError, NotFoundError, ValidationError } from "~/server/errors.server";
import { reportClaim } from "~/server/claims/claims.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { claimNumber } from "~/shared/claim-labels";
import { demoActor } from "../support/actors";
import { closedClaim } from "../support/claim-progress";
import { deliveredProject, ownerReports, type DeliveredProject } from "../support/claims";
import { formatRetryTime } from "~/shared/time";
import { useTestDatabase } from "../support/database";
import { insuredProject } from "../support/risk";

// The owners' public page (/owner) as its services answer it: the home finder, following a claim by
// its number and a phone (throttled), and rating a closed claim there.

useTestDatabase();
afterAll(resetClock);

const OWNER = "13922220001";
const NEIGHBOUR = "13922220002";
const CALLER = "13922220009";

let p: DeliveredProject;
let bare: string;

beforeAll(async () => {
  await deployBuiltIns();
  p = await deliveredProject([OWNER, NEIGHBOUR]);
  bare = (await insuredProject("无房屋清单的项目")).projectId;
});

/** The page's action (POST /owner?index) as a browser at `address` calls it: the answer's status, headers and body. */
async function onPage(address: string, body: Record<string, unknown>) {
  const request = new Request("http://localhost/owner?index", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const response = await pageAction({ request, params: {}, context: { ip: address } } as unknown as ActionFunctionArgs);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

/** A distinct address per test, so that one test's failures do not lock another's. */
let address = 0;
const ip = () => `10.0.0.${++address}`;

async function failureOf(promise: Promise<unknown>): Promise<{ status: number; message: string; fields?: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { status: error.status, message: error.message, fields: error.fields };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("finding one's home", () => {
  const found = async (q?: string) => {
    const answer = await homeFinder(q === undefined ? {} : { q });
    return answer.kind === "communities" ? answer.communities : [];
  };
  const named = async (projectId: string) =>
    (
      await db()
        .select({ communityName: projects.communityName, projectName: projects.name })
        .from(projects)
        .where(eq(projects.id, projectId))
    )[0];

  it("offers the communities of projects with homes on the platform, and no project without", async () => {
    const ids = (await found()).map((c) => c.projectId);
    expect(ids).toContain(p.projectId);
    expect(ids).not.toContain(bare);
    for (const id of ids)
      expect((await db().select({ id: units.id }).from(units).where(eq(units.projectId, id))).length).toBeGreaterThan(0);
    expect((await found((await named(bare)).communityName)).map((c) => c.projectId)).not.toContain(bare);
  });

  it("finds the communities as the owner types a name: a few at a time, only projects with homes", async () => {
    const mine = await named(p.projectId);
    expect((await found(mine.communityName.slice(1, 5))).map((c) => c.projectId)).toContain(p.projectId);
    expect((await found(mine.projectName)).map((c) => c.projectId)).toContain(p.projectId);
    // Nothing typed yet (or not even a search): the first few by name, never the whole city.
    for (const first of [await found(""), await found()]) {
      expect(first.length).toBeGreaterThan(0);
      expect(first.length).toBeLessThanOrEqual(COMMUNITY_MATCHES);
    }
    expect((await found("无房屋清单")).map((c) => c.projectId)).not.toContain(bare);
    // What is typed is text, not a pattern.
    expect(await found("%")).toEqual([]);
    expect((await failureOf(homeFinder({ q: "花".repeat(51) }))).fields).toEqual({ q: "小区名称不能超过50个字" });
  });

  it("walks community → building → room to the cover, and nowhere an owner's name or phone", async () => {
    const buildings = await homeFinder({ projectId: p.projectId });
    expect(buildings).toEqual({ kind: "buildings", buildings: ["1"] });
    const rooms = await homeFinder({ projectId: p.projectId, building: "1" });
    expect(rooms.kind === "rooms" && rooms.rooms.map((r) => r.label)).toEqual(["1栋2单元1501", "1栋2单元1502"]);
    const coverage = await homeFinder({ unitId: p.homes[0].id });
    expect(coverage.kind).toBe("coverage");
    if (coverage.kind !== "coverage") return;
    expect(coverage.coverage.parts.map((part) => part.inForce)).toEqual([true, true, true]);
    expect(coverage.coverage.insurer.name).toBeTruthy();
    const everything = JSON.stringify([await homeFinder({}), buildings, rooms, coverage]);
    expect(everything).not.toContain(OWNER);
    expect(everything).not.toContain("业主1");
  });

  it("refuses malformed choices with Chinese field messages (422), never a server error", async () => {
    for (const query of [
      { projectId: "x" },
      { unitId: 5 },
      { projectId: p.projectId, building: "1\u0000" },
      { building: "x".repeat(10_000) },
    ]) {
      const failure = await failureOf(homeFinder(query));
      expect(failure.status).toBe(422);
      expect(JSON.stringify(failure.fields)).toMatch(/[请不]/);
    }
    expect((await failureOf(homeFinder({ unitId: "00000000-0000-4000-8000-000000000000" }))).status).toBe(404);
  });
});

describe("following a claim by its number and a phone", () => {
  let number: string;

  beforeAll(async () => {
    const claim = await ownerReports(OWNER, p.homes[0].id, { reporterName: "业主" });
    number = claimNumber(claim.seq);
  });

  it("the reporter sees its status, home, part and steps", async () => {
    const followed = await followClaim({ number, phone: OWNER }, ip());
    expect(followed).toMatchObject({
      number,
      statusLabel: "已报案",
      unitLabel: "滇池湾花园 1栋2单元1501",
      partLabel: "防水渗漏",
      canRate: false,
    });
    expect(followed.steps.map((s) => s.label)).toEqual(["报案"]);
  });

  it("the home's registered owner sees a claim a caller reported on it through the hotline", async () => {
    const claim = await reportClaim(await demoActor("hotline"), {
      unitId: p.homes[0].id,
      part: "electrical",
      description: "插座无电",
      reporterName: "王女士",
      reporterPhone: CALLER,
      channel: "hotline",
    });
    const number = ` lp${String(claim.seq).padStart(6, "0")} `;
    expect((await followClaim({ number, phone: "+86 139-2222-0001" }, ip())).unitLabel).toBe("滇池湾花园 1栋2单元1501");
    expect((await followClaim({ number, phone: CALLER }, ip())).partLabel).toBe("电气管线");
  });

  it("reads a phone in full-width digits as any channel does; another country's number is told as the chat tells it", async () => {
    const fullWidth = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect((await followClaim({ number, phone: fullWidth(OWNER) }, ip())).number).toBe(number);
    const chatSays = `这里只能验证中国大陆手机号（+86）。其他国家或地区的手机号请拨打服务热线 ${env().HOTLINE_PHONE}，由客服为您办理。`;
    for (const phone of ["+1 390 871 0001", "1-392-222-0001", "1 392 222 0001"])
      expect((await failureOf(followClaim({ number, phone }, ip()))).fields, phone).toEqual({ phone: chatSays });
  });

  it("a wrong phone, a wrong number and another owner's phone get the same answer", async () => {
    const answers = await Promise.all([
      failureOf(followClaim({ number, phone: CALLER }, ip())),
      failureOf(followClaim({ number: "LP999999", phone: OWNER }, ip())),
      failureOf(followClaim({ number, phone: NEIGHBOUR }, ip())),
    ]);
    for (const answer of answers) expect(answer).toEqual({ status: 404, message: LOOKUP_NOT_FOUND, fields: undefined });
  });

  it("malformed input is a 422 with field messages, never a server error", async () => {
    const bad = [
      {},
      { number: 123, phone: OWNER },
      { number: "LP1\u0000", phone: OWNER },
      { number, phone: "1".repeat(100_000) },
      { number: "X".repeat(100_000), phone: OWNER },
      { number, phone: ["13922220001"] },
      // Another country's number with the digits of the owner's (+1 392 222 0001 is not 139 2222 0001).
      { number, phone: "+1 392 222 0001" },
      null,
      "LP000001",
    ];
    for (const input of bad) {
      const failure = await failureOf(followClaim(input, ip()));
      expect(failure.status).toBe(422);
      expect(Object.values(failure.fields as object).join()).toMatch(/案件号|手机号/);
    }
  });

  it("a number or a phone sent as a JSON number is said to be in the wrong format, not missing", async () => {
    const number = claimNumber((await ownerReports(OWNER, p.homes[0].id)).seq);
    expect((await failureOf(followClaim({ number: 123, phone: OWNER }, ip()))).fields).toEqual({ number: "案件号格式不正确，如 LP000123" });
    expect((await failureOf(followClaim({ number, phone: 13922220001 }, ip()))).fields).toEqual({ phone: "手机号格式不正确" });
    expect((await failureOf(followClaim({ phone: OWNER }, ip()))).fields).toEqual({ number: "请输入案件号" });
    expect((await failureOf(followClaim({ number, phone: null }, ip()))).fields).toEqual({ phone: "请输入报案时留的手机号" });
  });

  it("an owner never sees another owner's claim, whatever number they try", async () => {
    const neighbours = await ownerReports(NEIGHBOUR, p.homes[1].id);
    await expect(followClaim({ number: claimNumber(neighbours.seq), phone: OWNER }, ip())).rejects.toThrow(NotFoundError);
  });
});

describe("the throttle", () => {
  it(`locks a claim number after ${LOOKUP_LIMITS.perNumberAndIp} failures only for the address that failed: the owner elsewhere follows and rates`, async () => {
    const claim = await closedClaim(p, OWNER, p.homes[0].id);
    const number = claimNumber(claim.seq);
    const prober = ip();
    const owner = ip();
    for (let i = 0; i < LOOKUP_LIMITS.perNumberAndIp; i++)
      expect((await onPage(prober, { intent: "follow", number, phone: `1392222${1000 + i}` })).status).toBe(404);
    // Knowing only the number locks nobody else out: the owner, on another network, follows and asks for a rating code.
    expect((await onPage(owner, { intent: "follow", number, phone: OWNER })).body).toMatchObject({ ok: true, claim: { number } });
    expect((await onPage(owner, { intent: "rating-code", number, phone: OWNER })).body).toMatchObject({ ok: true, sentTo: "139****0001" });
    // The address that failed is locked for that number, and told when it may try again.
    const locked = await onPage(prober, { intent: "follow", number, phone: OWNER });
    expect(locked.status).toBe(429);
    // The time the lock ends, as a clock says it (the minute rounded up), as sign-in says it.
    const retryAfter = Number(locked.headers.get("Retry-After"));
    expect(locked.body.message).toMatch(/^查询失败次数过多，请于 \d{2}:\d{2} 后再试，或拨打服务热线 0871-12345$/);
    const said = /(\d{2}:\d{2})/.exec(locked.body.message)![1];
    const around = [0, -1].map((s) => formatRetryTime(new Date(clock.now().getTime() + (retryAfter + s) * 1000)));
    expect(around).toContain(said);
    // A window from the first failure, which a loaded machine sent a few seconds ago.
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(LOOKUP_LIMITS.windowMs / 1000 - 60);
    expect(Number(locked.headers.get("Retry-After"))).toBeLessThanOrEqual(LOOKUP_LIMITS.windowMs / 1000);
    expect((await onPage(prober, { intent: "rating-code", number, phone: OWNER })).status).toBe(429);
    const kept = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "owner.lookup_failed"), eq(auditEvents.subjectId, number)));
    expect(kept).toHaveLength(LOOKUP_LIMITS.perNumberAndIp);
    expect(kept.every((e) => e.ip === prober)).toBe(true);
    // The lock ends when the window has passed since the failures.
    setClock(runningFrom(new Date(clock.now().getTime() + LOOKUP_LIMITS.windowMs + 1000)));
    try {
      expect((await onPage(prober, { intent: "follow", number, phone: OWNER })).status).toBe(200);
    } finally {
      resetClock();
    }
  });

  it(`locks an address after ${LOOKUP_LIMITS.perIp} failures, whatever number it tries next`, async () => {
    const claim = await ownerReports(OWNER, p.homes[0].id);
    const prober = "10.9.9.9";
    for (let i = 0; i < LOOKUP_LIMITS.perIp; i++)
      await expect(followClaim({ number: `LP${900000 + i}`, phone: CALLER }, prober)).rejects.toThrow(NotFoundError);
    const locked = await onPage(prober, { intent: "follow", number: claimNumber(claim.seq), phone: OWNER });
    expect(locked.status).toBe(429);
    // Its first failure leaves the window first: that is when it may try again.
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(Number(locked.headers.get("Retry-After"))).toBeLessThanOrEqual(LOOKUP_LIMITS.windowMs / 1000);
    expect((await followClaim({ number: claimNumber(claim.seq), phone: OWNER }, ip())).number).toBe(claimNumber(claim.seq));
  });
});

describe("rating a closed claim through the page", () => {
  const sms = catchSmsCodes();
  /** Each test asks for its code an hour after the last (one code a minute per phone). */
  let hour = 0;
  const later = () => setClock(runningFrom(new Date(Date.now() + ++hour * 3600_000)));

  it("is offered only once the claim is closed, takes the code texted to the phone, and is recorded as a web rating", async () => {
    const claim = await closedClaim(p, OWNER, p.homes[0].id);
    const number = claimNumber(claim.seq);
    const browser = ip();
    later();
    expect((await followClaim({ number, phone: OWNER }, browser)).canRate).toBe(true);
    // Knowing the number and the phone (as the insurer and the repairer do) is not enough.
    expect(await failureOf(rateFollowedClaim({ number, phone: OWNER, stars: 5 }, browser))).toMatchObject({
      status: 422,
      fields: { code: "请输入短信收到的6位验证码" },
    });
    expect(await sendRatingCode({ number, phone: OWNER }, browser)).toMatchObject({ sentTo: "139****0001" });
    const code = sms.latest(OWNER);
    const wrongCode = code === "000000" ? "111111" : "000000";
    expect((await failureOf(rateFollowedClaim({ number, phone: OWNER, stars: 5, code: wrongCode }, browser))).fields?.code).toMatch(
      /验证码不正确/,
    );
    // A bad rating is refused before the code is spent on it.
    const invalid = await failureOf(rateFollowedClaim({ number, phone: OWNER, stars: 9, reasons: ["nonsense"], code }, browser));
    expect(invalid.status).toBe(422);
    const after = await rateFollowedClaim(
      { number, phone: OWNER, stars: 4, reasons: ["duration", "duration"], comment: "维修及时", code },
      browser,
    );
    expect(after.canRate).toBe(false);
    const [rating] = await db().select().from(claimRatings).where(eq(claimRatings.claimId, claim.id));
    expect(rating).toMatchObject({ stars: 4, reasons: ["duration"], comment: "维修及时", channel: "web" });
    await expect(rateFollowedClaim({ number, phone: OWNER, stars: 5, code }, ip())).rejects.toThrow(ConflictError);
    await expect(sendRatingCode({ number, phone: OWNER }, ip())).rejects.toThrow(ConflictError);
  });

  it("takes a code typed in full-width digits or in two groups; is audited from the owner's address, codes sent and locked alike, each line naming its claim", async () => {
    const claim = await closedClaim(p, OWNER, p.homes[0].id);
    const number = claimNumber(claim.seq);
    const [owners, stranger] = [ip(), ip()];
    later();
    const since = clock.now();
    await sendRatingCode({ number, phone: OWNER }, owners);
    const fullWidth = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const code = sms.latest(OWNER);
    await rateFollowedClaim({ number, phone: OWNER, stars: 5, code: `${fullWidth(code.slice(0, 3))} ${code.slice(3)}` }, owners);
    // Someone else who knows a closed claim's number and phone locks only the code they asked for: audited all the same.
    const other = await closedClaim(p, OWNER, p.homes[0].id);
    const lookup = { number: claimNumber(other.seq), phone: OWNER };
    later();
    await sendRatingCode(lookup, stranger);
    const wrong = sms.latest(OWNER) === "000000" ? "111111" : "000000";
    for (let i = 0; i < CODE_TRIES; i++) await rateFollowedClaim({ ...lookup, stars: 1, code: wrong }, stranger).catch(() => {});
    const { rows } = await listAuditEvents(await demoActor("admin"), { pageSize: 100 });
    const codesAndRating = ["发送短信验证码", "评价理赔服务", "验证码错误次数过多已失效"];
    const lines = rows.filter((line) => new Date(line.at) >= since && codesAndRating.includes(line.action));
    const said = lines.map((line) => [line.action, line.subject.title, line.subject.href, line.ip]).reverse();
    expect(said).toEqual([
      ["发送短信验证码", "139****0001", null, owners],
      ["评价理赔服务", expect.stringMatching(new RegExp(`^${number}（.+）$`)), `/claims/${claim.id}`, owners],
      ["发送短信验证码", "139****0001", null, stranger],
      ["验证码错误次数过多已失效", "139****0001", null, stranger],
    ]);
    // Every line about a claim names it and links it (受理报案, 结案…), the flow's start too (its 业务对象 is the claim).
    const claimLines = (await listAuditEvents(await demoActor("admin"), { pageSize: 100 })).rows.filter(
      (l) => l.subject.type === "理赔案件",
    );
    expect(claimLines.map((l) => l.action)).toContain("受理报案");
    // In a claim's words, not its codes.
    expect(claimLines.find((l) => l.action === "受理报案")!.changes).toContainEqual({ field: "状态", before: "已报案", after: "已受理" });
    for (const line of claimLines)
      expect(line.subject, line.action).toEqual({
        type: "理赔案件",
        title: expect.stringMatching(/^LP\d{6}（.+）$/),
        href: expect.stringMatching(/^\/claims\/[0-9a-f-]{36}$/),
      });
    const started = (await listAuditEvents(await demoActor("admin"), { pageSize: 100, action: "process.start" })).rows.find((line) =>
      line.subject.title.includes(number),
    );
    expect(started?.changes.find((c) => c.field === "业务对象")?.after).toMatch(new RegExp(`^${number}`));
  });

  it("whoever else knows the number and the phone can neither use up the owner's codes nor lock the owner's code", async () => {
    const claim = await closedClaim(p, OWNER, p.homes[0].id);
    const lookup = { number: claimNumber(claim.seq), phone: OWNER };
    const insurerOffice = ip();
    const owners = ip();
    // The other party asks for codes as often as it may, a minute or more apart.
    let refused: { status: number; message: string } | null = null;
    let sent = 0;
    for (let i = 0; i < 12 && !refused; i++) {
      later();
      refused = await sendRatingCode(lookup, insurerOffice).then(
        () => (sent++, null),
        (error: DomainError) => ({ status: error.status, message: error.message }),
      );
    }
    expect(sent).toBe(CODES_PER_REQUESTER);
    expect(refused).toEqual({
      status: 429,
      message: "获取验证码的次数已达今日上限。请拨打服务热线 0871-12345，由客服为您办理；也可以明天再试。",
    });
    // The owner still gets a code; the other party's wrong tries do not lock it.
    later();
    expect(await sendRatingCode(lookup, owners)).toMatchObject({ sentTo: "139****0001" });
    const code = sms.latest(OWNER);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < CODE_TRIES + 1; i++)
      expect((await failureOf(rateFollowedClaim({ ...lookup, stars: 1, code: wrong }, insurerOffice))).status).toBe(422);
    await rateFollowedClaim({ ...lookup, stars: 5, code }, owners);
    const [rating] = await db().select().from(claimRatings).where(eq(claimRatings.claimId, claim.id));
    expect(rating).toMatchObject({ stars: 5, channel: "web" });
  });

  it("keeps codes for an address that verified the phone before: strangers on three addresses cannot use them up", async () => {
    const phone = "13922220031";
    const home = ip();
    const own = await deliveredProject([phone]);
    const earlier = await closedClaim(own, phone, own.homes[0].id);
    const claim = await closedClaim(own, phone, own.homes[0].id);
    // The owner rated an earlier claim from home: the code texted then was typed there.
    later();
    await sendRatingCode({ number: claimNumber(earlier.seq), phone }, home);
    await rateFollowedClaim({ number: claimNumber(earlier.seq), phone, stars: 5, code: sms.latest(phone) }, home);
    // Whoever knows the new claim's number and the phone asks from three addresses, as often as each may.
    const lookup = { number: claimNumber(claim.seq), phone };
    const strangers = [ip(), ip(), ip()];
    let refusal = "";
    for (const address of strangers)
      for (let i = 0; i < CODES_PER_REQUESTER && !refusal; i++) {
        later();
        refusal = await sendRatingCode(lookup, address).then(
          () => "",
          (error: DomainError) => error.message,
        );
      }
    expect(refusal).toBe("该手机号今天获取验证码的次数已达上限。请拨打服务热线 0871-12345，由客服为您办理；也可以明天再试。");
    // The owner, at home, still gets a code and rates.
    later();
    expect(await sendRatingCode(lookup, home)).toMatchObject({ sentTo: "139****0031", validUntil: expect.stringMatching(/^\d{2}:\d{2}$/) });
    await rateFollowedClaim({ ...lookup, stars: 4, code: sms.latest(phone) }, home);
    const [rating] = await db().select().from(claimRatings).where(eq(claimRatings.claimId, claim.id));
    expect(rating).toMatchObject({ stars: 4, channel: "web" });
  });

  it("asked for again within the minute is a 429 saying when, with Retry-After", async () => {
    const claim = await closedClaim(p, OWNER, p.homes[0].id);
    const lookup = { intent: "rating-code", number: claimNumber(claim.seq), phone: OWNER };
    const browser = ip();
    later();
    expect((await onPage(browser, lookup)).status).toBe(200);
    const again = await onPage(browser, lookup);
    expect(again.status).toBe(429);
    expect(again.body.message).toMatch(/^验证码刚刚发送过，请 \d+ 秒后再重新获取。$/);
    const wait = Number(again.headers.get("Retry-After"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it("names the page's own button when a code is spent, and says when a code was asked for on another network", async () => {
    const claim = await closedClaim(p, OWNER, p.homes[0].id);
    const lookup = { number: claimNumber(claim.seq), phone: OWNER };
    const wifi = ip();
    later();
    await sendRatingCode(lookup, wifi);
    const code = sms.latest(OWNER);
    // The same phone, now on 4G: the code is not spent, it was asked for elsewhere.
    expect((await failureOf(rateFollowedClaim({ ...lookup, stars: 5, code }, ip()))).fields?.code).toBe(
      "验证码是在另一个网络下获取的：请在获取验证码的网络下提交，或点击“获取验证码”重新获取。",
    );
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 1; i < CODE_TRIES; i++) await failureOf(rateFollowedClaim({ ...lookup, stars: 5, code: wrong }, wifi));
    expect((await failureOf(rateFollowedClaim({ ...lookup, stars: 5, code: wrong }, wifi))).fields?.code).toBe(
      "验证码错误次数过多，已失效。请点击“获取验证码”。",
    );
    expect((await failureOf(rateFollowedClaim({ ...lookup, stars: 5, code }, wifi))).fields?.code).toBe(
      "验证码错误次数过多，已失效。请点击“获取验证码”。",
    );
    // Typed right on 4G now: the code is locked, wherever it was asked for.
    expect((await failureOf(rateFollowedClaim({ ...lookup, stars: 5, code }, ip()))).fields?.code).toBe(
      "验证码错误次数过多，已失效。请点击“获取验证码”。",
    );
    later();
    expect((await failureOf(rateFollowedClaim({ ...lookup, stars: 5, code }, wifi))).fields?.code).toBe(
      "验证码已失效，请点击“获取验证码”。",
    );
  });

  it("a wrong phone gets no code and cannot rate (the same not-found answer), an open claim cannot be rated", async () => {
    const closed = await closedClaim(p, OWNER, p.homes[0].id);
    later();
    const wrong = await failureOf(rateFollowedClaim({ number: claimNumber(closed.seq), phone: NEIGHBOUR, stars: 1 }, ip()));
    expect(wrong).toMatchObject({ status: 404, message: LOOKUP_NOT_FOUND });
    expect(await failureOf(sendRatingCode({ number: claimNumber(closed.seq), phone: NEIGHBOUR }, ip()))).toMatchObject({ status: 404 });
    expect(sms.codes.get(NEIGHBOUR)).toBeUndefined();
    const open = await ownerReports(OWNER, p.homes[0].id);
    await expect(rateFollowedClaim({ number: claimNumber(open.seq), phone: OWNER, stars: 5 }, ip())).rejects.toThrow(ConflictError);
    await expect(sendRatingCode({ number: claimNumber(open.seq), phone: OWNER }, ip())).rejects.toThrow(ConflictError);
    await expect(rateFollowedClaim({ number: claimNumber(closed.seq), phone: OWNER, stars: "五" }, ip())).rejects.toThrow(ValidationError);
  });
});
