import { useNavigate } from "@remix-run/react";
import type { EChartsOption } from "echarts";
import { useMemo } from "react";
import { formatFigure } from "~/shared/figures";
import type { Chart } from "~/shared/statistics";
import { EChart } from "./EChart";

/** A dashboard chart drawn with ECharts; a click on a bar, slice or point opens its list, where it has one. */
export function DashboardChart({ chart }: { chart: Chart }) {
  const navigate = useNavigate();
  const option = useMemo(() => optionOf(chart), [chart]);
  const ariaLabel = `${chart.title}：${chart.series
    .flatMap((s) => s.points.map((p) => `${p.label} ${formatFigure(p.value, s.unit)}${s.unit}`))
    .join("，")}`;
  return (
    <EChart
      option={option}
      height={300}
      ariaLabel={ariaLabel}
      onClick={(data) => {
        if (typeof data.link === "string" && data.link.startsWith("/")) navigate(data.link);
      }}
    />
  );
}

function optionOf(chart: Chart): EChartsOption {
  const unit = chart.series[0]?.unit ?? "";
  const tooltip = { valueFormatter: (v: unknown) => `${formatFigure(Number(v), unit)} ${unit}` };
  // A point without a link (its list is not the viewer's to open) does not look clickable.
  const data = (s: Chart["series"][number]) =>
    s.points.map((p) => ({ name: p.label, value: p.value, link: p.link, cursor: p.link ? "pointer" : "default" }));
  if (chart.kind === "pie")
    return {
      tooltip: { trigger: "item", ...tooltip },
      legend: { type: "scroll", bottom: 0 },
      series: chart.series.map((s) => ({ type: "pie", name: s.name, radius: ["35%", "65%"], top: -20, data: data(s) })),
    };
  const categories = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.label)))];
  return {
    tooltip: { trigger: "axis", ...tooltip },
    grid: { left: 16, right: 24, top: 40, bottom: 8, containLabel: true },
    xAxis: {
      type: "category",
      data: categories,
      axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0, width: 110, overflow: "truncate" },
    },
    yAxis: { type: "value", name: unit },
    series: chart.series.map((s) => ({
      type: chart.kind === "line" ? "line" : "bar",
      name: s.name,
      barMaxWidth: 40,
      label: { show: s.points.length <= 12, position: "top", formatter: (p: { value: unknown }) => formatFigure(Number(p.value), unit) },
      data: data(s),
    })),
  };
}
