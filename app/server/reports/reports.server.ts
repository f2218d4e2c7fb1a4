import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { reports, users } from "@db/schema";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";

// The reports sent to the regulators, with their history: who or what made each (its flow's timer
// or a person's 生成报告), when, for which period and with data up to when. City-wide figures: the
// bureau, the insurance regulator and the platform's administrators only.

const made = {
  id: reports.id,
  kind: reports.kind,
  periodKind: reports.periodKind,
  title: reports.title,
  periodStart: reports.periodStart,
  periodEnd: reports.periodEnd,
  cutOff: reports.cutOff,
  createdAt: reports.createdAt,
  /** The person who asked for it; null when its flow's timer made it. */
  requestedBy: users.displayName,
};

/** The reports, newest period first. */
export async function listReports(actor: Actor) {
  assertCan(actor, "read:reports");
  return db()
    .select(made)
    .from(reports)
    .leftJoin(users, eq(users.id, reports.requestedBy))
    .orderBy(desc(reports.periodEnd), desc(reports.createdAt))
    .limit(200);
}

export async function getReport(actor: Actor, id: string) {
  assertCan(actor, "read:reports");
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("报表不存在");
  const [report] = await db()
    .select({ ...made, data: reports.data })
    .from(reports)
    .leftJoin(users, eq(users.id, reports.requestedBy))
    .where(eq(reports.id, id));
  if (!report) throw new NotFoundError("报表不存在");
  return report;
}
