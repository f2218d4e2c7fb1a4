import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import type { ColumnsType as TableColumnsType } from "~/components/ui/Table";
import { BUILDING_PARTS } from "@db/schema/building-parts";
import { CLAIM_CHANNELS, CLAIM_STATUSES } from "@db/schema/codes";
import type { ClaimList as ClaimListData } from "~/server/claims/claim-views.server";
import { CLAIM_CHANNEL_LABELS, CLAIM_PART_SHORT, CLAIM_STATUS_LABELS, claimNumber } from "~/shared/claim-labels";
import { DISTRICTS } from "~/shared/districts";
import { formatMoney } from "~/shared/figures";
import { formatDateTime } from "~/shared/time";
import { FilterSelect, options } from "./FilterSelect";
import { FilterItem, SearchBar } from "./SearchBar";
import { countText, useListParams } from "./useListParams";
import { searchRule } from "~/shared/search";
import { DateFilter } from "./DateFilter";
import { WIDE_TABLE } from "./layout";
import { CLEARABLE } from "~/components/ui/clearable";

type Data = SerializeFrom<ClaimListData> & { refused?: Record<string, string> };
type Row = Data["page"]["rows"][number];

const YES_NO = (yes: string, no: string) => [
  { value: "true", label: yes },
  { value: "false", label: no },
];

/** Filters set by a link (a dashboard's bar), kept by 查询 and shown as tags, each removable. */
const NARROWING = ["projectId", "handler", "tis", "developer", "contractor"];

/** The regulator's red rows (past a step's time limit and not ended): every cell, the fixed one too. */
const OVERDUE_CELL = { style: { background: "#fff1f0" } };

/** The 理赔 list with its filters in the URL; the table scrolls inside itself on a phone. */
export function ClaimList({ data }: { data: Data }) {
  const list = useListParams();
  const { page, counts } = data;
  return (
    <>
      <SearchBar
        fields={["q", "status", "channel", "overdue", "fastTrack", "insurer", "district", "part", "cause", "from", "to", ...NARROWING]}
        refused={data.refused}
      >
        {NARROWING.map((name) => (
          <Form.Item key={name} name={name} hidden>
            <Input />
          </Form.Item>
        ))}
        <FilterItem name="q" rules={[searchRule()]}>
          <Input placeholder="案件号、项目、报案人" aria-label="关键字" allowClear={CLEARABLE} style={{ width: 200 }} />
        </FilterItem>
        <FilterSelect name="status" label="状态" width={120} options={options(CLAIM_STATUSES, CLAIM_STATUS_LABELS)} />
        <FilterSelect name="channel" label="报案渠道" width={140} options={options(CLAIM_CHANNELS, CLAIM_CHANNEL_LABELS)} />
        <FilterSelect
          name="overdue"
          label="是否逾期"
          width={110}
          options={[...YES_NO("已逾期", "未逾期"), { value: "waiting", label: "当前环节超时" }]}
        />
        <FilterSelect name="fastTrack" label="小额快赔" width={110} options={YES_NO("小额快赔", "一般案件")} />
        {data.insurerOptions.length > 1 ? (
          <FilterSelect
            name="insurer"
            label="承保公司"
            width={220}
            options={data.insurerOptions.map((o) => ({ value: o.id, label: o.name }))}
          />
        ) : null}
        <FilterSelect name="district" label="区县" width={140} options={DISTRICTS.map((d) => ({ value: d.code, label: d.name }))} />
        <FilterSelect name="part" label="缺陷部位" width={130} options={options(BUILDING_PARTS, CLAIM_PART_SHORT)} />
        <Form.Item name="cause">
          <Input placeholder="缺陷原因（完全相同）" aria-label="缺陷原因" allowClear={CLEARABLE} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="from" label="报案日期">
          <DateFilter label="报案日期起" />
        </Form.Item>
        <Form.Item name="to" label="至">
          <DateFilter label="报案日期止" />
        </Form.Item>
      </SearchBar>
      {data.narrowedTo.length ? (
        <Space wrap style={{ marginBottom: 12 }} data-testid="claim-narrowed-to">
          {data.narrowedTo.map((n) => (
            <Tag key={n.key} closable onClose={() => list.without(n.key)}>
              {n.label}：{n.name}
            </Tag>
          ))}
        </Space>
      ) : null}
      <Typography.Paragraph data-testid="claim-summary">
        共{countText(counts.total, counts.capped)}件，未结{counts.open}件，已逾期
        <Typography.Text type={counts.overdue ? "danger" : undefined}>{counts.overdue}</Typography.Text>件
      </Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        dataSource={page.rows}
        {...WIDE_TABLE}
        locale={{ emptyText: "暂无理赔案件" }}
        pagination={list.pagination(page, "件")}
        columns={COLUMNS.map((column) => ({
          ...column,
          onCell: (row: Row) => (data.highlightOverdue && row.overdue ? OVERDUE_CELL : {}),
        }))}
      />
    </>
  );
}

const COLUMNS: TableColumnsType<Row> = [
  {
    title: "案件号",
    dataIndex: "seq",
    width: 100,
    fixed: "left",
    render: (seq: number, c: Row) => <Link to={`/claims/${c.id}`}>{claimNumber(seq)}</Link>,
  },
  { title: "项目", dataIndex: "projectName", width: 180, ellipsis: true },
  { title: "房屋", dataIndex: "unitLabel", width: 130 },
  { title: "部位", dataIndex: "part", width: 90, render: (p: Row["part"]) => CLAIM_PART_SHORT[p] },
  {
    title: "状态",
    dataIndex: "status",
    width: 130,
    render: (_: unknown, c: Row) => <Tag color={c.statusTag.color}>{c.statusTag.label}</Tag>,
  },
  { title: "报案渠道", dataIndex: "channel", width: 120, render: (ch: Row["channel"]) => CLAIM_CHANNEL_LABELS[ch] },
  { title: "报案时间", dataIndex: "reportedAt", width: 140, render: (at: string) => formatDateTime(at) },
  { title: "承保公司", dataIndex: "insurerName", width: 180, ellipsis: true },
  { title: "维修单位", dataIndex: "repairerName", width: 160, ellipsis: true, render: (n: string | null) => n ?? "—" },
  {
    title: "赔付金额",
    dataIndex: "paidAmount",
    width: 110,
    align: "right",
    render: (amount: number | null) => (amount == null ? "—" : `${formatMoney(amount)} 元`),
  },
];
