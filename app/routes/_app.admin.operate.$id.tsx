import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { Modal } from "~/components/LazyModal";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tabs } from "~/components/ui/Tabs";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import type { ColumnsType as TableColumnsType } from "~/components/ui/Table";
import diagramCss from "bpmn-js/dist/assets/diagram-js.css";
import bpmnCss from "bpmn-js/dist/assets/bpmn-js.css";
import { useEffect, useState, type ReactNode } from "react";
import { diagramTab } from "~/components/DiagramViewer";
import { FoldedText } from "~/components/FoldedText";
import { HistoryTimeline } from "~/components/HistoryTimeline";
import { IncidentAlert } from "~/components/IncidentAlert";
import { INSTANCE_STATUS } from "~/components/InstanceTable";
import { DESCRIPTION_COLUMNS } from "~/components/layout";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody, type ActionFailure } from "~/server/http/remix.server";
import { operateInstance } from "~/server/flow-views/operate.server";
import { moveTask } from "~/server/tasks/move.server";
import { cancelInstance, migrateInstances, retryIncident } from "~/server/workflow/index.server";
import { ValidationError } from "~/server/errors.server";
import { TASK_STATUS_LABELS } from "~/shared/labels";
import { OPERATE_REASON_MAX } from "~/shared/operate";
import { formatDateTime, formatDue } from "~/shared/time";

// One flow as its administrator sees it (流程运维, docs/decisions/037): where it waits on the
// diagram, its data, history and tasks, and the actions on it — retry an incident, cancel the
// flow, move a stuck task, migrate it to a newer version — each with a reason.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: diagramCss },
  { rel: "stylesheet", href: bpmnCss },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleLoader(async () => json(await operateInstance(actor, params.id!)));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleAction(async () => {
    const body = await readBody(request);
    const id = params.id!;
    switch (body.intent) {
      case "retry":
        await retryIncident(actor, id, body);
        return json({ ok: true as const, message: "已重试" });
      case "cancel":
        await cancelInstance(actor, id, body);
        return json({ ok: true as const, message: "流程已取消" });
      case "move": {
        // The task must be one of this flow's: another flow's task id is not found here.
        const view = await operateInstance(actor, id);
        const taskId = typeof body.taskId === "string" && view.tasks.some((t) => t.id === body.taskId) ? body.taskId : "";
        if (!taskId) throw new ValidationError({ taskId: "请选择该流程的待办任务" });
        await moveTask(actor, taskId, body);
        return json({ ok: true as const, message: "任务已转交" });
      }
      case "migrate": {
        const view = await operateInstance(actor, id);
        const result = await migrateInstances(actor, {
          key: view.definition.key,
          toVersion: body.toVersion === undefined ? undefined : Number(body.toVersion),
          instanceIds: [view.instance.id],
          reason: body.reason,
        });
        if (result.refused.length) throw new ValidationError({ toVersion: result.refused[0].refusals.join("；") }, "该流程不能迁移");
        return json({ ok: true as const, message: `已迁移到第${result.toVersion}版` });
      }
      default:
        throw new ValidationError({ intent: "未知操作" });
    }
  });
}

type Answer = { ok: true; message: string } | ActionFailure;

/** A button that asks for a reason (and `children`' fields) in a dialog, then posts `intent` with them. */
function ReasonAction({
  intent,
  label,
  title,
  danger,
  extra = {},
  children,
  testId,
}: {
  intent: string;
  label: string;
  title: string;
  danger?: boolean;
  extra?: Record<string, unknown>;
  /** More fields of the dialog, given the server's refusal of a field by its name. */
  children?: ReactNode | ((errorOf: (name: string) => string | undefined) => ReactNode);
  testId: string;
}) {
  const fetcher = useFetcher<Answer>();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (answer?.ok) setOpen(false);
  }, [answer]);
  const refused = answer && !answer.ok ? answer : undefined;
  const fieldError = (name: string) => (refused?.fields?.[name] ? { validateStatus: "error" as const, help: refused.fields[name] } : {});
  // What no field of the dialog shows: the refusal's other fields (why a migration cannot be done), or its message.
  const elsewhere = Object.entries(refused?.fields ?? {})
    .filter(([name]) => name !== "reason" && name !== "organisationId")
    .map(([, message]) => message);
  const otherError = refused ? (elsewhere.length ? elsewhere.join("；") : refused.fields ? null : refused.message) : null;
  return (
    <>
      <Button danger={danger} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </Button>
      <Modal
        open={open}
        title={title}
        okText="确定"
        cancelText="取消"
        confirmLoading={fetcher.state !== "idle"}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) => fetcher.submit({ intent, ...extra, ...values }, { method: "post", encType: "application/json" })}
        >
          {typeof children === "function" ? children((name) => refused?.fields?.[name]) : children}
          <Form.Item name="reason" label="操作原因" required {...fieldError("reason")}>
            <Input.TextArea rows={3} maxLength={OPERATE_REASON_MAX} showCount placeholder="请说明原因，将记入审计日志" />
          </Form.Item>
        </Form>
        {otherError ? <Alert type="error" message={otherError} /> : null}
      </Modal>
      {answer?.ok ? <Typography.Text type="success">{answer.message}</Typography.Text> : null}
    </>
  );
}

/** A tab of the page holding one small table of `rows` (each with an id). */
function tableTab<T extends { id: string }>(key: string, label: string, rows: T[], columns: TableColumnsType<T>, emptyText?: string) {
  return {
    key,
    label,
    children: (
      <Table<T>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={columns}
        locale={emptyText ? { emptyText } : undefined}
      />
    ),
  };
}

