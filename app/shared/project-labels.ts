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

/**
 * Where a project stands, as the bureau looks for it (the projects list's `stage`): 报建 (in the
 * insurance review), 在保 (insured, policy neither terminated nor expired), 施工中 (risk briefing or construction),
 * 已竣工 (final report issued, awaiting completion acceptance), 使用期 (after acceptance). 在保
 * holds the three after it; the others do not overlap.
 */
export const PROJECT_PHASES = ["registered", "insured", "construction", "completed", "use"] as const;
export type ProjectPhase = (typeof PROJECT_PHASES)[number];

export const PROJECT_PHASE_LABELS: Record<ProjectPhase, string> = {
  registered: "报建",
  insured: "在保",
  construction: "施工中",
  completed: "已竣工",
  use: "使用期",
};

/** What 在保 counts (the project list's phase, the risk map, the 风险 dashboard), as a figure's note says it. */
export const IN_FORCE_NOTE = "在保项目：已确认投保、保单未终止且未过保险止期的项目";

/** A site with no inspection for this many days (since its last, or since it started) is flagged (the list's `uninspected`, 预警). */
export const NO_INSPECTION_DAYS = 60;

/** Which day the projects list's from/to range reads (`dateBy`). */
export const PROJECT_DATE_FIELDS = ["issue", "start", "registered"] as const;
export type ProjectDateField = (typeof PROJECT_DATE_FIELDS)[number];

export const PROJECT_DATE_FIELD_LABELS: Record<ProjectDateField, string> = {
  issue: "签单日期",
  start: "保险起期",
  registered: "登记日期",
};

/** The columns the projects list sorts by (`sort`, with `order` asc or desc). */
export const PROJECT_SORTS = ["updatedAt", "name", "permitNo", "district", "grossFloorArea", "issueDate"] as const;
export type ProjectSort = (typeof PROJECT_SORTS)[number];
