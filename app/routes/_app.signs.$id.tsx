import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Radio from "antd/es/radio";
import { Tag } from "~/components/ui/Tag";
import { DESCRIPTION_COLUMNS } from "~/components/layout";
import { FormilyForm } from "~/components/FormilyForm";
import { ServerForm } from "~/components/ServerForm";
import { requireActor } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import { answerSign, signView } from "~/server/tasks/sign.server";
import { formatDateTime } from "~/shared/time";

// A 加签 asking the viewer's opinion (from their 待办): what the holder asked, a 后加签's kept
// submission, and the answer (同意 or 退回 with an opinion).

/** As the service words it (tasks/sign.server.ts SIGN_OPINION_MAX). */
const OPINION_MAX = 500;

const STATUS = { open: "待答复", approved: "已同意", returned: "已退回", cancelled: "已取消" } as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleLoader(async () => json(await signView(actor, params.id!)));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleAction(async () => {
    const { decision, opinion } = await readBody(request);
    const answer = await answerSign(actor, params.id!, { decision, opinion });
    return json({ ok: true as const, message: answer.decision === "approve" ? "已同意" : "已退回" });
  });
}

/** 同意 on a 后加签 completes the 发起人's task with their submission: asked once more. */
const APPROVE_AFTER = { title: "同意后加签", content: "同意后将按发起人的提交办理该任务，流程进入下一步。确定同意吗？" };

export default function SignPage() {
  const view = useLoaderData<typeof loader>();
  const { sign } = view;
  const [form] = Form.useForm();
  const decision = Form.useWatch("decision", form) ?? "approve";
  return (
    <div>
      <Card
        title={`加签：${view.task.name}`}
        extra={<Tag color={sign.status === "open" ? "processing" : "default"}>{STATUS[sign.status]}</Tag>}
      >
        <Descriptions
          size="small"
          column={DESCRIPTION_COLUMNS}
          items={[
            { key: "title", label: "事项", children: <Link to={`/instances/${view.instance.id}`}>{view.instance.title}</Link> },
            { key: "task", label: "任务", children: <Link to={`/tasks/${view.task.id}`}>{view.task.name}</Link> },
            { key: "kind", label: "加签方式", children: sign.kindLabel },
            { key: "asked", label: "发起人", children: `${sign.askedByName}（${formatDateTime(sign.createdAt)}）` },
            { key: "signer", label: "加签人", children: sign.signerName },
            { key: "note", label: "加签说明", children: sign.note ?? "无" },
          ]}
        />
      </Card>
      {view.schema && sign.submission ? (
        <Card title="提交的办理内容（同意后生效）">
          <FormilyForm schema={view.schema} initialValues={sign.submission} readOnly />
          {sign.comment ? <p>办理意见：{sign.comment}</p> : null}
        </Card>
      ) : null}
      <Card title="加签意见">
        {view.canAnswer ? (
          // Once answered, the page reloads without the form and shows the answer (below).
          <ServerForm
            intent="answer"
            submitLabel="提交意见"
            form={form}
            initialValues={{ decision: "approve" }}
            confirm={sign.kind === "after" && decision === "approve" ? APPROVE_AFTER : undefined}
          >
            <Form.Item label="意见" name="decision" rules={[{ required: true, message: "请选择同意或退回" }]}>
              <Radio.Group
                options={[
                  { value: "approve", label: "同意" },
                  { value: "return", label: "退回" },
                ]}
              />
            </Form.Item>
            <Form.Item
              label="加签意见"
              name="opinion"
              dependencies={["decision"]}
              rules={[
                ({ getFieldValue }) => ({ required: getFieldValue("decision") === "return", message: "退回时请填写加签意见" }),
                { max: OPINION_MAX, message: `加签意见不能超过${OPINION_MAX}个字` },
              ]}
            >
              <Input.TextArea aria-label="加签意见" rows={3} showCount={{ formatter: ({ count }) => `${count} / ${OPINION_MAX}` }} />
            </Form.Item>
          </ServerForm>
        ) : sign.answeredByName ? (
          <Alert
            type="success"
            data-testid="sign-answer"
            action={<Link to="/inbox">返回待办</Link>}
            message={`${sign.answeredByName} 于 ${formatDateTime(sign.answeredAt)} ${sign.status === "approved" ? "同意" : "退回"}${sign.opinion ? `：${sign.opinion}` : ""}`}
          />
        ) : (
          <Alert type="info" message={sign.status === "cancelled" ? "该加签已取消，无需答复" : "您不是该加签的加签人，仅可查看"} />
        )}
      </Card>
    </div>
  );
}
