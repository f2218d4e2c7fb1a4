import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import { List } from "~/components/ui/List";
import { Space } from "~/components/ui/Space";
import { Tabs } from "~/components/ui/Tabs";
import { Tag } from "~/components/ui/Tag";
import diagramCss from "bpmn-js/dist/assets/diagram-js.css";
import bpmnCss from "bpmn-js/dist/assets/bpmn-js.css";
import { diagramTab } from "~/components/DiagramViewer";
import { BusinessSummary } from "~/components/BusinessSummary";
import { EarlierSteps } from "~/components/EarlierSteps";
import { DESCRIPTION_COLUMNS } from "~/components/layout";
import { HistoryTimeline } from "~/components/HistoryTimeline";
import { IncidentAlert } from "~/components/IncidentAlert";
import { INSTANCE_STATUS } from "~/components/InstanceTable";
import { WithdrawButton } from "~/components/WithdrawButton";
import { requireActor } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import { withdrawInstance } from "~/server/workflow/index.server";
import { instanceView } from "~/server/flow-views/instance-view.server";
import { formatDateTime, formatDue } from "~/shared/time";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: diagramCss },
  { rel: "stylesheet", href: bpmnCss },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleLoader(async () => json({ ...(await instanceView(actor, params.id!)), isAdmin: actor.roles.includes("admin") }));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleAction(async () => {
    const { intent } = await readBody(request);
    if (intent === "withdraw") {
      await withdrawInstance(actor, params.id!);
      return redirect(`/instances/${encodeURIComponent(params.id!)}`);
    }
    return json({ ok: false as const, message: "未知操作" }, { status: 400 });
  });
}

export default function InstancePage() {
  const view = useLoaderData<typeof loader>();
  const [color, label] = INSTANCE_STATUS[view.instance.status];
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card
        title={view.instance.title}
        extra={
          <Space>
            <Tag color={color}>{label}</Tag>
            {view.canWithdraw ? <WithdrawButton instanceId={view.instance.id} /> : null}
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={DESCRIPTION_COLUMNS}
          items={[
            { key: "process", label: "流程", children: `${view.definition.name}（第${view.definition.version}版）` },
            { key: "started", label: "发起时间", children: formatDateTime(view.instance.startedAt) },
            { key: "ended", label: "结束时间", children: formatDateTime(view.instance.endedAt) || "—" },
          ]}
        />
        {view.instance.incident ? (
          <IncidentAlert
            incident={view.instance.incident}
            action={
              // Retried with a reason, on the administrators' page of the flow (流程运维).
              view.isAdmin ? (
                <Link to={`/admin/operate/${view.instance.id}`}>
                  <Button danger>处理异常</Button>
                </Link>
              ) : null
            }
          />
        ) : null}
      </Card>
      <BusinessSummary summary={view.summary} />
      {view.openTasks.length ? (
        <Card title="当前待办">
          <List
            dataSource={view.openTasks}
            renderItem={(t) => (
              <List.Item>
                <span>
                  <Link to={`/tasks/${t.id}`}>{t.name}</Link>，待{t.party}办理
                </span>
                <span>{t.dueAt ? `期限 ${formatDue(t.dueAt)}` : ""}</span>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      {view.waits.length ? (
        <Card title="等待中">
          <List
            dataSource={view.waits}
            renderItem={(w) => (
              <List.Item>
                <span>{w.name}</span>
                <span>{formatDateTime(w.dueAt, "YYYY-MM-DD")} 到期</span>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      <EarlierSteps steps={view.completedSteps} />
      <Card>
        <Tabs items={[{ key: "history", label: "流转记录", children: <HistoryTimeline history={view.history} /> }, diagramTab(view)]} />
      </Card>
    </Space>
  );
}
