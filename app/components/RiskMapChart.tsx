import { Alert } from "~/components/ui/Alert";
import { Space } from "~/components/ui/Space";
import { Spin } from "~/components/ui/Spin";
import { Tag } from "~/components/ui/Tag";
import type { EChartsOption, registerMap } from "echarts";
import { useEffect, useMemo, useState } from "react";
import { ZONE_HOST_DISTRICTS } from "~/shared/districts";
import { PROJECT_STAGE_LABELS } from "~/shared/risk-labels";
import {
  markerOf,
  RISK_MAP_MEASURE_LABELS,
  WORST_LEVEL_STYLES,
  WORST_LEVELS,
  type DistrictRisk,
  type RiskMapMarker,
  type RiskMapMeasure,
} from "~/shared/risk-map";
import { EChart } from "./EChart";

// Kunming's districts coloured by open risk, and the projects as markers coloured by their worst
// open event. The boundaries (about 460 KB) are fetched only here, as a chunk of their own the
// browser keeps (docs/decisions/024-the-risk-map.md).

const MAP_NAME = "kunming";
/** The central districts, too small at the city's scale for their names to fit beside each other. */
const CENTRAL_DISTRICTS = ["五华区", "盘龙区", "西山区", "官渡区", "呈贡区"];

type GeoJson = Parameters<typeof registerMap>[1];

/** The districts' boundaries, fetched once per page load. */
let boundaries: Promise<GeoJson> | undefined;
function loadBoundaries(): Promise<GeoJson> {
  boundaries ??= import("~/assets/geo/kunming-districts.json").then((m) => m.default as unknown as GeoJson);
  return boundaries;
}

const ZONES = new Set(Object.keys(ZONE_HOST_DISTRICTS));
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface RiskMapChartProps {
  districts: DistrictRisk[];
  markers: RiskMapMarker[];
  names: string[];
  measure: RiskMapMeasure;
  onDistrict: (code: string) => void;
  onProject: (id: string) => void;
}

/** The markers' colours, in the page rather than on the canvas: a screen reader reads them. */
export function MarkerLegend() {
  return (
    <Space wrap aria-label="标注颜色：项目最高未销项风险等级">
      <span>标注颜色（项目最高未销项风险等级）：</span>
      {WORST_LEVELS.map((level) => (
        <Tag key={level} color={WORST_LEVEL_STYLES[level].color}>
          {WORST_LEVEL_STYLES[level].label}
        </Tag>
      ))}
    </Space>
  );
}

export function RiskMapChart({ districts, markers, names, measure, onDistrict, onProject }: RiskMapChartProps) {
  const [geo, setGeo] = useState<GeoJson | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    loadBoundaries().then(setGeo, () => setFailed(true));
  }, []);
  const option = useMemo(() => mapOption(districts, markers, names, measure), [districts, markers, names, measure]);
  if (failed) return <Alert type="error" showIcon message="地图边界加载失败，请刷新页面重试" />;
  if (!geo) return <Spin style={{ display: "block", padding: 120 }} />;
  return (
    <EChart
      option={option}
      height={600}
      ariaLabel="昆明市风险地图"
      prepare={(echarts) => echarts.registerMap(MAP_NAME, geo)}
      onClick={(data) => {
        if (typeof data.projectId === "string") onProject(data.projectId);
        else if (typeof data.code === "string") onDistrict(data.code);
      }}
    />
  );
}

/** The map's ECharts option: the districts coloured by `measure`, the markers on them. */
export function mapOption(districts: DistrictRisk[], markers: RiskMapMarker[], names: string[], measure: RiskMapMeasure): EChartsOption {
  const { label, unit } = RISK_MAP_MEASURE_LABELS[measure];
  // The zones have no boundary: their figures are in the table, their projects on the map.
  const drawn = districts.filter((d) => !ZONES.has(d.code));
  const values = drawn.map((d) => d[measure] ?? 0);
  return {
    tooltip: {
      trigger: "item",
      formatter: (params) => {
        const p = params as { seriesType?: string; data?: Record<string, unknown> };
        const data = p.data ?? {};
        if (p.seriesType === "scatter") return projectPopup(data);
        const district = drawn.find((d) => d.code === data.code);
        if (!district) return "";
        const figure = district[measure];
        return `${escape(district.name)}<br/>${label}：${figure === null ? "—（无项目）" : `${figure} ${unit}`}<br/>项目 ${district.projects} 个，未销项风险事件 ${district.openEvents} 件`;
      },
    },
    visualMap: [
      {
        type: "continuous",
        seriesIndex: 0,
        min: 0,
        max: Math.max(...values, measure === "severeShare" ? 10 : 1),
        text: [`高（${unit}）`, "低"],
        calculable: true,
        inRange: { color: ["#f0f5ff", "#85a5ff", "#1d39c4"] },
        left: 16,
        bottom: 16,
      },
    ],
    geo: {
      map: MAP_NAME,
      roam: true,
      label: { show: true, fontSize: 10 },
      // The small central districts would pile their names on one another at the city's scale:
      // theirs show on hover (and in the tooltip and 查看数据), every other district's always.
      regions: CENTRAL_DISTRICTS.map((name) => ({ name, label: { show: false }, emphasis: { label: { show: true } } })),
      emphasis: { label: { show: true } },
      itemStyle: { borderColor: "#8c8c8c" },
    },
    series: [
      {
        type: "map",
        geoIndex: 0,
        name: label,
        data: drawn.map((d) => ({ name: d.name, value: d[measure] ?? undefined, code: d.code })),
      },
      {
        type: "scatter",
        coordinateSystem: "geo",
        name: "项目",
        symbolSize: 9,
        // The markers come worst first (kept so under the marker limit); drawn the other way round,
        // so where projects share a spot the worst one is drawn last, on top, not hidden by a green one.
        data: [...markers].reverse().map((m) => {
          const marker = markerOf(m, names);
          return {
            value: [marker.longitude, marker.latitude],
            projectId: marker.id,
            name: marker.name,
            insurer: marker.insurer,
            tis: marker.tis,
            stage: PROJECT_STAGE_LABELS[marker.stage],
            openEvents: marker.openEvents,
            level: WORST_LEVEL_STYLES[marker.level].label,
            // Opaque: the colour on the canvas is the legend's, whatever the district beneath.
            itemStyle: { color: WORST_LEVEL_STYLES[marker.level].color, opacity: 1 },
          };
        }),
      },
    ],
  };
}

function projectPopup(data: Record<string, unknown>): string {
  const line = (title: string, value: unknown) => `${title}：${escape(String(value ?? "—"))}`;
  return [
    `<strong>${escape(String(data.name))}</strong>`,
    line("保险公司", data.insurer),
    line("风险管理机构", data.tis),
    line("阶段", data.stage),
    `未销项风险事件：${Number(data.openEvents)} 件（最高等级 ${escape(String(data.level))}）`,
    "点击标注打开项目",
  ].join("<br/>");
}
