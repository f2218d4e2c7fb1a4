import { Alert } from "~/components/ui/Alert";
import type { ReactNode } from "react";
import { formatDateTime } from "~/shared/time";

/** A flow's incident as its pages show it: what failed and when, with what the reader may do about it. */
export function IncidentAlert({ incident, action }: { incident: { message: string; at: string }; action?: ReactNode }) {
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginTop: 16 }}
      message={`流程异常：${incident.message}`}
      description={`发生于 ${formatDateTime(incident.at)}`}
      action={action}
    />
  );
}
