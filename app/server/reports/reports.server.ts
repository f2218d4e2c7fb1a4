import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { reports } from "@db/schema";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";

/** The periodic reports sent to the regulator, newest first. City-wide figures: regulator and admin only. */
export async function listReports(actor: Actor) {
  assertCan(actor, "read:reports");
  return db()
    .select({ id: reports.id, kind: reports.kind, title: reports.title, periodStart: reports.periodStart, periodEnd: reports.periodEnd })
    .from(reports)
    .orderBy(desc(reports.periodEnd))
    .limit(60);
}

export async function getReport(actor: Actor, id: string) {
  assertCan(actor, "read:reports");
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("报表不存在");
  const [report] = await db().select().from(reports).where(eq(reports.id, id));
  if (!report) throw new NotFoundError("报表不存在");
  return report;
}
