import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

// Periodic reports the platform builds for the regulator (承保汇总, later risk and claims), kept as
// they were when built so a report never changes after it was sent.
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
  },
  (t) => [index("reports_kind_idx").on(t.kind, t.periodEnd)],
);

export type Report = typeof reports.$inferSelect;
