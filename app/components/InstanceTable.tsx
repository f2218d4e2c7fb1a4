import { Link } from "@remix-run/react";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import type { InstanceStatus } from "@db/schema/workflow";
import { INSTANCE_STATUS_LABELS } from "~/shared/labels";
import { formatDateTime } from "~/shared/time";
import { useListParams } from "./useListParams";

export interface InstanceRow {
  id: string;
  title: string;
  status: InstanceStatus;
  processName: string;
  version: number;
  startedAt: string;
  endedAt: string | null;
  incident: { message: string } | null;
  currentSteps: string | null;
}

const INSTANCE_STATUS_COLORS: Record<InstanceStatus, string> = {
  running: "processing",
  completed: "success",
  incident: "error",
  cancelled: "default",
  withdrawn: "default",
};

export const INSTANCE_STATUS = Object.fromEntries(
  Object.entries(INSTANCE_STATUS_LABELS).map(([status, label]) => [
    status,
    [INSTANCE_STATUS_COLORS[status as InstanceStatus], label] as const,
  ]),
) as Record<InstanceStatus, readonly [color: string, label: string]>;

/** Flows (a page of a list, or all of them): title, process, state, current steps and when. */
export function InstanceTable({
  page,
  showIncident,
  size,
  emptyText = "暂无流程",
  linkTo = (id) => `/instances/${id}`,
}: {
  page: { rows: InstanceRow[]; total: number; page: number; pageSize: number } | InstanceRow[];
  showIncident?: boolean;
  size?: "small";
  emptyText?: string;
  /** Where a row's title leads: the flow's page, or its administrators' page (流程运维). */
  linkTo?: (id: string) => string;
}) {
  const list = useListParams();
  return (
    <Table
      rowKey="id"
      size={size}
      dataSource={Array.isArray(page) ? page : page.rows}
      locale={{ emptyText }}
      pagination={Array.isArray(page) ? false : list.pagination(page)}
      columns={[
        { title: "事项", dataIndex: "title", render: (t: string, r) => <Link to={linkTo(r.id)}>{t}</Link> },
        { title: "流程", render: (_, r) => `${r.processName}（第${r.version}版）` },
        {
          title: "状态",
          dataIndex: "status",
          render: (s: InstanceRow["status"]) => <Tag color={INSTANCE_STATUS[s][0]}>{INSTANCE_STATUS[s][1]}</Tag>,
        },
        { title: "当前环节", dataIndex: "currentSteps", render: (s: string | null) => s ?? "—" },
        ...(showIncident ? [{ title: "异常原因", render: (_: unknown, r: InstanceRow) => r.incident?.message ?? "" }] : []),
        { title: "发起时间", dataIndex: "startedAt", render: (d: string) => formatDateTime(d) },
        { title: "结束时间", dataIndex: "endedAt", render: (d: string | null) => formatDateTime(d) || "—" },
      ]}
    />
  );
}
