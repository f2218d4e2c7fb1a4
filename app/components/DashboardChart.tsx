import { useNavigate } from "@remix-run/react";
import type { EChartsOption } from "echarts";
import { useMemo } from "react";
import { formatFigure } from "~/shared/figures";
import type { Chart } from "~/shared/statistics";
import { EChart } from "./EChart";

/** A dashboard chart drawn with ECharts; a click on a bar, slice or point opens its list, where it has one. */
export function DashboardChart({ chart, height = 300 }: { chart: Chart; height?: number }) {
  const navigate = useNavigate();
  const option = useMemo(() => chartOption(chart), [chart]);
  const ariaLabel = `${chart.title}：${chart.series
    .flatMap((s) => s.points.map((p) => `${chart.series.length > 1 ? `${s.name} ` : ""}${p.label} ${formatFigure(p.value, s.unit)}${s.unit}`))
    .join("，")}`;
  return (
    <EChart
      option={option}
      height={height}
      ariaLabel={ariaLabel}
      onClick={(data) => {
        if (typeof data.link === "string" && data.link.startsWith("/")) navigate(data.link);
      }}
    />
  );
}

/** Room each further y axis on the right takes (its labels and name). */
const AXIS_OFFSET = 56;

/**
 * The ECharts option of a dashboard chart. Two or more series get a legend; series counted in
 * different units (件 and 元, a count and a %) each get a y axis named by its unit, the first on the
 * left and the others on the right, and every value is shown (label, tooltip) in its own unit.
 */
export function chartOption(chart: Chart): EChartsOption {
  const units = [...new Set(chart.series.map((s) => s.unit))];
  const shown = (unit: string) => (v: unknown) => `${formatFigure(Number(v), unit)} ${unit}`;
  const legend = chart.series.length > 1;
  // A point without a link (its list is not the viewer's to open) does not look clickable.
  const data = (s: Chart["series"][number]) =>
    s.points.map((p) => ({ name: p.label, value: p.value, link: p.link, cursor: p.link ? "pointer" : "default" }));
  if (chart.kind === "pie")
    return {
      tooltip: { trigger: "item", valueFormatter: shown(units[0] ?? "") },
      legend: { type: "scroll", bottom: 0 },
      series: chart.series.map((s) => ({
        type: "pie",
        name: s.name,
        radius: ["35%", "65%"],
        top: -20,
        data: data(s),
        tooltip: { valueFormatter: shown(s.unit) },
      })),
    };
  const categories = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.label)))];
  return {
    tooltip: { trigger: "axis", valueFormatter: shown(units[0] ?? "") },
    ...(legend ? { legend: { type: "scroll", top: 0, left: "center" } } : {}),
    grid: { left: 16, right: 24, top: legend ? 56 : 40, bottom: 8, containLabel: true },
    xAxis: {
      type: "category",
      data: categories,
      axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0, width: 130, overflow: "truncate" },
    },
    yAxis: units.map((unit, i) => ({
      type: "value" as const,
      name: unit,
      position: i === 0 ? ("left" as const) : ("right" as const),
      offset: i > 1 ? (i - 1) * AXIS_OFFSET : 0,
      // Gridlines of the first axis only; the others' ticks fall on them.
      alignTicks: i > 0 ? true : undefined,
      splitLine: { show: i === 0 },
    })),
    series: chart.series.map((s) => ({
      type: chart.kind === "line" ? ("line" as const) : ("bar" as const),
      name: s.name,
      yAxisIndex: units.indexOf(s.unit),
      barMaxWidth: 40,
      tooltip: { valueFormatter: shown(s.unit) },
      label: { show: s.points.length <= 12, position: "top", formatter: (p: { value: unknown }) => formatFigure(Number(p.value), s.unit) },
      data: data(s),
    })),
  };
}
