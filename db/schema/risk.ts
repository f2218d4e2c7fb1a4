import { sql } from "drizzle-orm";
import {
  bigint,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { BUILDING_PARTS } from "./building-parts";
import { organisations } from "./organisations";
import { projects } from "./projects";
import { RISK_LEVELS, type RiskLevel, RISK_EVENT_STATUSES, type RiskEventStatus } from "./codes";
export { RISK_LEVELS, type RiskLevel, RISK_EVENT_STATUSES, type RiskEventStatus };

// 风险管理: what the TIS finds on site and how it is put right. Coded values; their Chinese names
// are in app/shared/risk-labels.ts.

/** Where an event was found: a site inspection, or the re-inspection in the warranty period. */
export const RISK_EVENT_SOURCES = ["inspection", "reinspection"] as const;
export type RiskEventSource = (typeof RISK_EVENT_SOURCES)[number];

/** Where an event is still to be put right: neither 已销项 nor 已终止. */
export const ACTIVE_RISK_EVENT_STATUSES = ["open", "rectifying", "awaiting_review"] as const satisfies readonly RiskEventStatus[];

/** Who must put an event right: the builder by default, another party when the TIS says so. */
export const RECTIFIER_ROLES = ["contractor", "developer", "supervisor", "designer"] as const;
export type RectifierRole = (typeof RECTIFIER_ROLES)[number];

export const RISK_REPORT_KINDS = ["plan", "assessment", "final", "revisit", "reinspection"] as const;
export type RiskReportKind = (typeof RISK_REPORT_KINDS)[number];

export type FileRef = { id: string; name: string; size: number };

// A site inspection at a key stage (现场风险检查), as the TIS recorded it.
export const inspections = pgTable(
  "inspections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    tisId: uuid("tis_id")
      .notNull()
      .references(() => organisations.id),
    inspectedOn: date("inspected_on").notNull(),
    stage: text("stage").notNull(),
    inspectors: text("inspectors").notNull(),
    findings: text("findings").notNull(),
    photos: jsonb("photos").$type<FileRef[]>().notNull().default([]),
    instanceId: uuid("instance_id"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("inspections_project_idx").on(t.projectId, t.inspectedOn),
    // The sites inspected lately (预警's and the 项目 list's 60 days without an inspection).
    index("inspections_day_idx").on(t.inspectedOn, t.projectId),
  ],
);

// A risk event (风险事件) found on site or at the re-inspection, with its rectification.
export const riskEvents = pgTable(
  "risk_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // The number people quote (FX000123): from a sequence, never reused.
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    inspectionId: uuid("inspection_id").references(() => inspections.id),
    source: text("source", { enum: RISK_EVENT_SOURCES }).notNull().default("inspection"),
    tisId: uuid("tis_id")
      .notNull()
      .references(() => organisations.id),
    rectifierRole: text("rectifier_role", { enum: RECTIFIER_ROLES }).notNull(),
    rectifierId: uuid("rectifier_id")
      .notNull()
      .references(() => organisations.id),
    category: text("category", { enum: BUILDING_PARTS }).notNull(),
    level: text("level", { enum: RISK_LEVELS }).notNull(),
    location: text("location").notNull(),
    description: text("description").notNull(),
    photos: jsonb("photos").$type<FileRef[]>().notNull().default([]),
    deadline: date("deadline").notNull(),
    status: text("status", { enum: RISK_EVENT_STATUSES }).notNull().default("open"),
    overdueAt: timestamp("overdue_at", { withTimezone: true }),
    rectification: jsonb("rectification").$type<{ measures: string; rectifiedOn: string; photos: FileRef[] }>(),
    returnReason: text("return_reason"),
    returnCount: integer("return_count").notNull().default(0),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull(),
    rectifiedAt: timestamp("rectified_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    instanceId: uuid("instance_id"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("risk_events_seq_key").on(t.seq),
    // A project's events with their level: the 风险 list of a district's 重大 events counts them from
    // the index alone (docs/decisions/044); a project's page sorts its tens of events by date.
    index("risk_events_project_idx").on(t.projectId, t.level, t.raisedAt),
    index("risk_events_status_idx").on(t.status, t.level),
    index("risk_events_tis_idx").on(t.tisId),
    // The risk dashboard counts the city's events raised in a period, by project, TIS, level, status
    // and category: all in the index, so a year of a million events is read from it alone.
    index("risk_events_raised_at_idx").on(t.raisedAt, t.projectId, t.tisId, t.level, t.status, t.category),
    index("risk_events_rectifier_idx").on(t.rectifierId),
    // The active events, with what the lists' 已逾期 count and scope read of them.
    index("risk_events_open_idx")
      .on(t.deadline, t.overdueAt, t.projectId, t.tisId)
      .where(sql`status in ('open', 'rectifying', 'awaiting_review')`),
    // The risk map's open events per project (worst level, raised in a period) from the index alone.
    index("risk_events_open_project_idx")
      .on(t.projectId, t.level, t.raisedAt)
      .where(sql`status in ('open', 'rectifying', 'awaiting_review')`),
    // The 风险 list of the active events (a status of them, 已逾期) in its order, latest first: the
    // few thousand active events, not the million read backwards for the page's twenty.
    index("risk_events_active_raised_idx")
      .on(t.raisedAt, t.seq)
      .where(sql`status in ('open', 'rectifying', 'awaiting_review')`),
    // 预警's 重大风险事件逾期未整改: the active events of a level in the order of their deadline, with
    // what says they are overdue; the page's twenty are the first ones read (decision 051).
    index("risk_events_active_level_idx")
      .on(t.level, t.deadline, t.seq, t.overdueAt)
      .where(sql`status in ('open', 'rectifying', 'awaiting_review')`),
    // 预警's 整改率 of each TIS: the events due in the last twelve months, from the index alone.
    index("risk_events_deadline_idx").on(t.deadline, t.tisId, t.status),
    // The 风险 list's search in location and description (three characters or more: docs/decisions/041).
    index("risk_events_text_idx").using("gin", sql`(${t.location} || ' ' || ${t.description}) gin_trgm_ops`),
  ],
);

// How many risk events each project has from each TIS: the risk-event list's 共N项 and its TIS
// options are read from these when the selection reads no other column of the events (a city's
// million events counted in milliseconds; docs/decisions/029). Counted up in the transaction that
// raises an event; an event's project and TIS never change and events are not deleted. The columns
// are named as the events' own, so that the same condition selects either.
export const riskEventTallies = pgTable(
  "risk_event_tallies",
  {
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    tisId: uuid("tis_id")
      .notNull()
      .references(() => organisations.id),
    events: integer("events").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.tisId] }), index("risk_event_tallies_tis_idx").on(t.tisId)],
);

