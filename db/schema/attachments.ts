import { bigint, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

// Uploaded files: stored under ATTACHMENTS_DIR by id; the row keeps who, when, what and its checksum.
// A file is first the uploader's alone; submitting it with a form links it to that task.
export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    uploadedByName: text("uploaded_by_name").notNull(),
    organisationId: uuid("organisation_id"),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("attachments_subject_idx").on(t.subjectType, t.subjectId), index("attachments_uploader_idx").on(t.uploadedBy)],
);

// Remarks on a task (or, later, on any subject), in the order they were made.
export const comments = pgTable(
  "comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    authorId: text("author_id").notNull(),
    authorName: text("author_name").notNull(),
    organisationId: uuid("organisation_id"),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("comments_subject_idx").on(t.subjectType, t.subjectId, t.createdAt)],
);

export type Attachment = typeof attachments.$inferSelect;
export type Comment = typeof comments.$inferSelect;
