import { type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Input from "antd/es/input";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { ORGANISATION_STATUSES, ORGANISATION_TYPES } from "@db/schema/roles";
import { FilterItem, SearchBar } from "~/components/SearchBar";
import { useListParams } from "~/components/useListParams";
import { listOrganisations } from "~/server/admin/organisations.server";
import { requirePermission } from "~/server/auth/session.server";
import { districtName } from "~/shared/districts";
import { ORGANISATION_STATUS_LABELS, ORGANISATION_TYPE_LABELS } from "~/shared/labels";
import { searchRule } from "~/shared/search";
import { listPageLoader } from "~/server/http/remix.server";
import { NO_ROWS } from "~/server/pagination.server";
import { queryOf } from "~/server/query.server";
import { FilterSelect, options } from "~/components/FilterSelect";
import { CLEARABLE } from "~/components/ui/clearable";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:organisations");
  return listPageLoader(
    () => listOrganisations(actor, queryOf(request)),
    () => NO_ROWS,
  );
}

const STATUS_COLORS = { active: "green", pending_review: "orange", disabled: "default" } as const;

export default function Organisations() {
  const page = useLoaderData<typeof loader>();
  const list = useListParams();
  return (
    <Card
      title="单位管理"
      extra={
        <Link to="/admin/organisations/new">
          <Button type="primary">新增单位</Button>
        </Link>
      }
    >
      <SearchBar fields={["q", "type", "status"]} refused={page.refused}>
        <FilterItem name="q" rules={[searchRule()]}>
          <Input placeholder="单位名称或信用代码" allowClear={CLEARABLE} style={{ width: 220 }} />
        </FilterItem>
        <FilterSelect name="type" label="单位类型" width={170} options={options(ORGANISATION_TYPES, ORGANISATION_TYPE_LABELS)} />
        <FilterSelect name="status" label="状态" width={130} options={options(ORGANISATION_STATUSES, ORGANISATION_STATUS_LABELS)} />
      </SearchBar>
      <Table
        rowKey="id"
        dataSource={page.rows}
        pagination={list.pagination(page, "家")}
        columns={[
          { title: "单位名称", dataIndex: "name", render: (name: string, o) => <Link to={`/admin/organisations/${o.id}`}>{name}</Link> },
          { title: "类型", dataIndex: "type", render: (t: keyof typeof ORGANISATION_TYPE_LABELS) => ORGANISATION_TYPE_LABELS[t] },
          { title: "统一社会信用代码", dataIndex: "creditCode" },
          { title: "区县", dataIndex: "district", render: (d: string | null) => districtName(d) },
          { title: "联系人", dataIndex: "contactPerson" },
          { title: "联系电话", dataIndex: "contactPhone" },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: keyof typeof STATUS_COLORS) => <Tag color={STATUS_COLORS[s]}>{ORGANISATION_STATUS_LABELS[s]}</Tag>,
          },
        ]}
      />
    </Card>
  );
}
