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

// 理赔 and the owners' channels: the homes of delivered projects, the claims reported on them, the
// owners' ratings, and what the owners' bot and web chat keep between messages. Coded values; their
// Chinese names are in app/shared/claim-labels.ts.

/** The policy's coverage groups (地基基础和主体结构 10 years, 保温和防水 5, other parts 2). */
export const COVERAGE_GROUPS = ["structure", "envelope", "other"] as const;
export type CoverageGroup = (typeof COVERAGE_GROUPS)[number];

/**
 * 已报案 → 已受理 (查勘) → 已立案 | 不予立案 → 维修中 (after 定损, or at once on the fast track) →
 * 待验收 → 待结案 → 已结案; 已撤销 when the reporter withdraws before acceptance. Overdue steps are
 * marks (`overdueSteps`), not statuses.
 */
export const CLAIM_STATUSES = [
  "reported",
  "accepted",
  "declined",
  "registered",
  "repairing",
  "confirming",
  "settling",
  "closed",
  "withdrawn",
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
/** Where a claim ends: nothing more happens to it. */
export const ENDED_CLAIM_STATUSES = ["closed", "declined", "withdrawn"] as const satisfies readonly ClaimStatus[];

/** Where a claim came in. */
export const CLAIM_CHANNELS = ["telegram", "web", "hotline", "insurer"] as const;
export type ClaimChannel = (typeof CLAIM_CHANNELS)[number];

/** The usual complaint reasons owners give with a rating. */
export const RATING_REASONS = ["response", "duration", "attitude", "plan", "quality", "price", "liability"] as const;
export type RatingReason = (typeof RATING_REASONS)[number];

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
    // Statistics read a period of the city's claims: reported in it, closed in it (结案金额).
    index("claims_reported_idx").on(t.reportedAt),
    index("claims_closed_idx")
      .on(t.closedAt)
      .where(sql`status = 'closed'`),
    // The regulator's 预警 and the overdue filter: claims past a step's time limit, a few among many.
    index("claims_late_idx")
      .on(t.reportedAt)
      .where(sql`cardinality(overdue_steps) > 0`),
  ],
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
    // 服务评价 statistics rank a period's ratings.
    index("claim_ratings_created_idx").on(t.createdAt),
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
