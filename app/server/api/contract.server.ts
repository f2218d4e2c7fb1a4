import { z } from "zod";
import { ORGANISATION_TYPES, ROLES } from "@db/schema/roles";
import { PROJECT_STAGES } from "@db/schema/projects";
import { RECTIFIER_ROLES, RISK_CATEGORIES, RISK_EVENT_STATUSES, RISK_LEVELS, RISK_REPORT_KINDS } from "@db/schema/risk";
import { INSTANCE_STATUSES } from "@db/schema/workflow";
import { CLAIM_CHANNELS, CLAIM_PARTS, CLAIM_STATUSES, RATING_REASONS } from "@db/schema/claims";
import {
  CLAIM_CHANNEL_LABELS,
  CLAIM_PART_SHORT,
  CLAIM_STATUS_LABELS,
  CLAIM_STEP_LABELS,
  RATING_REASON_LABELS,
} from "~/shared/claim-labels";
import { LOOKUP_ORGANISATION_TYPES } from "~/shared/organisation-lookup";
import type { Permission } from "~/shared/permissions";
import {
  PROJECT_STAGE_LABELS,
  RECTIFIER_ROLE_LABELS,
  RISK_CATEGORY_LABELS,
  RISK_EVENT_STATUS_LABELS,
  RISK_LEVEL_LABELS,
  RISK_REPORT_KIND_LABELS,
} from "~/shared/risk-labels";
import { URGE_MESSAGE_MAX } from "~/shared/urge";
import { ALLOWED_TYPES, maxAttachmentBytes } from "../attachments.server";
import { MAX_UNIT_ROWS } from "../claims/units-import.server";
import { XLSX_LIMITS } from "../claims/xlsx-guard.server";
import { taskComment } from "../workflow/task-comment.server";
import { urgeSchema } from "../workflow/tasks.server";

// The REST API's contract: every operation's input and output as zod schemas. The route modules
// parse with them and the OpenAPI document is generated from them, so the two cannot drift.

const isoDate = z.string().describe("ISO 8601 时间");
const id = z.uuid();

