import Empty from "antd/es/empty";
import { Timeline } from "~/components/ui/Timeline";
import { Typography } from "~/components/ui/Typography";
import { formatDateTime } from "~/shared/time";

export interface HistoryItem {
  at: string;
  who: string;
  what: string;
  comment: string | null;
}

/** Who did what when in a flow, with their comments. */
export function HistoryTimeline({ history }: { history: HistoryItem[] }) {
  if (history.length === 0) return <Empty description="暂无流转记录" />;
  return (
    <Timeline
      items={history.map((h) => ({
        children: (
          <div>
            <Typography.Text strong>{h.what}</Typography.Text>
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
              {h.who} · {formatDateTime(h.at)}
            </Typography.Text>
            {h.comment ? <div style={{ color: "#555" }}>意见：{h.comment}</div> : null}
          </div>
        ),
      }))}
    />
  );
}
