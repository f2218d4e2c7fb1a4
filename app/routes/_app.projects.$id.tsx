import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { ComponentType } from "react";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tabs } from "~/components/ui/Tabs";
import { Tag } from "~/components/ui/Tag";
import { AttachmentsPreview } from "~/components/AttachmentsPreview";
import { InstanceTable } from "~/components/InstanceTable";
import { requirePermission } from "~/server/auth/session.server";
import { projectClaimsTab } from "~/server/claims/project-claims.server";
import { listUnits, unitCount } from "~/server/claims/units.server";
import { namePropertyCompany } from "~/server/claims/property-company.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import { queryOf } from "~/server/query.server";
import { projectDetail } from "~/server/projects/projects.server";
import { projectRiskTab } from "~/server/risk/risk-views.server";
import { can, PAGE_PERMISSIONS } from "~/shared/permissions";
import { districtName } from "~/shared/districts";
import { formatFigure, formatMoney } from "~/shared/figures";
import { formatNumber, POLICY_DOCUMENT_LABELS, PROJECT_STATUS_LABELS, shareRoleLabel } from "~/shared/project-labels";
import { formatDateTime } from "~/shared/time";
import { deferred, Waiting } from "~/components/deferred";

// The tabs beside 项目信息, loaded when one is first shown (decision 042): most visits read the
// project's facts only.
const tabContent = <P extends object>(load: () => Promise<ComponentType<P>>) => deferred(load, () => <Waiting text="加载中…" />);
const ProjectRiskTab = tabContent(() => import("~/components/ProjectRiskTab").then((m) => m.ProjectRiskTab));
const ProjectClaimsTab = tabContent(() => import("~/components/ProjectClaimsTab").then((m) => m.ProjectClaimsTab));
const ProjectUnitsTab = tabContent(() => import("~/components/ProjectUnitsTab").then((m) => m.ProjectUnitsTab));

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/projects"]);
  // The 风险 tab (?tab=risk, where notifications lead) for those with the risk pages; loaded when open.
  const riskVisible = can(actor.roles, "view:risk");
  // The 房屋 tab (?tab=units) for everyone who sees the project; its count shows on the tab.
  // The 理赔与投诉 tab (?tab=claims) for those with the claim pages.
  const claimsVisible = can(actor.roles, "view:claims");
  return handleLoader(async () => {
    // The tab is the page's; the rest is the open tab's list's query (a key that list does not know is refused).
    const { tab: asked, ...query } = queryOf(request);
    const tab =
      riskVisible && asked === "risk" ? "risk" : claimsVisible && asked === "claims" ? "claims" : asked === "units" ? "units" : "overview";
    const detail = await projectDetail(actor, params.id!);
    const risk = tab === "risk" ? await projectRiskTab(actor, params.id!, query) : null;
    const claims = tab === "claims" ? await projectClaimsTab(actor, params.id!) : null;
    const units = tab === "units" ? await listUnits(actor, params.id!, query) : null;
    const unitTotal = await unitCount(actor, params.id!);
    return json({ ...detail, tab, riskVisible, claimsVisible, risk, claims, units, unitTotal });
  });
}

// 指定物业服务企业 from the 房屋 tab (the only thing this page posts).
export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/projects"]);
  return handleAction(async () => {
    const { creditCode } = await readBody(request);
    return json({ ok: true as const, propertyCompany: await namePropertyCompany(actor, params.id!, { creditCode }) });
  });
}

export default function ProjectPage() {
  const data = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  return (
    <Card title={data.project.name}>
      <Tabs
        activeKey={data.tab}
        onChange={(key) => setParams(key === "overview" ? {} : { tab: key }, { preventScrollReset: true })}
        items={[
          { key: "overview", label: "项目信息", children: <ProjectOverview data={data} /> },
          ...(data.riskVisible ? [{ key: "risk", label: "风险", children: data.risk ? <ProjectRiskTab data={data.risk} /> : null }] : []),
          ...(data.claimsVisible
            ? [
                {
                  key: "claims",
                  label: "理赔与投诉",
                  children: data.claims ? <ProjectClaimsTab projectId={data.project.id} data={data.claims} /> : null,
                },
              ]
            : []),
          {
            key: "units",
            label: `房屋（${data.unitTotal}）`,
            children: data.units ? <ProjectUnitsTab projectId={data.project.id} data={data.units} /> : null,
          },
        ]}
      />
    </Card>
  );
}

