import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Checkbox from "antd/es/checkbox";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Popconfirm from "antd/es/popconfirm";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import Typography from "antd/es/typography";
import { useEffect } from "react";
import { organisationOptions } from "~/server/admin/organisations.server";
import { createApiKey, listApiKeys, revokeApiKey } from "~/server/auth/api-keys.server";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, readBody } from "~/server/http/remix.server";
import { ORGANISATION_TYPE_LABELS, ROLE_LABELS } from "~/shared/labels";
import { rolesAllowedFor } from "~/shared/permissions";
import { formatDateTime } from "~/shared/time";
import { textLimit } from "~/components/text-limit";
import { choosePrompt, organisationOptionMatches } from "~/components/FilterSelect";

// As the API keys' service words it.
const PURPOSE = textLimit("用途说明", 60);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:organisations");
  return json({ keys: await listApiKeys(actor), organisations: await organisationOptions(actor) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:organisations");
  return handleAction(async () => {
    const { intent, ...body } = await readBody(request);
    if (intent === "revoke") {
      await revokeApiKey(actor, String(body.id));
      return json({ ok: true as const, key: null });
    }
    const created = await createApiKey(actor, body);
    return json({ ok: true as const, key: created.key });
  });
}

type Result = { ok: true; key: string | null } | { ok: false; message: string; fields?: Record<string, string> };

export default function ApiKeys() {
  const { keys, organisations } = useLoaderData<typeof loader>();
  const create = useFetcher<Result>();
  const revoke = useFetcher<Result>();
  const [form] = Form.useForm();
  const organisationId = Form.useWatch("organisationId", form);
  const organisation = organisations.find((o) => o.id === organisationId);
  const result = create.state === "idle" ? create.data : undefined;
  useEffect(() => {
    if (result && !result.ok && result.fields) form.setFields(Object.entries(result.fields).map(([name, e]) => ({ name, errors: [e] })));
  }, [result, form]);
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card title="新建接口密钥">
        <Typography.Paragraph type="secondary">
          供单位自有系统（如保险公司核心系统）调用平台接口，以“Authorization: Bearer 密钥”认证，权限等同于该单位的所选角色。接口说明见{" "}
          <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>。
        </Typography.Paragraph>
        {result?.ok && result.key ? (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            message="密钥已生成，请立即复制保存，关闭后将无法再次查看"
            description={
              <Typography.Text copyable code data-testid="new-api-key">
                {result.key}
              </Typography.Text>
            }
          />
        ) : null}
        <Form
          form={form}
          layout="inline"
          onFinish={(values) => create.submit({ ...values, intent: "create" }, { method: "post", encType: "application/json" })}
        >
          <Form.Item name="organisationId" label="单位" rules={[{ required: true, message: "请选择单位" }]}>
            <Select
              showSearch
              placeholder={choosePrompt("单位")}
              filterOption={organisationOptionMatches}
              style={{ width: 320 }}
              options={organisations.map((o) => ({ value: o.id, label: `${o.name}（${ORGANISATION_TYPE_LABELS[o.type]}）` }))}
            />
          </Form.Item>
          <Form.Item name="name" label="用途" rules={[{ required: true, message: "请填写用途说明" }, PURPOSE.rule]}>
            <Input count={PURPOSE.count} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="roles" label="角色" rules={[{ required: true, message: "请至少选择一个角色" }]}>
            <Checkbox.Group
              options={organisation ? rolesAllowedFor(organisation.type).map((r) => ({ value: r, label: ROLE_LABELS[r] })) : []}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.state !== "idle"}>
            生成密钥
          </Button>
        </Form>
      </Card>
      <Card title="接口密钥">
        <Table
          rowKey="id"
          dataSource={keys}
          pagination={false}
          columns={[
            { title: "单位", dataIndex: "organisationName" },
            { title: "用途", dataIndex: "name" },
            { title: "密钥前缀", dataIndex: "prefix", render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
            {
              title: "角色",
              dataIndex: "roles",
              render: (roles: (keyof typeof ROLE_LABELS)[]) => roles.map((r) => ROLE_LABELS[r]).join("、"),
            },
            { title: "最近使用", dataIndex: "lastUsedAt", render: (d: string | null) => formatDateTime(d) || "未使用" },
            {
              title: "状态",
              render: (_, k) =>
                k.revokedAt ? (
                  <Tag>已停用</Tag>
                ) : (
                  <Popconfirm
                    title={`停用${k.organisationName}的接口密钥“${k.name}”（${k.prefix}…）？`}
                    description="停用后使用该密钥的系统将无法再调用平台接口。"
                    okText="停用"
                    cancelText="取消"
                    okButtonProps={{ danger: true }}
                    onConfirm={() => revoke.submit({ intent: "revoke", id: k.id }, { method: "post", encType: "application/json" })}
                  >
                    <Button size="small" danger>
                      停用
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
