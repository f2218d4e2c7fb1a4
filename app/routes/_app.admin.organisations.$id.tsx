import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { OrganisationFields } from "~/components/OrganisationFields";
import { ServerForm } from "~/components/ServerForm";
import { getOrganisation, setOrganisationStatus, updateOrganisation } from "~/server/admin/organisations.server";
import { listUsers } from "~/server/admin/users.server";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import { ORGANISATION_STATUS_LABELS, ROLE_LABELS, USER_STATUS_LABELS } from "~/shared/labels";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:organisations");
  return handleLoader(async () => {
    const organisation = await getOrganisation(actor, params.id!);
    const members = await listUsers(actor, { organisationId: organisation.id, pageSize: 100 });
    return json({ organisation, members: members.rows });
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:organisations");
  return handleAction(async () => {
    const { intent, ...body } = await readBody(request);
    if (intent === "status") await setOrganisationStatus(actor, params.id!, body.status);
    else await updateOrganisation(actor, params.id!, body);
    return json({ ok: true as const });
  });
}

export default function OrganisationDetail() {
  const { organisation, members } = useLoaderData<typeof loader>();
  const status = organisation.status;
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card title={organisation.name} extra={<Tag>{ORGANISATION_STATUS_LABELS[status]}</Tag>}>
        <ServerForm
          key={organisation.updatedAt}
          intent="update"
          submitLabel="保存修改"
          successMessage="已保存"
          initialValues={organisation}
        >
          <OrganisationFields />
        </ServerForm>
      </Card>
      <Card title="单位状态">
        <Descriptions
          size="small"
          column={2}
          items={[
            { key: "status", label: "当前状态", children: ORGANISATION_STATUS_LABELS[status] },
            { key: "created", label: "登记时间", children: formatDateTime(organisation.createdAt) },
          ]}
        />
        <Space style={{ marginTop: 16 }}>
          {status !== "active" ? (
            <ServerForm
              intent="status"
              fixed={{ status: "active" }}
              submitLabel={status === "pending_review" ? "审核通过" : "启用"}
              successMessage="已启用"
            />
          ) : null}
          {status !== "disabled" && organisation.type !== "platform" ? (
            <ServerForm
              intent="status"
              fixed={{ status: "disabled" }}
              submitLabel="停用"
              danger
              confirm={{ title: `停用“${organisation.name}”？`, content: "停用后该单位的用户将全部退出登录，不能再登录，直至重新启用。" }}
              successMessage="已停用，该单位用户已退出登录"
            />
          ) : null}
        </Space>
      </Card>
      <Card title="本单位用户">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={members}
          columns={[
            { title: "用户名", dataIndex: "username", render: (u: string, m) => <Link to={`/admin/users/${m.id}`}>{u}</Link> },
            { title: "姓名", dataIndex: "displayName" },
            {
              title: "角色",
              dataIndex: "roles",
              render: (roles: (keyof typeof ROLE_LABELS)[]) => roles.map((r) => ROLE_LABELS[r]).join("、"),
            },
            { title: "状态", dataIndex: "status", render: (s: keyof typeof USER_STATUS_LABELS) => USER_STATUS_LABELS[s] },
          ]}
        />
      </Card>
    </Space>
  );
}
