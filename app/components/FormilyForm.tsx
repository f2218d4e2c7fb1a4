import type { Form } from "@formily/core";
import { useEffect, useState } from "react";
import type * as FormilyFormView from "./FormilyFormView";
import type { FormilyFormProps } from "./FormilyFormView";

// The pages' Formily forms, loaded as the page opens rather than with it: Formily and antd's form
// controls (pickers, uploads, tables of rows) weigh more than the rest of a task's page together
// (decision 042). The server draws a placeholder; the browser asks for the form's scripts at once
// and draws the form when they are in (FormilyFormView).

export type { FormilyFormProps };

type View = typeof FormilyFormView;
let loaded: View | null = null;
let loading: Promise<View> | null = null;
const load = () =>
  (loading ??= import("./FormilyFormView").then((view) => {
    loaded = view;
    return view;
  }));

/** The form; "表单加载中…" until its scripts are in. */
export function FormilyForm(props: FormilyFormProps) {
  const [view, setView] = useState<View | null>(() => loaded);
  useEffect(() => {
    if (view) return;
    let gone = false;
    void load().then((v) => !gone && setView(v));
    return () => {
      gone = true;
    };
  }, [view]);
  if (view) return <view.FormilyForm {...props} />;
  return (
    <div aria-busy="true" data-testid="form-loading" style={{ padding: "24px 0", textAlign: "center", color: "rgba(0, 0, 0, 0.45)" }}>
      表单加载中…
    </div>
  );
}

/** Validates the drawn form and sends its values (FormilyFormView's submitForm): the form is drawn, so its scripts are in. */
export async function submitForm(form: Form, send: (values: Record<string, unknown>) => void | Promise<unknown>, besides = 0): Promise<number> {
  return (await load()).submitForm(form, send, besides);
}
