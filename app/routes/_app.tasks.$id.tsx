import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import { List } from "~/components/ui/List";
import { Space } from "~/components/ui/Space";
import { Tabs } from "~/components/ui/Tabs";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { useEffect, useMemo, useState } from "react";
import diagramCss from "bpmn-js/dist/assets/diagram-js.css";
import bpmnCss from "bpmn-js/dist/assets/bpmn-js.css";
import { diagramTab } from "~/components/DiagramViewer";
import { DraftRestoredNotice, DraftStatus } from "~/components/DraftStatus";
import { DESCRIPTION_COLUMNS } from "~/components/layout";
import { FormilyForm, submitForm } from "~/components/FormilyForm";
import { HistoryTimeline } from "~/components/HistoryTimeline";
import { LimitedTextArea, overLimit } from "~/components/LimitedTextArea";
import { ReturnedNotice } from "~/components/ReturnedNotice";
import { TaskContext } from "~/components/TaskContext";
import { TransferButton } from "~/components/TransferButton";
import { RecallButton } from "~/components/RecallButton";
import { CopyButton } from "~/components/CopyButton";
import { SignAfterButton, SignBeforeButton } from "~/components/SignButton";
import { SignList } from "~/components/SignList";
import { useDraft } from "~/components/useDraft";
import { UrgeButton, UrgeList } from "~/components/UrgeButton";
import { WithdrawButton } from "~/components/WithdrawButton";
import { requireActor } from "~/server/auth/session.server";
import { commentOnTask } from "~/server/tasks/comments.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import { completeTask } from "~/server/workflow/index.server";
import { claimTask, unclaimTask } from "~/server/tasks/claim.server";
import { transferTask } from "~/server/tasks/transfer.server";
import { recallStep } from "~/server/tasks/recall.server";
import { copyTask } from "~/server/tasks/copy.server";
import { askSign } from "~/server/tasks/sign.server";
import { urgeTask } from "~/server/tasks/urge.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { formatDateTime, formatDue } from "~/shared/time";
import { useFeedback } from "~/components/feedback";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: diagramCss },
  { rel: "stylesheet", href: bpmnCss },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleLoader(async () => json(await taskView(actor, params.id!)));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleAction(async () => {
    const { intent, ...body } = await readBody(request);
    switch (intent) {
      case "complete":
        await completeTask(actor, params.id!, { submission: body.submission, comment: body.comment });
        return redirect("/inbox?done=1");
      case "claim":
        await claimTask(actor, params.id!);
        return json({ ok: true as const, message: "已认领" });
      case "unclaim":
        await unclaimTask(actor, params.id!);
        return json({ ok: true as const, message: "已取消认领" });
      case "comment":
        await commentOnTask(actor, params.id!, { body: body.body });
        return json({ ok: true as const, message: "评论已发布" });
      case "transfer": {
        const { to } = await transferTask(actor, params.id!, { to: body.to, reason: body.reason });
        return json({ ok: true as const, message: `已转办给${to.name}` });
      }
      case "copy": {
        const { to } = await copyTask(actor, params.id!, { organisationId: body.organisationId, note: body.note });
        return json({ ok: true as const, message: `已抄送给${to.name}` });
      }
      case "sign": {
        const { to } = await askSign(actor, params.id!, {
          kind: body.kind,
          to: body.to,
          note: body.note,
          ...(body.kind === "after" ? { submission: body.submission, comment: body.comment } : {}),
        });
        return json({
          ok: true as const,
          message: body.kind === "after" ? `已提交，等待${to.name}的意见，同意后生效` : `已请${to.name}加签，答复后即可提交`,
        });
      }
      case "recall":
        await recallStep(actor, params.id!);
        return json({ ok: true as const, message: "已撤回，您可以修改后重新提交" });
      case "urge": {
        const sent = await urgeTask(actor, params.id!, { message: body.message });
        return json({ ok: true as const, message: `已催办（通知 ${sent} 人）` });
      }
      default:
        return json({ ok: false as const, message: "未知操作" }, { status: 400 });
    }
  });
}

type Result = { ok: boolean; message?: string; fields?: Record<string, string> };

// As the services word them (tasks/comments.server, taskComment in workflow/complete.server).
const COMMENT_MAX = 1000;
const OPINION_MAX = 2000;

