import { TaskOperationButton } from "./TaskOperationButton";

// 转办: the holder of an open task hands it to a colleague of the same organisation who holds one of
// its roles, chosen from a list, with an optional word for them, after confirming.

/** As the services word it (tasks/transfer.server.ts TRANSFER_REASON_MAX). */
const REASON_MAX = 500;

export function TransferButton({
  taskName,
  colleagues,
  available,
}: {
  taskName: string;
  colleagues: { id: string; name: string; username: string }[];
  available: boolean;
}) {
  return (
    <TaskOperationButton
      // Nobody to hand it to (the only one of the organisation with its roles): no button to try.
      available={available && colleagues.length > 0}
      operation={{
        label: "转办",
        intent: "transfer",
        intro: `将“${taskName}”交给本单位的同事办理。转办后您不能再提交该任务。`,
        confirm: "转办后该任务由对方办理，对方将收到通知。确定转办吗？",
        pick: {
          name: "to",
          label: "转办给",
          required: "请选择转办给谁",
          placeholder: "选择同事",
          none: "本单位没有可以办理该任务的其他同事",
        },
        options: colleagues.map((c) => ({ value: c.id, label: `${c.name}（${c.username}）` })),
        note: { name: "reason", label: "转办说明", max: REASON_MAX },
      }}
    />
  );
}
