import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

// Every state change writes one row here: who, their organisation, what, on which subject,
// a before/after summary, when and from which address. Rows are never updated or deleted.
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: text("actor_user_id"),
    actorName: text("actor_name").notNull(),
    organisationId: uuid("organisation_id"),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    ip: text("ip"),
  },
  (t) => [
    index("audit_events_at_idx").on(t.at),
    index("audit_events_subject_idx").on(t.subjectType, t.subjectId, t.at),
    index("audit_events_action_idx").on(t.action, t.subjectId, t.at),
    // Throttles that count an action from one address (failed sign-ins, owners' claim lookups).
    index("audit_events_action_ip_idx").on(t.action, t.ip, t.at),
    index("audit_events_organisation_idx").on(t.organisationId, t.at),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
