import { App, Button, Form, Input, Modal, Select, Typography } from "antd";
import { useState } from "react";
import { ServerForm } from "./ServerForm";

// 转办: the holder of an open task hands it to a colleague of the same organisation who holds one of
// its roles, chosen from a list (the server checks the choice again), with an optional word for
// them, after confirming. The server's refusal lands on the field it is about.

/** As the services word it (tasks/transfer.server.ts TRANSFER_REASON_MAX). */
const REASON_MAX = 500;

/**
 * `available`: whether the viewer may hand the task on now. The dialog stays mounted when they no
 * longer may (the 转办 just done): its answer, read after the page's data reloaded, is still shown.
 */
export function TransferButton({
  taskName,
  colleagues,
  available,
}: {
  taskName: string;
  colleagues: { id: string; name: string; username: string }[];
  available: boolean;
}) {
  const [open, setOpen] = useState(false);
  const { message } = App.useApp();
  return (
    <>
      {available ? <Button onClick={() => setOpen(true)}>转办</Button> : null}
      <Modal title="转办" open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Typography.Paragraph>将“{taskName}”交给本单位的同事办理。转办后您不能再提交该任务。</Typography.Paragraph>
        <ServerForm
          intent="transfer"
          submitLabel="确定转办"
          confirm={{ title: "确认转办", content: "转办后该任务由对方办理，对方将收到通知。确定转办吗？" }}
          onCancel={() => setOpen(false)}
          onSuccess={(answer) => {
            setOpen(false);
            message.success(answer.message ?? "已转办");
          }}
        >
          <Form.Item label="转办给" name="to" rules={[{ required: true, message: "请选择转办给谁" }]}>
            <Select
              aria-label="转办给"
              showSearch
              optionFilterProp="label"
              placeholder={colleagues.length ? "选择同事" : "本单位没有可以办理该任务的其他同事"}
              options={colleagues.map((c) => ({ value: c.id, label: `${c.name}（${c.username}）` }))}
            />
          </Form.Item>
          <Form.Item label="转办说明（可选）" name="reason" rules={[{ max: REASON_MAX, message: `转办说明不能超过${REASON_MAX}个字` }]}>
            <Input.TextArea aria-label="转办说明" rows={3} showCount={{ formatter: ({ count }) => `${count} / ${REASON_MAX}` }} />
          </Form.Item>
        </ServerForm>
      </Modal>
    </>
  );
}
