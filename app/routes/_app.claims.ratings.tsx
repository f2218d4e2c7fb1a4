import { type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { Alert } from "~/components/ui/Alert";
import { Card } from "~/components/ui/Card";
import { List } from "~/components/ui/List";
import { Stars } from "~/components/ui/Stars";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { ExportButton } from "~/components/ExportButton";
import { requirePermission } from "~/server/auth/session.server";
import { PAGE_PERMISSIONS } from "~/shared/permissions";
import { noRatings, serviceRatings, type RatingComment, type RatingRank } from "~/server/claims/service-ratings.server";
import { listPageLoader } from "~/server/http/remix.server";
import { RefusedQuery } from "~/components/SearchBar";
import { queryOf, refuseUnknownKeys, withoutEmpty } from "~/server/query.server";
import { RATING_REASON_LABELS } from "~/shared/claim-labels";
import { RATING_REASONS } from "@db/schema/codes";
import { formatDateTime } from "~/shared/time";
import { WIDE_TABLE } from "~/components/layout";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/claims/ratings"]);
  // The cards have no filters: any key in the query is one the page does not know, refused (422)
  // on the page all the same, in its alert, with no rankings.
  return listPageLoader(
    async () => {
      refuseUnknownKeys(withoutEmpty(queryOf(request)), []);
      return serviceRatings(actor);
    },
    () => noRatings(actor),
  );
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * One ranking: rank (the city's only), name, average stars, count and, for claim service, the
 * share of each complaint reason.
 */
function Ranking({
  rows,
  reasons,
  ranked,
  testId,
}: {
  rows: SerializeFrom<RatingRank>[];
  reasons: boolean;
  ranked: boolean;
  testId: string;
}) {
  return (
    <Table
      data-testid={testId}
      rowKey="organisationId"
      size="small"
      pagination={false}
      dataSource={rows}
      {...WIDE_TABLE}
      locale={{ emptyText: "暂无评价" }}
      columns={[
        ...(ranked ? [{ title: "排名", key: "rank", width: 60, render: (_: unknown, _r: unknown, i: number) => i + 1 }] : []),
        { title: "单位", dataIndex: "name", width: 220 },
        {
          title: "平均星级",
          dataIndex: "average",
          width: 200,
          render: (average: number) => (
            <Space>
              <Stars value={Math.round(average * 2) / 2} style={{ fontSize: 14 }} />
              <span>{average.toFixed(1)}</span>
            </Space>
          ),
        },
        { title: "评价数", dataIndex: "count", width: 80 },
        ...(reasons
          ? RATING_REASONS.map((r) => ({
              title: RATING_REASON_LABELS[r],
              key: r,
              width: 90,
              render: (_: unknown, row: SerializeFrom<RatingRank>) => percent(row.reasons?.[r] ?? 0),
            }))
          : []),
      ]}
    />
  );
}

function Comments({ items }: { items: SerializeFrom<RatingComment>[] }) {
  return (
    <List
      size="small"
      locale={{ emptyText: "暂无评价意见" }}
      dataSource={items}
      renderItem={(c) => (
        <List.Item>
          <Space direction="vertical" size={2}>
            <Space wrap>
              <Stars value={c.stars} style={{ fontSize: 12 }} />
              <Typography.Text type="secondary">
                {c.subject} · {formatDateTime(c.at)}
              </Typography.Text>
              {(c.reasons ?? []).map((r) => (
                <Tag key={r}>{RATING_REASON_LABELS[r]}</Tag>
              ))}
            </Space>
            <Typography.Text>{c.comment}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

export default function ServiceRatings() {
  const data = useLoaderData<typeof loader>();
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <RefusedQuery refusals={Object.entries(data.refused)} />
      {data.cityWide ? null : (
        <Alert
          type="info"
          showIcon
          data-testid="scope-note"
          message={
            <>
              以下为您查看范围内的评价，不是全市排名；本单位在全市的名次见 <Link to="/stats?tab=service">统计 · 服务评价</Link>
            </>
          }
        />
      )}
      <Card
        title="服务评价：保险公司（业主对理赔服务的评价）"
        extra={
          <Space>
            <ExportButton list="ratings" />
            <Link to="/claims">返回理赔案件</Link>
          </Space>
        }
      >
        <Ranking rows={data.insurers} reasons ranked={data.cityWide} testId="insurer-ranking" />
      </Card>
      <Card title="服务评价：维修单位（业主对理赔服务的评价）">
        <Ranking rows={data.repairers} reasons ranked={data.cityWide} testId="repairer-ranking" />
      </Card>
      <Card title="业主最新评价意见">
        <Comments items={data.claimComments} />
      </Card>
      <Card title="服务评价：风险管理机构（保险公司的评价）">
        <Ranking rows={data.tis} reasons={false} ranked={data.cityWide} testId="tis-ranking" />
      </Card>
      <Card title="保险公司最新评价意见">
        <Comments items={data.tisComments} />
      </Card>
    </Space>
  );
}
