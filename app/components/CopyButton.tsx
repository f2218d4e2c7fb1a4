import { TaskOperationButton } from "./TaskOperationButton";

// 抄送: the holder of an open task copies its flow to a party of it or the bureau, who is told and
// reads the flow from then on, without acting on it.

/** As the services word it (tasks/copy.server.ts COPY_NOTE_MAX). */
const NOTE_MAX = 500;

export function CopyButton({ title, targets, available }: { title: string; targets: { id: string; name: string }[]; available: boolean }) {
  return (
    <TaskOperationButton
      available={available}
      operation={{
        label: "抄送",
        intent: "copy",
        intro: `将“${title}”抄送给本流程的参与单位或住建局：对方将收到通知，可以查看本流程（流转记录和各步骤提交的内容），不能办理。`,
        confirm: "抄送后对方可以查看本流程的全部办理内容。确定抄送吗？",
        pick: {
          name: "organisationId",
          label: "抄送单位",
          required: "请选择抄送单位",
          placeholder: "选择单位",
          none: "没有可以抄送的单位",
        },
        options: targets.map((t) => ({ value: t.id, label: t.name })),
        note: { name: "note", label: "抄送说明", max: NOTE_MAX },
      }}
    />
  );
}
