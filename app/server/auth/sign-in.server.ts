import { formatRetryTime } from "~/shared/time";
import { eq, sql } from "drizzle-orm";
import { organisations, users } from "@db/schema";
import { recordAudit } from "../audit.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { TooManyAttemptsError, UnauthenticatedError } from "../errors.server";
import { anonymousActor, type Actor } from "./actor";
import { loadActor } from "./current-user.server";
import { verifyAgainstNothing, verifyPassword } from "./password.server";
import { endSession, openSession } from "./sessions.server";
import {
  ACCOUNT_LOCKED,
  ADDRESS_LOCKED,
  LOGIN_FAILED,
  LOGIN_REFUSED_ADDRESS,
  LOGIN_REFUSED_LOCKED,
  LOGIN_SUCCEEDED,
  MAX_ADDRESS_FAILURES,
  MAX_FAILURES,
  lockedUntil,
  recentAddressFailures,
  recentFailures,
} from "./throttle.server";

export interface SignInInput {
  username: string;
  password: string;
  ip: string | null;
}

export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Said to one who signs in with the right password before an administrator approved the organisation. */
export const PENDING_ORGANISATION = "所在单位尚待平台审核，审核通过后方可登录，请联系平台管理员";

type Outcome = { ok: true; actor: Actor } | { ok: false; error: UnauthenticatedError | TooManyAttemptsError };

/**
 * Checks the credentials and opens a session. Attempts on one account are serialised by an
 * advisory lock, so parallel guesses cannot slip past the throttle. Failures are audited (and
 * committed) before the error is thrown.
 */
export async function signIn(input: SignInInput): Promise<{ actor: Actor; sessionId: string }> {
  // No account has a name over 64 characters (at most 32) and no password is over 1024: such an
  // attempt is a failure like any other, after the same locks, only its name is kept to 64
  // characters in the audit trail (a megabyte of name would not fit its index) and nothing but
  // its first 1024 characters is ever hashed.
  const typed = normaliseUsername(input.username);
  const impossible = typed.length > 64 || input.password.length > 1024;
  const username = typed.slice(0, 64);
  const attempt = anonymousActor(username, input.ip);
  const { ip } = input;
  const outcome = await db().transaction(async (tx): Promise<Outcome> => {
    // The address first, then the account: one order, so two attempts never wait on each other crosswise.
    if (ip) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"login-address:" + ip}))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"login:" + username}))`);
    const now = clock.now();
    const fromAddress = ip ? await recentAddressFailures(tx, ip, now) : [];
    const addressRetryAt = lockedUntil(fromAddress, MAX_ADDRESS_FAILURES);
    if (addressRetryAt) {
      await recordAudit(tx, attempt, { action: LOGIN_REFUSED_ADDRESS, subjectType: "account", subjectId: username });
      return { ok: false, error: addressLockedError(addressRetryAt) };
    }
    const failures = await recentFailures(tx, username, now);
    const retryAt = lockedUntil(failures);
    if (retryAt) {
      await recordAudit(tx, attempt, { action: LOGIN_REFUSED_LOCKED, subjectType: "account", subjectId: username });
      return { ok: false, error: lockedError(retryAt) };
    }

    const [row] = impossible
      ? []
      : await tx
          .select({ user: users, organisationStatus: organisations.status })
          .from(users)
          .innerJoin(organisations, eq(users.organisationId, organisations.id))
          .where(eq(users.username, username));
    const passwordOk = row
      ? await verifyPassword(row.user.passwordHash, input.password)
      : await verifyAgainstNothing(input.password.slice(0, 1024));

    if (!row || !passwordOk) {
      await recordAudit(tx, attempt, { action: LOGIN_FAILED, subjectType: "account", subjectId: username });
      const addressUntil = ip ? lockedUntil([now, ...fromAddress], MAX_ADDRESS_FAILURES) : null;
      if (addressUntil) {
        await recordAudit(tx, attempt, {
          action: ADDRESS_LOCKED,
          subjectType: "address",
          subjectId: ip!,
          after: { lockedUntil: addressUntil.toISOString() },
        });
        return { ok: false, error: addressLockedError(addressUntil) };
      }
      if (failures.length + 1 >= MAX_FAILURES) {
        const until = lockedUntil([now, ...failures])!;
        await recordAudit(tx, attempt, {
          action: ACCOUNT_LOCKED,
          subjectType: "account",
          subjectId: username,
          after: { lockedUntil: until.toISOString() },
        });
        return { ok: false, error: lockedError(until) };
      }
      // Near the lock, say how near: the account's count, or the address's if that is nearer.
      const left = Math.min(MAX_FAILURES - failures.length - 1, ip ? MAX_ADDRESS_FAILURES - fromAddress.length - 1 : Infinity);
      return { ok: false, error: new UnauthenticatedError(wrongPasswordMessage(left)) };
    }
    // Only a caller who knows the password learns that the account is disabled, or its
    // organisation not yet approved (its API keys are refused alike).
    if (row.user.status !== "active" || row.organisationStatus === "disabled") {
      await recordAudit(tx, attempt, {
        action: "auth.login_refused_disabled",
        subjectType: "account",
        subjectId: username,
      });
      return { ok: false, error: new UnauthenticatedError("该账号已停用，请联系平台管理员") };
    }
    if (row.organisationStatus !== "active") {
      await recordAudit(tx, attempt, { action: "auth.login_refused_pending", subjectType: "account", subjectId: username });
      return { ok: false, error: new UnauthenticatedError(PENDING_ORGANISATION) };
    }

    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, row.user.id));
    const actor = (await loadActor(tx, row.user.id, input.ip))!;
    await recordAudit(tx, actor, { action: LOGIN_SUCCEEDED, subjectType: "account", subjectId: username });
    return { ok: true, actor };
  });
  if (!outcome.ok) throw outcome.error;
  return { actor: outcome.actor, sessionId: await openSession(db(), outcome.actor.userId!) };
}

/** Tries left are told once there are this few: enough warning, and no count to aim at from the first try. */
const TELL_TRIES_LEFT = 3;

/** The same for an account that does not exist: the count is kept by the name typed, whatever it is. */
function wrongPasswordMessage(triesLeft: number): string {
  return triesLeft <= TELL_TRIES_LEFT ? `用户名或密码错误，还可尝试 ${triesLeft} 次，再错将暂时锁定` : "用户名或密码错误";
}

function lockedError(retryAt: Date): TooManyAttemptsError {
  return new TooManyAttemptsError(`登录失败次数过多，账号已暂时锁定，请于 ${formatRetryTime(retryAt)} 后再试`, retryAt);
}

function addressLockedError(retryAt: Date): TooManyAttemptsError {
  return new TooManyAttemptsError(`您所在的网络登录失败次数过多，已暂停从该网络登录，请于 ${formatRetryTime(retryAt)} 后再试`, retryAt);
}

export async function signOut(sessionId: string, actor: Actor): Promise<void> {
  await endSession(db(), sessionId);
  await recordAudit(db(), actor, { action: "auth.logout", subjectType: "account", subjectId: actor.username });
}
