import type { ActionFunctionArgs } from "@remix-run/node";
import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { attachments, auditEvents, claims, ownerChats, phoneCodes } from "@db/schema";
import { action as chatAction } from "~/routes/owner.chat";
import { action as photoAction } from "~/routes/owner.chat.photo";
import { resetClock, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { FLOOD_LIMIT, keepWebNotice } from "../../bots/conversation";
import { CODE_TRIES, CODES_PER_PHONE, CODES_PER_REQUESTER } from "~/server/sms/phone-codes.server";
import { noticesSent, registerOwnerNotices } from "../../bots/notices";
import { deliverOwnerMessages } from "~/server/claims/owner-claims.server";
import { useTestDatabase } from "../support/database";
import { claimAwaitingConfirmation, ownerWithManyClaims } from "../support/claim-progress";
import {
  acceptance,
  claimRow,
  complete,
  markClosed,
  repairerActor,
  repairSubmission,
  surveySubmission,
  type DeliveredProject,
} from "../support/claims";
import { claimNumber } from "~/shared/claim-labels";
import { gradientPng } from "../support/images";
import {
  acceptanceAsksFirst,
  claimNumberBeforeBinding,
  claimsNeedingActionFirst,
  descriptionLimit,
  droppedReportKeepsNoPhotos,
  earlierButtons,
  menuWordsAnywhere,
  oneHomeIsNotPicked,
  photoOverTheLimit,
  photosKeptOnReturn,
  quickOwner,
  STALE,
  startMidReport,
  typedWordsLoosely,
  type DialogueDriver,
} from "../support/owner-dialogue";
import { catchSmsCodes, fillReport, ownedHomes, ownersFiles, type OwnedHomes } from "../support/owners";

// The owners' dialogue on the web chat: the same conversation as on Telegram, through the chat's
// routes (POST /owner/chat, POST /owner/chat/photo), verified by a one-time code sent to the phone.

useTestDatabase();

const OWNER_PHONE = "13800000011";
const NEIGHBOUR_PHONE = "13900000012";
/** An owner of two homes, for the dialogue's scenarios (their codes do not count against the others' daily ten). */
const TWO_HOMES_PHONE = "13700000013";
let homes: OwnedHomes;
let sms: ReturnType<typeof catchSmsCodes>;

beforeAll(async () => {
  sms = catchSmsCodes();
  homes = await ownedHomes({ flat: OWNER_PHONE, neighbour: NEIGHBOUR_PHONE, home: TWO_HOMES_PHONE, shop: TWO_HOMES_PHONE });
});

// Each test a minute after the one before, so none waits for another's code to be a minute old.
let offset = 0;
const later = (ms: number) => setClock(runningFrom(new Date(Date.now() + (offset += ms))));
beforeEach(() => later(61_000));
afterAll(resetClock);

interface ChatAnswer {
  status: number;
  headers: Headers;
  texts: string[];
  choices: { value: string; label: string }[];
  body: Record<string, any>;
}

/** One browser with the chat panel open: it keeps the chat's cookie as a browser would. */
class WebOwner {
  cookie: string | null = null;
  setCookies: string[] = [];
  /** Every answer, oldest first: a second tab, or a panel showing an older answer's buttons, can press them. */
  readonly answers: ChatAnswer[] = [];
  /** The browser's address, as the server sees it (none: the limit on new chats per address does not apply). */
  constructor(readonly ip?: string) {}

  private async read(response: Response): Promise<ChatAnswer> {
    const set = response.headers.get("Set-Cookie");
    if (set) {
      this.setCookies.push(set);
      this.cookie = set.split(";")[0];
    }
    const body = await response.json();
    const replies: { text: string; choices?: { value: string; label: string }[] }[] = body.replies ?? [];
    const answer = {
      status: response.status,
      headers: response.headers,
      texts: replies.map((r) => r.text),
      choices: replies.at(-1)?.choices ?? [],
      body,
    };
    this.answers.push(answer);
    return answer;
  }

  async post(body: string, contentType = "application/json"): Promise<ChatAnswer> {
    const headers: Record<string, string> = { "Content-Type": contentType };
    if (this.cookie) headers.Cookie = this.cookie;
    const request = new Request("http://localhost/owner/chat", { method: "POST", headers, body });
    return this.read(await chatAction({ request, params: {}, context: { ip: this.ip } } as unknown as ActionFunctionArgs));
  }

  send = (message: Record<string, unknown>) => this.post(JSON.stringify(message));
  say = (text: string) => this.send({ text });
  choose = (value: string) => this.send({ choice: value });

  /** Presses the button of that label among the ones the chat shows now. */
  last: ChatAnswer | null = null;
  async talk(message: Record<string, unknown>): Promise<ChatAnswer> {
    this.last = await this.send(message);
    return this.last;
  }
  async press(label: string): Promise<ChatAnswer> {
    const choice = this.last?.choices.find((c) => c.label === label);
    if (!choice) throw new Error(`no button ${label}; shown: ${this.last?.choices.map((c) => c.label).join(", ")}`);
    return this.talk({ choice: choice.value });
  }
  type = (text: string) => this.talk({ text });

  // The dialogue's scenarios (test/support/owner-dialogue.ts) read the texts of each answer.
  readonly dialogue: DialogueDriver = {
    start: async () => (await this.talk({ start: true })).texts,
    type: async (text) => (await this.type(text)).texts,
    press: async (label) => {
      const shown = this.answers.findLast((a) => a.choices.some((c) => c.label === label));
      if (!shown) throw new Error(`no button ${label} on any answer`);
      return (await this.talk({ choice: shown.choices.find((c) => c.label === label)!.value })).texts;
    },
    photo: async () => (await this.photo(gradientPng(24, 16), "缺陷.png", "image/png")).texts,
  };

  async photo(bytes: Uint8Array, name: string, type: string): Promise<ChatAnswer> {
    const form = new FormData();
    form.append("photo", new Blob([Buffer.from(bytes)], { type }), name);
    const request = new Request("http://localhost/owner/chat/photo", {
      method: "POST",
      headers: this.cookie ? { Cookie: this.cookie } : {},
      body: form,
    });
    this.last = await this.read(await photoAction({ request, params: {}, context: { ip: this.ip } } as unknown as ActionFunctionArgs));
    return this.last;
  }
}

/** A web chat whose phone is verified by the code the platform sent it. */
async function verifiedOwner(phone = OWNER_PHONE): Promise<WebOwner> {
  const o = new WebOwner();
  await o.talk({ start: true });
  await o.press("验证手机号");
  await o.type(phone);
  await o.type(sms.latest(phone));
  return o;
}

describe("owner web chat", () => {
  it("starts with the greeting, the hotline and the menu, and keeps the chat in an httpOnly cookie", async () => {
    const o = new WebOwner();
    const answer = await o.talk({ start: true });
    expect(answer.status).toBe(200);
    expect(answer.texts[0]).toContain("服务热线：0871-12345");
    // Owners read Chinese: no English abbreviation in the greeting.
    expect(answer.texts[0]).toMatch(/^您好，这里是昆明市住宅工程质量潜在缺陷保险业主服务。/);
    expect(answer.choices.map((c) => c.label)).toEqual(["查询房屋保障", "我要报修", "我的报案", "验证手机号", "服务热线"]);
    expect(o.setCookies[0]).toMatch(/^idi_owner_chat=[A-Za-z0-9_-]{43}; Path=\/owner; HttpOnly; SameSite=Lax/);
    // The next message is the same chat: no new cookie.
    await o.type("随便说点什么");
    expect(o.setCookies).toHaveLength(1);
  });

  it("opens at most thirty new chats an hour from one address: dropping the cookie does not start a new count", async () => {
    setClock(runningFrom(new Date("2026-11-26T10:00:00Z")));
    for (let i = 0; i < 30; i++) expect((await new WebOwner("203.0.113.7").talk({ start: true })).status).toBe(200);
    const refused = await new WebOwner("203.0.113.7").talk({ start: true });
    expect(refused.status).toBe(429);
    expect(refused.body.message).toBe("打开的对话太多了，请一小时后再试，或拨打服务热线 0871-12345。");
    // When: once the first of the hour's chats is an hour old.
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(3500);
    expect(Number(refused.headers.get("Retry-After"))).toBeLessThanOrEqual(3600);
    // A chat already open carries on; another address is not affected; an hour later the address may again.
    const open = new WebOwner("203.0.113.8");
    await open.talk({ start: true });
    expect((await open.talk({ text: "菜单" })).status).toBe(200);
    setClock(runningFrom(new Date("2026-11-26T11:00:01Z")));
    expect((await new WebOwner("203.0.113.7").talk({ start: true })).status).toBe(200);
    resetClock();
  });

  it("stores no photo from a chat past its flood limit", async () => {
    setClock(runningFrom(new Date("2026-11-26T12:00:00Z")));
    const o = await verifiedOwner();
    await o.press("我要报修");
    await o.press("防水渗漏");
    await o.type("厨房墙面渗水发霉");
    const stored = async () => (await db().select({ id: attachments.id }).from(attachments)).length;
    const before = await stored();
    for (let i = 0; i < FLOOD_LIMIT; i++) await o.send({ text: "在吗" });
    const flooded = await o.photo(gradientPng(32, 32), "刷屏.png", "image/png");
    expect(flooded.texts).toEqual([]);
    expect(await stored()).toBe(before);
    resetClock();
  });

  it("never adopts a chat key the server did not hand out", async () => {
    const o = new WebOwner();
    o.cookie = `idi_owner_chat=${"a".repeat(43)}`;
    await o.talk({ start: true });
    expect(o.cookie).not.toBe(`idi_owner_chat=${"a".repeat(43)}`);
    expect(
      await db()
        .select()
        .from(ownerChats)
        .where(eq(ownerChats.chatKey, "a".repeat(43))),
    ).toEqual([]);
  });

  it("lists the claims waiting for the owner first, and pages through the rest with 更多", async () => {
    const phone = "13600000051";
    const waiting = await ownerWithManyClaims(phone, 12);
    await claimsNeedingActionFirst((await verifiedOwner(phone)).dialogue, waiting, 12);
  });

  it("answers a wrong body with 422 (415 when not sent as JSON) and a Chinese message, never 500", async () => {
    const o = new WebOwner();
    for (const body of [
      JSON.stringify({ text: 5 }),
      JSON.stringify({ choice: ["x"] }),
      JSON.stringify([1]),
      "{not json",
      JSON.stringify({ text: "a", extra: 1 }),
    ]) {
      const answer = await o.post(body);
      expect(answer.status, body).toBe(422);
      expect(answer.body.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await o.post("text=hi", "application/x-www-form-urlencoded")).status).toBe(415);
    const tooLong = await o.post(JSON.stringify({ text: "长".repeat(6000) }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.fields).toEqual({ text: "消息不能超过5000个字" });
  });

  it("answers text it does not understand with the help", async () => {
    const o = new WebOwner();
    const answer = await o.type("请问怎么报修？");
    expect(answer.texts[0]).toContain("没有理解您的意思");
    expect(answer.choices.map((c) => c.label)).toContain("我要报修");
  });

  it("verifies the phone by the code sent to it", async () => {
    const o = new WebOwner("203.0.113.77");
    await o.talk({ start: true });
    await o.press("我的报案");
    expect(o.last!.texts.at(-1)).toContain("请输入您在开发商处登记的业主手机号");
    expect((await o.type("12345")).texts[0]).toContain("手机号格式不正确");
    const asked = await o.type("138-0000-0011");
    expect(asked.texts.at(-1)).toContain("验证码已发送至 138****0011");
    // The page reloaded while the code is on its way: the chat greets and still waits for the code.
    const reopened = await o.talk({ open: true });
    expect(reopened.texts[0]).toContain("您上次的办理还没有完成，可以接着办理");
    expect(reopened.texts.at(-1)).toContain("请输入短信中的 6 位数字验证码");
    const [stored] = await db().select().from(phoneCodes).where(eq(phoneCodes.phone, OWNER_PHONE));
    expect(stored.codeHash).not.toContain(sms.latest(OWNER_PHONE));
    // Typed as the SMS groups it.
    const code = sms.latest(OWNER_PHONE);
    const done = await o.type(`${code.slice(0, 3)} ${code.slice(3)}`);
    expect(done.texts[0]).toContain("手机号 138****0011 验证成功。您名下登记的房屋：");
    expect(done.texts[0]).toContain(homes.labels.flat);
    // It goes on to what was asked for: the claims.
    expect(done.texts.at(-1)).toContain("您还没有报案记录");
    // This test's, the latest (the file's other tests verify too, listed in any order on PostgreSQL).
    const ofThisPhone = sql`${auditEvents.after}->>'phone' = '138****0011'`;
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "owner.verify_phone"), ofThisPhone))
      .orderBy(desc(auditEvents.at))
      .limit(1);
    expect(audit.after).toMatchObject({ channel: "web", phone: "138****0011" });
    // From the owner's own address, as the code that proved it was sent.
    expect(audit.ip).toBe("203.0.113.77");
    const [sent] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "phone_code.send"), ofThisPhone))
      .orderBy(desc(auditEvents.at))
      .limit(1);
    expect(sent).toMatchObject({ ip: "203.0.113.77", subjectType: "phone_code", after: { phone: "138****0011" } });
  });

  it("sends no code to a number with another country code: +1 390 871 0001 is not 139 0871 0001", async () => {
    const o = new WebOwner();
    await o.talk({ start: true });
    await o.press("验证手机号");
    // Nor one in North America's grouping (1-3-3-4), whose eleven digits read as 139 0871 0001.
    for (const typed of ["+1 390 871 0001", "001 415 555 0100", "1-390-871-0001", "1 390 871 0001"]) {
      expect((await o.type(typed)).texts[0], typed).toBe(
        "这里只能验证中国大陆手机号（+86）。其他国家或地区的手机号请拨打服务热线 0871-12345，由客服为您办理。",
      );
    }
    expect(sms.codes.get("13908710001")).toBeUndefined();
    expect(sms.codes.get("14155550100")).toBeUndefined();
  });

  it("sends a chat at most one code a minute", async () => {
    const o = new WebOwner();
    await o.talk({ start: true });
    await o.press("验证手机号");
    await o.type(NEIGHBOUR_PHONE);
    const count = sms.codes.get(NEIGHBOUR_PHONE)!.length;
    const again = await o.press("重新获取验证码");
    expect(again.texts[0]).toMatch(/^验证码刚刚发送过，请 \d+ 秒后再重新获取。$/);
    expect(sms.codes.get(NEIGHBOUR_PHONE)).toHaveLength(count);
  });

  it(`sends one chat, and one address, ${CODES_PER_REQUESTER} codes a day for a phone, and a phone ${CODES_PER_PHONE} in all`, async () => {
    const phone = "13700000031";
    const REQUESTER_LIMIT = "获取验证码的次数已达今日上限。请拨打服务热线 0871-12345，由客服为您办理；也可以明天再试。";
    /** A chat from the address asks for codes `times` times, a minute apart: what it was told the last time. */
    const asks = async (address: string | undefined, times: number) => {
      const o = new WebOwner(address);
      await o.talk({ start: true });
      await o.press("验证手机号");
      let answer = await o.type(phone);
      for (let i = 1; i < times; i++) {
        later(61_000);
        answer = await o.press("重新获取验证码");
      }
      return answer.texts[0];
    };
    expect(await asks(undefined, CODES_PER_REQUESTER + 1)).toBe(REQUESTER_LIMIT);
    expect(sms.codes.get(phone)).toHaveLength(CODES_PER_REQUESTER);
    // Another chat from one address: its own five, then the address has had its share.
    expect(await asks("198.51.100.7", CODES_PER_REQUESTER)).toContain("验证码已发送至 137****0031");
    expect(await asks("198.51.100.7", 1)).toBe(REQUESTER_LIMIT);
    expect(await asks("198.51.100.8", CODES_PER_REQUESTER)).toContain("验证码已发送至 137****0031");
    expect(sms.codes.get(phone)).toHaveLength(CODES_PER_PHONE);
    // The phone has had its day's share, whoever asks now.
    expect(await asks("198.51.100.9", 1)).toBe(
      "该手机号今天获取验证码的次数已达上限。请拨打服务热线 0871-12345，由客服为您办理；也可以明天再试。",
    );
    expect(sms.codes.get(phone)).toHaveLength(CODES_PER_PHONE);
  });

  it("keeps codes for whoever proved the phone before: strangers on three addresses cannot use them up", async () => {
    const phone = "13700000041";
    const home = "198.51.100.90";
    /** A new chat from the address asks for a code for the phone: what it was told. */
    const asks = async (address: string) => {
      const o = new WebOwner(address);
      await o.talk({ start: true });
      await o.press("验证手机号");
      return { chat: o, texts: (await o.type(phone)).texts };
    };
    // The owner verified the phone from home once.
    const first = await asks(home);
    expect((await first.chat.type(sms.latest(phone))).texts[0]).toContain("验证成功");
    // Strangers on three addresses ask until the phone's share for strangers is gone.
    for (const address of ["198.51.100.5", "198.51.100.6"])
      for (let i = 0; i < CODES_PER_REQUESTER; i++) expect((await asks(address)).texts.at(-1)).toContain("验证码已发送至 137****0041");
    for (let i = 0; i < CODES_PER_PHONE - 2 * CODES_PER_REQUESTER - 1; i++)
      expect((await asks("198.51.100.7")).texts.at(-1)).toContain("验证码已发送至 137****0041");
    const capped = "该手机号今天获取验证码的次数已达上限。请拨打服务热线 0871-12345，由客服为您办理；也可以明天再试。";
    expect((await asks("198.51.100.7")).texts[0]).toBe(capped);
    // A first-time address is refused too, and told the other ways.
    expect((await asks("198.51.100.10")).texts[0]).toBe(capped);
    // The owner, in a new chat from the address that verified the phone, still gets a code, and it works.
    const owner = await asks(home);
    expect(owner.texts.at(-1)).toContain("验证码已发送至 137****0041");
    expect((await owner.chat.type(sms.latest(phone))).texts[0]).toContain("验证成功");
    // The reserve is not more for one address: it still has its five a day.
    for (let i = 2; i < CODES_PER_REQUESTER; i++) expect((await asks(home)).texts.at(-1)).toContain("验证码已发送至");
    expect((await asks(home)).texts[0]).toBe("获取验证码的次数已达今日上限。请拨打服务热线 0871-12345，由客服为您办理；也可以明天再试。");
  });

  it("says when the code reopened is no longer valid, and offers a new one", async () => {
    const o = new WebOwner();
    await o.talk({ start: true });
    await o.press("验证手机号");
    const asked = await o.type(NEIGHBOUR_PHONE);
    expect(asked.texts.at(-1)).toMatch(/^验证码已发送至 139\*\*\*\*0012，\d{2}:\d{2} 前有效。请输入短信中的 6 位数字验证码：$/);
    later(5 * 60_000 + 1000);
    const reopened = await o.talk({ open: true });
    expect(reopened.texts.at(-1)).toBe("发送至 139****0012 的验证码已失效，请点击“重新获取验证码”获取新的验证码。");
    expect(reopened.choices.map((c) => c.label)).toEqual(["重新获取验证码", "更换手机号", "取消"]);
  });

  it("a stranger who types the owner's phone neither delays the owner's code nor locks it", async () => {
    const o = new WebOwner();
    await o.talk({ start: true });
    await o.press("验证手机号");
    await o.type(OWNER_PHONE);
    const code = sms.latest(OWNER_PHONE);
    // Another chat types the same phone at once: a code of its own (texted to the owner, so useless to it).
    const stranger = new WebOwner();
    await stranger.talk({ start: true });
    await stranger.press("验证手机号");
    expect((await stranger.type(OWNER_PHONE)).texts.at(-1)).toContain("验证码已发送至 138****0011");
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < CODE_TRIES; i++) await stranger.type(wrong);
    expect((await stranger.type(code)).texts).toEqual(["验证码错误次数过多，已失效。请点击“重新获取验证码”。"]);
    // The owner's code is untouched.
    expect((await o.type(code)).texts[0]).toContain("手机号 138****0011 验证成功");
  });

  it("locks a code after five wrong tries: the right one no longer works", async () => {
    const o = new WebOwner();
    await o.talk({ start: true });
    await o.press("验证手机号");
    await o.type(OWNER_PHONE);
    const right = sms.latest(OWNER_PHONE);
    const wrong = right === "000000" ? "111111" : "000000";
    // Each wrong try is told the tries left, and only that: not the whole prompt again.
    const answers: string[][] = [];
    for (let i = 0; i < 4; i++) answers.push((await o.type(wrong)).texts);
    // The last try is said to be the last.
    expect(answers).toEqual([
      ["验证码不正确，还可以再试 4 次。"],
      ["验证码不正确，还可以再试 3 次。"],
      ["验证码不正确，还可以再试 2 次。"],
      ["验证码不正确，还可以再试 1 次，再错将失效。"],
    ]);
    // Locked: said once, with the buttons, and never again that a code was sent and is valid for minutes.
    const locked = "验证码错误次数过多，已失效。请点击“重新获取验证码”。";
    expect((await o.type(wrong)).texts).toEqual([locked]);
    expect(o.last!.choices.map((c) => c.label)).toEqual(["重新获取验证码", "更换手机号", "取消"]);
    expect((await o.type(right)).texts).toEqual([locked]);
    // Asked again within the minute: not yet, and the code is still said to be spent.
    const early = await o.press("重新获取验证码");
    expect(early.texts[0]).toMatch(/^验证码刚刚发送过，请 \d+ 秒后再重新获取。$/);
    expect(early.texts.at(-1)).toBe("发送至 138****0011 的验证码已失效，请点击“重新获取验证码”获取新的验证码。");
    expect((await o.talk({ open: true })).texts.at(-1)).toBe("发送至 138****0011 的验证码已失效，请点击“重新获取验证码”获取新的验证码。");
    const [chat] = await db()
      .select()
      .from(ownerChats)
      .where(eq(ownerChats.chatKey, o.cookie!.split("=")[1]));
    expect(chat.verifiedAt).toBeNull();
    // A new code, a minute later, works.
    later(61_000);
    await o.press("重新获取验证码");
    expect((await o.type(sms.latest(OWNER_PHONE))).texts[0]).toContain("验证成功");
  });

  it("refuses an expired code", async () => {
    const o = new WebOwner();
    await o.talk({ start: true });
    await o.press("验证手机号");
    await o.type(NEIGHBOUR_PHONE);
    later(5 * 60_000 + 1000);
    expect((await o.type(sms.latest(NEIGHBOUR_PHONE))).texts).toEqual(["验证码已失效，请点击“重新获取验证码”。"]);
  });

  it("takes a report with a photo through the chat, and the claim exists with it", async () => {
    const o = await verifiedOwner();
    await o.press("我要报修");
    await o.press("防水渗漏");
    // A photo before the photo step is not stored.
    expect((await o.photo(gradientPng(32, 32), "早了.png", "image/png")).texts[0]).toBe("当前这一步不需要照片，请按提示操作。");
    await o.type("主卧外墙渗水，墙纸脱落");
    expect(o.last!.texts[0]).toContain("请上传缺陷照片");
    const refused = await o.photo(new TextEncoder().encode("%PDF-1.4 report"), "报告.pdf", "application/pdf");
    expect(refused.texts[0]).not.toContain("已收到");
    expect(refused.texts[1]).toBe("可以继续上传，或点击“完成”进入下一步。");
    expect((await o.photo(gradientPng(64, 48), "渗水.png", "image/png")).texts[0]).toBe("已收到第 1 张照片。");
    await o.press("完成");
    await o.press("不清楚，跳过");
    await o.type("周女士");
    expect(o.last!.texts[0]).toContain("照片：1 张");
    expect(o.last!.texts[0]).toContain("联系人：周女士，138****0011");
    const done = await o.press("确认提交");
    const number = /LP\d{6}/.exec(done.texts[0])![0];
    const [claim] = await db().select().from(claims).where(eq(claims.reporterPhone, OWNER_PHONE));
    expect(claim).toMatchObject({ unitId: homes.units.flat, part: "waterproofing", channel: "web", reporterName: "周女士" });
    expect(claim.photos).toMatchObject([{ name: "渗水.png" }]);
    // 报案成功 is the one confirmation: no 已收到您的报案 notice follows it on the panel's next poll.
    registerOwnerNotices();
    await deliverOwnerMessages();
    await noticesSent();
    expect((await o.send({ poll: true })).texts).toEqual([]);
    // Every step reaches the panel, the survey too.
    await complete(homes.insurer, claim.instanceId!, "accept", acceptance());
    await complete(homes.insurer, claim.instanceId!, "survey", await surveySubmission(homes.insurer));
    await deliverOwnerMessages();
    await noticesSent();
    const told = (await o.send({ poll: true })).texts;
    expect(told[0]).toBe(`【案件进展】【${number}】保险公司已受理您的报案，将安排查勘或维修。\n当前状态：已受理`);
    expect(told[1]).toMatch(
      new RegExp(`^【案件进展】【${number}】现场查勘已完成（查勘日期 \\d{4}-\\d{2}-\\d{2}），保险公司将据此作出是否立案的决定。`),
    );
    await o.press("我的报案");
    expect(o.last!.texts[0]).toContain(number);
  });

  it("reports once when 确认提交 is pressed twice at the same moment", async () => {
    const o = await verifiedOwner();
    const before = (await db().select().from(claims).where(eq(claims.reporterPhone, OWNER_PHONE))).length;
    await fillReport(o, { part: "给排水", description: "厨房水管接口滴水", name: "周女士" });
    const submit = o.last!.choices.find((c) => c.label === "确认提交")!.value;
    const [first, second] = await Promise.all([o.choose(submit), o.choose(submit)]);
    expect([first.texts[0], second.texts[0]].filter((t) => t.startsWith("报案成功"))).toHaveLength(1);
    expect(await db().select().from(claims).where(eq(claims.reporterPhone, OWNER_PHONE))).toHaveLength(before + 1);
  });

  it("shows the lines kept for the owner's chats once: on the panel's poll, or with the next answer", async () => {
    const o = await verifiedOwner();
    const stranger = new WebOwner();
    await stranger.talk({ start: true });
    await keepWebNotice(OWNER_PHONE, "【案件进展】您的案件 LP000001：保险公司已受理");
    expect((await stranger.send({ poll: true })).texts).toEqual([]);
    expect((await o.send({ poll: true })).texts).toEqual(["【案件进展】您的案件 LP000001：保险公司已受理"]);
    expect((await o.send({ poll: true })).texts).toEqual([]);
    await keepWebNotice(OWNER_PHONE, "【案件进展】您的案件 LP000001：查勘人员将上门");
    const next = await o.type("菜单");
    expect(next.texts).toEqual(["【案件进展】您的案件 LP000001：查勘人员将上门", "请选择您要办理的业务："]);
    expect((await o.send({ poll: true })).texts).toEqual([]);
  });

  it("does what a button of an earlier answer names, or says it is stale", async () => {
    await earlierButtons((await verifiedOwner(TWO_HOMES_PHONE)).dialogue, { first: homes.labels.home, second: homes.labels.shop });
  });

  it("takes the menu's words, 主菜单, 人工 and 帮助 at any step, asking first mid-report", async () => {
    await menuWordsAnywhere((await verifiedOwner(TWO_HOMES_PHONE)).dialogue, homes.labels.home);
  });

  it("asks before a restart drops a report, and the dropped report's buttons are stale", async () => {
    const o = await verifiedOwner(TWO_HOMES_PHONE);
    await startMidReport(o.dialogue, homes.labels.shop);
    expect(await db().select().from(claims).where(eq(claims.reporterPhone, TWO_HOMES_PHONE))).toEqual([]);
    // A made-up button is stale too.
    expect((await o.choose("photos:done")).texts[0]).toBe(STALE);
  });

  it("answers a claim number before the phone is verified with what is needed", async () => {
    await claimNumberBeforeBinding(new WebOwner().dialogue, "LP000001", "请输入您在开发商处登记的业主手机号");
  });

  it("says how many photos it holds when the owner goes back to the photo step", async () => {
    await photosKeptOnReturn((await verifiedOwner(TWO_HOMES_PHONE)).dialogue, homes.labels.home);
  });

  it("tells a photo over the limit the limit", async () => {
    await photoOverTheLimit((await verifiedOwner(TWO_HOMES_PHONE)).dialogue, homes.labels.home);
  });

  it("understands typed words with punctuation, and 跳过 or 不清楚 typed at the estimate", async () => {
    await typedWordsLoosely((await verifiedOwner(TWO_HOMES_PHONE)).dialogue, homes.labels.shop);
  });

  it("takes a description up to the claim's limit and tells one over it the limit", async () => {
    await descriptionLimit((await verifiedOwner(TWO_HOMES_PHONE)).dialogue, homes.labels.home);
  });

  it("does not ask an owner of one home to pick it", async () => {
    await oneHomeIsNotPicked((await verifiedOwner()).dialogue, homes.labels.flat);
  });

  it("keeps no photos of a report that is dropped", async () => {
    await droppedReportKeepsNoPhotos((await verifiedOwner(TWO_HOMES_PHONE)).dialogue, homes.labels.home, () =>
      ownersFiles(TWO_HOMES_PHONE),
    );
  });

  it("keeps no photo sent beyond the ninth at the same moment", async () => {
    const o = await verifiedOwner(TWO_HOMES_PHONE);
    await o.press("我要报修");
    await o.press(homes.labels.home);
    await o.press("防水渗漏");
    await o.type("北卧外墙渗水");
    for (let i = 0; i < 8; i++) await o.photo(gradientPng(20 + i, 16), `第${i + 1}张.png`, "image/png");
    const before = await ownersFiles(TWO_HOMES_PHONE);
    const answers = await Promise.all([1, 2, 3].map((i) => o.photo(gradientPng(40 + i, 16), `同时${i}.png`, "image/png")));
    expect(answers.filter((a) => a.texts[0] === "已收到 9 张照片，已达上限。")).toHaveLength(1);
    // The ninth is kept; the others are not stored.
    expect(await ownersFiles(TWO_HOMES_PHONE)).toBe(before + 1);
    await o.press("取消");
  });

  it("lets a quick owner report with nine photos and rate every reason within one minute", async () => {
    // A clock a hundred times slower than the machine's: all of it falls in one minute however slow the machine.
    const started = Date.now();
    const base = Date.now() + (offset += 3600_000);
    setClock(() => new Date(base + (Date.now() - started) / 100));
    const o = await verifiedOwner(TWO_HOMES_PHONE);
    const sent = await quickOwner(o.dialogue, homes.labels.shop, markClosed);
    // What the limit must stay above: the verification (4) and all of this.
    expect(4 + sent).toBeLessThan(FLOOD_LIMIT);
  });

  it("refuses a photo from a browser that has no chat", async () => {
    const o = new WebOwner();
    const answer = await o.photo(gradientPng(8, 8), "a.png", "image/png");
    expect(answer.status).toBe(422);
  });

  it("never shows another owner's claim: not by id, not by number", async () => {
    const neighbour = await verifiedOwner(NEIGHBOUR_PHONE);
    await fillReport(neighbour, {
      part: "电气管线",
      description: "客厅插座跳闸冒火花",
      name: "孙先生",
    });
    const number = /LP\d{6}/.exec((await neighbour.press("确认提交")).texts[0])![0];
    const [theirs] = await db().select().from(claims).where(eq(claims.reporterPhone, NEIGHBOUR_PHONE));

    const o = await verifiedOwner();
    expect((await o.choose(`claim:${theirs.id}`)).texts[0]).toBe("未找到该案件，或该案件不属于您名下的房屋。");
    expect((await o.say(number)).texts[0]).toBe("未找到该案件，或该案件不属于您名下的房屋。");
    expect((await o.choose(`rate:${theirs.id}`)).texts[0]).toBe("未找到该案件，或该案件不属于您名下的房屋。");
    expect((await o.choose(`cover:${homes.units.neighbour}`)).texts[0]).toBe("未找到该房屋，或该房屋不在您的名下。");
    // Nor can it report on the neighbour's home with a made-up button, even one marked for the step it is at.
    const two = await verifiedOwner(TWO_HOMES_PHONE);
    await two.talk({ choice: "menu:report" });
    const step = two.last!.choices[0].value.split("@")[1];
    expect((await two.choose(`unit:${homes.units.neighbour}@${step}`)).texts[0]).toBe("请点击下方按钮，选择您名下的房屋。");
    // An unverified chat sees nothing at all: it is asked to verify its phone.
    const stranger = new WebOwner();
    await stranger.talk({ start: true });
    expect((await stranger.choose(`claim:${theirs.id}`)).texts[0]).toContain("请先验证手机号");
  });
  it("confirms a finished repair in the chat, or sends it back with the reason; a neighbour cannot", async () => {
    const claim = await claimAwaitingConfirmation({ insurer: homes.insurer } as DeliveredProject, OWNER_PHONE, homes.units.flat);
    const number = claimNumber(claim.seq);
    const neighbour = await verifiedOwner(NEIGHBOUR_PHONE);
    expect((await neighbour.talk({ choice: `accept:${claim.id}` })).texts[0]).toBe("未找到该案件，或该案件不属于您名下的房屋。");
    expect((await neighbour.talk({ choice: `refuse:${claim.id}` })).texts[0]).toBe("未找到该案件，或该案件不属于您名下的房屋。");

    const o = await verifiedOwner();
    await o.type(number);
    expect(o.last!.texts[0]).toContain("维修已完成，请确认维修结果");
    await o.press("不满意，退回重修");
    expect(o.last!.texts[0]).toBe(`请说明案件 ${number} 的维修哪里仍不满意，我们将退回维修单位重修：`);
    await o.type("   ");
    expect(o.last!.texts[0]).toBe("请用文字说明不满意的原因。");
    await o.type("卫生间顶棚仍在渗水");
    expect(o.last!.texts[0]).toBe("已退回重修，维修单位将再次上门处理，完成后会请您再次验收。");
    expect(await claimRow(claim.id)).toMatchObject({ status: "repairing" });

    const repairer = await repairerActor();
    await complete(repairer, claim.instanceId!, "repair", await repairSubmission(repairer));
    await acceptanceAsksFirst(o.dialogue, number);
    expect(await claimRow(claim.id)).toMatchObject({ status: "settling" });
    // The button pressed again (an old message) changes nothing.
    expect((await o.talk({ choice: `accept:${claim.id}` })).texts[0]).toBe("该案件当前不需要您验收，可能已经处理过了。");
  });
});
