import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

// Periodic reports the platform builds for the regulators (承保汇总; the monthly, quarterly and
// yearly statistical reports), kept as they were when built so a report never changes after it
// was sent: its figures are stored, not read again.
export const reports = pgTable(
  "reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    data: jsonb("data").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** A statistical report's period: month, quarter or year (none for the underwriting summary). */
    periodKind: text("period_kind"),
    /** When its figures were read: nothing that happened after is in them. */
    cutOff: timestamp("cut_off", { withTimezone: true }),
    /** Who asked for it (生成报告); none when its flow's timer made it. */
    requestedBy: text("requested_by").references(() => users.id),
  },
  (t) => [
    index("reports_kind_idx").on(t.kind, t.periodEnd),
    // One statistical report per period: a second request for it finds this one.
    uniqueIndex("reports_period_idx")
      .on(t.kind, t.periodKind, t.periodStart)
      .where(sql`period_kind is not null`),
  ],
);

export type Report = typeof reports.$inferSelect;
