import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RiskMapPage } from "~/components/RiskMapPage";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader, refusableList, refusedStatus } from "~/server/http/remix.server";
import { queryOf } from "~/server/query.server";
import { filterOptions } from "~/server/statistics/filters.server";
import { riskMapView, type RiskMapPageData } from "~/server/statistics/map.server";

// A refused query is the page all the same (422): its refusals in the filters bar, no map.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:map");
  return handleLoader(async () => {
    const [{ data: view, refused }, options] = await Promise.all([
      refusableList(
        async () => riskMapView(actor, queryOf(request)),
        () => null,
      ),
      filterOptions(actor),
    ]);
    return json<RiskMapPageData>({ view, options, refused }, refusedStatus(refused));
  });
}

export default function Page() {
  return <RiskMapPage data={useLoaderData<typeof loader>()} />;
}
