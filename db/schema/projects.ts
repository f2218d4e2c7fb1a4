import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { organisations } from "./organisations";
import { PROJECT_STATUSES, type ProjectStatus } from "./codes";
export { PROJECT_STATUSES, type ProjectStatus };

/**
 * Where an insured project is in its life (风险管理 moves it): 投保审核, 风险交底, 施工阶段, 竣工检查
 * (the final report issued, awaiting completion acceptance), 使用阶段 (warranty, revisits,
 * re-inspection), or 已终止 (the insurer terminated the policy).
 */
export const PROJECT_STAGES = ["insurance", "planning", "construction", "completion", "use", "terminated"] as const;
export type ProjectStage = (typeof PROJECT_STAGES)[number];

/** A policy is in force until the insurer terminates it (风险管理's 终止保险合同). */
export const POLICY_STATUSES = ["in_force", "terminated"] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

/** A building or section of the project the policy covers (单体), as the TIS keeps it. */
export type ProjectSection = { name: string; structure?: string; floors?: number; area?: number };

// A residential project as registered for IDI (报建信息), with its parties.
export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    permitNo: text("permit_no").notNull(),
    name: text("name").notNull(),
    communityName: text("community_name").notNull(),
    district: text("district").notNull(),
    address: text("address").notNull(),
    longitude: doublePrecision("longitude"),
    latitude: doublePrecision("latitude"),
    // m², yuan: numeric so sums and averages over the city stay exact
    grossFloorArea: numeric("gross_floor_area", { precision: 14, scale: 2 }).notNull(),
    buildingCount: integer("building_count").notNull(),
    homeCount: integer("home_count").notNull(),
    constructionCost: numeric("construction_cost", { precision: 16, scale: 2 }).notNull(),
    startDate: date("start_date").notNull(),
    plannedCompletionDate: date("planned_completion_date").notNull(),
    drawings: jsonb("drawings").$type<{ id: string; name: string; size: number }[]>().notNull().default([]),
    developerId: uuid("developer_id").references(() => organisations.id),
    contractorId: uuid("contractor_id").references(() => organisations.id),
    supervisorId: uuid("supervisor_id").references(() => organisations.id),
    designerId: uuid("designer_id").references(() => organisations.id),
    leadInsurerId: uuid("lead_insurer_id")
      .notNull()
      .references(() => organisations.id),
    tisId: uuid("tis_id").references(() => organisations.id),
    // 物业服务企业: named by the developer at handover; it may import and keep the homes' list.
    propertyCompanyId: uuid("property_company_id").references(() => organisations.id),
    status: text("status", { enum: PROJECT_STATUSES }).notNull().default("draft"),
    returnReason: text("return_reason"),
    stage: text("stage", { enum: PROJECT_STAGES }).notNull().default("insurance"),
    sections: jsonb("sections").$type<ProjectSection[]>().notNull().default([]),
    completionAcceptedOn: date("completion_accepted_on"),
    reinspectionDueOn: date("reinspection_due_on"),
    // The six keys people search a project by, lower-cased in one text for one trigram index
    // (docs/decisions/021): kept by projects/search-text.server.ts in the transaction that changes them.
    searchText: text("search_text").notNull().default(""),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    confirmedBy: text("confirmed_by"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("projects_permit_no_key").on(t.permitNo),
    index("projects_status_idx").on(t.status),
    // By stage, with what 预警's 在建项目无现场检查 reads of a site (its phase, start and name): the
    // city's few thousand sites under construction are read from the index alone (decision 051).
    index("projects_stage_idx").on(t.stage, t.status, t.startDate, t.id, t.name),
    // With the id: a district's projects, the set a risk list's count looks its events up by, are
    // read from this index alone (riskEventWhere's `forCount`).
    index("projects_district_idx").on(t.district, t.id),
    // The communities by name, as the hotline's and the owners' home pickers list them first:
    // read in order until twenty with homes, not the city's 20,000 sorted (findCommunities).
    index("projects_community_idx").on(t.communityName, t.name, t.id),
    // With the id: an insurer's projects (the scope's set) are read from this index alone.
    index("projects_lead_insurer_idx").on(t.leadInsurerId, t.id),
    // With the id, as the lead insurer's: the projects a TIS, a property company, a developer or a
    // contractor sees (the scope's sets in every list) are read from the index alone.
    index("projects_tis_idx").on(t.tisId, t.id),
    index("projects_property_company_idx").on(t.propertyCompanyId, t.id),
    index("projects_name_idx").on(sql`lower(${t.name})`),
    index("projects_developer_idx").on(t.developerId, t.id),
    index("projects_contractor_idx").on(t.contractorId, t.id),
    // The 项目 list as it opens (latest change first): its first page read in this order.
    index("projects_updated_idx").on(t.updatedAt.desc().nullsLast(), t.id),
    index("projects_search_text_idx").using("gin", t.searchText.op("gin_trgm_ops")),
  ],
);

