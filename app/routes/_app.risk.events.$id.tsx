import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import { Space } from "~/components/ui/Space";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { currentStepItem, flowItems } from "~/components/CurrentStep";
import { FoldedText } from "~/components/FoldedText";
import { PhotoThumbnails } from "~/components/PhotoThumbnails";
import { UrgeList } from "~/components/UrgeButton";
import { UrgeRiskEventButton } from "~/components/UrgeRiskEventButton";
import { requirePermission } from "~/server/auth/session.server";
import { PAGE_PERMISSIONS } from "~/shared/permissions";
import { handleLoader } from "~/server/http/remix.server";
import { riskEventView } from "~/server/risk/risk-views.server";
import { districtName } from "~/shared/districts";
import {
  RECTIFIER_ROLE_LABELS,
  RISK_CATEGORY_LABELS,
  RISK_EVENT_STATUS_LABELS,
  RISK_LEVEL_COLORS,
  RISK_LEVEL_LABELS,
  riskEventNumber,
} from "~/shared/risk-labels";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/risk"]);
  return handleLoader(async () => json(await riskEventView(actor, params.id!)));
}

// One column on a phone, two on a tablet, three on a desk.
const COLUMNS = { xs: 1, sm: 2, lg: 3 };

export default function RiskEventPage() {
  const view = useLoaderData<typeof loader>();
  const { event, project } = view;
  const ended = event.status === "closed" || event.status === "cancelled";
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card
        title={`${riskEventNumber(event.seq)} ${RISK_CATEGORY_LABELS[event.category]}风险事件`}
        extra={
          <Space wrap>
            <Tag color={event.status === "closed" ? "success" : ended ? "default" : "orange"}>{RISK_EVENT_STATUS_LABELS[event.status]}</Tag>
            {event.overdue ? <Tag color="error">已逾期</Tag> : null}
            {view.canUrge && view.openTask ? <UrgeRiskEventButton eventId={event.id} step={view.openTask} /> : null}
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={COLUMNS}
          items={[
            {
              key: "project",
              label: "项目",
              children: (
                <Link to={`/projects/${project.id}?tab=risk`}>
                  {project.name}
                  {project.district ? `（${districtName(project.district)}）` : ""}
                </Link>
              ),
            },
            { key: "category", label: "类别", children: RISK_CATEGORY_LABELS[event.category] },
            { key: "level", label: "等级", children: <Tag color={RISK_LEVEL_COLORS[event.level]}>{RISK_LEVEL_LABELS[event.level]}</Tag> },
            { key: "location", label: "部位/位置", children: event.location },
            {
              key: "deadline",
              label: "整改期限",
              children: event.overdue ? <Typography.Text type="danger">{event.deadline}（已逾期）</Typography.Text> : event.deadline,
            },
            { key: "raised", label: "登记时间", children: formatDateTime(event.raisedAt) },
            { key: "rectifier", label: "整改单位", children: `${view.rectifierName}（${RECTIFIER_ROLE_LABELS[event.rectifierRole]}）` },
            { key: "tis", label: "风险管理机构", children: view.tisName },
            { key: "description", label: "问题描述", span: "filled", children: <FoldedText text={event.description} /> },
            { key: "photos", label: "现场照片", span: "filled", children: <PhotoThumbnails photos={event.photos} /> },
          ]}
        />
      </Card>

      <Card title="整改情况">
        {event.status === "rectifying" && event.returnReason ? (
          <Alert type="warning" showIcon message={`风险管理机构退回整改：${event.returnReason}`} style={{ marginBottom: 16 }} />
        ) : null}
        {event.rectification ? (
          <Descriptions
            size="small"
            column={COLUMNS}
            items={[
              { key: "date", label: "整改完成日期", children: event.rectification.rectifiedOn },
              { key: "closed", label: "销项时间", children: formatDateTime(event.closedAt) || "—" },
              { key: "returns", label: "退回次数", children: String(event.returnCount) },
              { key: "measures", label: "整改措施及结果", span: "filled", children: <FoldedText text={event.rectification.measures} /> },
              { key: "photos", label: "整改后照片", span: "filled", children: <PhotoThumbnails photos={event.rectification.photos} /> },
            ]}
          />
        ) : (
          <Typography.Text type="secondary">整改单位尚未提交整改情况</Typography.Text>
        )}
      </Card>

      <Card title="办理进度">
        <Descriptions
          size="small"
          column={COLUMNS}
          items={[
            currentStepItem(view.openTask, view, RISK_EVENT_STATUS_LABELS[event.status]),
            ...flowItems(view.flowVisible ? event.instanceId : null),
          ]}
        />
        <UrgeList urges={view.urges} />
      </Card>
    </Space>
  );
}
