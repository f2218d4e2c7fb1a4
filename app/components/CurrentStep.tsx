import { Link } from "@remix-run/react";

// The 办理进度 lines a business object's page shows (a risk event, a claim): its open step and the
// party that must act on it, the step linked to the task page when the viewer may do it or read
// it, and its flow's record when the viewer may open it.

export function currentStepItem(
  openTask: { id: string; name: string; party: string } | null,
  access: { canActOnTask: boolean; taskVisible: boolean },
  idle: string,
) {
  const link = (text: string) => <Link to={`/tasks/${openTask!.id}`}>{text}</Link>;
  const step = !openTask
    ? null
    : access.canActOnTask
      ? link(`${openTask.name}（去办理）`)
      : access.taskVisible
        ? link(`${openTask.name}（查看）`)
        : openTask.name;
  return {
    key: "step",
    label: "当前步骤",
    children: openTask ? (
      <span data-testid="current-step">
        {step}
        <span>，待{openTask.party}办理</span>
      </span>
    ) : (
      idle
    ),
  };
}

export function flowItems(instanceId: string | null) {
  return instanceId ? [{ key: "flow", label: "流程", children: <Link to={`/instances/${instanceId}`}>查看流程记录</Link> }] : [];
}
