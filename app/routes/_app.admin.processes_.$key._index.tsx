import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { useState } from "react";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { processDraft, processVersions } from "~/server/process-admin/process-versions.server";
import { formatDateTime } from "~/shared/time";

// A definition's versions (who deployed each, when and why), its draft, and the ways to change it:
// the modeler, a version's file, the comparison of two versions (decision 035).
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleLoader(async () => {
    const versions = await processVersions(actor, params.key!);
    const draft = await processDraft(actor, params.key!);
    return json({
      key: params.key!,
      name: versions[versions.length - 1].name,
      versions: versions.reverse(),
      draft: draft && { version: draft.version, basedOnVersion: draft.basedOnVersion, updatedByName: draft.updatedByName, updatedAt: draft.updatedAt },
    });
  });
}

export default function ProcessVersions() {
  const { key, name, versions, draft } = useLoaderData<typeof loader>();
  const [compared, setCompared] = useState<number[]>([]);
  const navigate = useNavigate();
  const base = `/admin/processes/${encodeURIComponent(key)}`;
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card
        title={`${name}（${key}）`}
        extra={
          <Space>
            <Link to="/admin/processes">返回流程列表</Link>
            <Button type="primary" onClick={() => navigate(`${base}/modeler`)} data-testid="open-modeler">
              {draft ? "继续编辑草稿" : "在建模器中修改"}
            </Button>
          </Space>
        }
      >
        {draft ? (
          <Alert
            type="info"
            showIcon
            message={`有未发布的草稿：${draft.updatedByName} 于 ${formatDateTime(draft.updatedAt)} 保存${
              draft.basedOnVersion ? `，基于第${draft.basedOnVersion}版` : ""
            }`}
          />
        ) : (
          <Typography.Text type="secondary">修改流程：在建模器中打开，保存草稿，填写原因后发布为新版本；进行中的流程仍按原版本运行。</Typography.Text>
        )}
      </Card>
      <Card
        title="版本"
        extra={
          <Button disabled={compared.length !== 2} onClick={() => navigate(`${base}/compare?from=${Math.min(...compared)}&to=${Math.max(...compared)}`)}>
            对比所选两个版本
          </Button>
        }
      >
        <Table
          rowKey="version"
          dataSource={versions}
          pagination={false}
          rowSelection={{
            selectedRowKeys: compared,
            onChange: (keys) => setCompared((keys as number[]).slice(-2)),
            columnTitle: "对比",
          }}
          columns={[
            {
              title: "版本",
              dataIndex: "version",
              render: (v: number, row) => (
                <Space>
                  {`第${v}版`}
                  {row.version === versions[0].version ? <Tag color="blue">当前</Tag> : null}
                </Space>
              ),
            },
            { title: "发布人", dataIndex: "deployedByName" },
            { title: "发布时间", dataIndex: "deployedAt", render: (d: string) => formatDateTime(d) },
            {
              title: "发布原因",
              dataIndex: "reason",
              render: (reason: string | null, row) => reason ?? (row.builtIn ? <Typography.Text type="secondary">平台内置流程图</Typography.Text> : "—"),
            },
            {
              title: "操作",
              key: "actions",
              render: (_, row) => (
                <Space>
                  <Link to={`${base}/modeler?version=${row.version}`}>在建模器中打开</Link>
                  <a href={`${base}/versions/${row.version}/bpmn`} download>
                    下载 .bpmn
                  </a>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
