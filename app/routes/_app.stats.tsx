import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import { Tabs } from "~/components/ui/Tabs";
import { DashboardView } from "~/components/DashboardView";
import { SectionPage } from "~/components/SectionPage";
import { StatisticsFilterBar } from "~/components/StatisticsFilterBar";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { statisticsPage } from "~/server/statistics/statistics-page.server";
import { STATISTICS_AREA_LABELS } from "~/shared/statistics";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:stats");
  return handleLoader(async () => {
    const page = await statisticsPage(actor, request);
    // Refused filters show under their fields, refused keys above them; the status says so.
    return json(page, { status: Object.keys(page.errors).length ? 422 : 200 });
  });
}

export default function Stats() {
  const { tab, areas, dashboard, errors, options } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const { search } = useLocation();
  const open = (key: string) => {
    const next = new URLSearchParams(params);
    next.set("tab", key);
    setParams(next);
  };
  const items = areas.map((area) => ({ key: area, label: STATISTICS_AREA_LABELS[area] }));
  return (
    <SectionPage title="查询统计">
      <Tabs activeKey={tab} onChange={open} items={items} />
      <StatisticsFilterBar key={search} filters={dashboard?.filters ?? null} options={options} errors={errors} />
      {dashboard ? (
        <DashboardView dashboard={dashboard} query={search} />
      ) : (
        <Alert type="warning" showIcon message="筛选条件有误，请按提示修改后重新统计" />
      )}
    </SectionPage>
  );
}
