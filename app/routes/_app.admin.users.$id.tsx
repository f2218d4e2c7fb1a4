import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { Space } from "~/components/ui/Space";
import { Tag } from "~/components/ui/Tag";
import { ServerForm } from "~/components/ServerForm";
import { UserFields } from "~/components/UserFields";
import { organisationOptions } from "~/server/admin/organisations.server";
import { getUser, resetPassword, setUserStatus, updateUser } from "~/server/admin/users.server";
import { currentSession, requirePermission } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import { USER_STATUS_LABELS } from "~/shared/labels";
import { formatDateTime } from "~/shared/time";
import { newPasswordRule } from "~/shared/password-rule";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:users");
  return handleLoader(async () =>
    json({ user: await getUser(actor, params.id!), organisations: await organisationOptions(actor), self: actor.userId === params.id }),
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:users");
  return handleAction(async () => {
    const { intent, ...body } = await readBody(request);
    if (intent === "status") await setUserStatus(actor, params.id!, body.status);
    else if (intent === "password") await resetPassword(actor, params.id!, body, (await currentSession(request, context))?.sessionId);
    else await updateUser(actor, params.id!, body);
    return json({ ok: true as const });
  });
}

export default function UserDetail() {
  const { user, organisations, self } = useLoaderData<typeof loader>();
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card
        title={`${user.displayName}（${user.username}）`}
        extra={<Tag color={user.status === "active" ? "green" : "default"}>{USER_STATUS_LABELS[user.status]}</Tag>}
      >
        <Descriptions
          size="small"
          column={3}
          style={{ marginBottom: 16 }}
          items={[
            { key: "org", label: "所属单位", children: user.organisationName },
            { key: "last", label: "最近登录", children: formatDateTime(user.lastLoginAt) || "从未登录" },
            { key: "created", label: "创建时间", children: formatDateTime(user.createdAt) },
          ]}
        />
        <ServerForm
          key={user.version}
          intent="update"
          fixed={{ version: user.version }}
          submitLabel="保存修改"
          successMessage="已保存"
          initialValues={user}
        >
          <UserFields organisations={organisations} />
        </ServerForm>
      </Card>
      <Card title="重置密码">
        <ServerForm
          intent="password"
          submitLabel="重置密码"
          successMessage="密码已重置，该用户需用新密码重新登录"
          layout="inline"
          confirm={{
            title: `重置“${user.displayName}”的密码？`,
            content: "重置后该用户须用新密码登录，其已登录的设备将退出登录。",
          }}
        >
          <Form.Item name="password" label="新密码" rules={[{ required: true, message: "请输入新密码" }, newPasswordRule]}>
            <Input.Password autoComplete="new-password" style={{ width: 240 }} />
          </Form.Item>
        </ServerForm>
      </Card>
      {self ? null : (
        <Card title="账号状态">
          {user.status === "active" ? (
            <ServerForm
              intent="status"
              fixed={{ status: "disabled" }}
              submitLabel="停用账号"
              danger
              confirm={{ title: `停用“${user.displayName}”的账号？`, content: "停用后该用户将被强制退出，不能再登录，直至重新启用。" }}
              successMessage="已停用，该用户已被强制退出"
            />
          ) : (
            <ServerForm intent="status" fixed={{ status: "active" }} submitLabel="启用账号" successMessage="已启用" />
          )}
        </Card>
      )}
    </Space>
  );
}
