import { aliasedTable, and, asc, count, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { claims, ENDED_CLAIM_STATUSES, organisations, policies, projects, PROJECT_STATUSES, RISK_LEVELS, riskEvents } from "@db/schema";
import { isDistrictCode } from "~/shared/districts";
import { organisationNameSearches } from "~/shared/insurer-short-names";
import {
  NO_INSPECTION_DAYS,
  PROJECT_DATE_FIELDS,
  PROJECT_PHASES,
  PROJECT_SORTS,
  type ProjectDateField,
  type ProjectSort,
} from "~/shared/project-labels";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { filterOptions } from "../statistics/filters.server";
import { insuredBy } from "./insured-by.server";
import { inPhase, uninspected } from "./project-phases.server";
import { likePattern, listParams, offsetOf, pageSchema, recordDay, searchText, type Page } from "../pagination.server";

// The 项目 list (and GET /api/v1/projects, and its export): the projects in the actor's scope that
// the search and filters select, sorted and paged. The search reads projects.search_text, the six
// keys under one trigram index (docs/decisions/021); the filters are the ones dashboards link with.

const developer = aliasedTable(organisations, "developer");
const contractor = aliasedTable(organisations, "contractor");
const insurer = aliasedTable(organisations, "insurer");
const tis = aliasedTable(organisations, "tis");

const day = (label: string) => recordDay(label).optional();

export const projectFilterSchema = pageSchema
  .extend({
    q: searchText(),
    status: z.enum(PROJECT_STATUSES, { error: "项目状态不正确" }).optional(),
    district: z.string({ error: "区县不正确" }).refine(isDistrictCode, "区县不正确").optional(),
    stage: z.enum(PROJECT_PHASES, { error: "项目阶段不正确" }).optional(),
    insurer: z.uuid({ error: "保险公司不正确" }).optional(),
    tis: z.uuid({ error: "风险管理机构不正确" }).optional(),
    dateBy: z.enum(PROJECT_DATE_FIELDS, { error: "日期类型不正确" }).optional(),
    from: day("开始日期"),
    to: day("结束日期"),
    risk: z.enum(RISK_LEVELS, { error: "风险等级不正确" }).optional(),
    openClaims: z.enum(["1"], { error: "“有未结案理赔”只能为 1" }).optional(),
    uninspected: z.enum(["1"], { error: `“${NO_INSPECTION_DAYS}日无现场检查”只能为 1` }).optional(),
    sort: z.enum(PROJECT_SORTS, { error: "排序字段不正确" }).optional(),
    order: z.enum(["asc", "desc"], { error: "排序方向只能为 asc 或 desc" }).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], message: "结束日期不能早于开始日期" });

export type ProjectFilters = z.output<typeof projectFilterSchema>;

export interface ProjectRow {
  id: string;
  permitNo: string;
  name: string;
  communityName: string;
  district: string;
  status: (typeof PROJECT_STATUSES)[number];
  stage: (typeof projects.$inferSelect)["stage"];
  grossFloorArea: string;
  constructionCost: string;
  developerName: string | null;
  contractorName: string | null;
  insurerName: string;
  tisName: string | null;
  policyNo: string | null;
  issueDate: string | null;
  periodStart: string | null;
  updatedAt: Date;
}

const ACTIVE_RISK = ["open", "rectifying", "awaiting_review"] as const;

const DATES: Record<ProjectDateField, SQL> = {
  issue: sql`${policies.issueDate}`,
  start: sql`${policies.periodStart}`,
  registered: sql`(${projects.createdAt} at time zone 'Asia/Shanghai')::date`,
};

const SORTS: Record<ProjectSort, SQL> = {
  updatedAt: sql`${projects.updatedAt}`,
  name: sql`${projects.name}`,
  permitNo: sql`${projects.permitNo}`,
  district: sql`${projects.district}`,
  grossFloorArea: sql`${projects.grossFloorArea}`,
  issueDate: sql`${policies.issueDate}`,
};

/**
 * What `q` finds: each way of reading it (an insurer's short name stands for its registered name,
 * organisationNameSearches) has every part in the search text. Lower-cased as the text is.
 */
function searchCondition(q: string): SQL {
  return or(
    ...organisationNameSearches(q).map((parts) =>
      and(...parts.map((part) => sql`${projects.searchText} like ${likePattern(part.toLowerCase())}`))!,
    ),
  )!;
}

