import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

// A deployed version of a form schema (Formily JSON schema). Versions are never changed; process
// definitions pin the versions of the forms they use, and each task renders its pinned version.
export const formDefinitions = pgTable(
  "form_definitions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    schema: jsonb("schema").$type<Record<string, unknown>>().notNull(),
    checksum: text("checksum").notNull(),
    deployedBy: text("deployed_by"),
    deployedByName: text("deployed_by_name").notNull(),
    deployedAt: timestamp("deployed_at", { withTimezone: true }).notNull().defaultNow(),
    // Why an administrator published it (the editor and the API require one); null for the
    // platform's own deployments of forms/ at start-up.
    reason: text("reason"),
  },
  (t) => [uniqueIndex("form_definitions_key_version_key").on(t.key, t.version)],
);

export type FormDefinition = typeof formDefinitions.$inferSelect;
