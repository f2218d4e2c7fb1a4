import type { SerializeFrom } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Col from "antd/es/col";
import Row from "antd/es/row";
import Segmented from "antd/es/segmented";
import { Space } from "~/components/ui/Space";
import { Statistic } from "~/components/ui/Statistic";
import { Typography } from "~/components/ui/Typography";
import { useState } from "react";
import type { RiskMapPageData, RiskMapView } from "~/server/statistics/map.server";
import { DISTRICTS, ZONE_HOST_DISTRICTS } from "~/shared/districts";
import { formatFigure } from "~/shared/figures";
import { IN_FORCE_NOTE } from "~/shared/project-labels";
import { MARKER_LIMIT, RISK_MAP_MEASURE_LABELS, RISK_MAP_MEASURES, riskMapCovers, type RiskMapMeasure } from "~/shared/risk-map";
import { formatDateTime } from "~/shared/time";
import { ChartTable } from "./ChartTable";
import { FilterSelect } from "./FilterSelect";
import { MarkerLegend, RiskMapChart } from "./RiskMapChart";
import { SearchBar } from "./SearchBar";
import { useListParams } from "./useListParams";
import { DateRangeFilters } from "./DateFilter";

// 风险地图: the filters, the city's figures, the map with its notes, and its numbers as a table.

const PERIOD_OPTIONS = [
  { value: "month", label: "月（含开始日期）" },
  { value: "quarter", label: "季（含开始日期）" },
  { value: "year", label: "年（含开始日期）" },
  { value: "custom", label: "自定义" },
];

const ZONE_NAMES = DISTRICTS.filter((d) => d.code in ZONE_HOST_DISTRICTS)
  .map((d) => d.name)
  .join("、");

/**
 * The map page: its filters, then the map of what they select; when the server refused the query
 * (`refused`, 422), each refusal under its field or in the bar's alert, and no map.
 */
export function RiskMapPage({ data }: { data: SerializeFrom<RiskMapPageData> }) {
  const { view, options, refused } = data;
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        风险地图
      </Typography.Title>
      <SearchBar fields={["period", "from", "to", "district", "insurer", "tis"]} refused={refused}>
        <FilterSelect name="period" label="统计周期（默认全部）" width={150} options={PERIOD_OPTIONS} />
        <DateRangeFilters />
        <FilterSelect name="district" label="区县" width={120} options={DISTRICTS.map((d) => ({ value: d.code, label: d.name }))} />
        <FilterSelect name="insurer" label="保险公司" width={190} options={options.insurers.map((o) => ({ value: o.id, label: o.name }))} />
        <FilterSelect name="tis" label="风险管理机构" width={190} options={options.tis.map((o) => ({ value: o.id, label: o.name }))} />
      </SearchBar>
      {view ? <RiskMapFigures view={view} /> : <Alert type="warning" showIcon message="筛选条件有误，请按提示修改后重新查看" />}
    </Card>
  );
}

/** The city's figures, the map with its notes, and its numbers as a table. */
function RiskMapFigures({ view }: { view: SerializeFrom<RiskMapView> }) {
  const { map, table } = view;
  const list = useListParams();
  const navigate = useNavigate();
  const [measure, setMeasure] = useState<RiskMapMeasure>("eventsPerProject");
  const [showTable, setShowTable] = useState(false);
  const { total } = map;
  return (
    <>
      <Typography.Paragraph type="secondary" data-testid="as-of">
        数据截至 {formatDateTime(map.asOf)}；{riskMapCovers(map.filters)}
      </Typography.Paragraph>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={6}>
          <Statistic title="在保项目（个）" value={total.projects} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="in-force-note">
            {IN_FORCE_NOTE}，截至今日
          </Typography.Text>
        </Col>
        <Col span={6}>
          <Statistic title="未销项风险事件（件）" value={total.openEvents} />
        </Col>
        <Col span={6}>
          <Statistic title="平均每项目（件/项目）" value={formatFigure(total.eventsPerProject, "件/项目")} />
        </Col>
        <Col span={6}>
          <Statistic title="有重大风险的项目占比（%）" value={formatFigure(total.severeShare, "%")} />
        </Col>
      </Row>
      <Space style={{ marginBottom: 8 }} wrap>
        <span>区县着色：</span>
        <Segmented
          aria-label="区县着色"
          value={measure}
          onChange={(value) => setMeasure(value as RiskMapMeasure)}
          options={RISK_MAP_MEASURES.map((m) => ({
            value: m,
            label: `${RISK_MAP_MEASURE_LABELS[m].label}（${RISK_MAP_MEASURE_LABELS[m].unit}）`,
          }))}
        />
        <Button onClick={() => setShowTable(!showTable)}>{showTable ? "查看地图" : "查看数据"}</Button>
        <Button href={`/map.xlsx?${list.params.toString()}`} download>
          下载Excel
        </Button>
      </Space>
      {showTable ? (
        <ChartTable chart={table} height={600} />
      ) : (
        <RiskMapChart
          districts={map.districts}
          markers={map.markers}
          names={map.names}
          measure={measure}
          onDistrict={(code) => list.search({ ...Object.fromEntries(list.params), district: code })}
          onProject={(id) => navigate(`/projects/${id}`)}
        />
      )}
      {showTable ? null : <MarkerLegend />}
      <Typography.Paragraph type="secondary" data-testid="map-notes" style={{ marginTop: 8 }}>
        地图标注 {map.markers.length} 个项目
        {map.markers.length < map.located
          ? `（有坐标的 ${map.located} 个项目中风险最高的 ${MARKER_LIMIT} 个；按区县、保险公司或风险管理机构筛选可查看其余项目）`
          : ""}
        ，按最高未销项风险等级着色，点击标注打开项目，点击区县按该区县筛选。
        {map.unlocated ? `不显示 ${map.unlocated} 个无坐标项目（登记时未填写经纬度），其数据计入所在区县。` : ""}
        {ZONE_NAMES}没有单独的行政区划边界：其项目按坐标标注在地图上，其数据在“查看数据”表格中单列。
      </Typography.Paragraph>
    </>
  );
}
