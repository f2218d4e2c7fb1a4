import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { List } from "~/components/ui/List";
import { Modal } from "~/components/LazyModal";
import { Space } from "~/components/ui/Space";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { useState } from "react";
import { formatDateTime } from "~/shared/time";
import { URGE_MESSAGE_MAX, URGE_MESSAGE_TOO_LONG, repeatedUrgeMessage, urgeStillHolds } from "~/shared/urge";
import { ServerForm } from "./ServerForm";
import { useFeedback } from "~/components/feedback";

// 催办: asked for in a dialog that names the party it reminds and takes an optional word for them,
// which they read in their notice and on the task and event pages (UrgeList). Once the viewer's
// organisation has urged the step, the button says when, so that nobody urges it again unawares;
// within the window the dialog says so at once, with when it may be urged again, and sends nothing.

/** An open step as the urging party sees it (StepWaitingOn, as the loader sends it). */
export interface UrgedStep {
  name: string;
  /** Who must act: the organisation, or the roles of a city-wide step. */
  party: string;
  /** When the viewer's organisation last urged it. */
  urgedAt: string | Date | null;
}

export function UrgeButton({
  step,
  action,
  fixed,
  size,
}: {
  step: UrgedStep;
  /** Where the urge is posted (the route's own action by default), with `fixed` values. */
  action?: string;
  fixed?: Record<string, unknown>;
  size?: "small" | "middle";
}) {
  const [open, setOpen] = useState(false);
  const [held, setHeld] = useState(false);
  return (
    <Space size="small" wrap>
      <Button
        size={size}
        onClick={() => {
          // Judged as the dialog opens: the urge sent from it must not turn it into the refusal.
          setHeld(!!step.urgedAt && urgeStillHolds(new Date(step.urgedAt), new Date()));
          setOpen(true);
        }}
      >
        催办
      </Button>
      {step.urgedAt ? (
        <Tag color="warning" data-testid="urged">
          已催办 {formatDateTime(step.urgedAt, "MM-DD HH:mm")}
        </Tag>
      ) : null}
      <Modal title="催办" open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        {held && step.urgedAt ? (
          <>
            <Alert type="warning" showIcon message={repeatedUrgeMessage(new Date(step.urgedAt))} role="alert" />
            <Space style={{ marginTop: 16 }}>
              <Button onClick={() => setOpen(false)}>关闭</Button>
            </Space>
          </>
        ) : (
          <UrgeForm step={step} action={action} fixed={fixed} onClose={() => setOpen(false)} />
        )}
      </Modal>
    </Space>
  );
}

function UrgeForm({
  step,
  action,
  fixed,
  onClose,
}: {
  step: UrgedStep;
  action?: string;
  fixed?: Record<string, unknown>;
  onClose: () => void;
}) {
  const { message } = useFeedback();
  return (
    <>
      <Typography.Paragraph>
        将通知{step.party}尽快办理“{step.name}”，确认催办吗？
      </Typography.Paragraph>
      <ServerForm
        intent="urge"
        action={action}
        fixed={fixed}
        submitLabel="确认催办"
        onCancel={onClose}
        onSuccess={(answer) => {
          onClose();
          message.success(answer.message ?? "已催办");
        }}
      >
        <Form.Item label="催办说明（可选）" name="message" rules={[{ max: URGE_MESSAGE_MAX, message: URGE_MESSAGE_TOO_LONG }]}>
          <Input.TextArea
            rows={3}
            showCount={{ formatter: ({ count }) => `${count} / ${URGE_MESSAGE_MAX}` }}
            placeholder="如：请于本周五前完成整改"
          />
        </Form.Item>
      </ServerForm>
    </>
  );
}

/** The urges of a task or an event, latest first: who, when, and what they said. */
export function UrgeList({ urges }: { urges: { at: string; by: string; message: string | null }[] }) {
  if (!urges.length) return null;
  return (
    <List
      size="small"
      data-testid="urges"
      header={<Typography.Text strong>催办记录</Typography.Text>}
      dataSource={urges}
      renderItem={(u) => (
        <List.Item>
          <Typography.Text type="warning">
            {formatDateTime(u.at)} {u.by} 催办{u.message ? `：${u.message}` : "（未留言）"}
          </Typography.Text>
        </List.Item>
      )}
    />
  );
}
