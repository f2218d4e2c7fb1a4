import { Link } from "@remix-run/react";
import { Table } from "~/components/ui/Table";
import { formatFigure } from "~/shared/figures";
import type { Chart } from "~/shared/statistics";

/** 查看数据: the chart's numbers, a row per category, a column per series; a category links to its list. */
export function ChartTable({ chart, height = 260 }: { chart: Chart; height?: number }) {
  const labels = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.label)))];
  const rows = labels.map((label) => {
    const point = chart.series.flatMap((s) => s.points).find((p) => p.label === label);
    return { key: label, label, link: point?.link, values: chart.series.map((s) => s.points.find((p) => p.label === label)?.value) };
  });
  return (
    <Table
      size="small"
      pagination={false}
      scroll={{ x: "max-content", y: height }}
      dataSource={rows}
      columns={[
        {
          title: chart.categoryLabel,
          dataIndex: "label",
          render: (label: string, row) => (row.link ? <Link to={row.link}>{label}</Link> : label),
        },
        ...chart.series.map((s, i) => ({
          title: `${s.name}（${s.unit}）`,
          key: s.name,
          align: "right" as const,
          render: (_: unknown, row: (typeof rows)[number]) => formatFigure(row.values[i], s.unit),
        })),
      ]}
    />
  );
}
