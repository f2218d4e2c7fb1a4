import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Checkbox from "antd/es/checkbox";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { Modal } from "~/components/LazyModal";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { Tabs } from "~/components/ui/Tabs";
import { useState } from "react";
import { useListParams } from "~/components/useListParams";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import { queryOf } from "~/server/query.server";
import { startProcess, startableDefinitions } from "~/server/workflow/index.server";
import { inboxCount, listTasks, nextPageAfter } from "~/server/tasks/inbox.server";
import { listInstances } from "~/server/flow-views/flow-progress.server";
import { InstanceTable } from "~/components/InstanceTable";
import { BureauAlertsCard } from "~/components/BureauAlertsCard";
import { bureauAlerts } from "~/server/statistics/alerts.server";
import { TaskList } from "~/components/TaskList";
import { textLimit } from "~/components/text-limit";
import { searchRule } from "~/shared/search";
import { choosePrompt } from "~/components/FilterSelect";
import { CLEARABLE } from "~/components/ui/clearable";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:inbox");
  return handleLoader(async () => {
    // `done=1`: the page was reached by completing a task (it says so); the rest is the list's.
    const { done, ...query } = queryOf(request);
    const view = query.view === "started" ? "started" : query.view === "done" ? "done" : "todo";
    const [page, started, todo, startable, alerts] = await Promise.all([
      view === "started" ? null : listTasks(actor, query),
      view === "started" ? listInstances(actor, "started", { page: query.page, pageSize: query.pageSize }) : null,
      inboxCount(actor),
      startableDefinitions(actor),
      bureauAlerts(actor),
    ]);
    return json({ page, started, todo, startable, view, justDone: done === "1", alerts });
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "view:inbox");
  return handleAction(async () => {
    const body = await readBody(request);
    const instance = await startProcess(actor, {
      key: body.key,
      title: body.title,
    });
    return redirect(await nextPageAfter(actor, instance.id));
  });
}

// As the start of a flow words it (startSchema).
const TITLE = textLimit("标题", 200);

function StartProcess({ startable }: { startable: { key: string; name: string }[] }) {
  const [open, setOpen] = useState(false);
  const fetcher = useFetcher<{ ok: false; message: string; fields?: Record<string, string> }>();
  const [form] = Form.useForm();
  const failure = fetcher.state === "idle" ? fetcher.data : undefined;
  if (startable.length === 0) return null;
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        发起流程
      </Button>
      <Modal
        title="发起流程"
        open={open}
        okText="发起"
        confirmLoading={fetcher.state !== "idle"}
        onCancel={() => setOpen(false)}
        onOk={() =>
          form
            .validateFields()
            .then((values) => fetcher.submit(values, { method: "post", encType: "application/json" }))
            // A field left wrong: the form shows why under it; nothing to submit.
            .catch(() => undefined)
        }
      >
        {failure ? (
          <Alert
            type="error"
            showIcon
            message={failure.fields ? Object.values(failure.fields).join("；") : failure.message}
            style={{ marginBottom: 16 }}
          />
        ) : null}
        <Form form={form} layout="vertical" initialValues={{ key: startable[0].key }}>
          <Form.Item label="流程" name="key" rules={[{ required: true, message: "请选择流程" }]}>
            <Select placeholder={choosePrompt("流程")} options={startable.map((s) => ({ value: s.key, label: s.name }))} />
          </Form.Item>
          <Form.Item label="事项标题" name="title" rules={[{ required: true, message: "请填写事项标题" }, TITLE.rule]}>
            <Input count={TITLE.count} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export default function Inbox() {
  const { page, started, todo, startable, view, justDone, alerts } = useLoaderData<typeof loader>();
  const list = useListParams();
  return (
    <>
      {alerts ? <BureauAlertsCard alerts={alerts} /> : null}
      <Card title="我的任务" extra={<StartProcess startable={startable} />}>
        {justDone ? <Alert type="success" showIcon message="已提交办理" style={{ marginBottom: 16 }} closable /> : null}
        <Tabs
          activeKey={view}
          onChange={(key) => list.search({ view: key === "todo" ? undefined : key })}
          items={[
            { key: "todo", label: `待办（${todo}）` },
            { key: "done", label: "已办" },
            { key: "started", label: "我发起的" },
          ]}
        />
        {started ? <InstanceTable page={started} /> : null}
        {page ? (
          <>
            <Form
              layout="inline"
              style={{ marginBottom: 16 }}
              initialValues={{ q: list.get("q"), overdue: list.get("overdue") === "1", mine: list.get("mine") === "1" }}
              onFinish={(v) =>
                list.search({
                  view: view === "done" ? "done" : undefined,
                  q: v.q,
                  overdue: v.overdue ? "1" : undefined,
                  mine: v.mine ? "1" : undefined,
                })
              }
            >
              <Form.Item name="q" rules={[searchRule()]}>
                <Input placeholder="事项或任务名称" allowClear={CLEARABLE} style={{ width: 220 }} />
              </Form.Item>
              {view === "todo" ? (
                <>
                  <Form.Item name="overdue" valuePropName="checked">
                    <Checkbox>仅看已逾期</Checkbox>
                  </Form.Item>
                  <Form.Item name="mine" valuePropName="checked">
                    <Checkbox>我认领的</Checkbox>
                  </Form.Item>
                </>
              ) : null}
              <Space>
                <Button htmlType="submit" type="primary">
                  查询
                </Button>
              </Space>
            </Form>
            <TaskList
              rows={page.rows}
              view={view === "done" ? "done" : "todo"}
              pagination={list.pagination(page, "项")}
              emptyText={view === "todo" ? "暂无待办任务" : "暂无已办任务"}
            />
          </>
        ) : null}
      </Card>
    </>
  );
}
