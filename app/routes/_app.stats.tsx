import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Empty, List } from "antd";
import { SectionPage } from "~/components/SectionPage";
import { requirePermission } from "~/server/auth/session.server";
import { listReports } from "~/server/reports/reports.server";
import { can } from "~/shared/permissions";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:stats");
  return json({ reports: can(actor.roles, "read:reports") ? await listReports(actor) : null });
}

export default function Stats() {
  const { reports } = useLoaderData<typeof loader>();
  return (
    <SectionPage title="查询统计">
      {reports ? (
        <List
          header="定期报表"
          locale={{ emptyText: "暂无报表：承保汇总每月生成一次" }}
          dataSource={reports}
          renderItem={(r) => (
            <List.Item>
              <Link to={`/reports/${r.id}`}>{r.title}</Link>
              <span>{formatDateTime(r.periodEnd)}</span>
            </List.Item>
          )}
        />
      ) : (
        <Empty description="暂无统计数据" />
      )}
    </SectionPage>
  );
}
