import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, organisations, type AuditEvent } from "@db/schema";
import { dayStarts, shiftDay } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import {
  dayFilter,
  likePattern,
  listParams,
  offsetOf,
  pageSchema,
  periodInOrder,
  searchText,
  type Page,
} from "../pagination.server";
import { organisationNameLike } from "../organisations/name-search.server";
import { describeAuditEvents, type AuditLine } from "./audit-view.server";

// A filter it cannot read is refused on its field (422), never dropped to show the whole log.
const listSchema = pageSchema
  .extend({
    q: searchText(),
    action: z.string().trim().max(60, "操作不存在").optional(),
    from: dayFilter("开始日期"),
    to: dayFilter("结束日期"),
  })
  .refine(...periodInOrder("开始日期", "结束日期"));

export type AuditRow = AuditEvent & { organisationName: string | null };

/** A page of the audit log as its reader reads it (names, labels, before/after), newest first. */
export async function listAuditEvents(actor: Actor, query: unknown): Promise<Page<AuditLine>> {
  assertCan(actor, "read:audit");
  const q = listParams(listSchema, query);
  const filters: (SQL | undefined)[] = [scope(actor, "audit_event")];
  if (q.q) {
    const p = likePattern(q.q);
    filters.push(or(ilike(auditEvents.actorName, p), ilike(auditEvents.subjectId, p), organisationNameLike(organisations.name, q.q)));
  }
  if (q.action) filters.push(eq(auditEvents.action, q.action));
  if (q.from) filters.push(gte(auditEvents.at, dayStarts(q.from)));
  if (q.to) filters.push(lt(auditEvents.at, dayStarts(shiftDay(q.to, 1, "day"))));
  const where = and(...filters);
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({ event: auditEvents, organisationName: organisations.name })
      .from(auditEvents)
      .leftJoin(organisations, eq(auditEvents.organisationId, organisations.id))
      .where(where)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db()
      .select({ total: count() })
      .from(auditEvents)
      .leftJoin(organisations, eq(auditEvents.organisationId, organisations.id))
      .where(where),
  ]);
  const lines = await describeAuditEvents(rows.map((r) => ({ ...r.event, organisationName: r.organisationName })));
  return { rows: lines, total, page: q.page, pageSize: q.pageSize };
}
