import { useNavigate } from "@remix-run/react";
import type { EChartsOption } from "echarts";
import { useMemo } from "react";
import { decimalsOf, formatFigure } from "~/shared/figures";
import { INSURER_SHORT_NAMES } from "~/shared/insurer-short-names";
import type { Chart } from "~/shared/statistics";
import { EChart } from "./EChart";

/** A dashboard chart drawn with ECharts; a click on a bar, slice or point opens its list, where it has one. */
export function DashboardChart({ chart, height = 300, print = false }: { chart: Chart; height?: number; print?: boolean }) {
  const navigate = useNavigate();
  const option = useMemo(() => chartOption(chart, { print }), [chart, print]);
  const ariaLabel = `${chart.title}：${chart.series
    .flatMap((s) =>
      s.points.map((p) => `${chart.series.length > 1 ? `${s.name} ` : ""}${p.label} ${formatFigure(p.value, s.unit)}${s.unit}`),
    )
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

/** A legend of up to this many entries lists them all, wrapping; more page behind a scroller on screen. */
const PLAIN_LEGEND = 8;

/** Money of ten thousand yuan or more is labelled in 万元 on the bars (the table and tooltip keep the yuan). */
const TEN_THOUSAND = 10_000;

/** Whether the x labels are rotated: more than four categories, or long ones. */
export const rotatesLabels = (categories: string[]) => categories.length > 4 || categories.some((c) => c.length > 8);

/**
 * The names a chart shows its categories by: an insurer's short name (人保, 平安产险) where each
 * insurer's is different, so a slice or a bar is not cut to "中国人…"; anything else as it is.
 */
export function shortLabels(labels: string[]): (label: string) => string {
  const shortOf = (label: string) => Object.entries(INSURER_SHORT_NAMES).find(([, full]) => label.startsWith(full))?.[0] ?? label;
  const shorts = labels.map(shortOf);
  const unique = new Set(shorts).size === new Set(labels).size;
  return (label) => (unique ? shortOf(label) : label);
}

/** A value on a bar: money of 万 or more in 万元 (one decimal), anything else as the table shows it. */
function barLabel(value: number, unit: string): string {
  if (unit === "元" && Math.abs(value) >= TEN_THOUSAND)
    return `${(value / TEN_THOUSAND).toLocaleString("zh-CN", { maximumFractionDigits: 1 })}万`;
  return formatFigure(value, unit);
}

/**
 * The ECharts option of a dashboard chart. Two or more series get a legend; series counted in
 * different units (件 and 元, a count and a %) each get a y axis named by its unit, the first on the
 * left and the others on the right, and every value is shown (label, tooltip) in its own unit.
 * `print`: for paper, where nothing can be paged or hovered: legends list every entry, wrapping,
 * and pie slices carry no label (the table under the chart names them).
 */
export function chartOption(chart: Chart, { print = false }: { print?: boolean } = {}): EChartsOption {
  const units = [...new Set(chart.series.map((s) => s.unit))];
  const shown = (unit: string) => (v: unknown) => `${formatFigure(Number(v), unit)} ${unit}`;
  // A point without a link (its list is not the viewer's to open) does not look clickable.
  const data = (s: Chart["series"][number]) =>
    s.points.map((p) => ({ name: p.label, value: p.value, link: p.link, cursor: p.link ? "pointer" : "default" }));
  const categories = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.label)))];
  const short = shortLabels(categories);
  const legendOf = (entries: number) => ({
    type: print || entries <= PLAIN_LEGEND ? ("plain" as const) : ("scroll" as const),
    formatter: short,
    itemWidth: 14,
    itemGap: 8,
    ...(print ? { textStyle: { fontSize: 9 } } : {}),
  });
  if (chart.kind === "pie")
    return {
      tooltip: { trigger: "item", valueFormatter: shown(units[0] ?? "") },
      legend: { ...legendOf(categories.length), bottom: 0, left: "center" },
      series: chart.series.map((s) => ({
        type: "pie",
        name: s.name,
        radius: print ? ["30%", "55%"] : ["35%", "60%"],
        top: print ? -30 : -20,
        label: print ? { show: false } : { formatter: (p: { name: string }) => short(p.name) },
        labelLayout: { hideOverlap: true },
        data: data(s),
        tooltip: { valueFormatter: shown(s.unit) },
      })),
    };
  const legend = chart.series.length > 1;
  const rotate = rotatesLabels(categories);
  return {
    tooltip: { trigger: "axis", valueFormatter: shown(units[0] ?? "") },
    ...(legend ? { legend: { ...legendOf(chart.series.length), top: 0, left: "center" } } : {}),
    grid: {
      // Room for the first rotated label, which reaches left of its bar, and for each y axis beyond the second.
      left: rotate ? 40 : 16,
      right: 24 + Math.max(0, units.length - 2) * AXIS_OFFSET,
      top: legend ? (chart.series.length > 3 ? 72 : 56) : 40,
      bottom: 8,
      containLabel: true,
    },
    xAxis: {
      type: "category",
      data: categories,
      axisLabel: {
        interval: 0,
        rotate: rotate ? 30 : 0,
        width: print ? 90 : 120,
        overflow: "truncate",
        hideOverlap: !rotate,
        formatter: short,
      },
    },
    yAxis: units.map((unit, i) => ({
      type: "value" as const,
      name: unit,
      position: i === 0 ? ("left" as const) : ("right" as const),
      offset: i > 1 ? (i - 1) * AXIS_OFFSET : 0,
      // Gridlines of the first axis only; the others' ticks fall on them.
      alignTicks: i > 0 ? true : undefined,
      splitLine: { show: i === 0 },
      // A count's axis ticks whole numbers (not 0.2 shown as "0", "0", "1").
      minInterval: decimalsOf(unit) === 0 ? 1 : undefined,
      axisLabel: { formatter: (v: number) => barLabel(v, unit) },
    })),
    series: chart.series.map((s) => ({
      type: chart.kind === "line" ? ("line" as const) : ("bar" as const),
      name: s.name,
      yAxisIndex: units.indexOf(s.unit),
      barMaxWidth: 40,
      tooltip: { valueFormatter: shown(s.unit) },
      label: {
        show: s.points.length <= 12,
        position: "top",
        fontSize: 11,
        formatter: (p: { value: unknown }) => barLabel(Number(p.value), s.unit),
      },
      // Labels that would overlap each other (many bars, several series) are left out: the tooltip and the table have them.
      labelLayout: { hideOverlap: true },
      data: data(s),
    })),
  };
}
