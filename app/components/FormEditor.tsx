import { deferred, Waiting } from "./deferred";
import type { FormEditorProps } from "./FormEditorView";

// The form editor (管理 → 表单), loaded as its page opens rather than with it: its checks, its
// preview and CodeMirror are most of the page's weight (decision 042; FormEditorView).

export type { FormEditorProps };

export const FormEditor = deferred<FormEditorProps>(
  () => import("./FormEditorView").then((v) => v.FormEditor),
  () => <Waiting text="表单编辑器加载中…" />,
);
