import { type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { RefusedQuery } from "~/components/SearchBar";
import { useListParams } from "~/components/useListParams";
import { requirePermission } from "~/server/auth/session.server";
import { listPageLoader } from "~/server/http/remix.server";
import { NO_ROWS } from "~/server/pagination.server";
import { queryOf } from "~/server/query.server";
import { listReinsuredPolicies } from "~/server/projects/reinsured-policies.server";
import { formatMoney } from "~/shared/figures";
import { formatNumber, PROJECT_STATUS_LABELS } from "~/shared/project-labels";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:reinsurance");
  return listPageLoader(
    () => listReinsuredPolicies(actor, queryOf(request)),
    () => NO_ROWS,
  );
}

/** 再保业务: the reinsurer's home, the policies it carries a share of. */
export default function Reinsurance() {
  const page = useLoaderData<typeof loader>();
  const list = useListParams();
  return (
    <Card title="再保业务：本公司分入的保单">
      <RefusedQuery refusals={Object.entries(page.refused)} />
      <Table
        rowKey="policyNo"
        dataSource={page.rows}
        scroll={{ x: 1100 }}
        locale={{ emptyText: "暂无分入的保单" }}
        pagination={list.pagination(page, "张保单")}
        columns={[
          {
            title: "项目名称",
            dataIndex: "projectName",
            width: 180,
            fixed: "left",
            render: (name: string, r) => <Link to={`/projects/${r.projectId}`}>{name}</Link>,
          },
          { title: "保单号", dataIndex: "policyNo" },
          { title: "主承保公司", dataIndex: "leadInsurerName" },
          { title: "再保份额", dataIndex: "share", align: "right", render: (s: string) => `${formatNumber(s)}%` },
          { title: "保险金额（元）", dataIndex: "sumInsured", align: "right", render: (v: string) => formatMoney(v) },
          { title: "保费（元）", dataIndex: "premium", align: "right", render: (v: string) => formatMoney(v) },
          { title: "保险期间", render: (_, r) => `${r.periodStart} 至 ${r.periodEnd}` },
          {
            title: "状态",
            dataIndex: "projectStatus",
            render: (s: keyof typeof PROJECT_STATUS_LABELS) => (
              <Tag color={PROJECT_STATUS_LABELS[s].color}>{PROJECT_STATUS_LABELS[s].label}</Tag>
            ),
          },
        ]}
      />
    </Card>
  );
}
