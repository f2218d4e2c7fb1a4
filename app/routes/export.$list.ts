import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireSignedIn } from "~/server/auth/session.server";
import { exportList } from "~/server/exports/export-lists.server";
import { handleLoader } from "~/server/http/remix.server";

// 导出 of a list (projects, risk-events, claims, ratings) with the list's own query, as the page's
// export button fetches it: a streamed .xlsx whose row count comes first in X-Export-Rows.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return handleLoader(async () => {
    const actor = await requireSignedIn(request, context);
    return exportList(actor, params.list ?? "", Object.fromEntries(new URL(request.url).searchParams));
  });
}
