import { claimNumber, CLAIM_CHANNEL_LABELS, CLAIM_PART_LABELS, CLAIM_STATUS_LABELS, RATING_REASON_LABELS } from "~/shared/claim-labels";
import { districtName } from "~/shared/districts";
import type { Permission } from "~/shared/permissions";
import { PROJECT_STATUS_LABELS } from "~/shared/project-labels";
import {
  PROJECT_STAGE_LABELS,
  RISK_CATEGORY_LABELS,
  RISK_EVENT_STATUS_LABELS,
  RISK_LEVEL_LABELS,
  riskEventNumber,
} from "~/shared/risk-labels";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { claimExportRows } from "../claims/claim-queries.server";
import { ratingExportRows } from "../claims/service-ratings.server";
import { NotFoundError } from "../errors.server";
import { listParams, pageSchema } from "../pagination.server";
import { projectExportRows, type ProjectRow } from "../projects/project-list.server";
import { riskEventExportRows } from "../risk/risk-event-queries.server";
import { xlsxExport, type ExportColumn, type ExportRows } from "./xlsx-export.server";

// The lists that export (GET /export/{list} with the list's own query): each its permission, its
// selection (the list's filters within the actor's scope) and its columns with Chinese titles.

interface ExportableList<Row> {
  title: string;
  permission: Permission;
  rows: (actor: Actor, query: Record<string, string>) => ExportRows<Row>;
  columns: ExportColumn<Row>[];
}

const define = <Row>(list: ExportableList<Row>) => list as ExportableList<unknown>;

type RiskRow = Awaited<ReturnType<ReturnType<typeof riskEventExportRows>["after"]>>[number];
type ClaimRow = Awaited<ReturnType<ReturnType<typeof claimExportRows>["after"]>>[number];
type RatingRow = Awaited<ReturnType<ReturnType<typeof ratingExportRows>["after"]>>[number];

const LISTS: Record<string, ExportableList<unknown>> = {
  projects: define<ProjectRow>({
    title: "项目",
    permission: "view:projects",
    rows: projectExportRows,
    columns: [
      { header: "报建号", value: (r) => r.permitNo },
      { header: "项目名称", width: 28, value: (r) => r.name },
      { header: "小区名称", value: (r) => r.communityName },
      { header: "区县", value: (r) => districtName(r.district) },
      { header: "状态", value: (r) => PROJECT_STATUS_LABELS[r.status].label },
      { header: "阶段", value: (r) => PROJECT_STAGE_LABELS[r.stage] },
      { header: "建设单位", width: 28, value: (r) => r.developerName },
      { header: "施工单位", width: 28, value: (r) => r.contractorName },
      { header: "主承保公司", width: 28, value: (r) => r.insurerName },
      { header: "风险管理机构", width: 28, value: (r) => r.tisName },
      { header: "建筑面积（㎡）", format: "area", value: (r) => r.grossFloorArea },
      { header: "建安造价（元）", format: "money", width: 18, value: (r) => r.constructionCost },
      { header: "保单号", value: (r) => r.policyNo },
      { header: "签单日期", format: "day", value: (r) => r.issueDate },
      { header: "保险起期", format: "day", value: (r) => r.periodStart },
    ],
  }),
  "risk-events": define<RiskRow>({
    title: "风险事件",
    permission: "view:risk",
    rows: riskEventExportRows,
    columns: [
      { header: "编号", value: (r) => riskEventNumber(r.seq) },
      { header: "项目名称", width: 28, value: (r) => r.projectName },
      { header: "区县", value: (r) => districtName(r.district) },
      { header: "类别", value: (r) => RISK_CATEGORY_LABELS[r.category] },
      { header: "等级", value: (r) => RISK_LEVEL_LABELS[r.level] },
      { header: "状态", value: (r) => RISK_EVENT_STATUS_LABELS[r.status] },
      { header: "是否逾期", value: (r) => (r.overdue ? "是" : "否") },
      { header: "部位", value: (r) => r.location },
      { header: "描述", width: 40, value: (r) => r.description },
      { header: "整改期限", format: "day", value: (r) => r.deadline },
      { header: "风险管理机构", width: 28, value: (r) => r.tisName },
      { header: "整改单位", width: 28, value: (r) => r.rectifierName },
      { header: "登记时间", format: "time", width: 18, value: (r) => r.raisedAt },
      { header: "销项时间", format: "time", width: 18, value: (r) => r.closedAt },
    ],
  }),
  claims: define<ClaimRow>({
    title: "理赔案件",
    permission: "view:claims",
    rows: claimExportRows,
    columns: [
      { header: "案件号", value: (r) => claimNumber(r.seq) },
      { header: "项目名称", width: 28, value: (r) => r.projectName },
      { header: "区县", value: (r) => districtName(r.district) },
      { header: "房屋", value: (r) => r.unitLabel },
      { header: "缺陷部位", width: 28, value: (r) => CLAIM_PART_LABELS[r.part] },
      { header: "状态", value: (r) => CLAIM_STATUS_LABELS[r.status] },
      { header: "报案渠道", value: (r) => CLAIM_CHANNEL_LABELS[r.channel] },
      { header: "小额快赔", value: (r) => (r.fastTrack ? "是" : "否") },
      { header: "报案人", value: (r) => r.reporterName },
      { header: "联系电话", value: (r) => r.reporterPhone },
      { header: "保险公司", width: 28, value: (r) => r.insurerName },
      { header: "维修单位", width: 28, value: (r) => r.repairerName },
      { header: "赔付金额（元）", format: "money", width: 16, value: (r) => r.paidAmount },
      { header: "报案时间", format: "time", width: 18, value: (r) => r.reportedAt },
      { header: "结案时间", format: "time", width: 18, value: (r) => r.closedAt },
    ],
  }),
  ratings: define<RatingRow>({
    title: "服务评价",
    permission: "view:service-ratings",
    rows: (actor, query) => {
      // The ratings list has no filters: its query may name the page only.
      listParams(pageSchema, query);
      return ratingExportRows(actor);
    },
    columns: [
      { header: "案件号", value: (r) => claimNumber(r.seq) },
      { header: "项目名称", width: 28, value: (r) => r.projectName },
      { header: "保险公司", width: 28, value: (r) => r.insurerName },
      { header: "维修单位", width: 28, value: (r) => r.repairerName },
      { header: "星级", format: "integer", width: 8, value: (r) => r.stars },
      {
        header: "不满意原因",
        width: 28,
        value: (r) => r.reasons.map((x) => RATING_REASON_LABELS[x as keyof typeof RATING_REASON_LABELS] ?? x).join("、"),
      },
      { header: "评价内容", width: 40, value: (r) => r.comment },
      { header: "评价渠道", value: (r) => CLAIM_CHANNEL_LABELS[r.channel] },
      { header: "评价时间", format: "time", width: 18, value: (r) => r.createdAt },
    ],
  }),
};

/** The permission a list's export needs (404 for a list that does not export). */
export function exportPermission(list: string): Permission {
  const found = Object.hasOwn(LISTS, list) ? LISTS[list] : undefined;
  if (!found) throw new NotFoundError("没有这个列表");
  return found.permission;
}

/**
 * A list's selection, as its page's query selects it, as a streamed .xlsx download; `head`: its
 * headers only (a HEAD request), with no workbook built and nothing audited.
 */
export function exportList(actor: Actor, list: string, query: Record<string, string>, head = false): Promise<Response> {
  assertCan(actor, exportPermission(list));
  const { title, rows, columns } = LISTS[list];
  return xlsxExport(actor, list, { title, rows: rows(actor, query), columns }, head);
}
