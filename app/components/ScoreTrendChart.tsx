import { Typography } from "~/components/ui/Typography";
import type { EChartsOption } from "echarts";
import { useMemo } from "react";
import { EChart } from "./EChart";

export interface ScorePoint {
  filedOn: string;
  score: number;
  grade: string;
}

const GRADE_LINES = [
  { score: 90, label: "A" },
  { score: 75, label: "B" },
  { score: 60, label: "C" },
];

/**
 * The process assessments' scores over time as a line (0–100, with the grade thresholds), drawn
 * like the dashboards' charts. Its label reads every score for those who cannot see the canvas.
 */
export function ScoreTrendChart({ points }: { points: ScorePoint[] }) {
  const option = useMemo<EChartsOption>(
    () => ({
      grid: { left: 16, right: 32, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: points.map((p) => p.filedOn) },
      yAxis: { type: "value", name: "分", min: 0, max: 100 },
      series: [
        {
          type: "line",
          name: "评分",
          data: points.map((p) => p.score),
          label: {
            show: true,
            formatter: ({ dataIndex }: { dataIndex: number }) => `${points[dataIndex].score}（${points[dataIndex].grade}）`,
          },
          markLine: {
            silent: true,
            symbol: "none",
            lineStyle: { type: "dashed", color: "#d9d9d9" },
            label: { formatter: "{b}" },
            data: GRADE_LINES.map((g) => ({ yAxis: g.score, name: `${g.label} ${g.score}` })),
          },
        },
      ],
    }),
    [points],
  );
  if (!points.length) return <Typography.Text type="secondary">暂无评估报告评分</Typography.Text>;
  return <EChart option={option} height={240} ariaLabel={`评分趋势：${points.map((p) => `${p.filedOn} ${p.score}分`).join("，")}`} />;
}
