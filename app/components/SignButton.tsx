import { useRef } from "react";
import { TaskOperationButton } from "./TaskOperationButton";

// 加签: the holder of an open task asks a colleague, a party of the flow or the bureau for an
// opinion, before submitting (前加签) or with the submission (后加签: it takes effect once they agree).

/** As the services word it (tasks/sign.server.ts SIGN_NOTE_MAX). */
const NOTE_MAX = 500;

export interface SignTarget {
  id: string;
  name: string;
}

/** 前加签: asks for an opinion; the task is submitted once it is answered. */
export function SignBeforeButton({ taskName, targets, available }: { taskName: string; targets: SignTarget[]; available: boolean }) {
  return (
    <TaskOperationButton
      available={available}
      operation={{
        label: "前加签",
        intent: "sign",
        fixed: { kind: "before" },
        intro: `请本单位同事、本流程的参与单位或住建局对“${taskName}”先提出意见：对方在待办中答复（同意或退回）之前，本任务不能提交。`,
        confirm: "加签后需等对方答复才能提交本任务。确定加签吗？",
        pick: { name: "to", label: "加签人", required: "请选择加签人", placeholder: "选择同事或单位", none: "没有可以加签的人" },
        options: targets.map((t) => ({ value: t.id, label: t.name })),
        note: { name: "note", label: "加签说明", max: NOTE_MAX },
      }}
    />
  );
}

/**
 * 后加签: the filled-in form is checked, then sent with the chosen signer; it takes effect (the
 * task is completed) once they agree, and comes back to the holder if they return it.
 */
export function SignAfterButton({
  targets,
  available,
  collect,
}: {
  targets: SignTarget[];
  available: boolean;
  /** The form's values and 办理意见 once they are right, or null (the form shows what is wrong). */
  collect: () => Promise<Record<string, unknown> | null>;
}) {
  const kept = useRef<Record<string, unknown>>({});
  return (
    <TaskOperationButton
      available={available}
      beforeOpen={async () => {
        const values = await collect();
        if (values) kept.current = values;
        return !!values;
      }}
      operation={{
        label: "后加签",
        button: "提交并加签…",
        intent: "sign",
        get fixed() {
          return { kind: "after", ...kept.current };
        },
        intro: "提交本表单并请对方确认：对方同意后提交才生效（流程进入下一步）；对方退回时，本任务回到您这里，可修改后重新提交。",
        confirm: "提交后需等对方同意才生效。确定提交并加签吗？",
        pick: { name: "to", label: "加签人", required: "请选择加签人", placeholder: "选择同事或单位", none: "没有可以加签的人" },
        options: targets.map((t) => ({ value: t.id, label: t.name })),
        note: { name: "note", label: "加签说明", max: NOTE_MAX },
      }}
    />
  );
}
