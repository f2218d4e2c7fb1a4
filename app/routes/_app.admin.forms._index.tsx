import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { Table } from "~/components/ui/Table";
import { PUBLISHED_COLUMNS, PrimaryLink } from "~/components/FormAdmin";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { listForms } from "~/server/forms/publish.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return json({ forms: await handleLoader(() => listForms(actor)) });
}

export default function Forms() {
  const { forms } = useLoaderData<typeof loader>();
  return (
    <Card title="表单" extra={<PrimaryLink to="/admin/forms/new">新建表单</PrimaryLink>}>
      <Table
        rowKey="key"
        dataSource={forms}
        pagination={false}
        aria-label="表单列表"
        columns={[
          { title: "表单", dataIndex: "title", render: (title: string, f) => <Link to={`/admin/forms/${f.key}`}>{title}</Link> },
          { title: "标识", dataIndex: "key" },
          { title: "最新版本", dataIndex: "version", render: (v: number) => `第${v}版` },
          ...PUBLISHED_COLUMNS,
        ]}
      />
    </Card>
  );
}
