import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Button, Card, DatePicker, Form, Input, Select, Table, Typography } from "antd";
import dayjs from "dayjs";
import { useListParams } from "~/components/useListParams";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import type { AuditChange } from "~/server/admin/audit-view.server";
import { requirePermission } from "~/server/auth/session.server";
import { AUDIT_ACTION_LABELS } from "~/shared/audit-actions";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "read:audit");
  return json(await listAuditEvents(actor, Object.fromEntries(new URL(request.url).searchParams)));
}

const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }));

function Changes({ changes }: { changes: AuditChange[] }) {
  if (!changes.length) return null;
  return (
    <table className="audit-changes" style={{ fontSize: 12, borderCollapse: "collapse" }}>
      <tbody>
        {changes.map((c, i) => (
          <tr key={i}>
            <th style={{ textAlign: "left", fontWeight: 400, color: "#888", paddingRight: 8, verticalAlign: "top", whiteSpace: "nowrap" }}>
              {c.field}
            </th>
            <td style={{ verticalAlign: "top" }}>
              {c.before ? (
                <>
                  <Typography.Text delete type="secondary">
                    {c.before}
                  </Typography.Text>
                  {" → "}
                </>
              ) : null}
              {c.after ? <Typography.Text>{c.after}</Typography.Text> : <Typography.Text type="secondary">（清空）</Typography.Text>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
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
        style={{ marginBottom: 16, rowGap: 8 }}
        initialValues={{ q: list.get("q"), action: list.get("action"), range: from && to ? [dayjs(from), dayjs(to)] : undefined }}
        onFinish={({ q, action, range }) =>
          list.search({ q, action, from: range?.[0]?.format("YYYY-MM-DD"), to: range?.[1]?.format("YYYY-MM-DD") })
        }
      >
        <Form.Item name="q" label="操作人">
          <Input placeholder="姓名或单位" allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="action" label="操作">
          <Select placeholder="全部操作" allowClear showSearch optionFilterProp="label" options={ACTION_OPTIONS} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="range" label="日期">
          <DatePicker.RangePicker placeholder={["开始日期", "结束日期"]} />
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
          {
            title: "操作人",
            width: 200,
            render: (_, e) => (
              <>
                <div>{e.who}</div>
                {e.organisationName ? <Typography.Text type="secondary">{e.organisationName}</Typography.Text> : null}
              </>
            ),
          },
          { title: "操作", dataIndex: "action", width: 120 },
          {
            title: "对象",
            width: 240,
            render: (_, e) => (
              <>
                <Typography.Text type="secondary">{e.subject.type} </Typography.Text>
                {e.subject.href ? <Link to={e.subject.href}>{e.subject.title}</Link> : e.subject.title}
              </>
            ),
          },
          { title: "变更内容", render: (_, e) => <Changes changes={e.changes} /> },
          { title: "IP地址", dataIndex: "ip", width: 120 },
        ]}
      />
    </Card>
  );
}