function TaskComments({ comments }: { comments: { id: string; authorName: string; body: string; createdAt: string }[] }) {
  const fetcher = useFetcher<Result>();
  const [body, setBody] = useState("");
  const failure = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data : undefined;
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) setBody("");
  }, [fetcher.state, fetcher.data]);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <List
        locale={{ emptyText: "暂无评论" }}
        dataSource={comments}
        renderItem={(c) => (
          <List.Item>
            <List.Item.Meta title={`${c.authorName} · ${formatDateTime(c.createdAt)}`} description={c.body} />
          </List.Item>
        )}
      />
      <LimitedTextArea
        aria-label="评论内容"
        label="评论"
        max={COMMENT_MAX}
        rows={2}
        value={body}
        onChange={setBody}
        error={failure ? (failure.fields?.body ?? failure.message) : undefined}
      />
      <Button
        loading={fetcher.state !== "idle"}
        disabled={overLimit(body, COMMENT_MAX)}
        onClick={() => fetcher.submit({ intent: "comment", body }, { method: "post", encType: "application/json" })}
      >
        发表评论
      </Button>
    </Space>
  );
}

export default function TaskPage() {
  const view = useLoaderData<typeof loader>();
  const { task } = view;
  const fetcher = useFetcher<Result>();
  const { message } = useFeedback();
  // A returned 后加签's 办理意见 comes back with its submission.
  const [comment, setComment] = useState(view.signReturned?.comment ?? "");
  const draft = useDraft(task.id, view.canComplete ? view.draft : null);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  // A refused submission: the user goes on editing, and the draft is kept again.
  const resumeDraft = draft.resume;
  useEffect(() => {
    if (result && !result.ok) resumeDraft();
  }, [result, resumeDraft]);
  useEffect(() => {
    if (result?.ok && result.message) message.success(result.message);
    else if (result && !result.ok && !result.fields) message.error(result.message ?? "操作失败");
  }, [result, message]);
  const post = (body: Record<string, unknown>) => fetcher.submit(body as never, { method: "post", encType: "application/json" });
  // Fields of the form by their path in it (the edge names them by their path in the request body).
  // Once per answer: applied again on every render, they would come back after the user fixed them.
  const fieldErrors = useMemo(
    () =>
      result && !result.ok && result.fields
        ? Object.fromEntries(Object.entries(result.fields).map(([path, text]) => [path.replace(/^submission\./, ""), text]))
        : undefined,
    [result],
  );
  // Why the last 提交 was not sent: the form's own rules found this many fields wrong.
  const [blocked, setBlocked] = useState(0);

  return (
    <div className="idi-task-page">
      <Card
        title={
          <Space wrap>
            <span>{task.name}</span>
            <Typography.Text type="secondary">{view.instance.title}</Typography.Text>
          </Space>
        }
        extra={
          <Space wrap>
            {task.status === "open" ? <Tag color="processing">待办理</Tag> : <Tag color="success">已办理</Tag>}
            {task.overdue ? <Tag color="error">已逾期</Tag> : null}
            <TransferButton taskName={task.name} colleagues={view.transferTo} available={view.canComplete} />
            <CopyButton title={view.instance.title} targets={view.copyTo} available={view.canComplete} />
            <SignBeforeButton taskName={task.name} targets={view.signTo} available={view.canComplete && !view.signAfterWaits} />
            <RecallButton taskName={task.name} available={!!view.recall && !view.recall.refusal} />
            {view.canWithdraw ? <WithdrawButton instanceId={view.instance.id} /> : null}
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={DESCRIPTION_COLUMNS}
          items={[
            { key: "process", label: "流程", children: `${view.definition.name}（第${view.definition.version}版）` },
            { key: "created", label: "到达时间", children: formatDateTime(task.createdAt) },
            { key: "due", label: "办理期限", children: formatDue(task.dueAt) || "无" },
            { key: "assignee", label: "认领人", children: task.assigneeName ?? "未认领" },
            { key: "instance", label: "流程详情", children: <Link to={`/instances/${view.instance.id}`}>查看</Link> },
          ]}
        />
      </Card>

      <TaskContext summary={view.summary} steps={view.completedSteps} />
      {view.returned && task.status === "open" ? <ReturnedNotice returned={view.returned} /> : null}
      {view.signReturned && task.status === "open" ? (
        <Alert
          type="warning"
          showIcon
          data-testid="sign-returned"
          message={`${view.signReturned.by ?? ""}退回了您的提交（后加签），请修改后重新提交`}
          description={view.signReturned.opinion ? `加签意见：${view.signReturned.opinion}` : undefined}
        />
      ) : null}
      {view.urges.length && task.status === "open" ? (
        <Alert type="warning" showIcon message="该任务已被催办，请尽快办理" description={<UrgeList urges={view.urges} />} />
      ) : null}

      <Card title="办理">
        {blocked ? (
          <Alert type="error" showIcon message={`还有 ${blocked} 处填写有误，请按标红提示修改`} style={{ marginBottom: 16 }} role="alert" />
        ) : fetcher.data && !fetcher.data.ok && fetcher.data.fields ? (
          <Alert type="error" showIcon message={fetcher.data.message} style={{ marginBottom: 16 }} role="alert" />
        ) : null}
        {view.signHold ? <Alert type="info" showIcon message={view.signHold} style={{ marginBottom: 16 }} data-testid="sign-hold" /> : null}
        {view.canComplete && !view.signHold ? <DraftRestoredNotice draft={draft} /> : null}
        {view.schema ? (
          <FormilyForm
            key={`${task.id}:${draft.generation}`}
            schema={view.schema}
            initialValues={draft.restored?.values ?? task.submission}
            facts={view.facts}
            errors={fieldErrors}
            readOnly={!view.canComplete || !!view.signHold}
            // The summary of a blocked 提交 follows the fields as they are put right, and goes with the last.
            onWrongFields={(count) => setBlocked((shown) => (shown ? count + (overLimit(comment, OPINION_MAX) ? 1 : 0) : 0))}
          >
            {(form) =>
              view.canComplete && !view.signHold ? (
                <>
                  <Typography.Text>办理意见</Typography.Text>
                  <div style={{ margin: "8px 0 16px" }}>
                    <LimitedTextArea
                      aria-label="办理意见"
                      label="办理意见"
                      max={OPINION_MAX}
                      rows={2}
                      value={comment}
                      onChange={setComment}
                      error={fetcher.data && !fetcher.data.ok ? fetcher.data.fields?.comment : undefined}
                    />
                  </div>
                  <Space wrap>
                    {/* Named explicitly: antd's loading icon can linger invisibly after its leave
                        animation and would otherwise read "loading 提交" to assistive technology. */}
                    <Button
                      type="primary"
                      aria-label="提交"
                      aria-busy={fetcher.state !== "idle"}
                      loading={fetcher.state !== "idle"}
                      onClick={async () =>
                        setBlocked(
                          await submitForm(
                            form,
                            (values) => {
                              draft.hold();
                              post({ intent: "complete", submission: values, comment });
                            },
                            overLimit(comment, OPINION_MAX) ? 1 : 0,
                          ),
                        )
                      }
                    >
                      提交
                    </Button>
                    <SignAfterButton
                      targets={view.signTo}
                      available={view.signTo.length > 0}
                      collect={async () => {
                        let values: Record<string, unknown> | null = null;
                        setBlocked(await submitForm(form, (v) => void (values = v), overLimit(comment, OPINION_MAX) ? 1 : 0));
                        return values ? { submission: values, comment } : null;
                      }}
                    />
                    {task.claimedByMe ? <Button onClick={() => post({ intent: "unclaim" })}>取消认领</Button> : null}
                    {view.canClaim ? <Button onClick={() => post({ intent: "claim" })}>认领</Button> : null}
                    <DraftStatus form={form} draft={draft} />
                  </Space>
                </>
              ) : null
            }
          </FormilyForm>
        ) : (
          <Alert type="warning" message={`表单“${task.formKey}”不存在，请联系平台管理员`} />
        )}
        {task.status !== "open" ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
            {task.completedByName} 于 {formatDateTime(task.completedAt)} 办理{task.comment ? `，意见：${task.comment}` : ""}
          </Typography.Paragraph>
        ) : null}
        {view.recall?.refusal && task.status === "completed" ? (
          <Typography.Paragraph type="secondary" data-testid="recall-refusal">
            不能撤回：{view.recall.refusal}
          </Typography.Paragraph>
        ) : null}
        {view.canUrge && view.waitingOn ? (
          <div style={{ marginTop: 16 }}>
            <UrgeButton step={view.waitingOn} />
          </div>
        ) : null}
      </Card>

      <Card className="idi-task-after">
        <Tabs
          items={[
            { key: "history", label: "流转记录", children: <HistoryTimeline history={view.history} /> },
            { key: "comments", label: `评论（${view.comments.length}）`, children: <TaskComments comments={view.comments} /> },
            ...(view.signs.length
              ? [{ key: "signs", label: `加签（${view.signs.length}）`, children: <SignList signs={view.signs} /> }]
              : []),
            diagramTab(view),
          ]}
        />
      </Card>
    </div>
  );
}
