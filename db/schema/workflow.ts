import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations";
import { INSTANCE_STATUSES, type InstanceStatus } from "./codes";
export { INSTANCE_STATUSES, type InstanceStatus };

// A deployed version of a BPMN diagram. Versions are never changed; a deploy adds the next one.
export const processDefinitions = pgTable(
  "process_definitions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    xml: text("xml").notNull(),
    checksum: text("checksum").notNull(),
    // The version of each form its user tasks use, fixed when it was deployed.
    formVersions: jsonb("form_versions").$type<Record<string, number>>().notNull().default({}),
    deployedBy: text("deployed_by"),
    deployedByName: text("deployed_by_name").notNull(),
    deployedAt: timestamp("deployed_at", { withTimezone: true }).notNull().defaultNow(),
    // Why an administrator deployed this version (required of them); null for the platform's own
    // deploys of processes/ at start-up.
    reason: text("reason"),
  },
  (t) => [uniqueIndex("process_definitions_key_version_key").on(t.key, t.version)],
);

// The draft an administrator is drawing for a definition, kept on the server between visits: one
// current draft per key (docs/decisions/035). `version` guards against two administrators saving
// over each other; deploying the draft deletes it.
export const processDrafts = pgTable("process_drafts", {
  key: text("key").primaryKey(),
  xml: text("xml").notNull(),
  // The deployed version the draft started from; null for a process not deployed yet.
  basedOnVersion: integer("based_on_version"),
  version: integer("version").notNull().default(1),
  updatedBy: text("updated_by").notNull(),
  updatedByName: text("updated_by_name").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

// One running (or finished) flow: the engine's state as JSON, recovered for every step.
export const processInstances = pgTable(
  "process_instances",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    definitionId: uuid("definition_id")
      .notNull()
      .references(() => processDefinitions.id),
    definitionKey: text("definition_key").notNull(),
    definitionVersion: integer("definition_version").notNull(),
    // What the flow is about: the project, policy or claim (type and id), shown in inboxes.
    businessKey: text("business_key").notNull(),
    businessType: text("business_type").notNull(),
    title: text("title").notNull(),
    // The parties of the business object by role (role -> organisation id): who must act on a task.
    parties: jsonb("parties").$type<Record<string, string>>().notNull().default({}),
    status: text("status", { enum: INSTANCE_STATUSES }).notNull().default("running"),
    state: jsonb("state").notNull(),
    // What failed and with what input, so an administrator can see it and retry.
    incident: jsonb("incident").$type<Incident | null>(),
    rowVersion: integer("row_version").notNull().default(1),
    startedBy: text("started_by"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("process_instances_status_idx").on(t.status),
    index("process_instances_business_idx").on(t.businessType, t.businessKey),
    index("process_instances_definition_idx").on(t.definitionKey, t.definitionVersion),
  ],
);

export interface Incident {
  at: string;
  message: string;
  /** What was being done: a task completion (with its submission) or a timer firing. */
  cause: { kind: "task"; taskId: string; userId: string | null; submission: unknown } | { kind: "timer"; timerId: string };
  /** What only administrators see: the underlying error (a database message, a stack's first line). */
  detail?: string;
}

export const TASK_STATUSES = ["open", "completed", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * What taking back a completed step restores (tasks.recall), or why its completion cannot be taken
 * back (a service task ran in it, the step is an iteration of 会签/或签 or inside a subprocess…).
 */
export type TaskRecall =
  | {
      /** The instance's engine state before the completion. */
      state: unknown;
      /** The instance's row version the completion saved: any later step changes it. */
      rowVersion: number;
      /** The timer rows pending before the completion (the step's own, which it cancelled, among them). */
      timers: string[];
    }
  | { refused: string };

// One row per waiting user task: what the inbox reads (never the engine).
export const tasks = pgTable(
  "tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    instanceId: uuid("instance_id")
      .notNull()
      .references(() => processInstances.id),
    elementId: text("element_id").notNull(),
    executionId: text("execution_id").notNull(),
    name: text("name").notNull(),
    formKey: text("form_key").notNull(),
    formVersion: integer("form_version"),
    candidateRoles: text("candidate_roles").array().notNull(),
    // The organisation that must act, from the instance's parties; null: any of the candidate roles.
    organisationId: uuid("organisation_id").references(() => organisations.id),
    assigneeId: text("assignee_id"),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("open"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    dueAt: timestamp("due_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    completedBy: text("completed_by"),
    completedByName: text("completed_by_name"),
    submission: jsonb("submission"),
    comment: text("comment"),
    // 撤回 of a completed step (docs/decisions/038): what its completion changed, kept on the row
    // while it may be taken back (the engine state before it, the instance's row version after
    // it, the timers pending before it); null once it may not (a service ran, a later completion).
    recall: jsonb("recall").$type<TaskRecall>(),
  },
  (t) => [
    uniqueIndex("tasks_instance_execution_key").on(t.instanceId, t.executionId),
    // An organisation's open tasks. Partial: a condition on another status (a step's earlier
    // completions) must go by its instance, and a leading status column tempted the planner into
    // scanning every completed task when its statistics still said there were none (decision 053).
    index("tasks_open_idx")
      .on(t.organisationId)
      .where(sql`status = 'open'`),
    index("tasks_assignee_idx").on(t.assigneeId, t.status),
    index("tasks_instance_idx").on(t.instanceId, t.createdAt),
    // The heatmap reads the steps opened in a period (docs/decisions/037): a month of a city's ten
    // years is a range of this index, not a scan of every task.
    index("tasks_created_idx").on(t.createdAt),
    // 待办 in its order (due first): the first page of an organisation's thousands of open tasks.
    index("tasks_open_due_idx")
      .on(t.dueAt.asc().nullsLast(), t.createdAt)
      .where(sql`status = 'open'`),
  ],
);

// Durable timers: a row per armed timer of an instance, fired by whichever app process claims it.
export const workflowTimers = pgTable(
  "workflow_timers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    instanceId: uuid("instance_id")
      .notNull()
      .references(() => processInstances.id),
    elementId: text("element_id").notNull(),
    executionId: text("execution_id").notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    status: text("status", { enum: ["pending", "fired", "cancelled"] })
      .notNull()
      .default("pending"),
    firedAt: timestamp("fired_at", { withTimezone: true }),
    // A timer whose step failed waits until next_attempt_at (backoff) and becomes an incident after
    // its last attempt, so one bad timer never holds up the others.
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("workflow_timers_pending_key")
      .on(t.instanceId, t.executionId)
      .where(sql`status = 'pending'`),
    index("workflow_timers_due_idx")
      .on(t.dueAt)
      .where(sql`status = 'pending'`),
  ],
);

export type ProcessDefinition = typeof processDefinitions.$inferSelect;
export type ProcessDraft = typeof processDrafts.$inferSelect;
export type ProcessInstance = typeof processInstances.$inferSelect;
export type Task = typeof tasks.$inferSelect;
export type WorkflowTimer = typeof workflowTimers.$inferSelect;

// 抄送: a flow copied to an organisation (a party of it, or the bureau), which then reads it (its
// page, history and submissions) without acting on it; one row per flow and organisation
// (docs/decisions/038). The scope function reads it (docs/decisions/003).
export const instanceCopies = pgTable(
  "instance_copies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    instanceId: uuid("instance_id")
      .notNull()
      .references(() => processInstances.id),
    /** The task it was copied from. */
    taskId: uuid("task_id").references(() => tasks.id),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    copiedBy: text("copied_by").notNull(),
    copiedByName: text("copied_by_name").notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("instance_copies_instance_organisation_key").on(t.instanceId, t.organisationId),
    index("instance_copies_organisation_idx").on(t.organisationId),
  ],
);

export const SIGN_KINDS = ["before", "after"] as const;
export const SIGN_STATUSES = ["open", "approved", "returned", "cancelled"] as const;

// 加签: the holder of an open task asks a signer (a colleague, or an organisation: a party of the
// flow or the bureau) for an opinion before (前加签) or after (后加签) they complete it
// (docs/decisions/039). While a sign is open the task cannot be completed; a 后加签 keeps the
// holder's checked submission here, which completes the task once the signer approves.
export const taskSigns = pgTable(
  "task_signs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id),
    instanceId: uuid("instance_id")
      .notNull()
      .references(() => processInstances.id),
    kind: text("kind", { enum: SIGN_KINDS }).notNull(),
    /** The signer's organisation; with `userId` one person of it, otherwise any of its users. */
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    userId: text("user_id"),
    status: text("status", { enum: SIGN_STATUSES }).notNull().default("open"),
    note: text("note"),
    /** 后加签: the holder's checked submission and 办理意见, completed on approval, the form's prefill on return. */
    submission: jsonb("submission").$type<Record<string, unknown>>(),
    comment: text("comment"),
    askedBy: text("asked_by").notNull(),
    askedByName: text("asked_by_name").notNull(),
    opinion: text("opinion"),
    answeredBy: text("answered_by"),
    answeredByName: text("answered_by_name"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("task_signs_task_idx").on(t.taskId, t.status), index("task_signs_open_idx").on(t.status, t.organisationId)],
);

export type TaskSign = typeof taskSigns.$inferSelect;