// The TIS's reports on a project: the plan, process assessments (with their score), the final
// inspection report, revisit and re-inspection reports; each with the insurer's decision.
export const riskReports = pgTable(
  "risk_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    tisId: uuid("tis_id")
      .notNull()
      .references(() => organisations.id),
    kind: text("kind", { enum: RISK_REPORT_KINDS }).notNull(),
    title: text("title").notNull(),
    // The submission as filed (its form's fields), for the report's page.
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    documents: jsonb("documents").$type<FileRef[]>().notNull().default([]),
    score: numeric("score", { precision: 5, scale: 1 }),
    grade: text("grade"),
    // What the score was computed from (counts, rates, weights), so it can be explained later.
    metrics: jsonb("metrics").$type<Record<string, unknown>>(),
    decision: text("decision"),
    decisionNote: text("decision_note"),
    filedOn: date("filed_on").notNull(),
    instanceId: uuid("instance_id"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("risk_reports_project_idx").on(t.projectId, t.kind, t.createdAt),
    index("risk_reports_kind_filed_idx").on(t.kind, t.filedOn),
  ],
);

// The insurer's rating of the TIS on a project, given when it issues the final report; shown
// when an insurer appoints a TIS.
export const tisRatings = pgTable(
  "tis_ratings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    tisId: uuid("tis_id")
      .notNull()
      .references(() => organisations.id),
    insurerId: uuid("insurer_id")
      .notNull()
      .references(() => organisations.id),
    stars: smallint("stars").notNull(),
    comment: text("comment"),
    ratedBy: text("rated_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("tis_ratings_project_key").on(t.projectId), index("tis_ratings_tis_idx").on(t.tisId)],
);

export type Inspection = typeof inspections.$inferSelect;
export type RiskEvent = typeof riskEvents.$inferSelect;
export type RiskReport = typeof riskReports.$inferSelect;
export type TisRating = typeof tisRatings.$inferSelect;
