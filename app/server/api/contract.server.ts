import { z } from "zod";
import { ORGANISATION_TYPES, ROLES } from "@db/schema/roles";
import { INSTANCE_STATUSES } from "@db/schema/workflow";
import { LOOKUP_ORGANISATION_TYPES } from "~/shared/organisation-lookup";
import type { Permission } from "~/shared/permissions";
import { taskComment } from "../workflow/task-comment.server";

// The REST API's contract: every operation's input and output as zod schemas. The route modules
// parse with them and the OpenAPI document is generated from them, so the two cannot drift.

const isoDate = z.string().describe("ISO 8601 时间");
const id = z.uuid();

export const ErrorBody = z
  .object({
    error: z.string().describe("错误代码：validation_failed、not_found、conflict、forbidden、unauthenticated…"),
    message: z.string().describe("中文说明"),
    fields: z.record(z.string(), z.string()).optional().describe("逐字段的中文错误信息"),
  })
  .meta({ id: "Error" });

export const SignInBody = z.object({ username: z.string().min(1), password: z.string().min(1) }).meta({ id: "SignIn" });
export const Me = z
  .object({
    username: z.string(),
    displayName: z.string(),
    organisationId: id.nullable(),
    organisationName: z.string().nullable(),
    roles: z.array(z.enum(ROLES)),
  })
  .meta({ id: "Me" });

export const TaskQuery = z.object({
  view: z.enum(["todo", "done"]).optional().describe("todo：待办（默认）；done：已办"),
  process: z.string().optional().describe("流程标识"),
  q: z.string().optional().describe("按事项或任务名称搜索"),
  overdue: z.enum(["1"]).optional().describe("1：仅超期"),
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
});

export const TaskSummary = z
  .object({
    id,
    name: z.string(),
    status: z.enum(["open", "completed", "cancelled"]),
    title: z.string(),
    processKey: z.string(),
    processName: z.string(),
    instanceId: id,
    assigneeName: z.string().nullable(),
    createdAt: isoDate,
    dueAt: isoDate.nullable(),
    completedAt: isoDate.nullable(),
    overdue: z.boolean(),
  })
  .meta({ id: "TaskSummary" });

