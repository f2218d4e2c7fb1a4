import { useFetcher } from "@remix-run/react";
import Button from "antd/es/button";
import Popconfirm from "antd/es/popconfirm";
import { useEffect } from "react";
import { useFeedback } from "~/components/feedback";

/**
 * 撤回 of a step its user completed, after confirming, while the next step is untouched: posts to
 * the task page, which reopens the step with what was submitted (or says why it is too late).
 * `available`: whether it is offered now; the answer of one just sent is shown after the page's
 * data reloaded without it.
 */
export function RecallButton({ taskName, available }: { taskName: string; available: boolean }) {
  const fetcher = useFetcher<{ ok: boolean; message?: string }>();
  const { message } = useFeedback();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (answer?.ok) message.success(answer.message ?? "已撤回");
    else if (answer) message.error(answer.message ?? "撤回失败");
  }, [answer, message]);
  if (!available) return null;
  return (
    <Popconfirm
      title="撤回办理"
      description={`撤回后“${taskName}”回到您的待办，已提交的内容保留供修改；下一步的待办将取消。确定撤回吗？`}
      okText="撤回"
      cancelText="取消"
      okButtonProps={{ danger: true }}
      onConfirm={() => fetcher.submit({ intent: "recall" }, { method: "post", encType: "application/json" })}
    >
      <Button danger loading={fetcher.state !== "idle"}>
        撤回办理
      </Button>
    </Popconfirm>
  );
}
