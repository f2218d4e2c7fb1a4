import type { LoaderFunctionArgs } from "@remix-run/node";
import { requestActor } from "~/server/auth/caller.server";
import { queryOf } from "~/server/query.server";
import { exportList } from "~/server/exports/export-lists.server";
import { handleLoader } from "~/server/http/remix.server";

// 导出 of a list (projects, risk-events, claims, ratings) with the list's own query, as the page's
// export button fetches it (or an organisation's system, with its API key): a streamed .xlsx whose
// row count comes first in X-Export-Rows. HEAD answers the headers only: no workbook, no audit.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return handleLoader(async () => {
    const actor = await requestActor(request, context);
    return exportList(actor, params.list ?? "", queryOf(request), request.method === "HEAD");
  });
}
