import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
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
import { BUILDING_PARTS, type BuildingPart } from "./building-parts";
import { organisations } from "./organisations";
import { policies, projects } from "./projects";
import type { FileRef } from "./risk";
import { CLAIM_STATUSES, type ClaimStatus, CLAIM_CHANNELS, type ClaimChannel, RATING_REASONS, type RatingReason } from "./codes";
export { CLAIM_STATUSES, type ClaimStatus, CLAIM_CHANNELS, type ClaimChannel, RATING_REASONS, type RatingReason };

// 理赔 and the owners' channels: the homes of delivered projects, the claims reported on them, the
// owners' ratings, and what the owners' bot and web chat keep between messages. Coded values; their
// Chinese names are in app/shared/claim-labels.ts.

/** The policy's coverage groups (地基基础和主体结构 10 years, 保温和防水 5, other parts 2). */
export const COVERAGE_GROUPS = ["structure", "envelope", "other"] as const;
export type CoverageGroup = (typeof COVERAGE_GROUPS)[number];

/** Where a claim ends: nothing more happens to it. */
export const ENDED_CLAIM_STATUSES = ["closed", "declined", "withdrawn"] as const satisfies readonly ClaimStatus[];

// A home (房屋) of a delivered project, imported at handover from the developer's list.
export const units = pgTable(
  "units",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    building: text("building").notNull(),
    unitNo: text("unit_no").notNull(),
    room: text("room").notNull(),
    area: numeric("area", { precision: 10, scale: 2 }),
    ownerName: text("owner_name"),
    // Eleven digits, as verified phones are compared.
    ownerPhone: text("owner_phone"),
    importedBy: text("imported_by"),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("units_address_key").on(t.projectId, t.building, t.unitNo, t.room), index("units_owner_phone_idx").on(t.ownerPhone)],
);

export type ClaimSurvey = {
  surveyedOn: string;
  cause: string;
  part: BuildingPart;
  extent: string;
  photos: FileRef[];
  recommendation: string;
};
export type ClaimAssessment = { plan: string; estimatedCost: number };
export type ClaimRepair = { startedOn?: string; finishedOn: string; description: string; beforePhotos: FileRef[]; afterPhotos: FileRef[] };
export type ClaimSettlement = { paidAmount: number; cause: string; part: BuildingPart; cost: number; repairerName: string | null };

