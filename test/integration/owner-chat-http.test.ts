import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { gradientPng } from "../support/images";
import { startMidReport, type DialogueDriver } from "../support/owner-dialogue";
import { homeOverSql } from "../support/owners";
import { useCluster } from "../support/platform";
import { CODES_PER_ADDRESS, CODES_PER_CHAT } from "~/server/sms/phone-codes.server";
import { LOOKUP_LIMITS } from "~/server/claims/owner-page.server";

// The owners' web chat through the running platform, as a browser uses it: the edge lets a chat
// that waits for report photos send one (no account, so only then), and nothing bigger than a
// message otherwise; the code comes from the server log (no SMS provider configured). The bot runs
// behind a webhook (nothing reaches Telegram), and a proxy in front says each browser's address.

const cluster = useCluster({
  env: {
    LOG_LEVEL: "info",
    TRUST_PROXY: "1",
    TELEGRAM_BOT_TOKEN: "123456:TEST-TOKEN",
    TELEGRAM_WEBHOOK_SECRET: "owner-chat-http",
    TELEGRAM_API_ROOT: "http://127.0.0.1:9",
  },
});
const PHONE = "13600000021";
const OTHER_PHONE = "13600000022";

beforeAll(async () => {
  await cluster().withSql(async (sql) => {
    await homeOverSql(sql, { permitNo: "KM-CHAT-1", community: "网页对话小区", building: "1", room: "101", phone: PHONE });
    await homeOverSql(sql, { permitNo: "KM-CHAT-2", community: "网页对话二小区", building: "2", room: "201", phone: OTHER_PHONE });
    await homeOverSql(sql, { permitNo: "KM-CHAT-3", community: "网页对话三小区", building: "3", room: "301", phone: OTHER_PHONE });
  });
});

class Browser {
  cookie = "";
  /** Every answer's buttons, latest last: the scenarios press an earlier answer's too. */
  private readonly shown: { value: string; label: string }[][] = [];
  /** `address`: the browser's, as the proxy in front tells it. */
  constructor(
    private readonly base: () => string,
    private readonly address?: string,
  ) {}

