import { z } from "zod";
import { BUILDING_PARTS } from "@db/schema/building-parts";
import { POLICY_STATUSES, PROJECT_STAGES } from "@db/schema/projects";
import { RECTIFIER_ROLES, RISK_EVENT_SOURCES, RISK_EVENT_STATUSES, RISK_LEVELS, RISK_REPORT_KINDS } from "@db/schema/risk";
import {
  POLICY_STATUS_LABELS,
  PROJECT_STAGE_LABELS,
  RECTIFIER_ROLE_LABELS,
  REINSPECTION,
  RISK_CATEGORY_LABELS,
  RISK_EVENT_STATUS_LABELS,
  RISK_LEVEL_LABELS,
  RISK_REPORT_KIND_LABELS,
  riskEventNumber,
} from "~/shared/risk-labels";
import { URGE_MESSAGE_MAX } from "~/shared/urge";
import type { Actor } from "../auth/actor";
import { projectRisk } from "../risk/project-risk.server";
import { getRiskEvent, listRiskEvents, riskEventDueInOrder, riskEventFilterFields, riskEventPeriodInOrder } from "../risk/risk-event-queries.server";
import { urgeRiskEvent, urgeableRiskEvent } from "../risk/urge-risk-event.server";
import { urgeSchema } from "../tasks/urge.server";
import { FileRef, calendarDate, codesOf, deprecated, id, isoDate, pageOf, paging, type Operation } from "./contract-common.server";

// Risk management over the API: a project's risk tab, the risk events in one's scope, and urging
// an event's rectification or review.

const riskCategory = z.enum(BUILDING_PARTS).describe(`风险类别：${codesOf(RISK_CATEGORY_LABELS)}`);
const riskLevel = z.enum(RISK_LEVELS).describe(`风险等级：${codesOf(RISK_LEVEL_LABELS)}`);
const riskEventStatus = z.enum(RISK_EVENT_STATUSES).describe(`状态：${codesOf(RISK_EVENT_STATUS_LABELS)}`);
const rectifierRole = z.enum(RECTIFIER_ROLES).describe(`整改单位的身份：${codesOf(RECTIFIER_ROLE_LABELS)}`);

const score = z.number().nullable().describe("数据化评分（0–100）");

