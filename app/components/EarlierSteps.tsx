import { Card } from "~/components/ui/Card";
import Collapse from "antd/es/collapse";
import { Space } from "~/components/ui/Space";
import { Typography } from "~/components/ui/Typography";
import { formatDateTime } from "~/shared/time";
import { FormilyForm } from "./FormilyForm";

export interface EarlierStep {
  taskId: string;
  name: string;
  by: string | null;
  at: string;
  comment: string | null;
  submission: Record<string, unknown> | null;
  schema: Record<string, unknown> | null;
}

/** The flow's steps done so far, collapsed: one click opens a step's form as it was submitted, read-only. */
export function EarlierSteps({ steps }: { steps: EarlierStep[] }) {
  if (!steps.length) return null;
  return (
    <Card title="已办环节" data-testid="earlier-steps">
      <Collapse
        items={steps.map((step) => ({
          key: step.taskId,
          label: (
            <Space wrap>
              <Typography.Text strong>{step.name}</Typography.Text>
              <Typography.Text type="secondary">
                {step.by ?? ""} 于 {formatDateTime(step.at)} 办理
              </Typography.Text>
              {step.comment ? <Typography.Text>意见：{step.comment}</Typography.Text> : null}
            </Space>
          ),
          children: step.schema ? (
            <FormilyForm schema={step.schema} initialValues={step.submission} readOnly />
          ) : (
            <Typography.Text type="secondary">该环节的表单已不存在</Typography.Text>
          ),
        }))}
      />
    </Card>
  );
}
