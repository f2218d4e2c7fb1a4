import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { InstanceTable } from "~/components/InstanceTable";
import { RefusedQuery } from "~/components/SearchBar";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader, refusableList, refusedStatus } from "~/server/http/remix.server";
import { NO_ROWS } from "~/server/pagination.server";
import { queryOf } from "~/server/query.server";
import { listLatestDefinitions } from "~/server/workflow/index.server";
import { listInstances } from "~/server/flow-views/flow-progress.server";
import { formSchema } from "~/server/forms/registry.server";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  const [definitions, { data: incidents, refused }] = await handleLoader(() =>
    Promise.all([
      listLatestDefinitions(),
      refusableList(
        () => listInstances(actor, "incidents", queryOf(request)),
        () => NO_ROWS,
      ),
    ]),
  );
  // Each form by the name its users see (受理报案), with the key as the diagram names it.
  const formsOf = (versions: Record<string, number>) =>
    Promise.all(
      Object.entries(versions).map(async ([key, version]) => ({ key, version, title: (await formSchema(key, version))?.title ?? key })),
    );
  return json(
    {
      definitions: await Promise.all(
        definitions.map(async ({ id, key, name, version, deployedByName, deployedAt, formVersions }) => ({
          id,
          key,
          name,
          version,
          deployedByName,
          deployedAt,
          forms: await formsOf(formVersions),
        })),
      ),
      incidents,
      refused,
    },
    refusedStatus(refused),
  );
}

export default function Processes() {
  const { definitions, incidents, refused } = useLoaderData<typeof loader>();
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card title={`流程异常（${incidents.total}）`}>
        <RefusedQuery refusals={Object.entries(refused)} />
        <InstanceTable page={incidents} showIncident emptyText="暂无异常" />
      </Card>
      <Card title="已发布流程">
        <Table
          rowKey="id"
          dataSource={definitions}
          pagination={false}
          columns={[
            {
              title: "流程",
              dataIndex: "name",
              render: (name: string, row) => <Link to={`/admin/processes/${encodeURIComponent(row.key)}`}>{name}</Link>,
            },
            { title: "标识", dataIndex: "key" },
            { title: "当前版本", dataIndex: "version", render: (v: number) => `第${v}版` },
            {
              title: "使用表单",
              dataIndex: "forms",
              render: (forms: { key: string; version: number; title: string }[]) =>
                forms.map((f) => (
                  <div key={f.key} title={f.key}>
                    {`${f.title}（第${f.version}版）`}
                  </div>
                )),
            },
            { title: "发布人", dataIndex: "deployedByName" },
            { title: "发布时间", dataIndex: "deployedAt", render: (d: string) => formatDateTime(d) },
            {
              // Changing a flow (decision 035) and watching its running work (decision 037).
              title: "操作",
              key: "actions",
              render: (_, row) => (
                <Space>
                  <Link to={`/admin/processes/${encodeURIComponent(row.key)}`}>版本</Link>
                  <Link to={`/admin/processes/${encodeURIComponent(row.key)}/modeler`}>修改流程</Link>
                  <Link to={`/admin/operate?process=${encodeURIComponent(row.key)}`}>流程实例</Link>
                  <Link to={`/admin/heatmap?process=${encodeURIComponent(row.key)}`}>热力图</Link>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
