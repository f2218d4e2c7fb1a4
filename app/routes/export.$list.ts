import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadOrProblem } from "~/server/api/handler.server";
import { requestActor } from "~/server/auth/caller.server";
import { queryOf } from "~/server/query.server";
import { exportList } from "~/server/exports/export-lists.server";

// 导出 of a list (projects, risk-events, claims, ratings) with the list's own query, as the page's
// export button fetches it (or an organisation's system, with its API key): a streamed .xlsx whose
// row count comes first in X-Export-Rows. HEAD answers the headers only: no workbook, no audit.
// A refusal is JSON as the API's (`{ error, message, fields }`: 422 naming each refused key, 401,
// 403, 404, 409), which the export button shows in words.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return downloadOrProblem(async () => {
    const actor = await requestActor(request, context);
    return exportList(actor, params.list ?? "", queryOf(request), request.method === "HEAD");
  });
}
