import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { REPORT_PRINT_STYLE, StatisticsReportView } from "~/components/StatisticsReportView";
import { requireActor } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { getReport } from "~/server/reports/reports.server";
import type { StatisticsReportData } from "~/server/reports/statistics-report.server";
import { STATISTICS_REPORT_KIND } from "~/shared/reports";
import type { UnderwritingFigures, UnderwritingSummary } from "~/server/reports/underwriting.server";
import { formatMoney } from "~/shared/figures";
import { formatNumber } from "~/shared/project-labels";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleLoader(async () => json(await getReport(actor, params.id!)));
}

const FIGURE_COLUMNS = [
  { title: "项目数", dataIndex: "projects", align: "right" as const },
  { title: "承保面积（㎡）", dataIndex: "grossFloorArea", align: "right" as const, render: (v: number) => formatNumber(v) },
  { title: "保险金额（元）", dataIndex: "sumInsured", align: "right" as const, render: (v: number) => formatMoney(v) },
  { title: "保费（元）", dataIndex: "premium", align: "right" as const, render: (v: number) => formatMoney(v) },
];

const describe = (f: UnderwritingFigures) =>
  `${f.projects} 个项目，面积 ${formatNumber(f.grossFloorArea)} ㎡，保额 ${formatMoney(f.sumInsured)} 元，保费 ${formatMoney(f.premium)} 元`;

export default function ReportPage() {
  const report = useLoaderData<typeof loader>();
  if (report.kind === STATISTICS_REPORT_KIND) return <StatisticsReport report={report} />;
  return <UnderwritingReport report={report} />;
}

type LoadedReport = ReturnType<typeof useLoaderData<typeof loader>>;

/** A statistical report: what the printed page shows, with 打印 and 下载Excel. */
function StatisticsReport({ report }: { report: LoadedReport }) {
  const { areas } = report.data as unknown as StatisticsReportData;
  return (
    <Card
      title={report.title}
      extra={
        <Space>
          <Button type="primary" href={`/reports/${report.id}/print`} target="_blank">
            打印版（可另存为PDF）
          </Button>
          <Button href={`/reports/${report.id}/workbook`} download>
            下载Excel
          </Button>
        </Space>
      }
    >
      <style>{REPORT_PRINT_STYLE}</style>
      <StatisticsReportView
        title={report.title}
        cutOff={report.cutOff ?? report.createdAt}
        requestedBy={report.requestedBy}
        areas={areas}
      />
    </Card>
  );
}

function UnderwritingReport({ report }: { report: LoadedReport }) {
  const data = report.data as unknown as UnderwritingSummary;
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card title={report.title}>
        <Descriptions
          size="small"
          column={1}
          items={[
            {
              key: "period",
              label: "统计期间",
              children: `${formatDateTime(report.periodStart, "YYYY-MM-DD")} 至 ${formatDateTime(report.periodEnd, "YYYY-MM-DD")}`,
            },
            { key: "new", label: "本期新增", children: describe(data.period) },
            { key: "total", label: "累计", children: describe(data.total) },
          ]}
        />
      </Card>
      <Card title="按保险公司（共保按份额计）">
        <Table
          size="small"
          rowKey="insurer"
          pagination={false}
          dataSource={data.byInsurer}
          columns={[{ title: "保险公司", dataIndex: "insurer" }, ...FIGURE_COLUMNS]}
        />
      </Card>
      <Card title="按区县">
        <Table
          size="small"
          rowKey="district"
          pagination={false}
          dataSource={data.byDistrict}
          columns={[{ title: "区县", dataIndex: "districtName" }, ...FIGURE_COLUMNS]}
        />
      </Card>
    </Space>
  );
}
