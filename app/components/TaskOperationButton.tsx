import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { Modal } from "~/components/LazyModal";
import Select from "antd/es/select";
import { Typography } from "~/components/ui/Typography";
import { useState } from "react";
import { ServerForm } from "./ServerForm";
import { useFeedback } from "~/components/feedback";

// A task operation that picks one party from a list (转办 a colleague, 抄送 an organisation), with an
// optional word for them, and asks before it is sent. The server checks the choice again; its
// refusal lands on the field it is about.

export interface TaskOperation {
  /** The button and dialog title: 转办, 抄送. */
  label: string;
  intent: string;
  intro: string;
  confirm: string;
  /** The chosen party's field: its name in the request, its label, and what to say when none is chosen. */
  pick: { name: string; label: string; required: string; placeholder: string; none: string };
  options: { value: string; label: string }[];
  /** The optional word's field, with its limit (as the service words it). */
  note: { name: string; label: string; max: number };
  /** Sent with the choice (加签: which kind). */
  fixed?: Record<string, unknown>;
  /** The button's own label when it differs from the dialog's (提交并加签…). */
  button?: string;
}

/**
 * `available`: whether the viewer may do it now. The dialog stays mounted when they no longer may
 * (the operation just done): its answer, read after the page's data reloaded, is still shown.
 */
export function TaskOperationButton({
  operation: op,
  available,
  beforeOpen,
}: {
  operation: TaskOperation;
  available: boolean;
  /** Checked before the dialog opens (后加签: the form is filled in right); false keeps it closed. */
  beforeOpen?: () => Promise<boolean>;
}) {
  const [open, setOpen] = useState(false);
  const { message } = useFeedback();
  return (
    <>
      {available ? <Button onClick={async () => setOpen(beforeOpen ? await beforeOpen() : true)}>{op.button ?? op.label}</Button> : null}
      <Modal title={op.label} open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Typography.Paragraph>{op.intro}</Typography.Paragraph>
        <ServerForm
          intent={op.intent}
          fixed={op.fixed}
          submitLabel={`确定${op.label}`}
          confirm={{ title: `确认${op.label}`, content: op.confirm }}
          onCancel={() => setOpen(false)}
          onSuccess={(answer) => {
            setOpen(false);
            message.success(answer.message ?? `已${op.label}`);
          }}
        >
          <Form.Item label={op.pick.label} name={op.pick.name} rules={[{ required: true, message: op.pick.required }]}>
            <Select
              aria-label={op.pick.label}
              showSearch
              optionFilterProp="label"
              placeholder={op.options.length ? op.pick.placeholder : op.pick.none}
              options={op.options}
            />
          </Form.Item>
          <Form.Item
            label={`${op.note.label}（可选）`}
            name={op.note.name}
            rules={[{ max: op.note.max, message: `${op.note.label}不能超过${op.note.max}个字` }]}
          >
            <Input.TextArea aria-label={op.note.label} rows={3} showCount={{ formatter: ({ count }) => `${count} / ${op.note.max}` }} />
          </Form.Item>
        </ServerForm>
      </Modal>
    </>
  );
}
