// The coded values of the schema's text columns that pages offer in the browser (filters, choices),
// without drizzle: the table definitions beside them would bring drizzle into every page that
// imports one (docs/decisions/042). Their tables' files re-export them; their Chinese names are in
// app/shared/*-labels.ts.

export const RISK_LEVELS = ["general", "major", "critical"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** 待整改 → (整改中 after a return) → 待复核 → 已销项; 已终止 when the policy ends first. Overdue is a mark, not a status. */
export const RISK_EVENT_STATUSES = ["open", "rectifying", "awaiting_review", "closed", "cancelled"] as const;
export type RiskEventStatus = (typeof RISK_EVENT_STATUSES)[number];

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

/** Where a claim came in. */
export const CLAIM_CHANNELS = ["telegram", "web", "hotline", "insurer"] as const;
export type ClaimChannel = (typeof CLAIM_CHANNELS)[number];

/** The usual complaint reasons owners give with a rating. */
export const RATING_REASONS = ["response", "duration", "attitude", "plan", "quality", "price", "liability"] as const;
export type RatingReason = (typeof RATING_REASONS)[number];

// withdrawn: taken back by its starter before its first step was submitted (撤回). A text column
// with no CHECK: a new status needs no migration.
export const INSTANCE_STATUSES = ["running", "completed", "incident", "cancelled", "withdrawn"] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export const PROJECT_STATUSES = ["draft", "awaiting_confirmation", "returned", "insured"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
