import { type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Input from "antd/es/input";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { STAFF_ROLES, USER_STATUSES } from "@db/schema/roles";
import { FilterItem, SearchBar } from "~/components/SearchBar";
import { useListParams } from "~/components/useListParams";
import { listUsers } from "~/server/admin/users.server";
import { requirePermission } from "~/server/auth/session.server";
import { ROLE_LABELS, USER_STATUS_LABELS } from "~/shared/labels";
import { formatDateTime } from "~/shared/time";
import { searchRule } from "~/shared/search";
import { listPageLoader } from "~/server/http/remix.server";
import { NO_ROWS } from "~/server/pagination.server";
import { queryOf } from "~/server/query.server";
import { FilterSelect, options } from "~/components/FilterSelect";
import { CLEARABLE } from "~/components/ui/clearable";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:users");
  return listPageLoader(
    () => listUsers(actor, queryOf(request)),
    () => NO_ROWS,
  );
}

export default function Users() {
  const page = useLoaderData<typeof loader>();
  const list = useListParams();
  return (
    <Card
      title="用户管理"
      extra={
        <Link to="/admin/users/new">
          <Button type="primary">新增用户</Button>
        </Link>
      }
    >
      <SearchBar fields={["q", "role", "status"]} refused={page.refused}>
        <FilterItem name="q" rules={[searchRule()]}>
          <Input placeholder="用户名、姓名或单位" allowClear={CLEARABLE} style={{ width: 220 }} />
        </FilterItem>
        <FilterSelect name="role" label="角色" width={150} options={options(STAFF_ROLES, ROLE_LABELS)} />
        <FilterSelect name="status" label="状态" width={130} options={options(USER_STATUSES, USER_STATUS_LABELS)} />
      </SearchBar>
      <Table
        rowKey="id"
        dataSource={page.rows}
        pagination={list.pagination(page, "个用户")}
        columns={[
          { title: "用户名", dataIndex: "username", render: (u: string, row) => <Link to={`/admin/users/${row.id}`}>{u}</Link> },
          { title: "姓名", dataIndex: "displayName" },
          { title: "所属单位", dataIndex: "organisationName" },
          {
            title: "角色",
            dataIndex: "roles",
            render: (roles: (keyof typeof ROLE_LABELS)[]) => roles.map((r) => ROLE_LABELS[r]).join("、"),
          },
          { title: "最近登录", dataIndex: "lastLoginAt", render: (d: string | null) => formatDateTime(d) },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: keyof typeof USER_STATUS_LABELS) => <Tag color={s === "active" ? "green" : "default"}>{USER_STATUS_LABELS[s]}</Tag>,
          },
        ]}
      />
    </Card>
  );
}
