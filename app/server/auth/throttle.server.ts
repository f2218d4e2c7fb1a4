import { and, desc, eq, gt, inArray } from "drizzle-orm";
import { auditEvents } from "@db/schema";
import type { Executor } from "@db/client";

// Login throttle, kept in the audit trail itself (no second store, works across processes):
// 5 failures for one account within 15 minutes, with no successful login since, lock the
// account until the oldest of those failures is 15 minutes old. From one address, 20 failures
// within 15 minutes, whichever names they tried, lock the address the same way (a success does not
// unlock it: one guesser with one real account must not reset the count).
export const MAX_FAILURES = 5;
export const MAX_ADDRESS_FAILURES = 20;
export const WINDOW_MS = 15 * 60 * 1000;

export const LOGIN_SUCCEEDED = "auth.login";
export const LOGIN_FAILED = "auth.login_failed";
export const ACCOUNT_LOCKED = "auth.account_locked";
export const LOGIN_REFUSED_LOCKED = "auth.login_refused_locked";
export const ADDRESS_LOCKED = "auth.address_locked";
export const LOGIN_REFUSED_ADDRESS = "auth.login_refused_address";

export async function recentFailures(ex: Executor, username: string, now: Date): Promise<Date[]> {
  const rows = await ex
    .select({ action: auditEvents.action, at: auditEvents.at })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.subjectType, "account"),
        eq(auditEvents.subjectId, username),
        inArray(auditEvents.action, [LOGIN_FAILED, LOGIN_SUCCEEDED]),
        gt(auditEvents.at, new Date(now.getTime() - WINDOW_MS)),
      ),
    )
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(MAX_FAILURES);
  const failures: Date[] = [];
  for (const row of rows) {
    if (row.action === LOGIN_SUCCEEDED) break;
    failures.push(row.at);
  }
  return failures;
}

/** The failed sign-ins from one address within the window, newest first (at most as many as lock it). */
export async function recentAddressFailures(ex: Executor, ip: string, now: Date): Promise<Date[]> {
  const rows = await ex
    .select({ at: auditEvents.at })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, LOGIN_FAILED), eq(auditEvents.ip, ip), gt(auditEvents.at, new Date(now.getTime() - WINDOW_MS))))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(MAX_ADDRESS_FAILURES);
  return rows.map((r) => r.at);
}

/** When the account (or, with its limit, the address) may try again, or null if it is not locked. */
export function lockedUntil(failures: Date[], limit = MAX_FAILURES): Date | null {
  if (failures.length < limit) return null;
  const oldest = failures[limit - 1];
  return new Date(oldest.getTime() + WINDOW_MS);
}