  async post(path: string, body: BodyInit, contentType?: string): Promise<Response> {
    const response = await fetch(this.base() + path, {
      method: "POST",
      headers: {
        Origin: this.base(),
        ...(this.address ? { "X-Forwarded-For": this.address } : {}),
        ...(contentType ? { "Content-Type": contentType } : {}),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      body,
    });
    const set = response.headers.getSetCookie().find((c) => c.startsWith("idi_owner_chat="));
    if (set) this.cookie = set.split(";")[0];
    return response;
  }

  async chat(message: Record<string, unknown>): Promise<{ text: string; choices?: { value: string; label: string }[] }[]> {
    const response = await this.post("/owner/chat", JSON.stringify(message), "application/json");
    expect(response.status).toBe(200);
    const replies: { text: string; choices?: { value: string; label: string }[] }[] = (await response.json()).replies;
    this.shown.push(replies.at(-1)?.choices ?? []);
    return replies;
  }

  /** The chat as the dialogue's scenarios drive it (test/support/owner-dialogue.ts). */
  readonly dialogue: DialogueDriver = {
    start: async () => (await this.chat({ start: true })).map((r) => r.text),
    type: async (text) => (await this.chat({ text })).map((r) => r.text),
    press: async (label) => {
      const choice = this.shown.findLast((choices) => choices.some((c) => c.label === label))?.find((c) => c.label === label);
      if (!choice) throw new Error(`no button ${label} on any answer`);
      return (await this.chat({ choice: choice.value })).map((r) => r.text);
    },
    photo: async () => {
      const response = await this.post("/owner/chat/photo", photoForm(Buffer.from(gradientPng(24, 16))));
      expect(response.status).toBe(200);
      return ((await response.json()).replies as { text: string }[]).map((r) => r.text);
    },
  };
}

/** The latest code the server logged for the phone (no SMS provider configured). */
const codeInLog = (phone = PHONE) =>
  [
    ...cluster()
      .processes[0].log()
      .matchAll(new RegExp(`"phone":"${phone}","code":"(\\d{6})"`, "g")),
  ].at(-1)?.[1];

/** A photo of about 300 KB: a real PNG with trailing bytes, as some cameras write. */
const bigPhoto = () => Buffer.concat([gradientPng(64, 48), randomBytes(300 * 1024)]);

function photoForm(bytes: Buffer, name = "渗水.png"): FormData {
  const form = new FormData();
  form.append("photo", new Blob([new Uint8Array(bytes)], { type: "image/png" }), name);
  return form;
}

describe("owner web chat over HTTP", () => {
  it("verifies by the code in the server log and takes a large photo only at the photo step", async () => {
    const browser = new Browser(() => cluster().url);
    await browser.chat({ start: true });
    expect(browser.cookie).toMatch(/^idi_owner_chat=/);
    // Before the photo step, the edge reads no more than a message's worth; the chat says why.
    const early = await browser.post("/owner/chat/photo", photoForm(bigPhoto()));
    expect(early.status).toBe(200);
    expect((await early.json()).replies[0].text).toBe("当前不需要上传照片。报修时会请您上传缺陷照片。");

    await browser.chat({ choice: "menu:report" });
    await browser.chat({ text: PHONE });
    await expect.poll(() => codeInLog()).toMatch(/^\d{6}$/);
    const parts = await browser.chat({ text: codeInLog()! });
    expect(parts[0].text).toContain("验证成功");
    // The owner's one home is not asked for.
    expect(parts.at(-1)!.text).toContain("报修房屋：网页对话小区 1栋1单元101");
    await browser.chat({ choice: parts.at(-1)!.choices!.find((c) => c.label === "防水渗漏")!.value });
    expect((await browser.chat({ text: "卫生间地面渗水到楼下" }))[0].text).toContain("请上传缺陷照片");

    const uploaded = await browser.post("/owner/chat/photo", photoForm(bigPhoto()));
    expect(uploaded.status).toBe(200);
    expect((await uploaded.json()).replies[0].text).toBe("已收到第 1 张照片。");
    // A phone's name for a photo may hold anything: "=" once broke the form's parsing.
    const named = await browser.post("/owner/chat/photo", photoForm(gradientPng(32, 24), 'IMG_20260101=渗水;"墙角" 😀.png'));
    expect((await named.json()).replies[0].text).toBe("已收到第 2 张照片。");
    for (let i = 3; i <= 9; i++) await browser.post("/owner/chat/photo", photoForm(bigPhoto()));
    // The ninth moved the chat on; a tenth (too large for a chat that takes no photo) is told the limit.
    const tenth = await browser.post("/owner/chat/photo", photoForm(bigPhoto()));
    expect(tenth.status).toBe(200);
    expect((await tenth.json()).replies.map((r: { text: string }) => r.text)).toEqual([
      "最多上传 9 张照片，已达上限，这张没有保存。",
      expect.stringContaining("第 4 步：如果您大致知道维修费用"),
    ]);
  });

  it("asks before a restart drops a report underway; the dropped report's buttons answer that they are stale", async () => {
    const browser = new Browser(() => cluster().url);
    await browser.chat({ start: true });
    await browser.chat({ choice: "menu:bind" });
    await browser.chat({ text: OTHER_PHONE });
    await expect.poll(() => codeInLog(OTHER_PHONE)).toMatch(/^\d{6}$/);
    expect((await browser.chat({ text: codeInLog(OTHER_PHONE)! }))[0].text).toContain("验证成功");
    await startMidReport(browser.dialogue, "网页对话二小区 2栋1单元201");
  });

  it("once strangers on three addresses used up a phone's codes, tells a new requester the bot and the hotline", async () => {
    const phone = "13600000029";
    /** A new chat from the address asks for a code for the phone: the last text it is told. */
    const asks = async (address: string) => {
      const browser = new Browser(() => cluster().url, address);
      await browser.chat({ start: true });
      await browser.chat({ choice: "menu:bind" });
      return (await browser.chat({ text: phone })).map((r) => r.text);
    };
    for (const address of ["203.0.113.5", "203.0.113.6", "203.0.113.7"])
      for (let i = 0; i < 5; i++) expect((await asks(address)).at(-1)).toContain("验证码已发送至 136****0029");
    expect(await asks("203.0.113.9")).toEqual([
      "该手机号今天获取验证码的次数已达上限。可以在 Telegram 业主服务机器人中点击“发送我的手机号”完成验证，或拨打服务热线 0871-12345，由客服为您办理；也可以明天再试。",
      "为保护您的信息，请先验证手机号。请输入您在开发商处登记的业主手机号（11 位）：",
    ]);
  });

  it(`texts codes to at most ${CODES_PER_CHAT} phones from one chat and ${CODES_PER_ADDRESS} from one address a day, then names the hotline`, async () => {
    const address = "198.51.100.40";
    let next = 0;
    /** A new chat from the address at the step that asks for the phone. */
    const newChat = async (from = address) => {
      const browser = new Browser(() => cluster().url, from);
      await browser.chat({ start: true });
      await browser.chat({ choice: "menu:bind" });
      return browser;
    };
    /** The chat asks for a code for another phone each time (as if the owner kept mistyping it): what it is told last. */
    const askOther = async (browser: Browser) => {
      const said = (await browser.chat({ text: `1380000${1000 + next++}` })).map((r) => r.text);
      if (said.at(-1)!.startsWith("验证码已发送至")) await browser.chat({ text: "更换手机号" });
      return said;
    };
    const chat = await newChat();
    for (let i = 0; i < CODES_PER_CHAT; i++) expect((await askOther(chat)).at(-1)).toMatch(/^验证码已发送至 138\*\*\*\*1\d{3}/);
    const perChat = await askOther(chat);
    expect(perChat[0]).toMatch(/^获取验证码的次数已达今日上限。.*服务热线 0871-12345/);
    expect(perChat.at(-1)).toContain("请输入您在开发商处登记的业主手机号");
    // New chats from the same address share the address's day.
    let sent = CODES_PER_CHAT;
    let refused: string[] = [];
    while (!refused.length) {
      const other = await newChat();
      for (let i = 0; i < CODES_PER_CHAT && !refused.length; i++) {
        const said = await askOther(other);
        if (said.at(-1)!.startsWith("验证码已发送至")) sent++;
        else refused = said;
      }
    }
    expect(sent).toBe(CODES_PER_ADDRESS);
    expect(refused[0]).toMatch(/^您所在的网络今天获取验证码的次数已达上限。.*服务热线 0871-12345/);
    // Another address is not held by it.
    expect((await askOther(await newChat("198.51.100.41"))).at(-1)).toMatch(/^验证码已发送至/);
  });

  it("refuses a message body over the chat's cap", async () => {
    const browser = new Browser(() => cluster().url);
    await browser.chat({ start: true });
    // Longer than any answer the dialogue takes: refused with the limit on the field, as a form's text.
    const long = await browser.post("/owner/chat", JSON.stringify({ text: "长".repeat(8000) }), "application/json");
    expect(long.status).toBe(422);
    expect((await long.json()).fields).toEqual({ text: "消息不能超过5000个字" });
    const huge = await browser.post("/owner/chat", JSON.stringify({ text: "a".repeat(60_000) }), "application/json");
    expect(huge.status).toBe(413);
    expect((await huge.json()).fields).toEqual({ body: "消息不能超过5000个字" });
  });

  it("says what is wrong with a message on its field, in the API's words", async () => {
    const browser = new Browser(() => cluster().url);
    await browser.chat({ start: true });
    const cases: [unknown, Record<string, string>][] = [
      [{ text: 5 }, { text: "应为文字" }],
      [{ choice: ["a"] }, { choice: "应为文字" }],
      [{ text: "好", extra: 1 }, { body: "不允许的字段：extra" }],
      [[1], { body: "消息格式不正确，应为 {text}、{choice}、{start}、{open} 或 {poll} 之一" }],
    ];
    for (const [message, fields] of cases) {
      const response = await browser.post("/owner/chat", JSON.stringify(message), "application/json");
      expect(response.status, JSON.stringify(message)).toBe(422);
      expect((await response.json()).fields, JSON.stringify(message)).toEqual(fields);
    }
  });

  it("answers a message not sent as JSON with 415", async () => {
    const browser = new Browser(() => cluster().url);
    const response = await browser.post("/owner/chat", JSON.stringify({ start: true }), "text/plain");
    expect(response.status).toBe(415);
    expect((await response.json()).message).toBe("请以 JSON 格式发送消息");
  });

  it("answers other methods with 405, not as a message", async () => {
    const base = cluster().url;
    const put = await fetch(`${base}/owner/chat`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", Origin: base },
      body: JSON.stringify({ start: true }),
    });
    expect(put.status).toBe(405);
    expect(put.headers.get("set-cookie")).toBeNull();
    expect((await fetch(`${base}/owner/chat/photo`)).status).toBe(405);
    expect((await fetch(`${base}/owner/chat`, { method: "DELETE", headers: { Origin: base } })).status).toBe(405);
  });
});

describe("the owner page's forms sent without JavaScript", () => {
  it("a lookup refused from a locked address is a 429 page with Retry-After", async () => {
    const base = cluster().url;
    const follow = (i: number) =>
      fetch(`${base}/owner?index`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "198.51.100.50" },
        body: new URLSearchParams({ intent: "follow", number: `LP${990000 + i}`, phone: "13900001999" }).toString(),
      });
    for (let i = 0; i < LOOKUP_LIMITS.perIp; i++) expect((await follow(i)).status).toBe(404);
    const locked = await follow(LOOKUP_LIMITS.perIp);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
  });
});
