import type { ProjectStatus } from "@db/schema/projects";

export const PROJECT_STATUS_LABELS: Record<ProjectStatus, { label: string; color: string }> = {
  draft: { label: "录入中", color: "default" },
  awaiting_confirmation: { label: "待住建局确认", color: "processing" },
  returned: { label: "已退回", color: "warning" },
  insured: { label: "已确认投保", color: "success" },
};

/** The policy's documents (policies.documents keys), as the insurer uploads them in 录入保险信息. */
export const POLICY_DOCUMENT_LABELS: Record<string, string> = {
  quoteLetter: "报价函",
  coinsuranceAgreement: "共保协议",
  contract: "保险合同",
  policyScan: "保单原件",
};

/** What a share of a policy makes its organisation: 主承保, 共保 or 再保险. */
export function shareRoleLabel(share: { kind: "insurer" | "reinsurer"; isLead: boolean }): string {
  return share.kind === "reinsurer" ? "再保险" : share.isLead ? "主承保" : "共保";
}

/** 12,345.6 m² / ¥ amounts for the pages, from the exact numeric strings the database returns. */
export function formatNumber(value: string | number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || value === "") return "";
  return Number(value).toLocaleString("zh-CN", { minimumFractionDigits: 0, maximumFractionDigits: digits });
}
