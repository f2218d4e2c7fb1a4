import { z } from "zod";
import { PROJECT_STAGES, PROJECT_STATUSES } from "@db/schema/projects";
import { RISK_LEVELS } from "@db/schema/risk";
import {
  NO_INSPECTION_DAYS,
  PROJECT_DATE_FIELD_LABELS,
  PROJECT_DATE_FIELDS,
  PROJECT_PHASE_LABELS,
  PROJECT_PHASES,
  PROJECT_SORTS,
  PROJECT_STATUS_LABELS,
} from "~/shared/project-labels";
import { PROJECT_STAGE_LABELS, RISK_LEVEL_LABELS } from "~/shared/risk-labels";
import type { Actor } from "../auth/actor";
import { listProjects } from "../projects/project-list.server";
import { projectDetail } from "../projects/projects.server";
import { calendarDate, codesOf, id, isoDate, pageOf, paging, type Operation } from "./contract-common.server";

// Projects over the API: those in one's scope, and where a project's insurance review stands.

const statusLabels = Object.fromEntries(PROJECT_STATUSES.map((s) => [s, PROJECT_STATUS_LABELS[s].label]));

// The same filters as the 项目 page (projects/project-list.server.ts checks them again, with its messages).
export const ProjectQuery = z.object({
  q: z
    .string()
    .optional()
    .describe(
      "关键字（至多100字）：项目名称、小区名称、建设单位、保险公司（主承保及共保，可用简称如“太保”）、风险管理机构、施工单位、报建号",
    ),
  status: z
    .enum(PROJECT_STATUSES)
    .optional()
    .describe(`投保状态：${codesOf(statusLabels)}`),
  district: z.string().optional().describe("区县行政区划代码，如 530111"),
  stage: z
    .enum(PROJECT_PHASES)
    .optional()
    .describe(`项目阶段：${codesOf(PROJECT_PHASE_LABELS)}`),
  insurer: id.optional().describe("保险公司（单位 id）：其主承保或共保的项目"),
  tis: id.optional().describe("风险管理机构（单位 id）：其负责的项目"),
  dateBy: z
    .enum(PROJECT_DATE_FIELDS)
    .optional()
    .describe(`from/to 所指的日期（默认 issue）：${codesOf(PROJECT_DATE_FIELD_LABELS)}`),
  from: calendarDate.optional().describe("开始日期（含），YYYY-MM-DD"),
  to: calendarDate.optional().describe("结束日期（含），YYYY-MM-DD"),
  risk: z
    .enum(RISK_LEVELS)
    .optional()
    .describe(`有该等级的未销项风险事件：${codesOf(RISK_LEVEL_LABELS)}`),
  openClaims: z.enum(["1"]).optional().describe("1：有未结案的理赔案件"),
  uninspected: z
    .enum(["1"])
    .optional()
    .describe(`1：${NO_INSPECTION_DAYS}日无现场检查（自最近一次检查，未检查的自开工日；与 stage=construction 同用即预警所列）`),
  sort: z.enum(PROJECT_SORTS).optional().describe("排序字段（默认 updatedAt，最近变更在前）"),
  order: z.enum(["asc", "desc"]).optional().describe("排序方向"),
  ...paging,
});

export const ProjectSummary = z
  .object({
    id,
    permitNo: z.string(),
    name: z.string(),
    communityName: z.string(),
    district: z.string(),
    status: z.enum(PROJECT_STATUSES).describe("录入中、待住建局确认、已退回、已确认投保"),
    stage: z.enum(PROJECT_STAGES).describe(`风险管理阶段：${codesOf(PROJECT_STAGE_LABELS)}`),
    developerName: z.string().nullable(),
    contractorName: z.string().nullable(),
    insurerName: z.string().describe("主承保公司"),
    tisName: z.string().nullable(),
    policyNo: z.string().nullable(),
    issueDate: calendarDate.nullable().describe("签单日期"),
    periodStart: calendarDate.nullable().describe("保险起期"),
  })
  .meta({ id: "ProjectSummary" });

export const ProjectPage = pageOf(ProjectSummary).meta({ id: "ProjectPage" });

export const ProjectStatus = z
  .object({
    id,
    permitNo: z.string(),
    name: z.string(),
    status: z.enum(PROJECT_STATUSES),
    returnReason: z.string().nullable().describe("住建局退回原因"),
    confirmedAt: isoDate.nullable(),
    policyNo: z.string().nullable(),
    flows: z.array(z.object({ id, title: z.string(), processName: z.string(), status: z.string() })),
  })
  .meta({ id: "ProjectStatus" });

export const PROJECT_OPERATIONS: Operation[] = [
  {
    id: "listProjects",
    permission: "view:projects",
    method: "get",
    path: "/api/v1/projects",
    summary: "我可查看的项目：搜索、筛选、排序、分页",
    query: ProjectQuery,
    response: ProjectPage,
    errors: [401, 403, 422],
  },
  {
    id: "getProject",
    permission: "view:projects",
    method: "get",
    path: "/api/v1/projects/{id}",
    summary: "项目的审核状态",
    response: ProjectStatus,
    errors: [401, 403, 404],
  },
];

export function apiListProjects(actor: Actor, query: z.infer<typeof ProjectQuery>) {
  return listProjects(actor, query);
}

export async function apiGetProject(actor: Actor, id: string) {
  const detail = await projectDetail(actor, id);
  return {
    id: detail.project.id,
    permitNo: detail.project.permitNo,
    name: detail.project.name,
    status: detail.project.status,
    returnReason: detail.project.returnReason,
    confirmedAt: detail.project.confirmedAt,
    policyNo: detail.policy?.policyNo ?? null,
    flows: detail.flows,
  };
}
