import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { and, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { phoneCodes } from "@db/schema";
import { clock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import type { Outcome } from "../dialogue/types";
import { smsSender } from "./sender";

// One-time codes that prove a web chat's owner holds the phone: six digits, kept hashed, valid for
// five minutes and five tries, at most one new code per phone per minute and ten a day (nobody
// can make the platform text a stranger's phone all day).

export const CODE_MINUTES = 5;
export const CODE_TRIES = 5;
const RESEND_SECONDS = 60;
export const CODES_PER_DAY = 10;
const LOCKED = "验证码错误次数过多，已失效。请点击“重新获取验证码”。";

function hashCode(phone: string, code: string, salt = randomBytes(16).toString("hex")): string {
  return `${salt}:${createHash("sha256").update(`${salt}:${phone}:${code}`).digest("hex")}`;
}

function matches(stored: string, phone: string, code: string): boolean {
  const [salt] = stored.split(":");
  const a = Buffer.from(hashCode(phone, code, salt));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Sends a new code to the phone, unless one went out less than a minute ago. */
export async function sendPhoneCode(phone: string): Promise<Outcome> {
  const now = clock.now();
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const refusal = await db().transaction(async (tx): Promise<Outcome | null> => {
    // One request per phone at a time, so two at once cannot both pass the minute's check.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`phone_code:${phone}`}))`);
    const [last] = await tx.select().from(phoneCodes).where(eq(phoneCodes.phone, phone)).orderBy(desc(phoneCodes.createdAt)).limit(1);
    const since = last ? (now.getTime() - last.createdAt.getTime()) / 1000 : Infinity;
    if (since < RESEND_SECONDS) {
      // Pending only while that code can still be used: a locked one is not "sent a moment ago, type it".
      const usable = !last.usedAt && last.attempts < CODE_TRIES && last.expiresAt > now;
      return { ok: false, pending: usable, message: `验证码刚刚发送过，请 ${Math.ceil(RESEND_SECONDS - since)} 秒后再重新获取。` };
    }
    const [today] = await tx
      .select({ n: count() })
      .from(phoneCodes)
      .where(and(eq(phoneCodes.phone, phone), gt(phoneCodes.createdAt, new Date(now.getTime() - 24 * 3600_000))));
    if (today.n >= CODES_PER_DAY) return { ok: false, message: "该手机号今天获取验证码的次数已达上限，请明天再试，或拨打服务热线办理。" };
    // A new code retires the phone's earlier ones.
    await tx
      .update(phoneCodes)
      .set({ usedAt: now })
      .where(and(eq(phoneCodes.phone, phone), isNull(phoneCodes.usedAt)));
    await tx.insert(phoneCodes).values({
      phone,
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

/** Checks a code typed for the phone; each wrong one uses up a try. */
export async function checkPhoneCode(phone: string, code: string): Promise<Outcome> {
  const now = clock.now();
  return db().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(phoneCodes)
      .where(and(eq(phoneCodes.phone, phone), isNull(phoneCodes.usedAt), gt(phoneCodes.expiresAt, now)))
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