export const ProjectRisk = z
  .object({
    project: z.object({
      id,
      name: z.string(),
      stage: z.enum(PROJECT_STAGES).describe(`项目阶段：${codesOf(PROJECT_STAGE_LABELS)}`),
      sections: z.array(z.record(z.string(), z.unknown())).describe("楼栋/标段"),
      completionAcceptedOn: calendarDate.nullable().describe("竣工验收日期"),
      reinspectionDueOn: calendarDate.nullable().describe(`${REINSPECTION}到期日`),
      tisName: z.string().nullable().describe("风险管理机构"),
    }),
    policy: z
      .object({
        status: z.enum(POLICY_STATUSES).describe(codesOf(POLICY_STATUS_LABELS)),
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
      .describe("风险事件统计：登记、销项、未销项、已逾期、按等级"),
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

const filter = riskEventFilterFields;

export const RiskEventQuery = z
  .object({
    q: filter.q.describe("按项目名称、部位、问题描述搜索（至多100字）"),
    type: filter.type.describe(`风险类别：${codesOf(RISK_CATEGORY_LABELS)}`),
    level: filter.level.describe(`风险等级：${codesOf(RISK_LEVEL_LABELS)}`),
    status: filter.status.describe(`状态：${codesOf(RISK_EVENT_STATUS_LABELS)}`),
    overdue: filter.overdue.describe("true：仅已逾期未销项；false：仅未逾期"),
    cancelled: filter.cancelled.describe("true：仅已终止（因保险终止而终止）；false：不含已终止（整改率所计的事件）"),
    tis: filter.tis.describe("风险管理机构的单位标识"),
    district: filter.district.describe("行政区划代码，如 530111"),
    projectId: filter.projectId.describe("项目标识"),
    insurer: filter.insurer.describe("保险公司的单位标识：其承保（含共保）项目的事件"),
    from: filter.from.describe("上报日期起 YYYY-MM-DD（含，昆明时间）"),
    to: filter.to.describe("上报日期止 YYYY-MM-DD（含，昆明时间）"),
    dueFrom: filter.dueFrom.describe("整改期限起 YYYY-MM-DD（含）"),
    dueTo: filter.dueTo.describe("整改期限止 YYYY-MM-DD（含）"),
    // The former names, still read: giving one with its new name is refused on the new name.
    category: deprecated(filter.type, "type"),
    tisId: deprecated(filter.tis, "tis"),
    insurerId: deprecated(filter.insurer, "insurer"),
    ...paging,
  })
  .refine(...riskEventPeriodInOrder)
  .refine(...riskEventDueInOrder);

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

export const RiskEventPage = pageOf(RiskEventSummary).meta({ id: "RiskEventPage" });

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
    source: z.enum(RISK_EVENT_SOURCES).describe(`inspection 现场检查、reinspection ${REINSPECTION}`),
    inspectionId: id.nullable(),
    category: riskCategory,
    level: riskLevel,
    status: riskEventStatus,
    location: z.string().describe("部位/位置"),
    description: z.string().describe("问题描述"),
    photos: z.array(FileRef).describe("现场照片"),
    deadline: calendarDate.describe("整改期限"),
    overdue: z.boolean().describe("已过整改期限且未销项"),
    overdueAt: isoDate.nullable().describe("标记为已逾期的时间"),
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
  .object({
    message: urgeSchema.shape.message.describe(`催办说明（可选，至多${URGE_MESSAGE_MAX}字）：被催办方在通知中、任务和风险事件页面上看到`),
  })
  .meta({ id: "Urge" });

export const UrgeResult = z
  .object({ ok: z.literal(true), notified: z.number().int().describe("收到催办通知的人数") })
  .meta({ id: "UrgeResult" });

export const RISK_OPERATIONS: Operation[] = [
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
    id: "listRiskEvents",
    permission: "view:risk",
    method: "get",
    path: "/api/v1/risk-events",
    summary: "我可查看的风险事件（按类别、等级、状态、是否逾期、风险管理机构、保险公司、区县、项目、上报日期筛选）",
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
    authorize: async (actor, params) => void (await urgeableRiskEvent(actor, params.id ?? "")),
    body: UrgeBody,
    response: UrgeResult,
    errors: [401, 403, 404, 409],
  },
];

export function apiGetProjectRisk(actor: Actor, id: string) {
  return projectRisk(actor, id);
}

export async function apiListRiskEvents(actor: Actor, query: z.infer<typeof RiskEventQuery>) {
  const { overdue: _overdue, ...page } = await listRiskEvents(actor, query);
  return { ...page, rows: page.rows.map(({ seq, ...row }) => ({ number: riskEventNumber(seq), ...row })) };
}

export async function apiGetRiskEvent(actor: Actor, id: string) {
  const { event, project, tisName, rectifierName, openTask } = await getRiskEvent(actor, id);
  return {
    id: event.id,
    number: riskEventNumber(event.seq),
    project,
    source: event.source,
    inspectionId: event.inspectionId,
    category: event.category,
    level: event.level,
    status: event.status,
    location: event.location,
    description: event.description,
    photos: event.photos,
    deadline: event.deadline,
    overdue: event.overdue,
    overdueAt: event.overdueAt,
    tisName,
    rectifierName,
    rectifierRole: event.rectifierRole,
    rectification: event.rectification,
    returnReason: event.returnReason,
    returnCount: event.returnCount,
    raisedAt: event.raisedAt,
    rectifiedAt: event.rectifiedAt,
    closedAt: event.closedAt,
    instanceId: event.instanceId,
    openTask: openTask && { id: openTask.id, name: openTask.name },
  };
}

export async function apiUrgeRiskEvent(actor: Actor, id: string, body: z.infer<typeof UrgeBody>) {
  return { ok: true as const, notified: await urgeRiskEvent(actor, id, body) };
}
