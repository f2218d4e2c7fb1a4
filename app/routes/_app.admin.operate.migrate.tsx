import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { useState } from "react";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody, type ActionFailure } from "~/server/http/remix.server";
import { queryOf } from "~/server/query.server";
import { migrateInstances, previewMigration } from "~/server/workflow/index.server";
import { OPERATE_REASON_MAX } from "~/shared/operate";

// 迁移流程版本 (docs/decisions/037): the running flows of one version of a definition, each with
// whether it can move to the target version (the newest by default) and, if not, why; the chosen
// ones are migrated with a reason, one transaction each.

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleLoader(async () => {
    const { process, fromVersion, toVersion, ...rest } = queryOf(request);
    return json(await previewMigration(actor, { key: process ?? "", fromVersion, toVersion, ...rest }));
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleAction(async () => {
    const body = await readBody(request);
    return json({ ok: true as const, ...(await migrateInstances(actor, body)) });
  });
}

type Answer = ({ ok: true } & Awaited<ReturnType<typeof migrateInstances>>) | ActionFailure;

export default function MigrateVersion() {
  const preview = useLoaderData<typeof loader>();
  const fetcher = useFetcher<Answer>();
  const [chosen, setChosen] = useState<string[]>([]);
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const refused = answer && !answer.ok ? answer : undefined;
  const movable = preview.rows.filter((r) => !r.refusals.length);
  return (
    <Card
      title={`迁移到第${preview.toVersion}版：${preview.key}`}
      extra={<Link to={`/admin/operate?process=${preview.key}`}>流程实例</Link>}
    >
      <Typography.Paragraph type="secondary">
        等待中的环节在目标版本中都存在（类型、表单和办理角色不变）的流程可以迁移；迁移后后续步骤按新版本流转。
        {preview.limited ? "仅列出最早发起的500个流程。" : ""}
      </Typography.Paragraph>
      {answer?.ok ? (
        <Alert
          type={answer.refused.length ? "warning" : "success"}
          style={{ marginBottom: 12 }}
          message={`已迁移 ${answer.migrated.length} 个流程${answer.refused.length ? `，${answer.refused.length} 个未迁移` : ""}`}
          description={answer.refused.map((r) => (
            <div key={r.instanceId}>{r.refusals.join("；")}</div>
          ))}
        />
      ) : null}
      {refused && !refused.fields?.reason ? <Alert type="error" style={{ marginBottom: 12 }} message={refused.message} /> : null}
      <Table
        rowKey="instanceId"
        size="small"
        dataSource={preview.rows}
        pagination={false}
        locale={{ emptyText: "没有进行中的流程" }}
        rowSelection={{
          selectedRowKeys: chosen,
          onChange: (keys) => setChosen(keys as string[]),
          getCheckboxProps: (r) => ({ disabled: r.refusals.length > 0, "aria-label": r.title }),
        }}
        columns={[
          { title: "事项", dataIndex: "title", render: (t: string, r) => <Link to={`/admin/operate/${r.instanceId}`}>{t}</Link> },
          { title: "版本", dataIndex: "version", render: (v: number) => `第${v}版` },
          {
            title: "等待环节",
            dataIndex: "waitingAt",
            render: (at: { id: string; name: string }[]) => at.map((w) => `${w.name}（${w.id}）`).join("、") || "—",
          },
          {
            title: "能否迁移",
            dataIndex: "refusals",
            render: (refusals: string[]) =>
              refusals.length ? (
                <Space direction="vertical" size={0}>
                  {refusals.map((r) => (
                    <Typography.Text key={r} type="danger">
                      {r}
                    </Typography.Text>
                  ))}
                </Space>
              ) : (
                <Tag color="success">可迁移</Tag>
              ),
          },
        ]}
      />
      <Form
        layout="vertical"
        style={{ marginTop: 16, maxWidth: 640 }}
        onFinish={({ reason }) =>
          fetcher.submit(
            { key: preview.key, toVersion: preview.toVersion, instanceIds: chosen, reason },
            { method: "post", encType: "application/json" },
          )
        }
      >
        <Form.Item
          name="reason"
          label="操作原因"
          required
          {...(refused?.fields?.reason ? { validateStatus: "error" as const, help: refused.fields.reason } : {})}
        >
          <Input.TextArea rows={2} maxLength={OPERATE_REASON_MAX} showCount placeholder="请说明迁移原因，将记入审计日志" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" disabled={!chosen.length} loading={fetcher.state !== "idle"}>
            {`迁移所选（${chosen.length}）`}
          </Button>
          <Button onClick={() => setChosen(movable.map((r) => r.instanceId))} disabled={!movable.length}>
            选择全部可迁移的
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
