import type { BusinessSummary, SummaryItem, SummarySection } from "~/shared/business-summary";
import { districtName } from "~/shared/districts";
import { formatFigure, formatMoney } from "~/shared/figures";
import { formatNumber, POLICY_DOCUMENT_LABELS, PROJECT_STATUS_LABELS, shareRoleLabel } from "~/shared/project-labels";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors.server";
import { PROJECT_STAGE_LABELS } from "~/shared/risk-labels";
import { GRADE_LABELS, type Grade } from "~/shared/risk-score";
import type { Policy, Project } from "@db/schema";
import { db } from "../db.server";
import { eventCounts } from "../risk/risk-event-queries.server";
import { countsView, latestAssessment, riskFlowProgress } from "../risk/project-risk.server";
import { projectRecord } from "./projects.server";

/**
 * A project as the pages of its flows show it above their steps: registration, parties, policy with
 * its shares, and its documents. Read through the project's own scope: null when the project is
 * not registered yet (a review before its first step) or is outside what the actor may see.
 */
export async function projectSummary(actor: Actor, projectId: string): Promise<BusinessSummary | null> {
  let record;
  try {
    record = await projectRecord(actor, projectId);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
  const { project, parties, policy, shares, termsVisible } = record;
  const text = (label: string, value: string | null | undefined): SummaryItem => ({ label, text: value || "—" });
  const sections: BusinessSummary["sections"] = [
    {
      title: "报建信息",
      items: [
        text("报建号", project.permitNo),
        text("区县", districtName(project.district)),
        text("项目地址", project.address),
        text("建设单位", parties.developer),
        text("施工单位", parties.contractor),
        ...(project.status === "returned" && project.returnReason ? [text("退回原因", project.returnReason)] : []),
      ],
    },
  ];
  if (policy)
    sections.push({
      title: "保单信息",
      items: [
        text("保单号", policy.policyNo),
        text("保险期间", `${policy.periodStart} 至 ${policy.periodEnd}`),
        ...(termsVisible
          ? [
              text("保险金额", `${formatMoney(policy.sumInsured)} 元`),
              text("保费", `${formatMoney(policy.premium)} 元`),
              text("费率", `${formatNumber(Number(policy.rate) * 100, 4)}%`),
            ]
          : []),
        ...shares.map((s) => text(shareRoleLabel(s), s.share === null ? s.name : `${s.name} ${formatNumber(s.share)}%`)),
        text("风险管理机构", parties.tis),
      ],
    });
  if (project.stage !== "insurance") sections.push(await riskSection(project, policy));
  const documents: SummaryItem[] = [
    { label: "施工图纸", files: project.drawings },
    ...Object.entries(POLICY_DOCUMENT_LABELS).map(([key, label]) => ({ label, files: policy?.documents[key] ?? [] })),
  ].filter((d) => d.files.length);
  if (documents.length) sections.push({ title: "资料", items: documents });
  return {
    kind: "项目",
    title: project.name,
    href: `/projects/${project.id}`,
    status: PROJECT_STATUS_LABELS[project.status],
    sections,
  };
}

/**
 * Where the project's risk management stands, for whoever decides on a plan, an assessment or the
 * final report: the stage and its flow's current step, the events still open (重大 and overdue among them), the rectification
 * rate and the latest assessment's score. The project is already read through its scope.
 */
async function riskSection(
  project: Pick<Project, "id" | "stage">,
  policy: Pick<Policy, "status" | "terminationReason"> | null,
): Promise<SummarySection> {
  const [events, latest, progress] = await Promise.all([
    eventCounts(db(), project.id),
    latestAssessment(project.id),
    riskFlowProgress(project.id),
  ]);
  const counts = countsView(events);
  const items: SummaryItem[] = [
    { label: "阶段", text: PROJECT_STAGE_LABELS[project.stage] },
    { label: "当前环节", text: progress ?? "—" },
    { label: "风险事件", text: `共${counts.raised}项，已销项${counts.closed}项，未销项${counts.open}项` },
    { label: "未销项重大事件", text: `${counts.openCritical}项` },
    { label: "已逾期未整改", text: `${counts.overdue}项` },
    { label: "整改率", text: counts.rectificationRate === null ? "—" : `${formatFigure(counts.rectificationRate * 100, "%")}%` },
    {
      label: "最近评估",
      text: latest ? `${latest.filedOn} ${latest.score}分（${GRADE_LABELS[latest.grade as Grade] ?? latest.grade}）` : "尚无评估报告",
    },
  ];
  if (policy?.status === "terminated") items.push({ label: "保险合同", text: `已终止：${policy.terminationReason ?? ""}` });
  return { title: "风险管理", items };
}
