import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, Descriptions, Empty, Form, Input, List, Space, Tag, Typography } from "antd";
import { SearchBar } from "~/components/SearchBar";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { findCallerProjects, type CallerProject } from "~/server/projects/caller-lookup.server";
import { districtName } from "~/shared/districts";
import { PROJECT_STATUS_LABELS } from "~/shared/project-labels";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:hotline");
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return json({ q, rows: await handleLoader(() => findCallerProjects(actor, { q })) });
}

function CallerProjectCard({ p }: { p: CallerProject }) {
  const status = PROJECT_STATUS_LABELS[p.status];
  return (
    <Card
      size="small"
      title={
        <Space>
          <Link to={`/projects/${p.id}`}>{p.name}</Link>
          <Tag color={status.color}>{status.label}</Tag>
        </Space>
      }
      style={{ width: "100%" }}
    >
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="小区">{p.communityName}</Descriptions.Item>
        <Descriptions.Item label="报建号">{p.permitNo}</Descriptions.Item>
        <Descriptions.Item label="地址">
          {districtName(p.district)} {p.address}
        </Descriptions.Item>
        <Descriptions.Item label="承保公司">{p.insurerName}</Descriptions.Item>
        <Descriptions.Item label="报案电话">{p.insurerPhone ?? "平台未登记"}</Descriptions.Item>
        <Descriptions.Item label="联系人">{p.insurerContact ?? "平台未登记"}</Descriptions.Item>
        <Descriptions.Item label="保单号">{p.policyNo ?? "尚未出单"}</Descriptions.Item>
        <Descriptions.Item label="保险期间">{p.periodStart ? `${p.periodStart} 至 ${p.periodEnd}` : "—"}</Descriptions.Item>
        <Descriptions.Item label="保险责任" span={2}>
          {p.coverage?.length ? p.coverage.map((c) => `${c.part}（${c.years}年）`).join("；") : "—"}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** 来电查询: the hotline's home, finding the project a caller speaks of and who insures it. */
export default function Hotline() {
  const { q, rows } = useLoaderData<typeof loader>();
  return (
    <Card title="来电查询">
      <Typography.Paragraph type="secondary">
        按业主说出的项目名称、小区名称、地址或报建号查找项目，查看承保公司及其报案电话、保险责任与期间。
      </Typography.Paragraph>
      <SearchBar fields={["q"]}>
        <Form.Item name="q">
          <Input placeholder="项目名称、小区名称、地址或报建号" allowClear style={{ width: 360 }} aria-label="来电查询" />
        </Form.Item>
      </SearchBar>
      {!q ? (
        <Empty description="请输入项目名称、小区名称、地址或报建号" />
      ) : rows.length === 0 ? (
        <Empty description={`未找到与“${q}”匹配的项目`} />
      ) : (
        <List dataSource={rows} renderItem={(p) => <List.Item key={p.id}>{<CallerProjectCard p={p} />}</List.Item>} />
      )}
    </Card>
  );
}
