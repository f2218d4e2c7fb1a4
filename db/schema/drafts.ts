import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";
import { tasks } from "./workflow";

// What a user has typed into an open task's form and not yet submitted (草稿): one row per task and
// user, overwritten as they type, deleted when the task closes. Not business state: never audited.
export const taskDrafts = pgTable(
  "task_drafts",
  {
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    values: jsonb("values").$type<Record<string, unknown>>().notNull(),
    // The form version the values were typed into: a draft of another version is not restored.
    formVersion: integer("form_version"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.userId] })],
);

export type TaskDraft = typeof taskDrafts.$inferSelect;
