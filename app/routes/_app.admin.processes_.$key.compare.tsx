import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import Col from "antd/es/col";
import { Descriptions } from "~/components/ui/Descriptions";
import Row from "antd/es/row";
import { Space } from "~/components/ui/Space";
import { Typography } from "~/components/ui/Typography";
import diagramCss from "bpmn-js/dist/assets/diagram-js.css";
import bpmnCss from "bpmn-js/dist/assets/bpmn-js.css";
import { DiagramViewer, type ExtraMarks } from "~/components/DiagramViewer";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { compareVersions } from "~/server/process-admin/process-versions.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: diagramCss },
  { rel: "stylesheet", href: bpmnCss },
];

const versionOf = (value: string | null) => (value && /^\d{1,9}$/.test(value) ? Number(value) : NaN);

// Two versions of a definition side by side (?from=1&to=2): what the later one added (green, on
// it), removed (red, on the earlier one) and changed (orange, on both) (decision 035).
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  const query = new URL(request.url).searchParams;
  return handleLoader(async () =>
    json({ key: params.key!, ...(await compareVersions(actor, params.key!, versionOf(query.get("from")), versionOf(query.get("to")))) }),
  );
}

const MARK = {
  added: { cls: "idi-added", label: "新增", fill: "#f6ffed", stroke: "#389e0d" },
  removed: { cls: "idi-removed", label: "删除", fill: "#fff1f0", stroke: "#cf1322" },
  changed: { cls: "idi-changed", label: "修改", fill: "#fff7e6", stroke: "#d46b08" },
};

const mark = (kind: keyof typeof MARK, list: { id: string }[]): ExtraMarks => ({ ...MARK[kind], ids: list.map((e) => e.id) });

export default function CompareVersions() {
  const { key, from, to, added, removed, changed, moved, process } = useLoaderData<typeof loader>();
  const names = (list: { id: string; name: string }[]) =>
    list.length ? list.map((e) => (e.name === e.id ? e.id : `${e.name}（${e.id}）`)).join("、") : "无";
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card
        title={`对比 第${from.version}版 与 第${to.version}版（${key}）`}
        extra={<Link to={`/admin/processes/${encodeURIComponent(key)}`}>版本列表</Link>}
      >
        <Descriptions column={1} size="small" data-testid="compare-summary">
          <Descriptions.Item label="新增">{names(added)}</Descriptions.Item>
          <Descriptions.Item label="删除">{names(removed)}</Descriptions.Item>
          <Descriptions.Item label="修改">{names(changed)}</Descriptions.Item>
          <Descriptions.Item label="仅移动位置">{names(moved)}</Descriptions.Item>
          <Descriptions.Item label="流程本身">
            {!process.changed
              ? "无"
              : process.from.name !== process.to.name
                ? `名称由“${process.from.name}”改为“${process.to.name}”`
                : "流程的属性（如可发起的角色）有修改"}
          </Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary">左图为较早的版本（标出删除与修改），右图为较新的版本（标出新增与修改）。</Typography.Text>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card title={`第${from.version}版`} size="small">
            <DiagramViewer
              xml={from.xml}
              completed={[]}
              current={[]}
              returned={[]}
              fitWidth
              extra={[mark("removed", removed), mark("changed", changed)]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={`第${to.version}版`} size="small">
            <DiagramViewer
              xml={to.xml}
              completed={[]}
              current={[]}
              returned={[]}
              fitWidth
              extra={[mark("added", added), mark("changed", changed)]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
