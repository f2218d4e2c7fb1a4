import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations";
import { ROLES } from "./roles";

// Keys an organisation's own systems (e.g. an insurer's core system) use on the REST API. Only a
// hash is stored; the key itself is shown once, when it is made.
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    roles: text("roles", { enum: ROLES }).array().notNull(),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_hash_idx").on(t.keyHash), index("api_keys_organisation_idx").on(t.organisationId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
