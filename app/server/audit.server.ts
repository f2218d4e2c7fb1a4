import { and, eq, max } from "drizzle-orm";
import { auditEvents } from "@db/schema";
import type { Executor } from "@db/client";
import type { AuditAction } from "~/shared/audit-actions";
import type { Actor } from "./auth/actor";
import { clock } from "./clock.server";
import { immediateWrites, type Writes } from "./writes.server";

export interface AuditEntry {
  /** One of the actions the audit log can name (app/shared/audit-actions.ts). */
  action: AuditAction;
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Writes the audit event of a state change, inside the transaction that made the change (with
 * its other writes, when it gathers them: writes.server.ts).
 */
export async function recordAudit(ex: Executor, actor: Actor, entry: AuditEntry, writes: Writes = immediateWrites): Promise<void> {
  await writes.add(
    ex.insert(auditEvents).values({
      at: clock.now(),
      actorUserId: actor.userId,
      actorName: actor.displayName,
      organisationId: actor.organisationId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      before: entry.before ?? null,
      after: entry.after ?? null,
      ip: actor.ip,
    }),
  );
}

/** When `action` was last recorded on a subject (a claim last sent back by its owner), or null. */
export async function lastRecorded(ex: Executor, action: AuditAction, subjectId: string): Promise<Date | null> {
  const [row] = await ex
    .select({ at: max(auditEvents.at) })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.subjectId, subjectId)));
  return row?.at ?? null;
}
