import { useFetcher } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import Form from "antd/es/form";
import { Space } from "~/components/ui/Space";
import type { FormInstance } from "antd";
import { useEffect, useRef, type ReactNode } from "react";
import { useFeedback } from "~/components/feedback";

interface ActionResult {
  ok: boolean;
  message?: string;
  fields?: Record<string, string>;
}

/**
 * An antd form that posts its values as JSON to the route's action (or `action`) through its own fetcher.
 * The server's field errors land on the fields (the typed input stays); other errors show above.
 */
export function ServerForm({
  intent,
  fixed,
  initialValues,
  submitLabel,
  successMessage,
  children,
  form: external,
  layout = "vertical",
  danger,
  onSubmit,
  onSuccess,
  action,
  onFailure,
  onCancel,
  confirm,
}: {
  intent: string;
  /** Where the form posts, when not the route's own action. */
  action?: string;
  /** Values sent with every submission besides the fields (e.g. the status a button sets). */
  fixed?: Record<string, unknown>;
  initialValues?: Record<string, unknown>;
  submitLabel: string;
  successMessage?: string;
  children?: ReactNode;
  form?: FormInstance;
  layout?: "vertical" | "horizontal" | "inline";
  danger?: boolean;
  /** Called as the form is sent (e.g. to clear what an earlier answer showed). */
  onSubmit?: () => void;
  /** Called with the action's answer once it succeeded (e.g. to show what it returned). */
  onSuccess?: (result: ActionResult & Record<string, unknown>) => void;
  /** Called with the action's answer when it was refused (e.g. to keep what a field's error says of its state). */
  onFailure?: (result: ActionResult) => void;
  /** Offers 取消 beside the submit button (in a dialog: closes it, nothing sent). */
  onCancel?: () => void;
  /** Asks first, once the fields are right (重置密码, 停用): sent only when the user confirms. */
  confirm?: { title: string; content: string };
}) {
  const [own] = Form.useForm();
  const form = external ?? own;
  const fetcher = useFetcher<ActionResult>();
  const { message, modal } = useFeedback();
  const seen = useRef<ActionResult | undefined>(undefined);
  const said = useRef<ActionResult | undefined>(undefined);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  // The answer, as soon as it is in (the page's data may still be reloading after it).
  const answer = fetcher.state === "submitting" ? undefined : fetcher.data;

  // Said as the answer arrives, not once the page's data reloaded: what the reload draws may no
  // longer hold this form (a rated claim's 代业主评价 becomes its stars), and it would go unsaid.
  useEffect(() => {
    if (!answer?.ok || !successMessage || said.current === answer) return;
    said.current = answer;
    message.success(successMessage);
  }, [answer, message, successMessage]);

  // A refusal is shown in the form once the page's data reloaded; should that reload no longer
  // draw the form (another agent rated the claim meanwhile), it is said as a message instead.
  const unshown = useRef<ActionResult | undefined>(undefined);
  useEffect(() => {
    if (answer && !answer.ok && seen.current !== answer) unshown.current = answer;
  }, [answer]);
  useEffect(
    () => () => {
      const refused = unshown.current;
      if (refused) message.error(refused.fields?.form ?? refused.message ?? Object.values(refused.fields ?? {})[0] ?? "提交未成功");
    },
    [message],
  );

  useEffect(() => {
    if (!result || seen.current === result) return;
    seen.current = result;
    if (result.ok) {
      onSuccess?.(result as ActionResult & Record<string, unknown>);
      return;
    }
    unshown.current = undefined;
    const fieldErrors = Object.entries(result.fields ?? {}).filter(([name]) => name !== "form");
    form.setFields(fieldErrors.map(([name, error]) => ({ name: name.split("."), errors: [error] })));
    onFailure?.(result);
  }, [result, form, onSuccess, onFailure]);

  const formError = result && !result.ok ? (result.fields?.form ?? (result.fields ? undefined : result.message)) : undefined;
  return (
    <>
      {formError ? <Alert type="error" showIcon message={formError} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form
        form={form}
        layout={layout}
        initialValues={initialValues}
        scrollToFirstError
        onFinish={(values) => {
          const send = () => {
            onSubmit?.();
            fetcher.submit({ ...values, ...fixed, intent }, { method: "post", encType: "application/json", action });
          };
          if (!confirm) return send();
          modal.confirm({
            ...confirm,
            okText: submitLabel,
            cancelText: "取消",
            okButtonProps: { danger },
            onOk: send,
          });
        }}
      >
        {children}
        <Form.Item>
          <Space>
            <Button type="primary" danger={danger} htmlType="submit" loading={fetcher.state !== "idle"}>
              {submitLabel}
            </Button>
            {onCancel ? <Button onClick={onCancel}>取消</Button> : null}
          </Space>
        </Form.Item>
      </Form>
    </>
  );
}
