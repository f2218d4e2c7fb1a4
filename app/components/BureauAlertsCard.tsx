import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { Card } from "~/components/ui/Card";
import Empty from "antd/es/empty";
import { List } from "~/components/ui/List";
import { Space } from "~/components/ui/Space";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import type { BureauAlerts } from "~/server/statistics/alerts.server";
import { formatDateTime } from "~/shared/time";
import { UrgeButton } from "./UrgeButton";

/**
 * 预警 on the regulator's home: what needs the bureau now, kind by kind, each line opening its
 * object; where a flow's step waits, 催办 reminds whoever must act (the task page's urge).
 */
export function BureauAlertsCard({ alerts }: { alerts: SerializeFrom<BureauAlerts> }) {
  const shown = alerts.groups.filter((g) => g.total > 0);
  return (
    <Card
      title="预警"
      data-testid="bureau-alerts"
      style={{ marginBottom: 16 }}
      extra={<Typography.Text type="secondary">数据截至 {formatDateTime(alerts.asOf)}</Typography.Text>}
    >
      <Typography.Paragraph type="secondary">{alerts.rule}</Typography.Paragraph>
      {shown.length === 0 ? <Empty description="当前没有需要关注的事项" /> : null}
      {shown.map((group) => (
        <List
          key={group.kind}
          size="small"
          data-testid={`alerts-${group.kind}`}
          header={
            <Space>
              <Typography.Text strong>{group.title}</Typography.Text>
              <Tag color="error">{group.total}</Tag>
              {group.more && group.total > group.lines.length ? <Link to={group.more}>查看全部</Link> : null}
            </Space>
          }
          dataSource={group.lines}
          renderItem={(line) => (
            <List.Item
              actions={line.step ? [<UrgeButton key="urge" size="small" step={line.step} action={`/tasks/${line.step.id}`} />] : []}
            >
              <Link to={line.link}>{line.text}</Link>
            </List.Item>
          )}
        />
      ))}
    </Card>
  );
}
