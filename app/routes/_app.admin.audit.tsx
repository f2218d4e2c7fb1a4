import { type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import { DatePicker } from "~/components/LazyDatePicker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Select from "antd/es/select";
import { Table } from "~/components/ui/Table";
import { Typography } from "~/components/ui/Typography";
import dayjs from "dayjs";
import { useState } from "react";
import { useListParams } from "~/components/useListParams";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import type { AuditChange } from "~/server/admin/audit-view.server";
import { requirePermission } from "~/server/auth/session.server";
import { AUDIT_ACTION_LABELS } from "~/shared/audit-actions";
import { formatDateTime, isAfterToday } from "~/shared/time";
import { searchRule } from "~/shared/search";
import { listPageLoader } from "~/server/http/remix.server";
import { NO_ROWS } from "~/server/pagination.server";
import { queryOf } from "~/server/query.server";
import { choosePrompt } from "~/components/FilterSelect";
import { RefusedQuery } from "~/components/SearchBar";
import { CLEARABLE } from "~/components/ui/clearable";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "read:audit");
  return listPageLoader(
    () => listAuditEvents(actor, queryOf(request)),
    () => NO_ROWS,
  );
}

const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }));

/** How many changed fields a row shows before 展开 (a registration changes some thirty). */
const FOLDED = 4;

function Changes({ changes }: { changes: AuditChange[] }) {
  const [open, setOpen] = useState(false);
  if (!changes.length) return null;
  const shown = open ? changes : changes.slice(0, FOLDED);
  return (
    <div style={{ fontSize: 12 }}>
      <table style={{ borderCollapse: "collapse", width: "100%" }}>
        <tbody>
          {shown.map((c, i) => (
            <tr key={i}>
              <th style={{ textAlign: "left", fontWeight: 400, color: "#888", padding: "0 8px 0 0", verticalAlign: "top", width: "40%" }}>
                {c.field}
              </th>
              <td style={{ verticalAlign: "top", wordBreak: "break-all" }}>
                {c.before ? (
                  <>
                    <Typography.Text delete type="secondary" style={{ fontSize: 12 }}>
                      {c.before}
                    </Typography.Text>
                    {" → "}
                  </>
                ) : null}
                {c.after ? (
                  <Typography.Text style={{ fontSize: 12 }}>{c.after}</Typography.Text>
                ) : (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    （清空）
                  </Typography.Text>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {changes.length > FOLDED ? (
        <Button type="link" size="small" style={{ padding: 0, fontSize: 12 }} onClick={() => setOpen(!open)}>
          {open ? "收起" : `展开其余 ${changes.length - FOLDED} 项`}
        </Button>
      ) : null}
    </div>
  );
}

export default function AuditLog() {
  const page = useLoaderData<typeof loader>();
  const list = useListParams();
  const from = list.get("from");
  const to = list.get("to");
  // A refused query: each message under its field, the keys no field shows above the form.
  const refused: Record<string, string> = page.refused;
  const status = (...keys: string[]) => {
    const help = keys.map((k) => refused[k]).find(Boolean);
    return help ? { validateStatus: "error" as const, help } : {};
  };
  const FIELDS = ["q", "action", "from", "to"];
  return (
    <Card title="审计日志">
      <RefusedQuery refusals={Object.entries(refused).filter(([key]) => !FIELDS.includes(key))} />
      <Form
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        initialValues={{ q: list.get("q"), action: list.get("action"), range: from && to ? [dayjs(from), dayjs(to)] : undefined }}
        onFinish={({ q, action, range }) =>
          list.search({ q, action, from: range?.[0]?.format("YYYY-MM-DD"), to: range?.[1]?.format("YYYY-MM-DD") })
        }
      >
        <Form.Item name="q" label="操作人" rules={[searchRule()]} {...status("q")}>
          <Input placeholder="姓名或单位" allowClear={CLEARABLE} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="action" label="操作" {...status("action")}>
          <Select
            placeholder={choosePrompt("操作")}
            allowClear
            showSearch
            optionFilterProp="label"
            options={ACTION_OPTIONS}
            style={{ width: 180 }}
          />
        </Form.Item>
        <Form.Item name="range" label="日期" {...status("from", "to")}>
          <DatePicker.RangePicker placeholder={["开始日期", "结束日期"]} disabledDate={isAfterToday} />
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
          { title: "时间", dataIndex: "at", width: 110, render: (d: string) => formatDateTime(d, "YYYY-MM-DD HH:mm:ss") },
          {
            title: "操作人",
            width: 180,
            render: (_, e) => (
              <>
                <div>{e.who}</div>
                {e.organisationName ? <Typography.Text type="secondary">{e.organisationName}</Typography.Text> : null}
              </>
            ),
          },
          { title: "操作", dataIndex: "action", width: 110 },
          {
            title: "对象",
            width: 220,
            render: (_, e) => (
              <>
                <Typography.Text type="secondary">{e.subject.type} </Typography.Text>
                {e.subject.href ? <Link to={e.subject.href}>{e.subject.title}</Link> : e.subject.title}
              </>
            ),
          },
          { title: "变更内容", render: (_, e) => <Changes changes={e.changes} /> },
          { title: "IP地址", dataIndex: "ip", width: 110 },
        ]}
      />
    </Card>
  );
}