// A claim (理赔案件) on a home, from the report to the owner's rating.
export const claims = pgTable(
  "claims",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // The number owners quote (LP000123): from a sequence, never reused.
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id),
    policyId: uuid("policy_id").references(() => policies.id),
    insurerId: uuid("insurer_id")
      .notNull()
      .references(() => organisations.id),
    repairerId: uuid("repairer_id").references(() => organisations.id),
    channel: text("channel", { enum: CLAIM_CHANNELS }).notNull(),
    // The part of the home the defect is in, as owners name it; each falls under one coverage group.
    part: text("part", { enum: BUILDING_PARTS }).notNull(),
    // Whether the part's cover was in force on the day of the report (the insurer still decides).
    inCoverage: boolean("in_coverage").notNull(),
    description: text("description").notNull(),
    photos: jsonb("photos").$type<FileRef[]>().notNull().default([]),
    reporterName: text("reporter_name").notNull(),
    reporterPhone: text("reporter_phone").notNull(),
    // The home's registered owner when the claim was reported: with the reporter, the phones that act
    // as the owner on it. A later change of the homes' list (a sale, a mistaken import) does not hand
    // an open claim's 验收 or rating to the new phone.
    homeOwnerPhone: text("home_owner_phone"),
    // The reporter's own estimate of the repair, in yuan: the fast track's gateway reads it.
    estimate: numeric("estimate", { precision: 12, scale: 2 }),
    fastTrack: boolean("fast_track").notNull().default(false),
    status: text("status", { enum: CLAIM_STATUSES }).notNull().default("reported"),
    survey: jsonb("survey").$type<ClaimSurvey>(),
    declineReason: text("decline_reason"),
    assessment: jsonb("assessment").$type<ClaimAssessment>(),
    repair: jsonb("repair").$type<ClaimRepair>(),
    refusalReason: text("refusal_reason"),
    refusalCount: integer("refusal_count").notNull().default(0),
    settlement: jsonb("settlement").$type<ClaimSettlement>(),
    // Steps that went past their time limit (accept, survey, decide, repair, settle), for the red marks.
    overdueSteps: text("overdue_steps")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    reportedBy: text("reported_by"),
    reportedAt: timestamp("reported_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    instanceId: uuid("instance_id"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    // What the statistics count, kept by PostgreSQL from the documents above on every write (so
    // never out of step): the amount paid and the repair's cost at settlement, the part and the
    // cause the settlement, else the survey, found (the part reported before a survey), whether
    // the claim was assessed. A year of a city's claims is then counted from an index, not from
    // each claim's documents (docs/decisions/029).
    paidAmount: numeric("paid_amount").generatedAlwaysAs(sql`((settlement ->> 'paidAmount'::text))::numeric`),
    repairCost: numeric("repair_cost").generatedAlwaysAs(sql`((settlement ->> 'cost'::text))::numeric`),
    foundPart: text("found_part").generatedAlwaysAs(sql`COALESCE((settlement ->> 'part'::text), (survey ->> 'part'::text), part)`),
    foundCause: text("found_cause").generatedAlwaysAs(
      sql`NULLIF(btrim(COALESCE((settlement ->> 'cause'::text), (survey ->> 'cause'::text))), ''::text)`,
    ),
    assessed: boolean("assessed").generatedAlwaysAs(sql`(assessment IS NOT NULL)`),
    // Days from the report to the repair's finish, on Kunming's calendar (the repair's form checks
    // its date: YYYY-MM-DD).
    repairDays: integer("repair_days").generatedAlwaysAs(
      sql`(make_date((split_part((repair ->> 'finishedOn'::text), '-'::text, 1))::integer, (split_part((repair ->> 'finishedOn'::text), '-'::text, 2))::integer, (split_part((repair ->> 'finishedOn'::text), '-'::text, 3))::integer) - ((reported_at AT TIME ZONE 'Asia/Shanghai'::text))::date)`,
    ),
    // The home reported a defect of the same part again within a year of this claim's repair: the
    // repair did not hold (服务评价's 维修单位施工质量跟踪). It depends on other claims, so it is set in
    // the transaction that reports a claim and the one that records a repair (claims/repeats.server.ts).
    repeatWithinYear: boolean("repeat_within_year").notNull().default(false),
  },
  (t) => [
    uniqueIndex("claims_seq_key").on(t.seq),
    index("claims_project_idx").on(t.projectId, t.reportedAt),
    index("claims_unit_idx").on(t.unitId),
    index("claims_insurer_idx").on(t.insurerId, t.status),
    index("claims_repairer_idx").on(t.repairerId),
    index("claims_reporter_phone_idx").on(t.reporterPhone),
    index("claims_home_owner_phone_idx").on(t.homeOwnerPhone),
    index("claims_status_idx").on(t.status, t.reportedAt),
    // Statistics read a period of the city's claims: reported in it, closed in it (结案金额). Each
    // index holds every column its figures read (scope, filters, measures), so a year is read from
    // the index alone.
    index("claims_reported_idx").on(
      t.reportedAt,
      t.projectId,
      t.policyId,
      t.insurerId,
      t.status,
      t.paidAmount,
      t.repairCost,
      t.foundPart,
      t.foundCause,
      t.fastTrack,
      t.acceptedAt,
      t.assessed,
      t.escalatedAt,
      t.overdueSteps,
    ),
    // 预警's 立案率 of each insurer: a year of the city's claims by insurer and status, from an index
    // a tenth of the size of the one above (decision 051).
    index("claims_reported_insurer_idx").on(t.reportedAt, t.insurerId, t.status),
    index("claims_closed_idx")
      .on(t.closedAt, t.projectId, t.policyId, t.insurerId, t.paidAmount)
      .where(sql`status = 'closed'`),
    index("claims_repaired_idx")
      .on(t.reportedAt, t.repairerId, t.projectId, t.policyId, t.insurerId, t.refusalCount, t.repairDays, t.repeatWithinYear)
      .where(sql`repair IS NOT NULL`),
    // The regulator's 预警 and the overdue filter: claims past a step's time limit, a few among many,
    // with what the lists' 已逾期 count and scope read of them.
    index("claims_late_idx")
      .on(t.reportedAt, t.status, t.projectId, t.insurerId, t.policyId)
      .where(sql`cardinality(overdue_steps) > 0`),
    // The claims not yet ended, per project: the 项目 list's 有未结案理赔 and the claim list's 未结.
    index("claims_open_idx")
      .on(t.projectId)
      .where(sql`status not in ('closed', 'declined', 'withdrawn')`),
    // The lists' 已逾期: the open ones of them (overdueNow), fewer still.
    index("claims_open_late_idx")
      .on(t.projectId, t.insurerId, t.policyId, t.reportedAt)
      .where(sql`cardinality(overdue_steps) > 0 and status not in ('closed', 'declined', 'withdrawn')`),
  ],
);

