import { Card } from "~/components/ui/Card";
import Empty from "antd/es/empty";
import { Typography } from "~/components/ui/Typography";
import type { ReactNode } from "react";

/** A top-level page of a navigation section: its title, then its content or an empty state. */
export function SectionPage({ title, empty, children }: { title: string; empty?: string; children?: ReactNode }) {
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      {children ?? <Empty description={empty} />}
    </Card>
  );
}