export const TaskPage = z
  .object({ rows: z.array(TaskSummary), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
  .meta({ id: "TaskPage" });

export const HistoryEntry = z
  .object({ at: isoDate, who: z.string(), what: z.string(), comment: z.string().nullable() })
  .meta({ id: "HistoryEntry" });

export const InstanceDetail = z
  .object({
    id,
    title: z.string(),
    status: z.enum(INSTANCE_STATUSES).describe("running 进行中、completed 已完成、incident 异常、cancelled 已取消、withdrawn 已撤回"),
    businessType: z.string(),
    businessKey: z.string(),
    process: z.object({ key: z.string(), version: z.number().int(), name: z.string() }),
    startedAt: isoDate,
    endedAt: isoDate.nullable(),
    openTasks: z.array(z.object({ id, name: z.string(), dueAt: isoDate.nullable() })),
    history: z.array(HistoryEntry),
  })
  .meta({ id: "Instance" });

export const TaskDetail = z
  .object({
    id,
    name: z.string(),
    status: z.enum(["open", "completed", "cancelled"]),
    formKey: z.string(),
    form: z.record(z.string(), z.unknown()).nullable().describe("Formily JSON Schema"),
    submission: z.record(z.string(), z.unknown()).nullable(),
    dueAt: isoDate.nullable(),
    canComplete: z.boolean(),
    canClaim: z.boolean(),
    instance: InstanceDetail,
  })
  .meta({ id: "TaskDetail" });

export const CompleteBody = z
  .object({
    submission: z.record(z.string(), z.unknown()).describe("按任务表单填写的数据"),
    comment: taskComment,
  })
  .meta({ id: "Completion" });

export const ProcessSummary = z.object({ key: z.string(), name: z.string(), version: z.number().int() }).meta({ id: "Process" });

export const StartBody = z
  .object({
    title: z.string().min(1).max(200).describe("事项标题"),
    businessType: z.string().min(1).max(40).optional().describe("业务类型，默认 manual"),
    businessKey: z.string().min(1).max(100).optional().describe("业务对象标识，默认生成"),
    variables: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: "StartProcess" });

export const Ok = z.object({ ok: z.literal(true) }).meta({ id: "Ok" });

export const ProjectQuery = z.object({
  q: z.string().optional().describe("按项目、小区、报建号、建设单位、保险公司、风险管理机构、施工单位搜索"),
  status: z.enum(["draft", "awaiting_confirmation", "returned", "insured"]).optional(),
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
});

export const ProjectSummary = z
  .object({
    id,
    permitNo: z.string(),
    name: z.string(),
    communityName: z.string(),
    district: z.string(),
    status: z.enum(["draft", "awaiting_confirmation", "returned", "insured"]).describe("录入中、待住建局确认、已退回、已确认投保"),
    developerName: z.string().nullable(),
    insurerName: z.string(),
    tisName: z.string().nullable(),
  })
  .meta({ id: "ProjectSummary" });

export const ProjectPage = z
  .object({ rows: z.array(ProjectSummary), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
  .meta({ id: "ProjectPage" });

export const ProjectStatus = z
  .object({
    id,
    permitNo: z.string(),
    name: z.string(),
    status: z.enum(["draft", "awaiting_confirmation", "returned", "insured"]),
    returnReason: z.string().nullable().describe("住建局退回原因"),
    confirmedAt: isoDate.nullable(),
    policyNo: z.string().nullable(),
    flows: z.array(z.object({ id, title: z.string(), processName: z.string(), status: z.string() })),
  })
  .meta({ id: "ProjectStatus" });

export const OrganisationLookupQuery = z.object({
  code: z.string().max(18).optional().describe("统一社会信用代码（精确查找）"),
  q: z.string().max(50).optional().describe("单位名称的一部分，或信用代码的开头"),
  type: z.enum(LOOKUP_ORGANISATION_TYPES).optional().describe("单位类型"),
});

export const RegisteredOrganisation = z
  .object({ creditCode: z.string(), name: z.string(), type: z.enum(ORGANISATION_TYPES) })
  .meta({ id: "RegisteredOrganisation" });

export interface Operation {
  id: string;
  method: "get" | "post" | "delete";
  path: string;
  summary: string;
  public?: boolean;
  /** The permission the matching page requires; without it the operation answers 403 like the page. */
  permission?: Permission;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  errors: number[];
}

export const OPERATIONS: Operation[] = [
  {
    id: "signIn",
    method: "post",
    path: "/api/v1/session",
    summary: "登录（设置会话 Cookie）",
    public: true,
    body: SignInBody,
    response: Me,
    errors: [401, 422, 429],
  },
  { id: "me", method: "get", path: "/api/v1/session", summary: "当前用户", response: Me, errors: [401] },
  {
    id: "listTasks",
    permission: "view:inbox",
    method: "get",
    path: "/api/v1/tasks",
    summary: "我的待办或已办任务",
    query: TaskQuery,
    response: TaskPage,
    errors: [401, 403],
  },
  { id: "getTask", method: "get", path: "/api/v1/tasks/{id}", summary: "任务详情及其表单", response: TaskDetail, errors: [401, 404] },
  { id: "claimTask", method: "post", path: "/api/v1/tasks/{id}/claim", summary: "认领任务", response: Ok, errors: [401, 403, 404, 409] },
  {
    id: "completeTask",
    method: "post",
    path: "/api/v1/tasks/{id}/complete",
    summary: "办理任务（提交表单）",
    body: CompleteBody,
    response: TaskSummary,
    errors: [401, 403, 404, 409, 422, 503],
  },
  {
    id: "listProcesses",
    permission: "view:inbox",
    method: "get",
    path: "/api/v1/processes",
    summary: "我可以发起的流程",
    response: z.array(ProcessSummary),
    errors: [401, 403],
  },
  {
    id: "startProcess",
    method: "post",
    path: "/api/v1/processes/{key}/instances",
    summary: "发起流程",
    body: StartBody,
    response: InstanceDetail,
    errors: [401, 403, 404, 422, 503],
  },
  {
    id: "getInstance",
    method: "get",
    path: "/api/v1/instances/{id}",
    summary: "流程实例及其流转记录",
    response: InstanceDetail,
    errors: [401, 404],
  },
  {
    id: "withdrawInstance",
    method: "post",
    path: "/api/v1/instances/{id}/withdraw",
    summary: "撤回流程（仅发起人，且第一步尚未提交）",
    response: InstanceDetail,
    errors: [401, 404, 409],
  },
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
  {
    id: "lookupOrganisations",
    method: "get",
    path: "/api/v1/organisations/lookup",
    summary: "按信用代码或名称查找平台登记的单位（至多10个，仅在用单位）",
    query: OrganisationLookupQuery,
    response: z.array(RegisteredOrganisation),
    errors: [401, 422],
  },
];

export function operation(id: string): Operation {
  const op = OPERATIONS.find((o) => o.id === id);
  if (!op) throw new Error(`no API operation ${id}`);
  return op;
}
