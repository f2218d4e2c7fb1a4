import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Button, Card, DatePicker, Form, Input, Table, Typography } from "antd";
import dayjs from "dayjs";
import { useListParams } from "~/components/useListParams";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import { requirePermission } from "~/server/auth/session.server";
import { auditActionLabel } from "~/shared/audit-actions";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "read:audit");
  return json(await listAuditEvents(actor, Object.fromEntries(new URL(request.url).searchParams)));
}

function summarise(value: unknown): string {
  if (value == null) return "";
  const text = JSON.stringify(value);
  return text.length > 120 ? text.slice(0, 117) + "…" : text;
}

export default function AuditLog() {
  const page = useLoaderData<typeof loader>();
  const list = useListParams();
  const from = list.get("from");
  const to = list.get("to");
  return (
    <Card title="审计日志">
      <Form
        layout="inline"
        style={{ marginBottom: 16 }}
        initialValues={{ q: list.get("q"), range: from && to ? [dayjs(from), dayjs(to)] : undefined }}
        onFinish={({ q, range }) => list.search({ q, from: range?.[0]?.format("YYYY-MM-DD"), to: range?.[1]?.format("YYYY-MM-DD") })}
      >
        <Form.Item name="q">
          <Input placeholder="操作人、单位或对象" allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker />
        </Form.Item>
        <Button htmlType="submit" type="primary">
          查询
        </Button>
      </Form>
      <Table
        rowKey="id"
        size="small"
        dataSource={page.rows}
        pagination={list.pagination(page, "条")}
        columns={[
          { title: "时间", dataIndex: "at", width: 150, render: (d: string) => formatDateTime(d, "YYYY-MM-DD HH:mm:ss") },
          { title: "操作人", dataIndex: "actorName" },
          { title: "单位", dataIndex: "organisationName" },
          { title: "操作", dataIndex: "action", render: (a: string) => auditActionLabel(a) },
          { title: "对象", render: (_, e) => `${e.subjectType}:${e.subjectId}` },
          {
            title: "变更",
            render: (_, e) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[summarise(e.before), summarise(e.after)].filter(Boolean).join(" → ")}
              </Typography.Text>
            ),
          },
          { title: "IP", dataIndex: "ip", width: 120 },
        ]}
      />
    </Card>
  );
}
