// Organisation types and user roles are plain text in the database (new ones need no migration);
// these lists are the single source for their values.
export const ORGANISATION_TYPES = [
  "regulator",
  // The insurance regulator (金融监管, e.g. 国家金融监督管理总局云南监管局): reads the statistics and reports only.
  "financial-regulator",
  "insurer",
  "reinsurer",
  "tis",
  "developer",
  "contractor",
  "supervisor",
  "designer",
  "repairer",
  "platform",
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

// A user's roles: the organisation types that act on the platform, plus the platform's own
// operators (admin) and service-line agents (hotline), and home owners (owner), who have no
// account: they act through the owners' channels (bot, web chat, owner page) by a verified phone.
export const ROLES = [
  "admin",
  "hotline",
  "regulator",
  "financial-regulator",
  "insurer",
  "reinsurer",
  "tis",
  "developer",
  "contractor",
  "supervisor",
  "designer",
  "repairer",
  "owner",
] as const;
export type Role = (typeof ROLES)[number];

/** The roles an account (or an API key) may hold: every role but the owners'. */
export const STAFF_ROLES = ROLES.filter((r): r is Exclude<Role, "owner"> => r !== "owner");

/**
 * Roles that act for the whole city, not as a party of a project: a task for one of them may go to
 * any of its organisations. Every other role acts only as a named party (this insurer, that TIS).
 */
export const CITY_WIDE_ROLES: readonly Role[] = ["admin", "hotline", "regulator"];

export const ORGANISATION_STATUSES = ["active", "pending_review", "disabled"] as const;
export type OrganisationStatus = (typeof ORGANISATION_STATUSES)[number];

export const USER_STATUSES = ["active", "disabled"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
