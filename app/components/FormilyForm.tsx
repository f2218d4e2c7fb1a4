import type { Form } from "@formily/core";
import { deferred, Waiting } from "./deferred";
import type { FormilyFormProps } from "./FormilyFormView";

// The pages' Formily forms, loaded as the page opens rather than with it: Formily and antd's form
// controls (pickers, uploads, tables of rows) weigh more than the rest of a task's page together
// (decision 042). The server draws a placeholder; the browser asks for the form's scripts at once
// and draws the form when they are in (FormilyFormView).

export type { FormilyFormProps };

const view = () => import("./FormilyFormView");

/** The form; "表单加载中…" until its scripts are in. */
export const FormilyForm = deferred<FormilyFormProps>(
  () => view().then((v) => v.FormilyForm),
  () => <Waiting text="表单加载中…" />,
);

/** Validates the drawn form and sends its values (FormilyFormView's submitForm): the form is drawn, so its scripts are in. */
export async function submitForm(
  form: Form,
  send: (values: Record<string, unknown>) => void | Promise<unknown>,
  besides = 0,
): Promise<number> {
  return (await view()).submitForm(form, send, besides);
}
