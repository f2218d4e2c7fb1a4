import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form as RemixForm, Link, useLoaderData, useNavigation } from "@remix-run/react";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Input from "antd/es/input";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { PROJECT_STATUSES, RISK_LEVELS } from "@db/schema/codes";
import { ExportButton } from "~/components/ExportButton";
import { choosePrompt, FilterSelect, options, organisationOptionMatches } from "~/components/FilterSelect";
import { FilterItem, SearchBar } from "~/components/SearchBar";
import { useListParams } from "~/components/useListParams";
import { requirePermission } from "~/server/auth/session.server";
import { PAGE_PERMISSIONS } from "~/shared/permissions";
import { handleAction, listPageLoader } from "~/server/http/remix.server";
import { NO_ROWS } from "~/server/pagination.server";
import { queryOf } from "~/server/query.server";
import { listProjects, projectFilterOptions } from "~/server/projects/project-list.server";
import { startProcess, startableDefinitions } from "~/server/workflow/index.server";
import { nextPageAfter } from "~/server/tasks/inbox.server";
import { DISTRICTS, districtName } from "~/shared/districts";
import {
  formatNumber,
  NO_INSPECTION_DAYS,
  PROJECT_DATE_FIELD_LABELS,
  PROJECT_DATE_FIELDS,
  PROJECT_PHASE_LABELS,
  PROJECT_PHASES,
  PROJECT_STATUS_LABELS,
} from "~/shared/project-labels";
import { PROJECT_STAGE_LABELS, RISK_LEVEL_LABELS } from "~/shared/risk-labels";
import { searchRule } from "~/shared/search";
import { DateRangeFilters } from "~/components/DateFilter";
import { WIDE_TABLE } from "~/components/layout";
import { CLEARABLE } from "~/components/ui/clearable";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/projects"]);
  const [choices, startable] = await Promise.all([projectFilterOptions(actor), startableDefinitions(actor)]);
  const around = { choices, canRegister: startable.some((d) => d.key === REVIEW) };
  return listPageLoader(
    async () => ({ ...(await listProjects(actor, queryOf(request))), ...around }),
    () => ({ ...NO_ROWS, ...around }),
  );
}

const REVIEW = "insurance-review";

/** 新建承保项目: starts the insurance review and opens its first form (报建信息). */
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/projects"]);
  return handleAction(async () => {
    const instance = await startProcess(actor, { key: REVIEW, title: "新建承保项目（待录入报建信息）" });
    return redirect(await nextPageAfter(actor, instance.id));
  });
}

function RegisterProject() {
  const navigation = useNavigation();
  return (
    <RemixForm method="post">
      <Button type="primary" htmlType="submit" loading={navigation.state === "submitting"}>
        新建承保项目
      </Button>
    </RemixForm>
  );
}

/** An organisation to filter by, found by typing its name (insurers by their short names too). */
function OrganisationFilter({ name, label, options }: { name: string; label: string; options: { value: string; label: string }[] }) {
  return (
    <FilterItem name={name}>
      <Select
        placeholder={choosePrompt(label)}
        aria-label={label}
        allowClear
        showSearch
        filterOption={organisationOptionMatches}
        style={{ width: 220 }}
        options={options}
      />
    </FilterItem>
  );
}

const FILTERS = [
  "q",
  "district",
  "stage",
  "status",
  "insurer",
  "tis",
  "risk",
  "openClaims",
  "uninspected",
  "dateBy",
  "from",
  "to",
  "sort",
  "order",
];

export default function Projects() {
  const page = useLoaderData<typeof loader>();
  const list = useListParams();
  return (
    <Card
      title="项目"
      extra={
        <Space>
          <ExportButton list="projects" />
          {page.canRegister ? <RegisterProject /> : null}
        </Space>
      }
    >
      <SearchBar fields={FILTERS} refused={page.refused}>
        <FilterItem name="q" rules={[searchRule()]}>
          <Input
            placeholder="项目、小区、建设单位、保险公司、风险管理机构、施工单位、报建号"
            aria-label="关键字"
            allowClear={CLEARABLE}
            style={{ width: 400 }}
          />
        </FilterItem>
        <FilterSelect name="district" label="区县" width={140} options={DISTRICTS.map((d) => ({ value: d.code, label: d.name }))} />
        <FilterSelect name="stage" label="阶段" width={110} options={options(PROJECT_PHASES, PROJECT_PHASE_LABELS)} />
        <FilterSelect
          name="status"
          label="投保状态"
          width={130}
          options={PROJECT_STATUSES.map((s) => ({ value: s, label: PROJECT_STATUS_LABELS[s].label }))}
        />
        <OrganisationFilter name="insurer" label="保险公司" options={page.choices.insurers} />
        <OrganisationFilter name="tis" label="风险管理机构" options={page.choices.tis} />
        <FilterSelect name="risk" label="未销项风险等级" width={150} options={options(RISK_LEVELS, RISK_LEVEL_LABELS)} />
        <FilterSelect name="openClaims" label="理赔" width={140} options={[{ value: "1", label: "有未结案理赔" }]} />
        <FilterSelect
          name="uninspected"
          label="现场检查"
          width={170}
          options={[{ value: "1", label: `${NO_INSPECTION_DAYS}日无现场检查` }]}
        />
        <FilterSelect name="dateBy" label="日期类型" width={120} options={options(PROJECT_DATE_FIELDS, PROJECT_DATE_FIELD_LABELS)} />
        <DateRangeFilters />
      </SearchBar>
      <Table
        rowKey="id"
        dataSource={page.rows}
        {...WIDE_TABLE}
        locale={{ emptyText: "暂无项目" }}
        pagination={list.pagination(page, "个项目")}
        onSort={(field, order) => list.sortBy(order ? field : undefined, order)}
        columns={[
          // Wide enough for a whole name at 1366×768; the other columns give way.
          {
            title: "项目名称",
            dataIndex: "name",
            width: 200,
            fixed: "left",
            sorter: true,
            sortOrder: list.sortOrder("name"),
            render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link>,
          },
          { title: "报建号", dataIndex: "permitNo", sorter: true, sortOrder: list.sortOrder("permitNo") },
          {
            title: "区县",
            dataIndex: "district",
            sorter: true,
            sortOrder: list.sortOrder("district"),
            render: (d: string) => districtName(d),
          },
          { title: "建设单位", dataIndex: "developerName" },
          { title: "主承保公司", dataIndex: "insurerName" },
          { title: "风险管理机构", dataIndex: "tisName", render: (n: string | null) => n ?? "—" },
          {
            title: "建筑面积（㎡）",
            dataIndex: "grossFloorArea",
            align: "right",
            sorter: true,
            sortOrder: list.sortOrder("grossFloorArea"),
            render: (v: string) => formatNumber(v),
          },
          {
            title: "签单日期",
            dataIndex: "issueDate",
            sorter: true,
            sortOrder: list.sortOrder("issueDate"),
            render: (d: string | null) => d ?? "—",
          },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: keyof typeof PROJECT_STATUS_LABELS, p) => (
              <Space size={4} wrap>
                <Tag color={PROJECT_STATUS_LABELS[s].color}>{PROJECT_STATUS_LABELS[s].label}</Tag>
                {s === "insured" ? <Tag>{PROJECT_STAGE_LABELS[p.stage]}</Tag> : null}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