function ProjectOverview({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const { project, parties, policy, shares, flows, termsVisible, confirmedByName } = data;
  const status = PROJECT_STATUS_LABELS[project.status];
  const pricePerMetre = Number(project.constructionCost) / Number(project.grossFloorArea);
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card title="项目概况" extra={<Tag color={status.color}>{status.label}</Tag>}>
        {project.status === "returned" && project.returnReason ? (
          <Alert type="warning" showIcon message={`住建局退回：${project.returnReason}`} style={{ marginBottom: 16 }} />
        ) : null}
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: "permit", label: "报建号", children: project.permitNo },
            { key: "community", label: "小区名称", children: project.communityName },
            { key: "district", label: "区县", children: districtName(project.district) },
            { key: "address", label: "地址", children: project.address, span: 2 },
            { key: "location", label: "坐标", children: project.longitude ? `${project.longitude}, ${project.latitude}` : "—" },
            { key: "area", label: "建筑面积", children: `${formatNumber(project.grossFloorArea)} ㎡` },
            { key: "buildings", label: "楼栋 / 户数", children: `${project.buildingCount} 栋 / ${project.homeCount} 户` },
            {
              key: "cost",
              label: "建安造价",
              children: `${formatMoney(project.constructionCost)} 元（${formatFigure(pricePerMetre, "元/㎡")} 元/㎡）`,
            },
            { key: "start", label: "开工日期", children: project.startDate },
            { key: "completion", label: "计划竣工日期", children: project.plannedCompletionDate },
            { key: "drawings", label: "施工图纸", children: <AttachmentsPreview value={project.drawings} />, span: 3 },
          ]}
        />
      </Card>
      <Card title="参建及承保各方">
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: "developer", label: "建设单位", children: parties.developer ?? "—" },
            { key: "contractor", label: "施工单位", children: parties.contractor ?? "—" },
            { key: "supervisor", label: "监理单位", children: parties.supervisor ?? "—" },
            { key: "designer", label: "勘察设计单位", children: parties.designer ?? "—" },
            { key: "insurer", label: "主承保公司", children: parties.insurer },
            { key: "tis", label: "风险管理机构", children: parties.tis ?? "—" },
            { key: "property", label: "物业服务企业", children: parties.propertyCompany ?? "—" },
          ]}
        />
      </Card>
      <Card title="保险安排">
        {policy ? (
          <>
            <Descriptions
              size="small"
              column={3}
              items={[
                { key: "no", label: "保单号", children: policy.policyNo },
                { key: "type", label: "险种", children: policy.insuranceType },
                { key: "issued", label: "签单日期", children: policy.issueDate },
                { key: "period", label: "保险期间", children: `${policy.periodStart} 至 ${policy.periodEnd}` },
                // The terms only for the parties to the contract and the supervisors (projectRecord).
                ...(termsVisible
                  ? [
                      { key: "sum", label: "保险金额", children: `${formatMoney(policy.sumInsured)} 元` },
                      { key: "rate", label: "费率", children: `${formatNumber(Number(policy.rate) * 100, 4)}%` },
                      { key: "premium", label: "保费", children: `${formatMoney(policy.premium)} 元` },
                    ]
                  : []),
                {
                  key: "coverage",
                  label: "保险责任",
                  span: 2,
                  children: policy.coverage.map((c) => `${c.part} ${c.years}年`).join("；"),
                },
                ...Object.entries(termsVisible ? POLICY_DOCUMENT_LABELS : {}).map(([key, label]) => ({
                  key,
                  label,
                  children: <AttachmentsPreview value={policy.documents[key]} />,
                })),
              ]}
            />
            <Table
              style={{ marginTop: 16 }}
              size="small"
              rowKey={(s) => `${s.kind}-${s.name}`}
              pagination={false}
              dataSource={shares}
              columns={[
                { title: "单位", dataIndex: "name" },
                { title: "身份", render: (_, s) => shareRoleLabel(s) },
                ...(termsVisible
                  ? [{ title: "份额", dataIndex: "share", align: "right" as const, render: (v: string) => `${formatNumber(v)}%` }]
                  : []),
              ]}
            />
          </>
        ) : (
          <Alert type="info" message="保险公司尚未录入保险信息" />
        )}
      </Card>
      <Card title="项目审批" extra={<Tag color={status.color}>{status.label}</Tag>}>
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: "registered", label: "登记时间", children: formatDateTime(project.createdAt) },
            { key: "confirmed", label: "确认投保时间", children: formatDateTime(project.confirmedAt) || "—" },
            { key: "confirmer", label: "确认人", children: confirmedByName ?? "—" },
          ]}
        />
        <InstanceTable page={flows} size="small" />
      </Card>
    </Space>
  );
}
