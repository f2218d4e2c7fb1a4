import { z } from "zod";
import { PROJECT_STATUSES } from "@db/schema/projects";
import type { Actor } from "../auth/actor";
import { listProjects, projectDetail } from "../projects/projects.server";
import { id, isoDate, pageOf, paging, type Operation } from "./contract-common.server";

// Projects over the API: those in one's scope, and where a project's insurance review stands.

export const ProjectQuery = z.object({
  q: z.string().optional().describe("按项目、小区、报建号、建设单位、保险公司、风险管理机构、施工单位搜索"),
  status: z.enum(PROJECT_STATUSES).optional(),
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
    developerName: z.string().nullable(),
    insurerName: z.string(),
    tisName: z.string().nullable(),
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
    summary: "我可查看的项目",
    query: ProjectQuery,
    response: ProjectPage,
    errors: [401, 403],
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
