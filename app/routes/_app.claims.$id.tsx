import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import { Stars } from "~/components/ui/Stars";
import { Space } from "~/components/ui/Space";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { SummarySections } from "~/components/BusinessSummary";
import { currentStepItem, flowItems } from "~/components/CurrentStep";
import { HistoryTimeline } from "~/components/HistoryTimeline";
import { DESCRIPTION_COLUMNS } from "~/components/layout";
import { UrgeButton } from "~/components/UrgeButton";
import { requirePermission } from "~/server/auth/session.server";
import { PAGE_PERMISSIONS } from "~/shared/permissions";
import { claimView } from "~/server/claims/claim-views.server";
import { handleLoader } from "~/server/http/remix.server";
import { CLAIM_PART_SHORT, claimNumber, RATING_REASON_LABELS } from "~/shared/claim-labels";
import { formatDateTime, formatDue } from "~/shared/time";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/claims"]);
  return handleLoader(async () => json(await claimView(actor, params.id!)));
}

export default function ClaimPage() {
  const view = useLoaderData<typeof loader>();
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card
        title={`${claimNumber(view.seq)} ${view.unitLabel} ${CLAIM_PART_SHORT[view.part]}`}
        extra={
          <Space wrap>
            <Tag color={view.statusTag.color} data-testid="claim-status">
              {view.statusTag.label}
            </Tag>
            {view.canUrgeTask && view.openTask ? <UrgeButton step={view.openTask} action={`/tasks/${view.openTask.id}`} /> : null}
          </Space>
        }
      >
        <SummarySections sections={view.sections} />
      </Card>

      <Card title="办理进度">
        <Descriptions
          size="small"
          column={DESCRIPTION_COLUMNS}
          items={[
            currentStepItem(view.openTask, view, view.statusTag.label),
            ...(view.openTask?.dueAt ? [{ key: "due", label: "办理期限", children: formatDue(view.openTask.dueAt) }] : []),
            { key: "project", label: "项目", children: <Link to={`/projects/${view.projectId}`}>{view.projectName}</Link> },
            ...flowItems(view.instanceId),
          ]}
        />
      </Card>

      {view.rating ? (
        <Card title="业主评价" data-testid="claim-rating">
          <Space direction="vertical">
            <Stars value={view.rating.stars} />
            {view.rating.reasons.length ? (
              <Space wrap>
                {view.rating.reasons.map((r) => (
                  <Tag key={r}>{RATING_REASON_LABELS[r as keyof typeof RATING_REASON_LABELS] ?? "其他"}</Tag>
                ))}
              </Space>
            ) : null}
            {view.rating.comment ? <Typography.Text>{view.rating.comment}</Typography.Text> : null}
            <Typography.Text type="secondary">{formatDateTime(view.rating.createdAt)}</Typography.Text>
          </Space>
        </Card>
      ) : null}

      <Card title="案件经过" data-testid="claim-timeline">
        <HistoryTimeline history={view.timeline.map((t) => ({ at: t.at, what: t.label, who: t.actorName, comment: t.detail }))} />
      </Card>
    </Space>
  );
}
