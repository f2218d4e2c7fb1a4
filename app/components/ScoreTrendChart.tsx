import { Typography } from "antd";

export interface ScorePoint {
  filedOn: string;
  score: number;
  grade: string;
}

const WIDTH = 600;
const HEIGHT = 220;
const PAD = { left: 36, right: 16, top: 16, bottom: 36 };
const GRADE_LINES = [
  { score: 90, label: "A" },
  { score: 75, label: "B" },
  { score: 60, label: "C" },
];

/**
 * The process assessments' scores over time as a line (0–100, with the grade thresholds). A plain
 * SVG: it renders on the server, scales with its box and needs no chart library in the bundle.
 */
export function ScoreTrendChart({ points }: { points: ScorePoint[] }) {
  if (!points.length) return <Typography.Text type="secondary">暂无评估报告评分</Typography.Text>;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1));
  const y = (score: number) => PAD.top + plotH * (1 - Math.min(100, Math.max(0, score)) / 100);
  const line = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.score).toFixed(1)}`).join(" ");
  return (
    <svg
      role="img"
      aria-label={`评分趋势：${points.map((p) => `${p.filedOn} ${p.score}分`).join("，")}`}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      style={{ width: "100%", maxWidth: WIDTH, height: "auto", display: "block" }}
    >
      <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} stroke="#d9d9d9" />
      <line x1={PAD.left} x2={PAD.left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="#d9d9d9" />
      {[0, 100].map((s) => (
        <text key={s} x={PAD.left - 6} y={y(s) + 4} textAnchor="end" fontSize={11} fill="#8c8c8c">
          {s}
        </text>
      ))}
      {GRADE_LINES.map((g) => (
        <g key={g.label}>
          <line x1={PAD.left} x2={PAD.left + plotW} y1={y(g.score)} y2={y(g.score)} stroke="#f0f0f0" strokeDasharray="4 4" />
          <text x={PAD.left - 6} y={y(g.score) + 4} textAnchor="end" fontSize={11} fill="#8c8c8c">
            {g.score}
          </text>
        </g>
      ))}
      <path d={line} fill="none" stroke="#1677ff" strokeWidth={2} />
      {points.map((p, i) => (
        <g key={`${p.filedOn}-${i}`}>
          <circle cx={x(i)} cy={y(p.score)} r={4} fill="#1677ff" />
          <text x={x(i)} y={y(p.score) - 8} textAnchor="middle" fontSize={12} fill="#262626">
            {p.score}（{p.grade}）
          </text>
          <text x={x(i)} y={PAD.top + plotH + 18} textAnchor="middle" fontSize={11} fill="#8c8c8c">
            {p.filedOn}
          </text>
        </g>
      ))}
    </svg>
  );
}
