import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Breadcrumb from "antd/es/breadcrumb";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Typography } from "~/components/ui/Typography";
import { useState } from "react";
import { PINNED_NOTE, PUBLISHED_COLUMNS, PrimaryLink } from "~/components/FormAdmin";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { formVersions, openTasksOfFormVersion } from "~/server/forms/publish.server";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleLoader(async () => {
    const versions = await formVersions(actor, params.key!);
    // The open tasks of each version in use, the newest twenty: where the version is still on someone's desk.
    const tasks = await Promise.all(
      versions.map((v) => (v.openTasks ? openTasksOfFormVersion(actor, v.key, v.version, 20) : Promise.resolve([]))),
    );
    return json({ key: params.key!, title: versions[0].title, versions: versions.map((v, i) => ({ ...v, tasks: tasks[i] })) });
  });
}

export default function FormVersions() {
  const { key, title, versions } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const published = search.get("published");
  const unchanged = search.get("unchanged");
  const [a, setA] = useState(versions[1]?.version ?? versions[0].version);
  const [b, setB] = useState(versions[0].version);
  const options = versions.map((v) => ({ value: v.version, label: `第${v.version}版` }));
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Breadcrumb items={[{ title: <Link to="/admin/forms">表单</Link> }, { title }]} />
      {published ? <Alert type="success" showIcon message={`已发布第${published}版。${PINNED_NOTE}`} /> : null}
      {unchanged ? <Alert type="info" showIcon message={`表单定义与第${unchanged}版相同，未发布新版本`} /> : null}
      <Card title={`${title}（${key}）的版本`} extra={<PrimaryLink to={`/admin/forms/${key}/edit`}>编辑最新版本</PrimaryLink>}>
        <Table
          rowKey="version"
          dataSource={versions}
          pagination={false}
          aria-label="表单版本"
          expandable={{
            rowExpandable: (v) => v.tasks.length > 0,
            expandedRowRender: (v) => (
              <ul style={{ margin: 0 }}>
                {v.tasks.map((t) => (
                  <li key={t.id}>
                    <Link to={`/instances/${t.instanceId}`}>{t.title}</Link>：{t.name}（{formatDateTime(t.createdAt)}）
                  </li>
                ))}
              </ul>
            ),
          }}
          columns={[
            { title: "版本", dataIndex: "version", render: (n: number) => `第${n}版` },
            ...PUBLISHED_COLUMNS,
            {
              title: "使用此版本的流程",
              dataIndex: "processes",
              render: (processes: { key: string; version: number; name: string }[]) =>
                processes.length
                  ? processes.map((p) => <div key={`${p.key}@${p.version}`} title={p.key}>{`${p.name}（第${p.version}版）`}</div>)
                  : "—",
            },
            { title: "待办任务", dataIndex: "openTasks", render: (n: number) => (n ? `${n}个` : "—") },
            {
              title: "操作",
              key: "actions",
              render: (_: unknown, v) => (
                <Space>
                  <Link to={`/admin/forms/${key}/edit?from=${v.version}`}>在此版本上修改</Link>
                  {v.version > 1 ? <Link to={`/admin/forms/${key}/compare?a=${v.version - 1}&b=${v.version}`}>与上一版比较</Link> : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {versions.length > 1 ? (
        <Card title="比较两个版本" size="small">
          <Form method="get" action={`/admin/forms/${key}/compare`}>
            <Space wrap>
              <Select aria-label="旧版本" value={a} onChange={setA} options={options} style={{ width: 120 }} />
              <Typography.Text>与</Typography.Text>
              <Select aria-label="新版本" value={b} onChange={setB} options={options} style={{ width: 120 }} />
              <input type="hidden" name="a" value={a} />
              <input type="hidden" name="b" value={b} />
              <Button htmlType="submit">比较</Button>
            </Space>
          </Form>
        </Card>
      ) : null}
    </Space>
  );
}
