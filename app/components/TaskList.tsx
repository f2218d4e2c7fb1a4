import { Link, useNavigate } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { List } from "~/components/ui/List";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import type { ReactNode } from "react";
import { formatDateTime, formatDue } from "~/shared/time";
import type { useListParams } from "./useListParams";

export interface TaskListRow {
  /** sign: a 加签 asking the viewer's opinion (its page is /signs/<id>). */
  kind?: "task" | "sign";
  id: string;
  name: string;
  title: string;
  processName: string;
  dueAt: string | null;
  overdue: boolean | null;
  completedAt: string | null;
  assigneeName: string | null;
  createdAt: string;
}

interface TaskListProps {
  rows: TaskListRow[];
  /** 待办 shows each task's deadline, 已办 when it was done. */
  view: "todo" | "done";
  /** The page's place in the list (useListParams' pagination). */
  pagination: ReturnType<ReturnType<typeof useListParams>["pagination"]>;
  emptyText: string;
}

/** Where a row opens: its task, or the 加签 page of a sign. */
const linkOf = (row: TaskListRow) => (row.kind === "sign" ? `/signs/${row.id}` : `/tasks/${row.id}`);

function Deadline({ row }: { row: TaskListRow }) {
  if (!row.dueAt) return <>—</>;
  return (
    <span>
      {formatDue(row.dueAt)}
      {row.overdue ? (
        <Tag color="error" style={{ marginInlineStart: 8 }}>
          已逾期
        </Tag>
      ) : null}
    </span>
  );
}

/**
 * The inbox's tasks: a table on a desktop; on a phone a card a task (the task, what it is about, its
 * deadline or 已逾期, when it arrived), so nothing needs sideways scrolling. Which one shows is CSS
 * (AppShell's), so the page rendered on the server is already right for the screen.
 */
export function TaskList({ rows, view, pagination, emptyText }: TaskListProps) {
  const navigate = useNavigate();
  const whenLabel = view === "todo" ? "办理期限" : "办理时间";
  const when = (row: TaskListRow): ReactNode => (view === "todo" ? <Deadline row={row} /> : formatDateTime(row.completedAt));
  return (
    <>
      <Table
        className="idi-wide-only"
        rowKey="id"
        dataSource={rows}
        onRow={(row) => ({ onClick: () => navigate(linkOf(row)), style: { cursor: "pointer" } })}
        pagination={pagination}
        locale={{ emptyText }}
        columns={[
          {
            title: "任务",
            dataIndex: "name",
            render: (name: string, row) => (
              <Space size={4}>
                {row.kind === "sign" ? <Tag color="purple">加签</Tag> : null}
                <Link to={linkOf(row)}>{name}</Link>
              </Space>
            ),
          },
          { title: "事项", dataIndex: "title" },
          { title: "流程", dataIndex: "processName" },
          { title: whenLabel, key: "when", render: (_: unknown, row) => when(row) },
          { title: "认领人", dataIndex: "assigneeName", render: (n: string | null) => n ?? "—" },
          { title: "到达时间", dataIndex: "createdAt", render: (d: string) => formatDateTime(d) },
        ]}
      />
      <List
        className="idi-narrow-only"
        aria-label="任务列表"
        dataSource={rows}
        pagination={{ ...pagination, simple: true, align: "center" }}
        locale={{ emptyText }}
        split={false}
        renderItem={(row) => (
          <List.Item style={{ padding: "4px 0" }}>
            <Card size="small" style={{ width: "100%" }} onClick={() => navigate(linkOf(row))}>
              <Space direction="vertical" size={2} style={{ width: "100%" }}>
                <Link to={linkOf(row)} style={{ fontWeight: 600 }}>
                  {row.name}
                </Link>
                <Typography.Text>{row.title}</Typography.Text>
                <Typography.Text type="secondary">
                  {whenLabel}：{when(row)}
                </Typography.Text>
                <Typography.Text type="secondary">到达时间：{formatDateTime(row.createdAt)}</Typography.Text>
              </Space>
            </Card>
          </List.Item>
        )}
      />
    </>
  );
}
