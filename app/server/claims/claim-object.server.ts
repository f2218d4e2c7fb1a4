import { eq } from "drizzle-orm";
import { claims } from "@db/schema";
import type { BusinessSummary, SummaryItem } from "~/shared/business-summary";
import { CLAIM_CHANNEL_LABELS, CLAIM_PART_SHORT, CLAIM_STATUS_LABELS, CLAIM_STEP_LABELS, claimNumber } from "~/shared/claim-labels";
import { formatMoney } from "~/shared/figures";
import { formatDateTime } from "~/shared/time";
import { lastRecorded } from "../audit.server";
import { NotFoundError, ValidationError } from "../errors.server";
import type { BusinessObjectType, FlowFacts } from "../workflow/index.server";
import { getClaim, type ClaimDetail } from "./claim-queries.server";

// A claim as the business object of its flow. Only a report (reportClaim) creates one, with its
// flow: no user starts a claim flow by hand.

const text = (label: string, value: string | null | undefined): SummaryItem => ({ label, text: value || "—" });

export function claimStatusTag(detail: Pick<ClaimDetail, "status" | "overdueSteps">) {
  const overdue = detail.overdueSteps.length > 0 && !["closed", "declined", "withdrawn"].includes(detail.status);
  return {
    label: overdue ? `${CLAIM_STATUS_LABELS[detail.status]}·已逾期` : CLAIM_STATUS_LABELS[detail.status],
    color: detail.status === "closed" ? "green" : detail.status === "declined" ? "default" : overdue ? "red" : "blue",
  };
}

/** The sections of a claim's card: the report, then each step's data as it was recorded. */
export function claimSections(detail: ClaimDetail): BusinessSummary["sections"] {
  const { claim } = detail;
  const sections: BusinessSummary["sections"] = [
    {
      title: "报案信息",
      items: [
        // The community only where its name is not the project's own (滇池湾花园二期 of 滇池湾花园).
        text("项目", detail.projectName === detail.communityName ? detail.projectName : `${detail.projectName}（${detail.communityName}）`),
        text("房屋", detail.unitLabel),
        text("缺陷部位", CLAIM_PART_SHORT[claim.part]),
        text("是否在保险责任期内", claim.inCoverage ? "是" : "否（报案时该部位不在保险期间内）"),
        text("缺陷描述", claim.description),
        text("报案人", `${detail.reporterName} ${detail.reporterPhone}`),
        text("报案渠道", CLAIM_CHANNEL_LABELS[claim.channel]),
        text("报案时间", formatDateTime(claim.reportedAt)),
        text("报案估损", claim.estimate == null ? null : `${formatMoney(claim.estimate)} 元`),
        ...(claim.photos.length ? [{ label: "报案照片", files: claim.photos }] : []),
      ],
    },
  ];
  const handling = [
    text("承保公司", detail.insurerName),
    text("维修单位", detail.repairerName),
    text("受理时间", formatDateTime(claim.acceptedAt)),
    ...(claim.decidedAt ? [text(claim.status === "declined" ? "不予立案时间" : "立案时间", formatDateTime(claim.decidedAt))] : []),
  ];
  if (claim.fastTrack) handling.push(text("处理方式", "小额快赔（免查勘）"));
  if (claim.overdueSteps.length) handling.push(text("已逾期环节", claim.overdueSteps.map((s) => CLAIM_STEP_LABELS[s] ?? s).join("、")));
  sections.push({ title: "案件处理", items: handling });
  if (claim.survey)
    sections.push({
      title: "查勘报告",
      items: [
        text("查勘日期", claim.survey.surveyedOn),
        text("缺陷部位", CLAIM_PART_SHORT[claim.survey.part]),
        text("缺陷原因", claim.survey.cause),
        text("损失程度及范围", claim.survey.extent),
        text("维修建议", claim.survey.recommendation),
        { label: "查勘照片", files: claim.survey.photos },
      ],
    });
  if (claim.declineReason) sections.push({ title: "不予立案", items: [text("原因", claim.declineReason)] });
  if (claim.assessment)
    sections.push({
      title: "定损",
      items: [text("维修方案", claim.assessment.plan), text("核定损失金额", `${formatMoney(claim.assessment.estimatedCost)} 元`)],
    });
  if (claim.repair)
    sections.push({
      title: "维修情况",
      items: [
        text("维修日期", `${claim.repair.startedOn ?? ""} 至 ${claim.repair.finishedOn}`),
        text("维修内容", claim.repair.description),
        { label: "维修前照片", files: claim.repair.beforePhotos },
        { label: "维修后照片", files: claim.repair.afterPhotos },
        ...(claim.refusalReason ? [text(`业主退回意见（第${claim.refusalCount}次）`, claim.refusalReason)] : []),
      ],
    });
  if (claim.settlement)
    sections.push({
      title: "结案",
      items: [
        text("赔付金额", `${formatMoney(claim.settlement.paidAmount)} 元`),
        text("维修费用", `${formatMoney(claim.settlement.cost)} 元`),
        text("缺陷原因", claim.settlement.cause),
        text("缺陷部位", CLAIM_PART_SHORT[claim.settlement.part]),
        text("维修单位", claim.settlement.repairerName),
        text("结案时间", formatDateTime(claim.closedAt)),
      ],
    });
  return sections;
}

export const claimObject: BusinessObjectType = {
  label: "理赔案件",
  pagePath: (key) => `/claims/${key}`,
  async attach() {
    throw new ValidationError({ businessKey: "理赔案件只能通过报案产生" });
  },
  async summary(actor, key) {
    let detail: ClaimDetail;
    try {
      detail = await getClaim(actor, key);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    return {
      kind: "理赔案件",
      title: `${claimNumber(detail.seq)} ${detail.unitLabel} ${CLAIM_PART_SHORT[detail.part]}`,
      href: `/claims/${detail.id}`,
      status: claimStatusTag(detail),
      sections: claimSections(detail),
    };
  },
  // No step of a claim can come before its report (查勘, 联系业主, 维修), nor a repair redone before
  // the owner sent the last one back (returnedOn, only once they have).
  async facts(ex, key): Promise<FlowFacts> {
    const [claim] = await ex.select({ reportedAt: claims.reportedAt }).from(claims).where(eq(claims.id, key));
    if (!claim) return {};
    const returned = await lastRecorded(ex, "claim.refuse", key);
    return {
      reportedOn: formatDateTime(claim.reportedAt, "YYYY-MM-DD"),
      ...(returned ? { returnedOn: formatDateTime(returned, "YYYY-MM-DD") } : {}),
    };
  },
};
