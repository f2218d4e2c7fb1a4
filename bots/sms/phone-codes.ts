import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { phoneCodes } from "@db/schema";
import { clock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import type { Outcome } from "../dialogue/types";
import { smsSender } from "./sender";

// One-time codes that prove a web chat's owner (or the owner page's rater) holds the phone: six
// digits, kept hashed, valid for five minutes and five tries. A code belongs to its requester (the
// chat, or the claim from one address on the owner page): only there can it be typed, so whoever
// knows a claim's number and phone (its insurer, its repairer) can lock only codes they asked for.
// At most one new code a minute per requester, and a day's codes counted per requester, per
// address and per phone, so that nobody can make the platform text a stranger all day, nor use up
// the owner's own codes.

export const CODE_MINUTES = 5;
export const CODE_TRIES = 5;
const RESEND_SECONDS = 60;
/** A day's codes to one phone for one requester, and from one address. */
export const CODES_PER_REQUESTER = 5;
/** A day's codes to one phone in all: above what one requester or address may use up. */
export const CODES_PER_PHONE = 15;
const LOCKED = "验证码错误次数过多，已失效。请点击“重新获取验证码”。";

/** Who asks for a code: `chat:<id>` (a web chat) or `page:<claim>:<address>` (the owner page), and from which address. */
export interface CodeRequester {
  key: string;
  address: string | null;
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

/** Sends a new code to the phone for the requester, unless it had one less than a minute ago or the day's codes are used up. */
export async function sendPhoneCode(phone: string, requester: CodeRequester): Promise<Outcome> {
  const now = clock.now();
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const refusal = await db().transaction(async (tx): Promise<Outcome | null> => {
    // One request per phone at a time, so two at once cannot both pass the counts.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`phone_code:${phone}`}))`);
    const today = await tx
      .select()
      .from(phoneCodes)
      .where(and(eq(phoneCodes.phone, phone), gt(phoneCodes.createdAt, new Date(now.getTime() - 24 * 3600_000))))
      .orderBy(desc(phoneCodes.createdAt));
    const mine = today.filter((c) => c.requester === requester.key);
    const since = mine.length ? (now.getTime() - mine[0].createdAt.getTime()) / 1000 : Infinity;
    if (since < RESEND_SECONDS) {
      // Pending only while that code can still be used: a locked one is not "sent a moment ago, type it".
      const last = mine[0];
      const usable = !last.usedAt && last.attempts < CODE_TRIES && last.expiresAt > now;
      return { ok: false, pending: usable, message: `验证码刚刚发送过，请 ${Math.ceil(RESEND_SECONDS - since)} 秒后再重新获取。` };
    }
    const fromAddress = requester.address ? today.filter((c) => c.address === requester.address).length : 0;
    if (mine.length >= CODES_PER_REQUESTER || fromAddress >= CODES_PER_REQUESTER)
      return { ok: false, message: "获取验证码的次数已达今日上限，请明天再试，或拨打服务热线办理。" };
    if (today.length >= CODES_PER_PHONE)
      return { ok: false, message: "该手机号今天获取验证码的次数已达上限，请明天再试，或拨打服务热线办理。" };
    // A new code retires the requester's earlier ones (never another requester's).
    await tx
      .update(phoneCodes)
      .set({ usedAt: now })
      .where(and(eq(phoneCodes.phone, phone), eq(phoneCodes.requester, requester.key), isNull(phoneCodes.usedAt)));
    await tx.insert(phoneCodes).values({
      phone,
      requester: requester.key,
      address: requester.address,
      codeHash: hashCode(phone, code),
      expiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000),
      createdAt: now,
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
  return { ok: true };
}

/** Checks a code typed for the phone by the requester that asked for it; each wrong one uses up a try of that code. */
export async function checkPhoneCode(phone: string, code: string, requester: CodeRequester): Promise<Outcome> {
  const now = clock.now();
  return db().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(phoneCodes)
      .where(
        and(eq(phoneCodes.phone, phone), eq(phoneCodes.requester, requester.key), isNull(phoneCodes.usedAt), gt(phoneCodes.expiresAt, now)),
      )
      .orderBy(desc(phoneCodes.createdAt))
      .limit(1)
      .for("update");
    if (!row) return { ok: false, spent: true, message: "验证码已失效，请点击“重新获取验证码”。" };
    if (row.attempts >= CODE_TRIES) return { ok: false, spent: true, message: LOCKED };
    if (!matches(row.codeHash, phone, code)) {
      const attempts = row.attempts + 1;
      await tx.update(phoneCodes).set({ attempts }).where(eq(phoneCodes.id, row.id));
      const left = CODE_TRIES - attempts;
      return left > 0 ? { ok: false, message: `验证码不正确，还可以再试 ${left} 次。` } : { ok: false, spent: true, message: LOCKED };
    }
    await tx.update(phoneCodes).set({ usedAt: now }).where(eq(phoneCodes.id, row.id));
    return { ok: true };
  });
}
