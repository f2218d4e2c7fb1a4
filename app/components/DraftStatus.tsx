import type { Form } from "@formily/core";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import Popconfirm from "antd/es/popconfirm";
import { Typography } from "~/components/ui/Typography";
import { useEffect, useState } from "react";
import { formatDateTime } from "~/shared/time";
import type { DraftControl, DraftSaveState } from "./useDraft";

function stateText(state: DraftSaveState): string {
  switch (state.kind) {
    case "saving":
      return "正在保存草稿…";
    case "saved":
      return `草稿已自动保存 ${formatDateTime(state.at, "HH:mm:ss")}`;
    case "failed":
      return state.message;
    default:
      return "";
  }
}

/** 放弃草稿, asked once more: the form goes back to what was stored before the draft. */
function DiscardButton({ draft, type }: { draft: DraftControl; type: "link" | "default" }) {
  const [busy, setBusy] = useState(false);
  return (
    <Popconfirm
      title="放弃草稿后，表单将恢复为草稿之前的内容，确定放弃吗？"
      okText="确定"
      cancelText="取消"
      onConfirm={async () => {
        setBusy(true);
        await draft.discard();
        setBusy(false);
      }}
    >
      <Button size="small" type={type} loading={busy}>
        放弃草稿
      </Button>
    </Popconfirm>
  );
}

/**
 * Saves the form's values as a draft while the user types, and says quietly how that went; once a
 * draft exists it can be dropped from here (unless the restored-draft notice offers it already).
 */
export function DraftStatus({ form, draft }: { form: Form; draft: DraftControl }) {
  const { watch } = draft;
  useEffect(() => watch(form), [form, watch]);
  const text = stateText(draft.state);
  return (
    <span role="status" aria-live="polite" data-testid="draft-status">
      {text ? <Typography.Text type={draft.state.kind === "failed" ? "danger" : "secondary"}>{text}</Typography.Text> : null}
      {draft.exists && !draft.restored ? <DiscardButton draft={draft} type="link" /> : null}
    </span>
  );
}

/** The page opened with the user's draft rather than the stored values: say so, and offer to drop it. */
export function DraftRestoredNotice({ draft }: { draft: DraftControl }) {
  if (!draft.restored) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="draft-restored"
      message={`已恢复您于 ${formatDateTime(draft.restored.savedAt, "YYYY-MM-DD HH:mm:ss")} 保存的草稿`}
      action={<DiscardButton draft={draft} type="default" />}
    />
  );
}
