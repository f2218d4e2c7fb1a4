import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form as RemixForm, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, Card, Form, Input, Table, Tag } from "antd";
import { PROJECT_STATUSES } from "@db/schema/projects";
import { SearchBar } from "~/components/SearchBar";
import { useListParams } from "~/components/useListParams";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, handleLoader } from "~/server/http/remix.server";
import { listProjects } from "~/server/projects/projects.server";
import { startProcess, startableDefinitions } from "~/server/workflow/index.server";
import { nextPageAfter } from "~/server/tasks/inbox.server";
import { DISTRICTS, districtName } from "~/shared/districts";
import { formatNumber, PROJECT_STATUS_LABELS } from "~/shared/project-labels";
import { searchRule } from "~/shared/search";
import { FilterSelect } from "~/components/FilterSelect";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:projects");
  return handleLoader(async () => {
    const [page, startable] = await Promise.all([
      listProjects(actor, Object.fromEntries(new URL(request.url).searchParams)),
      startableDefinitions(actor),
    ]);
    return json({ ...page, canRegister: startable.some((d) => d.key === REVIEW) });
  });
}

const REVIEW = "insurance-review";

/** 新建承保项目: starts the insurance review and opens its first form (报建信息). */
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "view:projects");
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

export default function Projects() {
  const page = useLoaderData<typeof loader>();
  const list = useListParams();
  return (
    <Card title="项目" extra={page.canRegister ? <RegisterProject /> : null}>
      <SearchBar fields={["q", "status", "district"]}>
        <Form.Item name="q" rules={[searchRule()]}>
          <Input placeholder="项目、小区、报建号、建设单位、保险公司、风险管理机构、施工单位" allowClear style={{ width: 420 }} />
        </Form.Item>
        <FilterSelect name="district" label="区县" width={160} options={DISTRICTS.map((d) => ({ value: d.code, label: d.name }))} />
        <FilterSelect
          name="status"
          label="状态"
          width={140}
          options={PROJECT_STATUSES.map((s) => ({ value: s, label: PROJECT_STATUS_LABELS[s].label }))}
        />
      </SearchBar>
      <Table
        rowKey="id"
        dataSource={page.rows}
        scroll={{ x: 1280 }}
        locale={{ emptyText: "暂无项目" }}
        pagination={list.pagination(page, "个项目")}
        columns={[
          // Wide enough for a whole name at 1366×768; the other columns give way.
          {
            title: "项目名称",
            dataIndex: "name",
            width: 200,
            fixed: "left",
            render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link>,
          },
          { title: "报建号", dataIndex: "permitNo" },
          { title: "区县", dataIndex: "district", render: (d: string) => districtName(d) },
          { title: "建设单位", dataIndex: "developerName" },
          { title: "主承保公司", dataIndex: "insurerName" },
          { title: "风险管理机构", dataIndex: "tisName", render: (n: string | null) => n ?? "—" },
          { title: "建筑面积（㎡）", dataIndex: "grossFloorArea", align: "right", render: (v: string) => formatNumber(v) },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: keyof typeof PROJECT_STATUS_LABELS) => (
              <Tag color={PROJECT_STATUS_LABELS[s].color}>{PROJECT_STATUS_LABELS[s].label}</Tag>
            ),
          },
        ]}
      />
    </Card>
  );
}