// How many claims each project has with each handling insurer: the claim list's 共N件 and its
// insurer options are read from these when the selection reads no other column of the claims
// (docs/decisions/029). Counted up in the transaction that records a report; a claim's project and
// insurer never change and claims are not deleted. Named as the claims' own columns.
export const claimTallies = pgTable(
  "claim_tallies",
  {
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    insurerId: uuid("insurer_id")
      .notNull()
      .references(() => organisations.id),
    claims: integer("claims").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.insurerId] }), index("claim_tallies_insurer_idx").on(t.insurerId)],
);

// 服务评价: an owner's rating of a closed claim's service (one per claim).
export const claimRatings = pgTable(
  "claim_ratings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    claimId: uuid("claim_id")
      .notNull()
      .references(() => claims.id),
    insurerId: uuid("insurer_id")
      .notNull()
      .references(() => organisations.id),
    repairerId: uuid("repairer_id").references(() => organisations.id),
    stars: smallint("stars").notNull(),
    reasons: text("reasons")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    comment: text("comment"),
    channel: text("channel", { enum: CLAIM_CHANNELS }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("claim_ratings_claim_key").on(t.claimId),
    index("claim_ratings_insurer_idx").on(t.insurerId),
    // 服务评价 statistics rank a period's ratings: from the index alone.
    index("claim_ratings_created_idx").on(t.createdAt, t.insurerId, t.repairerId, t.stars, t.reasons, t.claimId),
  ],
);

// A conversation with an owner on one channel (a Telegram chat, a web chat session): where the
// dialogue stands, the phone it verified, and the flood counter. Servers keep nothing in memory.
export const ownerChats = pgTable(
  "owner_chats",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channel: text("channel", { enum: ["telegram", "web"] }).notNull(),
    chatKey: text("chat_key").notNull(),
    phone: text("phone"),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    state: jsonb("state").$type<Record<string, unknown>>().notNull().default({}),
    windowStart: timestamp("window_start", { withTimezone: true }),
    windowCount: integer("window_count").notNull().default(0),
    // Where a web chat was opened from: new chats are limited per address.
    createdIp: text("created_ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("owner_chats_key").on(t.channel, t.chatKey),
    index("owner_chats_phone_idx").on(t.phone),
    index("owner_chats_created_ip_idx").on(t.createdIp, t.createdAt),
  ],
);

// The Telegram updates the owners' bot has handled, by bot: recorded in the transaction that saves
// the chat, so an update Telegram sends again (a crash before its offset was confirmed, a webhook
// retried) is skipped instead of answered twice. A set, not the highest id: webhook updates of
// different chats may be handled out of order. Kept two days (Telegram keeps an update 24 hours).
export const telegramUpdates = pgTable(
  "telegram_updates",
  {
    botId: text("bot_id").notNull(),
    updateId: bigint("update_id", { mode: "number" }).notNull(),
    handledAt: timestamp("handled_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.updateId] }), index("telegram_updates_handled_idx").on(t.botId, t.handledAt)],
);

// One-time SMS codes that verify an owner's phone on the web (hashed; a few tries; minutes to live).
// A code is its requester's: the web chat, or on the owner page the claim from one address, that
// asked for it; only that requester may type it, so nobody else can lock it with wrong tries.
// `verified_at`: typed right (the requester and its address proved they hold the phone);
// `reserved`: sent from the day's codes kept for such requesters, which strangers never use.
export const phoneCodes = pgTable(
  "phone_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phone: text("phone").notNull(),
    requester: text("requester").notNull().default(""),
    address: text("address"),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    reserved: boolean("reserved").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("phone_codes_phone_idx").on(t.phone, t.createdAt),
    // A day's codes of a requester and of an address, over all phones.
    index("phone_codes_requester_idx").on(t.requester, t.createdAt),
    index("phone_codes_address_idx").on(t.address, t.createdAt),
  ],
);

// What an owner is told about a claim (each step change), kept until every channel has it: the
// bot sends the undelivered ones to the owner's bound chats; the web chat shows them when asked.
export const ownerMessages = pgTable(
  "owner_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phone: text("phone").notNull(),
    claimId: uuid("claim_id")
      .notNull()
      .references(() => claims.id),
    text: text("text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("owner_messages_phone_idx").on(t.phone, t.createdAt),
    index("owner_messages_pending_idx")
      .on(t.createdAt)
      .where(sql`delivered_at is null`),
  ],
);

export type Unit = typeof units.$inferSelect;
export type Claim = typeof claims.$inferSelect;
export type ClaimRating = typeof claimRatings.$inferSelect;
export type OwnerChat = typeof ownerChats.$inferSelect;
export type OwnerMessage = typeof ownerMessages.$inferSelect;
