import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RiskMapPage } from "~/components/RiskMapPage";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { queryOf } from "~/server/query.server";
import { riskMapView } from "~/server/statistics/map.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:map");
  return handleLoader(async () => json(await riskMapView(actor, queryOf(request))));
}

export default function Page() {
  return <RiskMapPage data={useLoaderData<typeof loader>()} />;
}
