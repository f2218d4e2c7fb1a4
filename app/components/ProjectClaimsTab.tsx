import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import type { ProjectClaimsTab as Data } from "~/server/claims/project-claims.server";
import { CLAIM_CHANNEL_LABELS, CLAIM_PART_SHORT, CLAIM_STATUS_LABELS, claimNumber, RATING_REASON_LABELS } from "~/shared/claim-labels";
import { formatMoney } from "~/shared/figures";
import { formatDateTime } from "~/shared/time";
import { WIDE_TABLE } from "./layout";

// A project's 理赔与投诉: its claims in figures, the latest ones, and the owners' complaints about
// their service (low ratings, and ratings naming what went wrong, the hotline's among them).

export function ProjectClaimsTab({ projectId, data }: { projectId: string; data: SerializeFrom<Data> }) {
  const { figures, latest, complaints } = data;
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card title="理赔数据" extra={<Link to={`/claims?projectId=${projectId}`}>在理赔列表中查看全部</Link>}>
        <Descriptions
          size="small"
          column={5}
          items={[
            { key: "total", label: "理赔案件", children: `${figures.total} 件` },
            { key: "open", label: "未结案", children: `${figures.open} 件` },
            { key: "closed", label: "已结案", children: `${figures.closed} 件` },
            { key: "declined", label: "不予立案", children: `${figures.declined} 件` },
            { key: "paid", label: "赔付金额", children: `${formatMoney(figures.paid)} 元` },
          ]}
        />
        <Table
          {...WIDE_TABLE}
          style={{ marginTop: 16 }}
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={latest.rows}
          locale={{ emptyText: "暂无理赔案件" }}
          columns={[
            { title: "案件号", dataIndex: "seq", render: (seq: number, c) => <Link to={`/claims/${c.id}`}>{claimNumber(seq)}</Link> },
            { title: "房屋", dataIndex: "unitLabel" },
            { title: "缺陷部位", dataIndex: "part", render: (p: keyof typeof CLAIM_PART_SHORT) => CLAIM_PART_SHORT[p] },
            { title: "状态", dataIndex: "status", render: (s: keyof typeof CLAIM_STATUS_LABELS) => CLAIM_STATUS_LABELS[s] },
            { title: "报案时间", dataIndex: "reportedAt", render: (t: string) => formatDateTime(t) },
            {
              title: "赔付金额（元）",
              dataIndex: "paidAmount",
              align: "right",
              render: (v: number | null) => formatMoney(v),
            },
          ]}
        />
      </Card>
      {complaints ? (
        <Card title={`投诉情况（${complaints.length} 条）`}>
          <Table
            {...WIDE_TABLE}
            size="small"
            rowKey="claimId"
            pagination={false}
            dataSource={complaints}
            locale={{ emptyText: "暂无投诉" }}
            columns={[
              {
                title: "案件号",
                dataIndex: "seq",
                render: (seq: number, c) => <Link to={`/claims/${c.claimId}`}>{claimNumber(seq)}</Link>,
              },
              { title: "评价", dataIndex: "stars", render: (n: number) => `${n} 星` },
              {
                title: "不满意之处",
                dataIndex: "reasons",
                render: (reasons: (keyof typeof RATING_REASON_LABELS)[]) =>
                  reasons.map((r) => <Tag key={r}>{RATING_REASON_LABELS[r]}</Tag>),
              },
              { title: "业主意见", dataIndex: "comment", render: (c: string | null) => c || "—" },
              { title: "来源", dataIndex: "channel", render: (c: keyof typeof CLAIM_CHANNEL_LABELS) => CLAIM_CHANNEL_LABELS[c] },
              { title: "时间", dataIndex: "at", render: (t: string) => formatDateTime(t) },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  );
}
