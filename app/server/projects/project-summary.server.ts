import type { BusinessSummary, SummaryItem } from "~/shared/business-summary";
import { districtName } from "~/shared/districts";
import { formatNumber, POLICY_DOCUMENT_LABELS, PROJECT_STATUS_LABELS, shareRoleLabel } from "~/shared/project-labels";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors.server";
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
              text("保险金额", `${formatNumber(policy.sumInsured)} 元`),
              text("保费", `${formatNumber(policy.premium)} 元`),
              text("费率", `${formatNumber(Number(policy.rate) * 100, 4)}%`),
            ]
          : []),
        ...shares.map((s) => text(shareRoleLabel(s), s.share === null ? s.name : `${s.name} ${formatNumber(s.share)}%`)),
        text("风险管理机构", parties.tis),
      ],
    });
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