/** The rows the search and filters select within the actor's scope (projects left-joined with their policy). */
export function projectWhere(actor: Actor, q: ProjectFilters): SQL {
  const filters: (SQL | undefined)[] = [scope(actor, "project")];
  if (q.q) filters.push(searchCondition(q.q));
  if (q.status) filters.push(eq(projects.status, q.status));
  if (q.district) filters.push(eq(projects.district, q.district));
  if (q.stage) filters.push(inPhase(q.stage));
  if (q.uninspected) filters.push(uninspected());
  if (q.insurer) filters.push(or(eq(projects.leadInsurerId, q.insurer), insuredBy(q.insurer)));
  if (q.tis) filters.push(eq(projects.tisId, q.tis));
  const date = DATES[q.dateBy ?? "issue"];
  if (q.from) filters.push(sql`${date} >= ${q.from}`);
  if (q.to) filters.push(sql`${date} <= ${q.to}`);
  if (q.risk)
    filters.push(
      sql`exists (select 1 from ${riskEvents} e where e.project_id = ${projects.id} and e.level = ${q.risk} and e.status in (${sql.join(
        ACTIVE_RISK.map((s) => sql`${s}`),
        sql`, `,
      )}))`,
    );
  if (q.openClaims)
    filters.push(
      sql`exists (select 1 from ${claims} c where c.project_id = ${projects.id} and c.status not in (${sql.join(
        ENDED_CLAIM_STATUSES.map((s) => sql`${s}`),
        sql`, `,
      )}))`,
    );
  return and(...filters)!;
}

const rowColumns = {
  id: projects.id,
  permitNo: projects.permitNo,
  name: projects.name,
  communityName: projects.communityName,
  district: projects.district,
  status: projects.status,
  stage: projects.stage,
  grossFloorArea: projects.grossFloorArea,
  constructionCost: projects.constructionCost,
  developerName: developer.name,
  contractorName: contractor.name,
  insurerName: insurer.name,
  tisName: tis.name,
  policyNo: policies.policyNo,
  issueDate: policies.issueDate,
  periodStart: policies.periodStart,
  updatedAt: projects.updatedAt,
};

function selectRows() {
  return db()
    .select(rowColumns)
    .from(projects)
    .innerJoin(insurer, eq(projects.leadInsurerId, insurer.id))
    .leftJoin(policies, eq(policies.projectId, projects.id))
    .leftJoin(developer, eq(projects.developerId, developer.id))
    .leftJoin(contractor, eq(projects.contractorId, contractor.id))
    .leftJoin(tis, eq(projects.tisId, tis.id));
}

function countRows(where: SQL): Promise<number> {
  return db()
    .select({ total: count() })
    .from(projects)
    .leftJoin(policies, eq(policies.projectId, projects.id))
    .where(where)
    .then(([row]) => row.total);
}

/** 项目 list within the actor's scope: searched, filtered, sorted (latest change first unless asked) and paged. */
export async function listProjects(actor: Actor, query: unknown): Promise<Page<ProjectRow>> {
  const q = listParams(projectFilterSchema, query);
  const where = projectWhere(actor, q);
  const by = SORTS[q.sort ?? "updatedAt"];
  const direction = q.order ?? (q.sort && q.sort !== "updatedAt" ? "asc" : "desc");
  const order = [direction === "asc" ? sql`${by} asc nulls last` : sql`${by} desc nulls last`, asc(projects.id)];
  // The page's projects are chosen first, from the projects (and their policy, where a filter or the
  // sort reads it) alone; only those twenty are joined with their parties' names.
  const page = db()
    .select({ id: projects.id })
    .from(projects)
    .leftJoin(policies, eq(policies.projectId, projects.id))
    .where(where)
    .orderBy(...order)
    .limit(q.pageSize)
    .offset(offsetOf(q));
  const [rows, total] = await Promise.all([
    selectRows()
      .where(inArray(projects.id, page))
      .orderBy(...order),
    countRows(where),
  ]);
  return { rows, total, page: q.page, pageSize: q.pageSize };
}

/** The same selection for an export: counted, then read in 报建号 order a batch at a time. */
export function projectExportRows(actor: Actor, query: unknown) {
  const q = listParams(projectFilterSchema, query);
  const where = projectWhere(actor, q);
  const { page: _page, pageSize: _size, ...filters } = q;
  return {
    filters,
    count: () => countRows(where),
    after: (last: ProjectRow | null, size: number): Promise<ProjectRow[]> =>
      selectRows()
        .where(last ? and(where, gt(projects.permitNo, last.permitNo)) : where)
        .orderBy(asc(projects.permitNo))
        .limit(size),
  };
}

/**
 * The 保险公司 and 风险管理机构 pickers: the organisations the viewer may filter by, as on the
 * dashboards and the other lists (an insurer of a project it sees, co-insurers included: they
 * insure it, and the insurer filter selects their projects).
 */
export async function projectFilterOptions(actor: Actor) {
  const { insurers, tis } = await filterOptions(actor);
  const choice = (o: { id: string; name: string }) => ({ value: o.id, label: o.name });
  return { insurers: insurers.map(choice), tis: tis.map(choice) };
}
