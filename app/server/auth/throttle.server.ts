import { and, desc, eq, gt, inArray } from "drizzle-orm";
import { auditEvents } from "@db/schema";
import type { Executor } from "@db/client";

// Login throttle, kept in the audit trail itself (no second store, works across processes):
// 5 failures for one account within 15 minutes, with no successful login since, lock the
// account until the oldest of those failures is 15 minutes old.
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;

export const LOGIN_SUCCEEDED = "auth.login";
export const LOGIN_FAILED = "auth.login_failed";
export const ACCOUNT_LOCKED = "auth.account_locked";
export const LOGIN_REFUSED_LOCKED = "auth.login_refused_locked";

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

/** When the account may try again, or null if it is not locked. */
export function lockedUntil(failures: Date[]): Date | null {
  if (failures.length < MAX_FAILURES) return null;
  const oldest = failures[failures.length - 1];
  return new Date(oldest.getTime() + WINDOW_MS);
}
