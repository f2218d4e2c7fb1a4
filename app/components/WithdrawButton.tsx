import { useFetcher } from "@remix-run/react";
import Button from "antd/es/button";
import Popconfirm from "antd/es/popconfirm";
import { useEffect } from "react";
import { useFeedback } from "~/components/feedback";

/**
 * 撤回: the starter takes back a flow nobody has worked on yet, after confirming. Posts to the
 * instance page, which answers with the withdrawn flow (or why it cannot be withdrawn).
 */
export function WithdrawButton({ instanceId }: { instanceId: string }) {
  const fetcher = useFetcher<{ ok: boolean; message?: string }>();
  const { message } = useFeedback();
  const failure = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data : undefined;
  useEffect(() => {
    if (failure) message.error(failure.message ?? "撤回失败");
  }, [failure, message]);
  return (
    <Popconfirm
      title="撤回流程"
      description="撤回后本流程结束，待办将从各方的待办中移除。确定撤回吗？"
      okText="撤回"
      cancelText="取消"
      okButtonProps={{ danger: true }}
      onConfirm={() =>
        fetcher.submit({ intent: "withdraw" }, { method: "post", action: `/instances/${instanceId}`, encType: "application/json" })
      }
    >
      <Button danger loading={fetcher.state !== "idle"}>
        撤回流程
      </Button>
    </Popconfirm>
  );
}
