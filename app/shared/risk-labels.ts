import type { BuildingPart } from "@db/schema/building-parts";
import type { PolicyStatus, ProjectStage } from "@db/schema/projects";
import type { RectifierRole, RiskEventStatus, RiskLevel, RiskReportKind } from "@db/schema/risk";

// Chinese names of risk management's coded values, for pages, forms and messages.
/** A risk event's category is a building part, as inspectors name it (owners name some differently: CLAIM_PART_LABELS). */
export const RISK_CATEGORY_LABELS: Record<BuildingPart, string> = {
  foundation: "地基基础",
  structure: "主体结构",
  waterproofing: "防水",
  insulation: "保温",
  finishing: "装饰装修",
  electrical: "电气",
  plumbing: "给排水",
  hvac: "暖通",
  other: "其他",
};

export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = {
  general: "一般",
  major: "较大",
  critical: "重大",
};

export const RISK_EVENT_STATUS_LABELS: Record<RiskEventStatus, string> = {
  open: "待整改",
  rectifying: "整改中",
  awaiting_review: "待复核",
  closed: "已销项",
  cancelled: "已终止",
};

export const RECTIFIER_ROLE_LABELS: Record<RectifierRole, string> = {
  contractor: "施工单位",
  developer: "建设单位",
  supervisor: "监理单位",
  designer: "勘察设计单位",
};

/** The re-inspection before two years from 竣工验收 have passed, by one name wherever it is named. */
export const REINSPECTION = "竣工验收满两年前复查";

export const RISK_REPORT_KIND_LABELS: Record<RiskReportKind, string> = {
  plan: "风险交底及检查计划",
  assessment: "风险过程评估报告",
  final: "质量风险最终检查报告",
  revisit: "保修期回访报告",
  reinspection: `${REINSPECTION}报告`,
};

export const PROJECT_STAGE_LABELS: Record<ProjectStage, string> = {
  insurance: "投保审核",
  planning: "风险交底",
  construction: "施工阶段",
  completion: "竣工验收",
  use: "使用阶段",
  terminated: "已终止",
};

export const POLICY_STATUS_LABELS: Record<PolicyStatus, string> = {
  in_force: "有效",
  terminated: "已终止",
};

/** The number people quote for a risk event: FX000123. */
export function riskEventNumber(seq: number): string {
  return `FX${String(seq).padStart(6, "0")}`;
}

/** Tag colours of the levels: 一般 blue, 较大 orange, 重大 red. */
export const RISK_LEVEL_COLORS: Record<RiskLevel, string> = { general: "blue", major: "orange", critical: "red" };

/** The insurer's decisions on a report (risk_reports.decision). */
export const REPORT_DECISION_LABELS: Record<string, string> = {
  approved: "已通过",
  returned: "已退回",
  issued: "已出具",
  terminated: "终止保险合同",
  finished: "回访结束",
};
