import type { BuildingPart } from "@db/schema/building-parts";
import type { ClaimChannel, ClaimStatus, CoverageGroup, RatingReason } from "@db/schema/claims";

// Chinese names of the claims module's coded values, for pages, forms, the bot and messages.
export const CLAIM_PART_LABELS: Record<BuildingPart, string> = {
  foundation: "地基基础",
  structure: "主体结构",
  waterproofing: "防水（屋面、外墙、卫生间、地下室渗漏）",
  insulation: "保温",
  finishing: "装饰装修",
  electrical: "电气管线",
  plumbing: "给排水管道",
  hvac: "供热与供冷系统",
  other: "其他部位",
};

/** Short names, for tables and chat buttons. */
export const CLAIM_PART_SHORT: Record<BuildingPart, string> = {
  foundation: "地基基础",
  structure: "主体结构",
  waterproofing: "防水渗漏",
  insulation: "保温",
  finishing: "装饰装修",
  electrical: "电气管线",
  plumbing: "给排水",
  hvac: "供热供冷",
  other: "其他",
};

/** Which of the policy's coverage groups each part falls under. */
export const PART_GROUP: Record<BuildingPart, CoverageGroup> = {
  foundation: "structure",
  structure: "structure",
  waterproofing: "envelope",
  insulation: "envelope",
  finishing: "other",
  electrical: "other",
  plumbing: "other",
  hvac: "other",
  other: "other",
};

export const COVERAGE_GROUP_LABELS: Record<CoverageGroup, string> = {
  structure: "地基基础和主体结构",
  envelope: "保温和防水",
  other: "其他部位（装饰装修、电气管线、给排水管道、供热与供冷系统等）",
};

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  reported: "已报案",
  accepted: "已受理",
  declined: "不予立案",
  registered: "已立案",
  repairing: "维修中",
  confirming: "待业主验收",
  settling: "待结案",
  closed: "已结案",
  withdrawn: "已撤销",
};

export const CLAIM_CHANNEL_LABELS: Record<ClaimChannel, string> = {
  telegram: "业主机器人",
  web: "业主网页",
  hotline: "服务热线代报",
  insurer: "保险公司系统",
};

export const RATING_REASON_LABELS: Record<RatingReason, string> = {
  response: "响应速度",
  duration: "工期",
  attitude: "服务态度",
  plan: "维修方案",
  quality: "维修质量",
  price: "价格争议",
  liability: "责任争议",
};

/** The claim steps with time limits, as the overdue marks name them. */
export const CLAIM_STEP_LABELS: Record<string, string> = {
  accept: "受理",
  survey: "查勘",
  decide: "立案决定",
  repair: "维修",
  settle: "结案",
};

/** The number owners quote: LP000123. */
export function claimNumber(seq: number): string {
  return `LP${String(seq).padStart(6, "0")}`;
}

/** LP000123 (any case, spaces around) → 123; null when it is not a claim number. */
export function parseClaimNumber(text: string): number | null {
  const m = /^\s*LP0*(\d{1,12})\s*$/i.exec(text);
  return m ? Number(m[1]) : null;
}
