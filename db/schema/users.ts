import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations";
import { ROLES, USER_STATUSES } from "./roles";

export const users = pgTable(
  "users",
  {
    // text ids: the platform's first session store (lucia) worked with string user ids
    id: text("id").primaryKey(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    phone: text("phone"),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    roles: text("roles", { enum: ROLES }).array().notNull(),
    passwordHash: text("password_hash").notNull(),
    status: text("status", { enum: USER_STATUSES }).notNull().default("active"),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    // Bumped on every edit; edits carry the version they were made from (compare-and-set).
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_username_key").on(t.username), index("users_organisation_idx").on(t.organisationId)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // lucia's own end of the session, on the machine's clock: the outer bound only.
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    // When the user signed in: a session never outlives SESSION_MAX_HOURS from here, however busy.
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    // The last request it served (kept to the minute): SESSION_IDLE_MINUTES after this, it has ended.
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export type User = typeof users.$inferSelect;
