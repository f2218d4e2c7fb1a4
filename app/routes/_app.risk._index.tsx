import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { ExportButton } from "~/components/ExportButton";
import { RiskEventList } from "~/components/RiskEventList";
import { requirePermission } from "~/server/auth/session.server";
import { PAGE_PERMISSIONS } from "~/shared/permissions";
import { ValidationError } from "~/server/errors.server";
import { handleAction, listPageLoader, readBody } from "~/server/http/remix.server";
import { queryOf } from "~/server/query.server";
import { emptyRiskEventList, riskEventList } from "~/server/risk/risk-views.server";
import { urgeRiskEvent } from "~/server/risk/urge-risk-event.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/risk"]);
  return listPageLoader(
    () => riskEventList(actor, queryOf(request)),
    () => emptyRiskEventList(actor),
  );
}

/** 催办 of one event (from this list, an event's page or a project's 风险 tab). */
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/risk"]);
  return handleAction(async () => {
    const { intent, eventId, message } = await readBody(request);
    if (intent !== "urge") throw new ValidationError({ intent: "未知操作" }, "未知操作");
    const sent = await urgeRiskEvent(actor, String(eventId ?? ""), { message });
    return json({ ok: true as const, message: `已催办（通知 ${sent} 人）` });
  });
}

export default function RiskEvents() {
  const data = useLoaderData<typeof loader>();
  return (
    <Card title="风险事件" extra={<ExportButton list="risk-events" />}>
      <RiskEventList data={data} />
    </Card>
  );
}
