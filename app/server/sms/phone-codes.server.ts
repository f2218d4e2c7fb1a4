import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { phoneCodes } from "@db/schema";
import { maskPhone } from "~/shared/phone";
import { recordAudit } from "../audit.server";
import { anonymousActor } from "../auth/actor";
import type { Tx } from "@db/client";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { smsSender } from "./sender.server";

// One-time codes that prove a web chat's owner (or the owner page's rater) holds the phone: six
// digits, kept hashed, valid for five minutes and five tries. A code belongs to its requester (the
// chat, or the claim from one address on the owner page): only there can it be typed, so whoever
// knows a claim's number and phone (its insurer, its repairer) can lock only codes they asked for.
// At most one new code a minute per requester, and a day's codes counted per requester, per
// address and per phone, so that nobody can make the platform text a stranger all day; and, over
// all phones, per requester and per address, so that nobody can make it text one stranger after
// another. Part of a phone's day is kept for requesters that proved they hold it before (a code
// typed right there, or from their address): strangers on any number of addresses cannot use those up.

export const CODE_MINUTES = 5;
export const CODE_TRIES = 5;
const RESEND_SECONDS = 60;
/** A day's codes to one phone for one requester, and from one address (whoever they are). */
export const CODES_PER_REQUESTER = 5;
/** A day's codes to one phone for requesters that never proved they hold it. */
export const CODES_PER_PHONE = 15;
/** A day's codes to one phone kept for requesters that proved they hold it: strangers' requests never use them. */
export const CODES_RESERVED = 5;
/**
 * A day's codes for one requester over all phones: an owner who mistypes the number once or twice
 * and asks again when a text is late needs about six; a script held to eight texts eight strangers.
 */
export const CODES_PER_CHAT = 8;
/**
 * A day's codes from one address over all phones and requesters: a household verifies a few phones
 * and rates a claim or two (under ten), an office or a carrier's shared address serves dozens of
 * people of whom a few verify on a day; above thirty it is a script, not people.
 */
export const CODES_PER_ADDRESS = 30;
const DAY_MS = 24 * 3600_000;
const USED_UP = "获取验证码的次数已达今日上限。";
const ADDRESS_USED_UP = "您所在的网络今天获取验证码的次数已达上限。";

/**
 * Who asks for a code: `chat:<id>` (a web chat) or `page:<claim>:<address>` (the owner page), from
 * which address; `party`: the same requester at other addresses (`page:<claim>`), so a code typed
 * from another network is told apart from a spent one; `button`: the label of the button that
 * asks for a new code where the code is typed, for the answers that send the owner there.
 */
export interface CodeRequester {
  key: string;
  address: string | null;
  party?: string;
  button: string;
}

/**
 * What asking for or typing a code came to. `pending`: refused, but an earlier code is still valid
 * (asked again within the minute); `spent`: the code can no longer be used (locked by wrong tries,
 * expired, none sent).
 */
export type CodeOutcome = { ok: true } | { ok: false; message: string; pending?: boolean; spent?: boolean };

/** A code sent, and until when it can be typed; or refused, with when it may be asked for again if a limit refused it. */
export type CodeSent = { ok: true; expiresAt: Date } | (Extract<CodeOutcome, { ok: false }> & { retryAt?: Date });

/** Who asked for a code, for the audit trail: nobody known yet, from the requester's address. */
function requesterActor(requester: CodeRequester) {
  return { ...anonymousActor("", requester.address), displayName: requester.key.startsWith("chat:") ? "业主网页对话" : "业主网页查询" };
}

/** When a day's count (times newest first) is under `limit` again: once the code that filled it is a day old. */
function freeAt(times: Date[], limit: number): Date | null {
  return times.length >= limit ? new Date(times[limit - 1].getTime() + DAY_MS) : null;
}

function hashCode(phone: string, code: string, salt = randomBytes(16).toString("hex")): string {
  return `${salt}:${createHash("sha256").update(`${salt}:${phone}:${code}`).digest("hex")}`;
}