// The policy of a project (保单), with its co-insurance and reinsurance shares.
export const policies = pgTable(
  "policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    policyNo: text("policy_no").notNull(),
    insuranceType: text("insurance_type").notNull(),
    // Coverage parts with their periods in years, e.g. 地基基础和主体结构 10.
    coverage: jsonb("coverage").$type<{ part: string; years: number }[]>().notNull(),
    periodStart: date("period_start").notNull(),
    periodEnd: date("period_end").notNull(),
    sumInsured: numeric("sum_insured", { precision: 16, scale: 2 }).notNull(),
    // as a fraction: 0.015 is 1.5 %
    rate: numeric("rate", { precision: 8, scale: 6 }).notNull(),
    premium: numeric("premium", { precision: 16, scale: 2 }).notNull(),
    issueDate: date("issue_date").notNull(),
    documents: jsonb("documents").$type<Record<string, { id: string; name: string; size: number }[]>>().notNull().default({}),
    status: text("status", { enum: POLICY_STATUSES }).notNull().default("in_force"),
    terminatedAt: timestamp("terminated_at", { withTimezone: true }),
    terminationReason: text("termination_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("policies_policy_no_key").on(t.policyNo),
    uniqueIndex("policies_project_key").on(t.projectId),
    // The underwriting dashboard counts the policies issued in a period.
    index("policies_issue_date_idx").on(t.issueDate),
    index("policies_period_start_idx").on(t.periodStart),
    // From a policy to its project without reading the policy (an insurer's shares to its projects).
    index("policies_id_project_idx").on(t.id, t.projectId),
  ],
);

export const SHARE_KINDS = ["insurer", "reinsurer"] as const;

// Who carries the risk and how much: the lead insurer and co-insurers (sum 100 %), reinsurers.
export const policyShares = pgTable(
  "policy_shares",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    policyId: uuid("policy_id")
      .notNull()
      .references(() => policies.id, { onDelete: "cascade" }),
    // The policy's project (a policy's project never changes), kept on the share so that the projects
    // an organisation insures or reinsures (the scope's set of an insurer) are read from one index.
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    kind: text("kind", { enum: SHARE_KINDS }).notNull(),
    isLead: boolean("is_lead").notNull().default(false),
    // percent, e.g. 60.00
    share: numeric("share", { precision: 5, scale: 2 }).notNull(),
  },
  (t) => [
    index("policy_shares_policy_idx").on(t.policyId),
    // With the policy and its project: the policies an organisation carries a share of, and their
    // projects, from this index alone.
    index("policy_shares_organisation_idx").on(t.organisationId, t.kind, t.policyId, t.projectId),
  ],
);

export type Project = typeof projects.$inferSelect;
export type Policy = typeof policies.$inferSelect;
export type PolicyShare = typeof policyShares.$inferSelect;
