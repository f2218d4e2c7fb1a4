import { z } from "zod";
import { BUILDING_PARTS } from "@db/schema/building-parts";
import { CLAIM_CHANNELS, CLAIM_STATUSES, RATING_REASONS } from "@db/schema/claims";
import {
  CLAIM_CHANNEL_LABELS,
  CLAIM_PART_SHORT,
  CLAIM_STATUS_LABELS,
  CLAIM_STEP_LABELS,
  RATING_REASON_LABELS,
  claimNumber,
} from "~/shared/claim-labels";
import type { Actor } from "../auth/actor";
import { claimStatusTag } from "../claims/claim-object.server";
import { claimFilterFields, claimPeriodInOrder, getClaim, listClaims, type ClaimRow } from "../claims/claim-queries.server";
import { reportClaim } from "../claims/claims.server";
import { MAX_UNIT_ROWS, checkUnitsImport, importUnits } from "../claims/units-import.server";
import { listUnits } from "../claims/units.server";
import { XLSX_LIMITS } from "../claims/xlsx-guard.server";
import type { UploadedFile } from "../http/upload.server";
import { FileRef, calendarDate, codesOf, deprecated, id, isoDate, pageOf, paging, type Operation } from "./contract-common.server";

// Homes and claims over the API: a project's homes (list, import the developer's list), the claims
// in one's scope, a claim's every step, and an insurer's system reporting one.

export const UnitQuery = z.object({
  building: z.string().max(20).optional().describe("楼栋"),
  q: z.string().max(50).optional().describe("按房号搜索；住建局、服务热线、管理员也可按业主姓名搜索"),
  ...paging,
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

export const UnitPage = pageOf(UnitSummary)
  .extend({
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

const claimPart = z.enum(BUILDING_PARTS).describe(`缺陷部位：${codesOf(CLAIM_PART_SHORT)}`);
const claimStatus = z.enum(CLAIM_STATUSES).describe(`案件状态：${codesOf(CLAIM_STATUS_LABELS)}`);
const claimChannel = z.enum(CLAIM_CHANNELS).describe(`报案渠道：${codesOf(CLAIM_CHANNEL_LABELS)}`);
const overdueSteps = z.array(z.string()).describe(`超过时限的环节：${codesOf(CLAIM_STEP_LABELS)}`);
const yuan = (what: string) => z.number().describe(`${what}（元）`);

const filter = claimFilterFields;

export const ClaimQuery = z
  .object({
    q: filter.q.describe("按案件号（如 LP000123）、项目或小区名称、报案人搜索（至多100字）"),
    status: filter.status.describe(`案件状态：${codesOf(CLAIM_STATUS_LABELS)}`),
    channel: filter.channel.describe(`报案渠道：${codesOf(CLAIM_CHANNEL_LABELS)}`),
    overdue: filter.overdue.describe("true：仅已逾期未结案；false：仅未逾期；waiting：当前所在环节已超时限（住建局预警所列）"),
    fastTrack: filter.fastTrack.describe("true：仅小额快赔；false：仅一般案件"),
    insurer: filter.insurer.describe("保险公司的单位标识：它承保（主承保或共保）的项目上的案件"),
    handler: filter.handler.describe("经办（主承保）保险公司的单位标识：它经办的案件（立案率、理赔时限按经办公司计）"),
    district: filter.district.describe("行政区划代码，如 530111"),
    tis: filter.tis.describe("风险管理机构的单位标识：其受委派的项目上的案件"),
    developer: filter.developer.describe("建设单位的单位标识：其建设的项目上的案件"),
    contractor: filter.contractor.describe("施工单位的单位标识：其施工的项目上的案件"),
    projectId: filter.projectId.describe("项目标识"),
    part: filter.part.describe(`缺陷部位（结案或查勘认定的，未查勘的按报案所报）：${codesOf(CLAIM_PART_SHORT)}`),
    cause: filter.cause.describe("缺陷原因（结案或查勘认定的原文，完全相同；至多1000字）"),
    from: filter.from.describe("报案日期起 YYYY-MM-DD（北京时间，含当日）"),
    to: filter.to.describe("报案日期止 YYYY-MM-DD（北京时间，含当日）"),
    // The former name, still read: giving it with insurer is refused on insurer.
    insurerId: deprecated(filter.insurer, "insurer"),
    ...paging,
  })
  .refine(...claimPeriodInOrder);

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
  overdue: z.boolean().describe("有环节已逾期且未结案"),
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

export const ClaimPage = pageOf(ClaimSummary).meta({ id: "ClaimPage" });

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

export const CLAIM_OPERATIONS: Operation[] = [
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
    id: "listClaims",
    permission: "view:claims",
    method: "get",
    path: "/api/v1/claims",
    summary: "我可查看的理赔案件（按案件号、项目、报案人搜索；按状态、渠道、是否逾期、小额快赔、承保公司、区县、项目筛选）",
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
];

export function apiListUnits(actor: Actor, projectId: string, query: z.infer<typeof UnitQuery>) {
  return listUnits(actor, projectId, query);
}

export async function apiImportUnits(actor: Actor, projectId: string, upload: () => Promise<UploadedFile>) {
  await checkUnitsImport(actor, projectId);
  const file = await upload();
  return importUnits(actor, projectId, { name: file.name || "房屋清单.xlsx", bytes: file.bytes });
}

/** A claim as the API lists it: its number instead of the sequence, and whether it shows red. */
function claimSummary({ seq, escalatedAt: _escalatedAt, ...row }: ClaimRow) {
  return { number: claimNumber(seq), ...row, overdue: claimStatusTag(row).color === "red" };
}

export async function apiListClaims(actor: Actor, query: z.infer<typeof ClaimQuery>) {
  const page = await listClaims(actor, query);
  return { ...page, rows: page.rows.map(claimSummary) };
}

export async function apiGetClaim(actor: Actor, id: string) {
  const { claim, openTask, rating, timeline, communityName: _c, owner: _o, fullContact: _f, ...row } = await getClaim(actor, id);
  return {
    ...claimSummary(row),
    description: claim.description,
    photos: claim.photos,
    estimate: claim.estimate == null ? null : Number(claim.estimate),
    survey: claim.survey,
    declineReason: claim.declineReason,
    assessment: claim.assessment,
    repair: claim.repair,
    refusalReason: claim.refusalReason,
    refusalCount: claim.refusalCount,
    settlement: claim.settlement,
    acceptedAt: claim.acceptedAt,
    decidedAt: claim.decidedAt,
    instanceId: claim.instanceId,
    openTask: openTask && { id: openTask.id, name: openTask.name, dueAt: openTask.dueAt },
    rating: rating && { stars: rating.stars, reasons: rating.reasons, comment: rating.comment, createdAt: rating.createdAt },
    timeline: timeline.map((t) => ({ at: t.at, what: t.label, who: t.actorName, detail: t.detail })),
  };
}

/** 报案 from an insurer's core system: the channel is the insurer's, whatever else the caller is. */
export async function apiReportClaim(actor: Actor, body: z.infer<typeof ReportClaimBody>) {
  const claim = await reportClaim(actor, { ...body, channel: "insurer" });
  return apiGetClaim(actor, claim.id);
}
