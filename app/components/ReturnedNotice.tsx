import { Alert } from "~/components/ui/Alert";
import { Card } from "~/components/ui/Card";
import { formatDateTime } from "~/shared/time";
import { FormilyForm } from "./FormilyForm";

interface Returned {
  name: string;
  by: string | null;
  at: string | null;
  comment: string | null;
  submission: Record<string, unknown> | null;
  schema: Record<string, unknown> | null;
}

/** A step that came back for correction: who sent it back from which step, and what they decided there. */
export function ReturnedNotice({ returned }: { returned: Returned }) {
  return (
    <Card title="退回意见" data-testid="returned">
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        message={`${returned.by ?? ""} 于 ${formatDateTime(returned.at)} 在“${returned.name}”退回本步骤，请修改后重新提交`}
        description={returned.comment ? `办理意见：${returned.comment}` : undefined}
      />
      {returned.schema && returned.submission ? (
        <FormilyForm schema={returned.schema} initialValues={returned.submission} readOnly />
      ) : null}
    </Card>
  );
}
