import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import Input from "antd/es/input";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { DateRangeFilters } from "~/components/DateFilter";
import { FilterSelect, options } from "~/components/FilterSelect";
import { InstanceTable } from "~/components/InstanceTable";
import { FilterItem, SearchBar } from "~/components/SearchBar";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader, refusableList, refusedStatus } from "~/server/http/remix.server";
import { NO_ROWS } from "~/server/pagination.server";
import { queryOf } from "~/server/query.server";
import { operateCounts, operateDefinitions, operateInstances } from "~/server/flow-views/operate.server";
import { INSTANCE_STATUSES, type InstanceStatus } from "@db/schema/codes";
import { INSTANCE_STATUS_LABELS } from "~/shared/labels";
import { can } from "~/shared/permissions";
import { CLEARABLE } from "~/components/ui/clearable";

// 流程运维: how many flows of each definition version stand where, and the flows themselves,
// filtered; each opens on its administrators' page (docs/decisions/037).

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleLoader(async () => {
    const [counts, definitions, { data, refused }] = await Promise.all([
      operateCounts(actor),
      operateDefinitions(actor),
      refusableList(
        () => operateInstances(actor, queryOf(request)),
        () => NO_ROWS,
      ),
    ]);
    return json({ counts, definitions, page: data, refused, heatmap: can(actor.roles, "view:process-heatmap") }, refusedStatus(refused));
  });
}

/** The list filtered to one version and status: the link a count opens. */
const listOf = (key: string, version: number, status?: InstanceStatus) =>
  `/admin/operate?${new URLSearchParams({ process: key, version: String(version), ...(status ? { status } : {}) })}`;

const COUNTED: InstanceStatus[] = ["running", "incident", "completed", "cancelled", "withdrawn"];

export default function Operate() {
  const { counts, definitions, page, refused, heatmap } = useLoaderData<typeof loader>();
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card title="流程运维：各版本流程数量">
        <Table
          rowKey={(r) => `${r.key}@${r.version}`}
          size="small"
          dataSource={counts}
          pagination={false}
          data-testid="operate-counts"
          columns={[
            { title: "流程", render: (_, r) => `${r.name}（${r.key}）` },
            { title: "版本", dataIndex: "version", render: (v: number) => `第${v}版` },
            ...COUNTED.map((status) => ({
              title: INSTANCE_STATUS_LABELS[status],
              key: status,
              render: (_: unknown, r: (typeof counts)[number]) =>
                r.counts[status] ? <Link to={listOf(r.key, r.version, status)}>{r.counts[status]}</Link> : 0,
            })),
            { title: "合计", render: (_, r) => (r.total ? <Link to={listOf(r.key, r.version)}>{r.total}</Link> : 0) },
            {
              // A version behind its definition's newest, with flows still running: they may move.
              title: "版本迁移",
              render: (_, r) =>
                r.version < Math.max(...counts.filter((c) => c.key === r.key).map((c) => c.version)) &&
                r.counts.running + r.counts.incident > 0 ? (
                  <Link to={`/admin/operate/migrate?${new URLSearchParams({ process: r.key, fromVersion: String(r.version) })}`}>
                    迁移预览
                  </Link>
                ) : null,
            },
            ...(heatmap
              ? [
                  {
                    title: "热力图",
                    key: "heatmap",
                    render: (_: unknown, r: (typeof counts)[number]) => (
                      <Link to={`/admin/heatmap?${new URLSearchParams({ process: r.key, version: String(r.version) })}`}>查看</Link>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={`流程实例（${page.total}）`}>
        <SearchBar fields={["process", "version", "status", "q", "from", "to"]} refused={refused}>
          <FilterSelect name="process" label="流程" width={200} options={definitions.map((d) => ({ value: d.key, label: d.name }))} />
          <FilterItem name="version">
            <Input placeholder="版本" aria-label="版本" allowClear={CLEARABLE} style={{ width: 80 }} />
          </FilterItem>
          <FilterSelect name="status" label="状态" width={120} options={options(INSTANCE_STATUSES, INSTANCE_STATUS_LABELS)} />
          <FilterItem name="q">
            <Input placeholder="标题或业务编号" aria-label="标题或业务编号" allowClear={CLEARABLE} style={{ width: 200 }} />
          </FilterItem>
          <DateRangeFilters fromLabel="发起日期起" toLabel="发起日期止" />
        </SearchBar>
        <InstanceTable page={page} showIncident linkTo={(id) => `/admin/operate/${id}`} />
      </Card>
    </Space>
  );
}
