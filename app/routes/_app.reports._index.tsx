import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { DatePicker } from "~/components/LazyDatePicker";
import Form from "antd/es/form";
import Select from "antd/es/select";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import dayjs, { type Dayjs } from "dayjs";
import { SectionPage } from "~/components/SectionPage";
import { ServerForm } from "~/components/ServerForm";
import { requireActor, requirePermission } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import { listReports } from "~/server/reports/reports.server";
import { requestStatisticsReport } from "~/server/reports/statistics-report.server";
import { can } from "~/shared/permissions";
import { REPORT_PERIOD_LABELS, REPORT_PERIODS, type ReportPeriod } from "~/shared/reports";
import { formatDateTime, isAfterToday } from "~/shared/time";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "read:reports");
  return handleLoader(async () => json({ reports: await listReports(actor), mayMake: can(actor.roles, "make:reports") }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleAction(async () => json({ ok: true as const, ...(await requestStatisticsReport(actor, await readBody(request))) }));
}

const PICKERS: Record<ReportPeriod, "month" | "quarter" | "year"> = { month: "month", quarter: "quarter", year: "year" };

/** 生成报告: a period kind and a day in the period; the server says on the field what it refuses. */
function MakeReport() {
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const period: ReportPeriod = Form.useWatch("period", form) ?? "month";
  return (
    <Card title="生成报告" size="small">
      <ServerForm
        form={form}
        intent="make"
        layout="inline"
        submitLabel="生成报告"
        initialValues={{ period: "month" }}
        onSuccess={(result) => navigate(`/reports/${result.id}`)}
      >
        <Form.Item name="period" label="报告周期" rules={[{ required: true, message: "请选择报告周期" }]}>
          <Select style={{ width: 120 }} options={REPORT_PERIODS.map((p) => ({ value: p, label: REPORT_PERIOD_LABELS[p] }))} />
        </Form.Item>
        <Form.Item
          name="date"
          label="统计期间"
          rules={[{ required: true, message: "请选择统计期间" }]}
          getValueProps={(value?: string) => ({ value: value ? dayjs(value) : undefined })}
          normalize={(value?: Dayjs | null) => value?.format("YYYY-MM-DD")}
        >
          <DatePicker picker={PICKERS[period]} disabledDate={isAfterToday} placeholder="请选择统计期间" />
        </Form.Item>
      </ServerForm>
    </Card>
  );
}

export default function Reports() {
  const { reports, mayMake } = useLoaderData<typeof loader>();
  return (
    <SectionPage title="统计报告">
      {mayMake ? <MakeReport /> : null}
      <Table
        size="small"
        rowKey="id"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: "暂无报告：每月、每季、每年结束后自动生成" }}
        dataSource={reports}
        columns={[
          { title: "报告", dataIndex: "title", render: (title: string, r) => <Link to={`/reports/${r.id}`}>{title}</Link> },
          {
            title: "类型",
            dataIndex: "periodKind",
            render: (kind: ReportPeriod | null) => <Tag>{kind ? `${REPORT_PERIOD_LABELS[kind]}统计` : "承保汇总"}</Tag>,
          },
          {
            title: "统计期间",
            key: "period",
            render: (_: unknown, r) =>
              `${formatDateTime(r.periodStart, "YYYY-MM-DD")} 至 ${formatDateTime(dayjs(r.periodEnd).subtract(1, "ms").toDate(), "YYYY-MM-DD")}`,
          },
          { title: "数据截至", key: "cutOff", render: (_: unknown, r) => formatDateTime(r.cutOff ?? r.periodEnd) },
          { title: "生成方式", dataIndex: "requestedBy", render: (by: string | null) => (by ? `${by}生成` : "定时生成") },
          { title: "生成时间", dataIndex: "createdAt", render: (at: string) => formatDateTime(at) },
        ]}
      />
    </SectionPage>
  );
}
