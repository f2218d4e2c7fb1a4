import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import Button from "antd/es/button";
import { Space } from "~/components/ui/Space";
import { StaffProviders, staffLinks } from "~/components/StaffProviders";
import { REPORT_PRINT_STYLE, StatisticsReportView } from "~/components/StatisticsReportView";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { getReport } from "~/server/reports/reports.server";
import type { StatisticsReportData } from "~/server/reports/statistics-report.server";
import { STATISTICS_REPORT_KIND } from "~/shared/reports";
import { NotFoundError } from "~/server/errors.server";

// A statistical report alone on its page, without the platform's frame, laid out for A4: the
// browser's 打印 saves it as PDF.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "read:reports");
  return handleLoader(async () => {
    const report = await getReport(actor, params.id!);
    if (report.kind !== STATISTICS_REPORT_KIND) throw new NotFoundError("该报表没有打印版");
    const { areas } = report.data as StatisticsReportData;
    return json({ id: report.id, title: report.title, cutOff: report.cutOff!.toISOString(), requestedBy: report.requestedBy, areas });
  });
}

export const links = staffLinks;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title}（打印）` : "统计报告" }];

export default function PrintReport() {
  const report = useLoaderData<typeof loader>();
  return (
    <StaffProviders>
      <div style={{ padding: 16, background: "#fff" }}>
        <style>{REPORT_PRINT_STYLE}</style>
        <Space className="no-print" style={{ marginBottom: 16 }}>
          <Button type="primary" onClick={() => window.print()}>
            打印 / 另存为PDF
          </Button>
          <Button href={`/reports/${report.id}/workbook`} download>
            下载Excel
          </Button>
          <Button href={`/reports/${report.id}`}>返回</Button>
        </Space>
        <StatisticsReportView {...report} />
      </div>
    </StaffProviders>
  );
}