function MoveFields({ options, error }: { options: { id: string; name: string }[]; error?: string }) {
  return (
    <Form.Item name="organisationId" label="接收单位" required {...(error ? { validateStatus: "error" as const, help: error } : {})}>
      <Select
        showSearch
        optionFilterProp="label"
        placeholder="请选择接收单位"
        options={options.map((o) => ({ value: o.id, label: o.name }))}
      />
    </Form.Item>
  );
}

export default function OperateInstance() {
  const view = useLoaderData<typeof loader>();
  const [color, label] = INSTANCE_STATUS[view.instance.status];
  const incident = view.instance.incidentElement ? [view.instance.incidentElement] : [];
  const current = [...view.currentElements, ...view.timers.map((t) => t.elementId)];
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card
        title={view.instance.title}
        extra={
          <Space wrap>
            <Tag color={color}>{label}</Tag>
            <Link to={`/instances/${view.instance.id}`}>业务页面</Link>
            {!view.ended ? (
              <ReasonAction intent="cancel" label="取消流程" title="取消流程" danger testId="cancel-instance">
                <Alert type="warning" message="取消后流程的待办和定时器一并取消，不能恢复。" style={{ marginBottom: 12 }} />
              </ReasonAction>
            ) : null}
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={DESCRIPTION_COLUMNS}
          items={[
            {
              key: "process",
              label: "流程",
              children: `${view.definition.name}（${view.definition.key}，第${view.definition.version}版）`,
            },
            { key: "business", label: "业务编号", children: `${view.instance.businessType} / ${view.instance.businessKey}` },
            { key: "started", label: "发起时间", children: formatDateTime(view.instance.startedAt) },
            { key: "ended", label: "结束时间", children: formatDateTime(view.instance.endedAt) || "—" },
          ]}
        />
        {view.instance.incident ? (
          <IncidentAlert
            incident={view.instance.incident}
            action={<ReasonAction intent="retry" label="重试" title="重试流程异常" danger testId="retry-incident" />}
          />
        ) : null}
        {view.migration ? (
          <Alert
            style={{ marginTop: 16 }}
            type={view.migration.refusals.length ? "warning" : "info"}
            message={`该流程可迁移到第${view.latestVersion}版`}
            description={
              view.migration.refusals.length ? (
                <div data-testid="migration-refusals">
                  不能迁移：
                  {view.migration.refusals.map((r) => (
                    <div key={r}>{r}</div>
                  ))}
                </div>
              ) : (
                "等待中的环节在新版本中都存在，迁移后后续步骤按新版本流转。"
              )
            }
            action={
              view.migration.refusals.length ? null : (
                <ReasonAction
                  intent="migrate"
                  label="迁移"
                  title={`迁移到第${view.latestVersion}版`}
                  extra={{ toVersion: view.latestVersion }}
                  testId="migrate-instance"
                />
              )
            }
          />
        ) : null}
      </Card>
      <Card>
        <Tabs
          items={[
            diagramTab({ ...view, currentElements: current }, { incident }),
            tableTab("tasks", `任务（${view.tasks.length}）`, view.tasks, [
              { title: "任务", dataIndex: "name" },
              {
                title: "状态",
                dataIndex: "status",
                render: (s: string) => TASK_STATUS_LABELS[s as keyof typeof TASK_STATUS_LABELS] ?? s,
              },
              { title: "办理单位", dataIndex: "organisationName", render: (n: string | null) => n ?? "（按角色）" },
              { title: "创建", dataIndex: "createdAt", render: (d: string) => formatDateTime(d) },
              { title: "期限", dataIndex: "dueAt", render: (d: string | null) => (d ? formatDue(d) : "—") },
              {
                title: "完成",
                render: (_, t) => (t.completedAt ? `${formatDateTime(t.completedAt)} ${t.completedByName ?? ""}` : "—"),
              },
              {
                title: "操作",
                render: (_, t) =>
                  t.status === "open" && !view.ended ? (
                    <ReasonAction intent="move" label="转交" title={`转交任务：${t.name}`} extra={{ taskId: t.id }} testId="move-task">
                      {(errorOf) => <MoveFields options={t.moveTo} error={errorOf("organisationId")} />}
                    </ReasonAction>
                  ) : null,
              },
            ]),
            tableTab("timers", `定时器（${view.timers.length}）`, view.timers, [
              { title: "定时事件", render: (_, t) => (t.boundaryOf ? `${t.name}（${t.boundaryOf}）` : t.name) },
              { title: "到期", dataIndex: "dueAt", render: (d: string) => formatDateTime(d) },
              { title: "失败次数", dataIndex: "attempts" },
              { title: "最近错误", dataIndex: "lastError", render: (e: string | null) => e ?? "—" },
            ]),
            tableTab(
              "variables",
              "流程数据",
              view.variables.map((v) => ({ ...v, id: v.name })),
              [
                { title: "名称", dataIndex: "name", width: 200 },
                {
                  title: "值（只读）",
                  dataIndex: "json",
                  render: (text: string) => (
                    <div style={{ fontFamily: "monospace", fontSize: 12 }}>
                      <FoldedText text={text} rows={4} />
                    </div>
                  ),
                },
              ],
              "暂无流程数据",
            ),
            { key: "history", label: "流转记录", children: <HistoryTimeline history={view.history} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
