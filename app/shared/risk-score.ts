import type { RiskLevel } from "@db/schema/risk";

// 数据化评价、评级: the score of a process assessment report, from the project's risk events and
// the inspector's judgement. The weights are parameters of the diagram's 保存评估报告 service task,
// so administrators change them by deploying a new version (docs/decisions/009-risk-management-flows.md).
//
//   rectification rate r = closed / raised (1 when nothing was raised)
//   penalty            p = Σ open events × weight of their level + overdue events × overdue weight
//   data score         d = 100 × r × rateWeight + max(0, 100 − p) × (1 − rateWeight)
//   score              s = d × (1 − judgementWeight) + judgement × judgementWeight    (one decimal)
//   grade              A ≥ 90, B ≥ 75, C ≥ 60, else D

export interface ScoreWeights {
  general: number;
  major: number;
  critical: number;
  overdue: number;
  rateWeight: number;
  judgementWeight: number;
}

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
  general: 1,
  major: 4,
  critical: 10,
  overdue: 3,
  rateWeight: 0.4,
  judgementWeight: 0.3,
};

export interface EventCounts {
  raised: number;
  closed: number;
  open: Record<RiskLevel, number>;
  overdue: number;
}

export type Grade = "A" | "B" | "C" | "D";

export const GRADE_LABELS: Record<Grade, string> = { A: "A（优）", B: "B（良）", C: "C（中）", D: "D（差）" };

export interface RiskScore {
  score: number;
  grade: Grade;
  rectificationRate: number;
  dataScore: number;
  penalty: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function riskScore(counts: EventCounts, judgement: number, weights: ScoreWeights = DEFAULT_SCORE_WEIGHTS): RiskScore {
  const rate = counts.raised === 0 ? 1 : counts.closed / counts.raised;
  const penalty =
    counts.open.general * weights.general +
    counts.open.major * weights.major +
    counts.open.critical * weights.critical +
    counts.overdue * weights.overdue;
  const dataScore = 100 * rate * weights.rateWeight + Math.max(0, 100 - penalty) * (1 - weights.rateWeight);
  const score = round1(dataScore * (1 - weights.judgementWeight) + judgement * weights.judgementWeight);
  return { score, grade: gradeOf(score), rectificationRate: rate, dataScore: round1(dataScore), penalty };
}

export function gradeOf(score: number): Grade {
  return score >= 90 ? "A" : score >= 75 ? "B" : score >= 60 ? "C" : "D";
}

/** Weights from the diagram's parameters (strings), each bounded; what is missing keeps its default. */
export function scoreWeightsFrom(params: Record<string, string>): ScoreWeights | { problem: string } {
  const weights = { ...DEFAULT_SCORE_WEIGHTS };
  for (const key of Object.keys(DEFAULT_SCORE_WEIGHTS) as (keyof ScoreWeights)[]) {
    const text = params[key];
    if (text === undefined || text.trim() === "") continue;
    const value = Number(text);
    const max = key === "rateWeight" || key === "judgementWeight" ? 1 : 100;
    if (!Number.isFinite(value) || value < 0 || value > max) return { problem: `评分参数“${key}”应为0到${max}之间的数，当前为“${text}”` };
    weights[key] = value;
  }
  return weights;
}