function matches(stored: string, phone: string, code: string): boolean {
  const [salt] = stored.split(":");
  const a = Buffer.from(hashCode(phone, code, salt));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The ways left to an owner whose codes are used up: the bot (when it runs) and the hotline. */
function otherWays(): string {
  const { HOTLINE_PHONE, TELEGRAM_BOT_TOKEN } = env();
  return TELEGRAM_BOT_TOKEN
    ? `可以在 Telegram 业主服务机器人中点击“发送我的手机号”完成验证，或拨打服务热线 ${HOTLINE_PHONE}，由客服为您办理；也可以明天再试。`
    : `请拨打服务热线 ${HOTLINE_PHONE}，由客服为您办理；也可以明天再试。`;
}

/** Whether the requester, or its address, typed a code for this phone right before. */
async function provedBefore(tx: Tx, phone: string, requester: CodeRequester): Promise<boolean> {
  const who = requester.address
    ? or(eq(phoneCodes.requester, requester.key), eq(phoneCodes.address, requester.address))
    : eq(phoneCodes.requester, requester.key);
  const [row] = await tx
    .select({ id: phoneCodes.id })
    .from(phoneCodes)
    .where(and(eq(phoneCodes.phone, phone), isNotNull(phoneCodes.verifiedAt), who))
    .limit(1);
  return Boolean(row);
}

/** Sends a new code to the phone for the requester, unless it had one less than a minute ago or the day's codes are used up. */
export async function sendPhoneCode(phone: string, requester: CodeRequester): Promise<CodeSent> {
  const now = clock.now();
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000);
  const since = new Date(now.getTime() - DAY_MS);
  const refusal = await db().transaction(async (tx): Promise<CodeSent | null> => {
    // One request per address and one per phone at a time (in that order), so two at once cannot
    // both pass the counts. A requester's messages come one at a time (a chat's lease; a page's
    // requester is its address's).
    if (requester.address) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`phone_code_address:${requester.address}`}))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`phone_code:${phone}`}))`);
    const today = await tx
      .select()
      .from(phoneCodes)
      .where(and(eq(phoneCodes.phone, phone), gt(phoneCodes.createdAt, since)))
      .orderBy(desc(phoneCodes.createdAt));
    const mine = today.filter((c) => c.requester === requester.key);
    const waited = mine.length ? (now.getTime() - mine[0].createdAt.getTime()) / 1000 : Infinity;
    if (waited < RESEND_SECONDS) {
      // Pending only while that code can still be used: a locked one is not "sent a moment ago, type it".
      const last = mine[0];
      const usable = !last.usedAt && last.attempts < CODE_TRIES && last.expiresAt > now;
      const retryAt = new Date(last.createdAt.getTime() + RESEND_SECONDS * 1000);
      return {
        ok: false,
        pending: usable,
        retryAt,
        message: `验证码刚刚发送过，请 ${Math.ceil(RESEND_SECONDS - waited)} 秒后再重新获取。`,
      };
    }
    const fromAddress = requester.address ? today.filter((c) => c.address === requester.address) : [];
    // Over all phones: what the requester and the address asked for today.
    const recent = async (who: SQL, limit: number) =>
      (
        await tx
          .select({ at: phoneCodes.createdAt })
          .from(phoneCodes)
          .where(and(who, gt(phoneCodes.createdAt, since)))
          .orderBy(desc(phoneCodes.createdAt))
          .limit(limit)
      ).map((c) => c.at);
    const daily: [Date[], number, string][] = [
      [mine.map((c) => c.createdAt), CODES_PER_REQUESTER, USED_UP],
      [fromAddress.map((c) => c.createdAt), CODES_PER_REQUESTER, USED_UP],
      [await recent(eq(phoneCodes.requester, requester.key), CODES_PER_CHAT), CODES_PER_CHAT, USED_UP],
      [
        requester.address ? await recent(eq(phoneCodes.address, requester.address), CODES_PER_ADDRESS) : [],
        CODES_PER_ADDRESS,
        ADDRESS_USED_UP,
      ],
    ];
    for (const [times, limit, message] of daily) {
      const retryAt = freeAt(times, limit);
      if (retryAt) return { ok: false, retryAt, message: `${message}${otherWays()}` };
    }
    // The owner's own (proved before) use the reserve first, then what strangers may use.
    const reserved = (await provedBefore(tx, phone, requester)) && today.filter((c) => c.reserved).length < CODES_RESERVED;
    const strangersFull = reserved
      ? null
      : freeAt(
          today.filter((c) => !c.reserved).map((c) => c.createdAt),
          CODES_PER_PHONE,
        );
    if (strangersFull) return { ok: false, retryAt: strangersFull, message: `该手机号今天获取验证码的次数已达上限。${otherWays()}` };
    // A new code retires the requester's earlier ones (never another requester's).
    await tx
      .update(phoneCodes)
      .set({ usedAt: now })
      .where(and(eq(phoneCodes.phone, phone), eq(phoneCodes.requester, requester.key), isNull(phoneCodes.usedAt)));
    const [sent] = await tx.insert(phoneCodes).values({
      phone,
      requester: requester.key,
      address: requester.address,
      codeHash: hashCode(phone, code),
      expiresAt,
      reserved,
      createdAt: now,
    }).returning({ id: phoneCodes.id });
    await recordAudit(tx, requesterActor(requester), {
      action: "phone_code.send",
      subjectType: "phone_code",
      subjectId: String(sent.id),
      after: { phone: maskPhone(phone) },
    });
    return null;
  });
  if (refusal) return refusal;
  try {
    await smsSender().sendCode(phone, code, CODE_MINUTES);
  } catch (error) {
    logger.error({ err: error }, "sending a verification code failed");
    return { ok: false, message: "验证码短信发送失败，请稍后再试。" };
  }
  return { ok: true, expiresAt };
}

/** Until when the requester's latest code for the phone can be typed; null when it is spent (locked, expired, retired) or none was sent. */
export async function codeValidUntil(phone: string, requester: CodeRequester): Promise<Date | null> {
  const [latest] = await db()
    .select()
    .from(phoneCodes)
    .where(and(eq(phoneCodes.phone, phone), eq(phoneCodes.requester, requester.key)))
    .orderBy(desc(phoneCodes.createdAt))
    .limit(1);
  const usable = latest && !latest.usedAt && latest.attempts < CODE_TRIES && latest.expiresAt > clock.now();
  return usable ? latest.expiresAt : null;
}

/** Checks a code typed for the phone by the requester that asked for it; each wrong one uses up a try of that code. */
export async function checkPhoneCode(phone: string, code: string, requester: CodeRequester): Promise<CodeOutcome> {
  const now = clock.now();
  const locked = `验证码错误次数过多，已失效。请点击“${requester.button}”。`;
  return db().transaction(async (tx) => {
    const live = (who: SQL) =>
      tx
        .select()
        .from(phoneCodes)
        .where(and(eq(phoneCodes.phone, phone), who, isNull(phoneCodes.usedAt), gt(phoneCodes.expiresAt, now)))
        .orderBy(desc(phoneCodes.createdAt))
        .limit(1);
    const [row] = await live(eq(phoneCodes.requester, requester.key)).for("update");
    if (!row) {
      // Asked for from another network (a phone that went from Wi-Fi to 4G): said so, and that code keeps its tries.
      const [elsewhere] = requester.party ? await live(sql`starts_with(${phoneCodes.requester}, ${`${requester.party}:`})`) : [];
      // Locked by wrong tries there: locked here too, whatever network it is typed on.
      if (elsewhere && elsewhere.attempts >= CODE_TRIES) return { ok: false, spent: true, message: locked };
      return elsewhere
        ? { ok: false, message: `验证码是在另一个网络下获取的：请在获取验证码的网络下提交，或点击“${requester.button}”重新获取。` }
        : { ok: false, spent: true, message: `验证码已失效，请点击“${requester.button}”。` };
    }
    if (row.attempts >= CODE_TRIES) return { ok: false, spent: true, message: locked };
    if (!matches(row.codeHash, phone, code)) {
      const attempts = row.attempts + 1;
      await tx.update(phoneCodes).set({ attempts }).where(eq(phoneCodes.id, row.id));
      const left = CODE_TRIES - attempts;
      if (left <= 0) {
        await recordAudit(tx, requesterActor(requester), {
          action: "phone_code.locked",
          subjectType: "phone_code",
          subjectId: String(row.id),
          after: { phone: maskPhone(phone) },
        });
        return { ok: false, spent: true, message: locked };
      }
      // The last try is said to be the last: a wrong one then spends the code.
      return { ok: false, message: left === 1 ? "验证码不正确，还可以再试 1 次，再错将失效。" : `验证码不正确，还可以再试 ${left} 次。` };
    }
    await tx.update(phoneCodes).set({ usedAt: now, verifiedAt: now }).where(eq(phoneCodes.id, row.id));
    return { ok: true };
  });
}