export const ErrorBody = z
  .object({
    error: z.string().describe("错误代码：validation_failed、not_found、conflict、forbidden、unauthenticated…"),
    message: z.string().describe("中文说明"),
    fields: z.record(z.string(), z.string()).optional().describe("逐字段的中文错误信息"),
    rows: z.array(z.string()).optional().describe("上传表格被拒时，逐行的中文错误信息（如 第12行：业主电话“123”不是有效的手机号）"),
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
    submission: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("已办理：提交的数据；待办：表单打开时的值（退回的步骤为上次提交的数据，否则为前面步骤已填写、本表单预填的字段）"),
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

/** "code 中文名、code 中文名…": a coded field's values with their names, from the labels the pages show. */
const codesOf = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([code, label]) => `${code} ${label}`)
    .join("、");

const riskCategory = z.enum(RISK_CATEGORIES).describe(`风险类别：${codesOf(RISK_CATEGORY_LABELS)}`);
const riskLevel = z.enum(RISK_LEVELS).describe(`风险等级：${codesOf(RISK_LEVEL_LABELS)}`);
const riskEventStatus = z.enum(RISK_EVENT_STATUSES).describe(`状态：${codesOf(RISK_EVENT_STATUS_LABELS)}`);
const rectifierRole = z.enum(RECTIFIER_ROLES).describe(`整改单位的身份：${codesOf(RECTIFIER_ROLE_LABELS)}`);
const calendarDate = z.string().describe("日期 YYYY-MM-DD");

export const FileRef = z
  .object({ id, name: z.string(), size: z.number().int().describe("字节数") })
  .describe("附件（以 /attachments/{id} 下载）")
  .meta({ id: "FileRef" });

export const RiskEventQuery = z.object({
  q: z.string().max(100).optional().describe("按项目名称、部位、问题描述搜索（至多100字）"),
  category: riskCategory.optional(),
  level: riskLevel.optional(),
  status: riskEventStatus.optional(),
  overdue: z.enum(["true", "false"]).optional().describe("true：仅逾期未销项；false：仅未逾期"),
  tisId: id.optional().describe("风险管理机构的单位标识"),
  district: z.string().max(10).optional().describe("行政区划代码，如 530111"),
  projectId: id.optional().describe("项目标识"),
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
});

export const RiskEventSummary = z
  .object({
    id,
    number: z.string().describe("风险事件编号，如 FX000123"),
    projectId: id,
    projectName: z.string(),
    district: z.string().describe("行政区划代码"),
    category: riskCategory,
    level: riskLevel,
    status: riskEventStatus,
    location: z.string().describe("部位/位置"),
    description: z.string().describe("问题描述"),
    deadline: calendarDate.describe("整改期限"),
    overdue: z.boolean().describe("已过整改期限且未销项"),
    tisName: z.string().describe("风险管理机构"),
    rectifierName: z.string().describe("整改单位"),
    rectifierRole,
    raisedAt: isoDate,
    closedAt: isoDate.nullable().describe("销项时间"),
    photoCount: z.number().int(),
    openTaskId: id.nullable().describe("当前待办（整改或复核）任务，催办即针对该任务"),
    openTaskName: z.string().nullable(),
  })
  .meta({ id: "RiskEventSummary" });

export const RiskEventPage = z
  .object({ rows: z.array(RiskEventSummary), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
  .meta({ id: "RiskEventPage" });

export const RiskEventDetail = z
  .object({
    id,
    number: z.string().describe("风险事件编号，如 FX000123"),
    project: z.object({
      id,
      name: z.string(),
      district: z.string(),
      stage: z.enum(PROJECT_STAGES).describe(`项目阶段：${codesOf(PROJECT_STAGE_LABELS)}`),
    }),
    source: z.enum(["inspection", "reinspection"]).describe("inspection 现场检查、reinspection 复查"),
    inspectionId: id.nullable(),
    category: riskCategory,
    level: riskLevel,
    status: riskEventStatus,
    location: z.string().describe("部位/位置"),
    description: z.string().describe("问题描述"),
    photos: z.array(FileRef).describe("现场照片"),
    deadline: calendarDate.describe("整改期限"),
    overdue: z.boolean().describe("已过整改期限且未销项"),
    overdueAt: isoDate.nullable().describe("逾期提醒时间"),
    tisName: z.string().describe("风险管理机构"),
    rectifierName: z.string().describe("整改单位"),
    rectifierRole,
    rectification: z
      .object({ rectifiedOn: calendarDate, measures: z.string(), photos: z.array(FileRef) })
      .nullable()
      .describe("整改情况：完成日期、措施及结果、整改后照片"),
    returnReason: z.string().nullable().describe("最近一次复核退回的原因"),
    returnCount: z.number().int().describe("复核退回次数"),
    raisedAt: isoDate,
    rectifiedAt: isoDate.nullable(),
    closedAt: isoDate.nullable().describe("销项时间"),
    instanceId: id.nullable().describe("整改流程实例"),
    openTask: z.object({ id, name: z.string() }).nullable().describe("当前待办（整改或复核）任务"),
  })
  .meta({ id: "RiskEvent" });

export const UrgeBody = z
  .object({ message: urgeSchema.shape.message.describe(`催办说明（可选，至多${URGE_MESSAGE_MAX}字）：被催办方在通知中、任务和风险事件页面上看到`) })
  .meta({ id: "Urge" });

export const UrgeResult = z
  .object({ ok: z.literal(true), notified: z.number().int().describe("收到催办通知的人数") })
  .meta({ id: "UrgeResult" });

const score = z.number().nullable().describe("数据化评分（0–100）");

export const ProjectRisk = z
  .object({
    project: z.object({
      id,
      name: z.string(),
      stage: z.enum(PROJECT_STAGES).describe(`项目阶段：${codesOf(PROJECT_STAGE_LABELS)}`),
      sections: z.array(z.record(z.string(), z.unknown())).describe("楼栋/标段"),
      completionAcceptedOn: calendarDate.nullable().describe("竣工验收日期"),
      reinspectionDueOn: calendarDate.nullable().describe("复查到期日"),
      tisName: z.string().nullable().describe("风险管理机构"),
    }),
    policy: z
      .object({
        status: z.enum(["in_force", "terminated"]).describe("in_force 有效、terminated 已终止"),
        terminatedAt: isoDate.nullable(),
        terminationReason: z.string().nullable(),
      })
      .nullable(),
    counts: z
      .object({
        raised: z.number().int(),
        closed: z.number().int(),
        open: z.number().int(),
        overdue: z.number().int(),
        byLevel: z.object({ general: z.number().int(), major: z.number().int(), critical: z.number().int() }),
        rectificationRate: z.number().nullable().describe("销项率（0–1），尚无事件时为空"),
      })
      .describe("风险事件统计：登记、销项、未销项、逾期、按等级"),
    inspections: z
      .array(
        z.object({
          id,
          inspectedOn: calendarDate,
          stage: z.string().describe("检查阶段"),
          inspectors: z.string(),
          findings: z.string(),
          photos: z.array(FileRef),
          events: z.number().int().describe("登记的风险事件数"),
        }),
      )
      .describe("现场检查，新的在前"),
    reports: z
      .array(
        z.object({
          id,
          kind: z.enum(RISK_REPORT_KINDS).describe(`报告类型：${codesOf(RISK_REPORT_KIND_LABELS)}`),
          title: z.string(),
          filedOn: calendarDate,
          score,
          grade: z.string().nullable().describe("评级"),
          decision: z.string().nullable().describe("保险公司的审核结论"),
          decisionNote: z.string().nullable(),
          documents: z.array(FileRef),
          body: z.record(z.string(), z.unknown()).describe("报告填报的内容"),
        }),
      )
      .describe("风险交底、过程评估、最终检查、回访、复查报告，新的在前"),
    scoreTrend: z.array(z.object({ filedOn: calendarDate, score: z.number(), grade: z.string() })).describe("过程评估得分走势"),
    rating: z.object({ stars: z.number().int(), comment: z.string().nullable() }).nullable().describe("保险公司对风险管理机构的评价"),
  })
  .meta({ id: "ProjectRisk" });

export const UnitQuery = z.object({
  building: z.string().max(20).optional().describe("楼栋"),
  q: z.string().max(50).optional().describe("按房号搜索；住建局、服务热线、管理员也可按业主姓名搜索"),
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
});

export const UnitSummary = z
  .object({
    id,
    building: z.string().describe("楼栋"),
    unitNo: z.string().describe("单元"),
    room: z.string().describe("房号"),
    label: z.string().describe("房屋，如 3栋2单元1501"),
    area: z.string().nullable().describe("建筑面积（㎡）"),
    ownerName: z.string().nullable().describe("业主姓名（住建局、服务热线、管理员以外脱敏，如 张*）"),
    ownerPhone: z.string().nullable().describe("业主电话（住建局、服务热线、管理员以外脱敏，如 138****1234）"),
  })
  .meta({ id: "Unit" });

export const UnitPage = z
  .object({
    rows: z.array(UnitSummary),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    buildings: z.array(z.string()).describe("项目的全部楼栋"),
    canImport: z.boolean().describe("当前用户可否导入房屋清单"),
    contactMasked: z.boolean().describe("业主姓名和电话是否已脱敏"),
    propertyCompany: z
      .object({ name: z.string(), creditCode: z.string() })
      .nullable()
      .describe("物业服务企业（建设单位指定后，可导入房屋清单）"),
    canNamePropertyCompany: z.boolean().describe("当前用户可否指定物业服务企业"),
  })
  .meta({ id: "UnitPage" });

export const UnitsImported = z
  .object({
    added: z.number().int().describe("新增的房屋数"),
    updated: z.number().int().describe("更新的房屋数（同一楼栋、单元、房号已有的）"),
    rows: z.number().int().describe("文件中的房屋行数"),
  })
  .meta({ id: "UnitsImported" });

const claimPart = z.enum(CLAIM_PARTS).describe(`缺陷部位：${codesOf(CLAIM_PART_SHORT)}`);
const claimStatus = z.enum(CLAIM_STATUSES).describe(`案件状态：${codesOf(CLAIM_STATUS_LABELS)}`);
const claimChannel = z.enum(CLAIM_CHANNELS).describe(`报案渠道：${codesOf(CLAIM_CHANNEL_LABELS)}`);
const overdueSteps = z.array(z.string()).describe(`超过时限的环节：${codesOf(CLAIM_STEP_LABELS)}`);
const yuan = (what: string) => z.number().describe(`${what}（元）`);

export const ClaimQuery = z.object({
  q: z.string().max(100).optional().describe("按案件号（如 LP000123）、项目或小区名称、报案人搜索（至多100字）"),
  status: claimStatus.optional(),
  channel: claimChannel.optional(),
  overdue: z.enum(["true", "false"]).optional().describe("true：仅超时未结案；false：仅未超时"),
  fastTrack: z.enum(["true", "false"]).optional().describe("true：仅小额快赔；false：仅一般案件"),
  insurerId: id.optional().describe("承保公司的单位标识"),
  district: z.string().max(10).optional().describe("行政区划代码，如 530111"),
  projectId: id.optional().describe("项目标识"),
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
});

const claimCommon = {
  id,
  number: z.string().describe("案件号，如 LP000123"),
  projectId: id,
  projectName: z.string(),
  district: z.string().describe("行政区划代码"),
  unitLabel: z.string().describe("房屋，如 3栋2单元1501"),
  part: claimPart,
  channel: claimChannel,
  status: claimStatus,
  fastTrack: z.boolean().describe("小额快赔（免查勘）"),
  inCoverage: z.boolean().describe("报案时该部位是否在保险期间内"),
  overdueSteps,
  overdue: z.boolean().describe("有环节超时且未结案"),
  reporterName: z.string().describe("报案人（不经办该案件的单位看到的是脱敏姓名）"),
  reporterPhone: z.string().describe("报案人电话（不经办该案件的单位看到的是脱敏号码，如 138****1234）"),
  insurerId: id,
  insurerName: z.string().describe("承保公司"),
  repairerId: id.nullable(),
  repairerName: z.string().nullable().describe("维修单位"),
  paidAmount: yuan("赔付金额").nullable(),
  reportedAt: isoDate,
  closedAt: isoDate.nullable(),
};

export const ClaimSummary = z.object(claimCommon).meta({ id: "ClaimSummary" });

export const ClaimPage = z
  .object({ rows: z.array(ClaimSummary), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
  .meta({ id: "ClaimPage" });

export const ClaimDetail = z
  .object({
    ...claimCommon,
    description: z.string().describe("缺陷描述"),
    photos: z.array(FileRef).describe("报案照片"),
    estimate: yuan("报案估损").nullable(),
    survey: z
      .object({
        surveyedOn: calendarDate,
        cause: z.string(),
        part: claimPart,
        extent: z.string(),
        photos: z.array(FileRef),
        recommendation: z.string(),
      })
      .nullable()
      .describe("查勘报告：日期、原因、部位、损失程度、照片、维修建议"),
    declineReason: z.string().nullable().describe("不予立案的原因"),
    assessment: z
      .object({ plan: z.string(), estimatedCost: yuan("核定损失金额") })
      .nullable()
      .describe("定损"),
    repair: z
      .object({
        startedOn: calendarDate.optional(),
        finishedOn: calendarDate,
        description: z.string(),
        beforePhotos: z.array(FileRef),
        afterPhotos: z.array(FileRef),
      })
      .nullable()
      .describe("维修情况"),
    refusalReason: z.string().nullable().describe("业主最近一次验收退回的意见"),
    refusalCount: z.number().int().describe("业主验收退回次数"),
    settlement: z
      .object({
        paidAmount: yuan("赔付金额"),
        cost: yuan("维修费用"),
        cause: z.string(),
        part: claimPart,
        repairerName: z.string().nullable(),
      })
      .nullable()
      .describe("结案信息"),
    acceptedAt: isoDate.nullable(),
    decidedAt: isoDate.nullable(),
    instanceId: id.nullable().describe("理赔流程实例"),
    openTask: z.object({ id, name: z.string(), dueAt: isoDate.nullable() }).nullable().describe("当前待办步骤"),
    rating: z
      .object({
        stars: z.number().int().describe("1–5 星"),
        reasons: z.array(z.enum(RATING_REASONS)).describe(`不满意的方面：${codesOf(RATING_REASON_LABELS)}`),
        comment: z.string().nullable(),
        createdAt: isoDate,
      })
      .nullable()
      .describe("业主评价"),
    timeline: z
      .array(z.object({ at: isoDate, what: z.string(), who: z.string(), detail: z.string().nullable() }))
      .describe("案件经过：时间、步骤、办理人、说明"),
  })
  .meta({ id: "Claim" });

const claimText = (what: string, max: number) => z.string().max(max, `${what}不能超过${max}个字`);

export const ReportClaimBody = z
  .object({
    unitId: id.describe("房屋标识（GET /api/v1/projects/{id}/units）"),
    part: claimPart,
    description: claimText("缺陷描述", 2000).describe("缺陷描述（至多2000字）"),
    reporterName: claimText("联系人", 50).describe("报案联系人"),
    reporterPhone: claimText("联系电话", 20).describe("联系电话（11位手机号）"),
    estimate: z.number().nullable().optional().describe("估计维修费用（元）：低于流程设定的金额时走小额快赔"),
    photos: z.array(FileRef).max(9).optional().describe("照片（先以 POST /attachments 上传：multipart 字段 file，可用接口密钥），至多9张"),
  })
  .meta({ id: "ReportClaim" });

/** A multipart upload of one file in the field `file`. */
export interface Upload {
  /** Read when a request comes (the attachments' limit is the deployment's). */
  maxBytes: () => number;
  /** The media types the file may have, as OpenAPI's encoding lists them (comma-separated). */
  mediaType: string;
  description: string;
}

/** A file answered as it is stored (its bytes with the type they were found to have), not JSON. */
export interface Download {
  mediaTypes: string[];
  description: string;
}

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
  /** A multipart/form-data body with one file (field `file`) instead of JSON. */
  upload?: Upload;
  /** The JSON answer; an operation that answers a file has `download` instead. */
  response?: z.ZodType;
  download?: Download;
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
    id: "signOut",
    method: "delete",
    path: "/api/v1/session",
    summary: "退出登录（结束会话并清除会话 Cookie；接口密钥无会话可退出）",
    response: Ok,
    errors: [401],
  },
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
    errors: [401, 403, 404, 409, 422, 503],
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
    id: "getProjectRisk",
    permission: "view:risk",
    method: "get",
    path: "/api/v1/projects/{id}/risk",
    summary: "项目的风险管理：阶段、检查、报告、评分走势和风险事件统计",
    response: ProjectRisk,
    errors: [401, 403, 404],
  },
  {
    id: "listUnits",
    permission: "view:projects",
    method: "get",
    path: "/api/v1/projects/{id}/units",
    summary: "项目的房屋清单（按楼栋筛选，按房号或业主姓名搜索）",
    query: UnitQuery,
    response: UnitPage,
    errors: [401, 403, 404],
  },
  {
    id: "importUnits",
    permission: "view:projects",
    method: "post",
    path: "/api/v1/projects/{id}/units",
    summary:
      "导入项目的房屋清单（仅项目的建设单位、其指定的物业服务企业、主承保保险公司或管理员；项目须已确认投保；有错误的行全部列出，且不导入任何房屋）",
    upload: {
      maxBytes: () => XLSX_LIMITS.uploadBytes,
      mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      description: `Excel 文件（.xlsx，至多 5MB、${MAX_UNIT_ROWS} 行），第一个工作表第1行为表头：楼栋、单元、房号、建筑面积(㎡)、业主姓名、业主电话`,
    },
    response: UnitsImported,
    errors: [401, 403, 404, 409, 422],
  },
  {
    id: "listRiskEvents",
    permission: "view:risk",
    method: "get",
    path: "/api/v1/risk-events",
    summary: "我可查看的风险事件（按类别、等级、状态、逾期、风险管理机构、区县、项目筛选）",
    query: RiskEventQuery,
    response: RiskEventPage,
    errors: [401, 403],
  },
  {
    id: "getRiskEvent",
    permission: "view:risk",
    method: "get",
    path: "/api/v1/risk-events/{id}",
    summary: "风险事件详情及其整改情况",
    response: RiskEventDetail,
    errors: [401, 403, 404],
  },
  {
    id: "urgeRiskEvent",
    permission: "view:risk",
    method: "post",
    path: "/api/v1/risk-events/{id}/urge",
    summary: "催办风险事件的整改或复核（仅项目的保险公司；每个单位对同一待办30分钟内催办一次，其人员与接口密钥合计）",
    body: UrgeBody,
    response: UrgeResult,
    errors: [401, 403, 404, 409],
  },
  {
    id: "listClaims",
    permission: "view:claims",
    method: "get",
    path: "/api/v1/claims",
    summary: "我可查看的理赔案件（按案件号、项目、报案人搜索；按状态、渠道、超时、小额快赔、承保公司、区县、项目筛选）",
    query: ClaimQuery,
    response: ClaimPage,
    errors: [401, 403, 422],
  },
  {
    id: "reportClaim",
    permission: "view:claims",
    method: "post",
    path: "/api/v1/claims",
    summary: "保险公司核心系统报案（仅保险公司；房屋须在其承保的项目中；十分钟内相同的报案为重复报案）",
    body: ReportClaimBody,
    response: ClaimDetail,
    errors: [401, 403, 404, 409, 422],
  },
  {
    id: "getClaim",
    permission: "view:claims",
    method: "get",
    path: "/api/v1/claims/{id}",
    summary: "理赔案件详情：各环节的数据、当前步骤、业主评价和案件经过",
    response: ClaimDetail,
    errors: [401, 403, 404],
  },
  {
    id: "uploadAttachment",
    method: "post",
    path: "/attachments",
    summary: "上传附件（报案照片、表单的文件字段）：返回的文件引用填入 photos 或表单的文件字段",
    upload: {
      maxBytes: maxAttachmentBytes,
      mediaType: Object.keys(ALLOWED_TYPES).join(", "),
      description: `文件（${Object.values(ALLOWED_TYPES)
        .map((t) => t.label)
        .join("、")}，按内容判断类型，文件名的扩展名随之改正；大小上限为平台设置的 ATTACHMENT_MAX_MB，默认 20MB）`,
    },
    response: FileRef,
    errors: [401, 422],
  },
  {
    id: "getAttachment",
    method: "get",
    path: "/attachments/{id}",
    summary: "下载附件（上传者本人，或可查看其所属流程、案件的用户）",
    download: { mediaTypes: Object.keys(ALLOWED_TYPES), description: "文件内容，Content-Type 为按内容判断的类型" },
    errors: [401, 404],
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
