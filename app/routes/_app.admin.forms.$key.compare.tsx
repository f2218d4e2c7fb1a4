import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Breadcrumb from "antd/es/breadcrumb";
import { Card } from "~/components/ui/Card";
import Empty from "antd/es/empty";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { requirePermission } from "~/server/auth/session.server";
import { NotFoundError } from "~/server/errors.server";
import { handleLoader } from "~/server/http/remix.server";
import { formVersion } from "~/server/forms/publish.server";
import { queryOf } from "~/server/query.server";
import { diffFormSchemas, type FieldDiff, type KeyChange } from "~/shared/form-diff";

const VERSION = /^[1-9]\d{0,8}$/;
const KIND = {
  added: { label: "新增", color: "green" },
  removed: { label: "删除", color: "red" },
  changed: { label: "修改", color: "blue" },
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleLoader(async () => {
    const { a, b } = queryOf(request);
    if (!VERSION.test(a ?? "") || !VERSION.test(b ?? "")) throw new NotFoundError("请选择要比较的两个版本");
    const [before, after] = await Promise.all([formVersion(actor, params.key!, Number(a)), formVersion(actor, params.key!, Number(b))]);
    return json({
      key: before.key,
      title: after.title,
      a: before.version,
      b: after.version,
      diff: diffFormSchemas(before.schema, after.schema),
    });
  });
}

const changeText = (c: KeyChange) => `${c.label}：${c.before ?? "（无）"} → ${c.after ?? "（无）"}`;

export default function CompareFormVersions() {
  const { key, title, a, b, diff } = useLoaderData<typeof loader>();
  const nothing = diff.fields.length === 0 && diff.form.length === 0 && !diff.reordered;
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Breadcrumb
        items={[
          { title: <Link to="/admin/forms">表单</Link> },
          { title: <Link to={`/admin/forms/${key}`}>{title}</Link> },
          { title: "比较" },
        ]}
      />
      <Card title={`第${a}版 → 第${b}版`}>
        {nothing ? <Empty description="两个版本的表单定义相同" /> : null}
        {diff.form.length ? (
          <Alert
            type="info"
            message="表单本身"
            description={diff.form.map((c) => (
              <div key={c.key}>{changeText(c)}</div>
            ))}
            style={{ marginBottom: 16 }}
          />
        ) : null}
        {diff.reordered ? <Alert type="info" message="字段的顺序有变化" style={{ marginBottom: 16 }} /> : null}
        {diff.fields.length ? (
          <Table
            rowKey={(f) => `${f.kind}:${f.path}`}
            dataSource={diff.fields}
            pagination={false}
            aria-label="字段的变化"
            columns={[
              { title: "变化", dataIndex: "kind", render: (k: FieldDiff["kind"]) => <Tag color={KIND[k].color}>{KIND[k].label}</Tag> },
              { title: "字段", dataIndex: "title", render: (t: string, f) => (t ? `${t}（${f.path}）` : f.path) },
              {
                title: "改动",
                dataIndex: "changes",
                render: (changes: KeyChange[]) => (changes.length ? changes.map((c) => <div key={c.key}>{changeText(c)}</div>) : "—"),
              },
            ]}
          />
        ) : null}
      </Card>
    </Space>
  );
}
