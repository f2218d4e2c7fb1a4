import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { ORGANISATION_STATUSES, ORGANISATION_TYPES } from "./roles";

export const organisations = pgTable(
  "organisations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: text("type", { enum: ORGANISATION_TYPES }).notNull(),
    name: text("name").notNull(),
    // 统一社会信用代码, validated by app/server/reference/credit-code.ts
    creditCode: text("credit_code").notNull(),
    contactPerson: text("contact_person"),
    contactPhone: text("contact_phone"),
    address: text("address"),
    // Administrative division code of a Kunming district or zone (5301xx)
    district: text("district"),
    status: text("status", { enum: ORGANISATION_STATUSES }).notNull().default("active"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("organisations_credit_code_key").on(t.creditCode),
    index("organisations_type_idx").on(t.type),
    index("organisations_name_idx").on(sql`lower(${t.name})`),
  ],
);

export type Organisation = typeof organisations.$inferSelect;
