import { useFetcher } from "@remix-run/react";
import { App, Button } from "antd";
import { useEffect } from "react";

/** Where 催办 of a risk event is posted: the risk list's action (urgeRiskEvent), from any page. */
export const URGE_RISK_EVENT_ACTION = "/risk?index";

type Answer = { ok: boolean; message?: string };

/** The insurer's 催办 of one event; the answer (已催办, or why not) shows as a message. */
export function UrgeRiskEventButton({ eventId, size }: { eventId: string; size?: "small" | "middle" }) {
  const fetcher = useFetcher<Answer>();
  const { message } = App.useApp();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer) return;
    if (answer.ok) message.success(answer.message ?? "已催办");
    else message.error(answer.message ?? "催办失败");
  }, [answer, message]);
  return (
    <Button
      size={size}
      loading={fetcher.state !== "idle"}
      onClick={() =>
        fetcher.submit({ intent: "urge", eventId }, { method: "post", action: URGE_RISK_EVENT_ACTION, encType: "application/json" })
      }
    >
      催办
    </Button>
  );
}
