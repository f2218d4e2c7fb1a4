import type { ProjectStatus } from "@db/schema/projects";

export const PROJECT_STATUS_LABELS: Record<ProjectStatus, { label: string; color: string }> = {
  draft: { label: "录入中", color: "default" },
  awaiting_confirmation: { label: "待住建局确认", color: "processing" },
  returned: { label: "已退回", color: "warning" },
  insured: { label: "已确认投保", color: "success" },
};

/** 12,345.6 m² / ¥ amounts for the pages, from the exact numeric strings the database returns. */
export function formatNumber(value: string | number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || value === "") return "";
  return Number(value).toLocaleString("zh-CN", { minimumFractionDigits: 0, maximumFractionDigits: digits });
}
