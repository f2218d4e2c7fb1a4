import { Link } from "@remix-run/react";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Col from "antd/es/col";
import Empty from "antd/es/empty";
import Row from "antd/es/row";
import { Space } from "~/components/ui/Space";
import { Statistic } from "~/components/ui/Statistic";
import { Typography } from "~/components/ui/Typography";
import { useState } from "react";
import { figurePrefix, figureWithUnit, formatFigure } from "~/shared/figures";
import type { Chart, Dashboard, Kpi } from "~/shared/statistics";
import { formatDateTime } from "~/shared/time";
import { ChartTable } from "./ChartTable";
import { DashboardChart } from "./DashboardChart";

/**
 * Any area's dashboard: its KPI cards, then its charts, each naming its unit and when its data is
 * from, with 查看数据 (the numbers as a table) and 下载Excel. It knows no indicator by name.
 */
export function DashboardView({ dashboard, query }: { dashboard: Dashboard; query: string }) {
  const asOf = `数据截至 ${formatDateTime(dashboard.asOf)}`;
  const period = `${dashboard.filters.from} 至 ${dashboard.filters.to}`;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary" data-testid="dashboard-period">
        统计期间 {period}，{asOf}
      </Typography.Text>
      <Row gutter={[16, 16]}>
        {dashboard.kpis.map((kpi) => (
          <Col key={kpi.key} xs={24} sm={12} xl={6}>
            <KpiCard kpi={kpi} asOf={asOf} />
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        {dashboard.charts.map((chart) => (
          <Col key={chart.key} xs={24} xl={12}>
            <ChartCard chart={chart} asOf={asOf} download={`/stats/chart.xlsx?${chartQuery(query, dashboard.area, chart.key)}`} />
          </Col>
        ))}
      </Row>
    </Space>
  );
}

function chartQuery(query: string, area: string, chart: string): string {
  const params = new URLSearchParams(query);
  params.delete("tab");
  params.set("area", area);
  params.set("chart", chart);
  return params.toString();
}

function KpiCard({ kpi, asOf }: { kpi: Kpi; asOf: string }) {
  return (
    <Card size="small" data-testid={`kpi-${kpi.key}`}>
      <Statistic
        title={kpi.label}
        value={formatFigure(kpi.value, kpi.unit)}
        prefix={kpi.value == null ? undefined : figurePrefix(kpi.unit) || undefined}
        suffix={kpi.value == null ? undefined : kpi.unit}
      />
      {kpi.breakdown?.length ? (
        <ul style={{ margin: "8px 0 0", paddingLeft: 16 }}>
          {kpi.breakdown.map((b) => (
            <li key={b.label}>
              <Typography.Text type="secondary">
                {b.link ? <Link to={b.link}>{b.label}</Link> : b.label}：{figureWithUnit(b.value, kpi.unit)}
              </Typography.Text>
            </li>
          ))}
        </ul>
      ) : null}
      {kpi.note ? (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "4px 0 0" }} data-testid={`kpi-note-${kpi.key}`}>
          {kpi.note}
        </Typography.Paragraph>
      ) : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        单位：{kpi.unit}，{asOf}
      </Typography.Text>
    </Card>
  );
}

function ChartCard({ chart, asOf, download }: { chart: Chart; asOf: string; download: string }) {
  const [table, setTable] = useState(false);
  const empty = chart.series.every((s) => s.points.length === 0);
  const units = [...new Set(chart.series.map((s) => s.unit))].join("、");
  return (
    <Card
      size="small"
      title={chart.title}
      data-testid={`chart-${chart.key}`}
      extra={
        <Space size="small">
          <Button size="small" onClick={() => setTable(!table)} aria-pressed={table}>
            {table ? "查看图表" : "查看数据"}
          </Button>
          <Button size="small" href={download} download>
            下载Excel
          </Button>
        </Space>
      }
    >
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        单位：{units}，{asOf}
      </Typography.Text>
      {empty ? (
        <Empty description="本期无数据" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : table ? (
        <ChartTable chart={chart} />
      ) : (
        <DashboardChart chart={chart} />
      )}
      {chart.note ? (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "8px 0 0" }}>
          {chart.note}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}
