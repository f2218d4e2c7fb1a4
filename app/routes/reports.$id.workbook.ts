import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadOrProblem } from "~/server/api/handler.server";
import { requestActor } from "~/server/auth/caller.server";
import { downloadHeaders, downloadResponse } from "~/server/http/download.server";
import { reportWorkbook, reportWorkbookName } from "~/server/reports/report-workbook.server";
import { XLSX_TYPE } from "~/server/statistics/chart-workbook.server";

// A statistical report's workbook (a sheet per area), from its stored figures; each download is
// audited. HEAD answers the headers only: the workbook is neither built nor audited. An
// organisation's system may fetch it with an API key (a bad key: 401 JSON); a browser without a
// session is sent to sign in.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return downloadOrProblem(async () => {
    const actor = await requestActor(request, context, "read:reports", { signIn: true });
    if (request.method === "HEAD") {
      const { name } = await reportWorkbookName(actor, params.id!);
      return new Response(null, { headers: downloadHeaders({ name, asciiName: "report.xlsx", type: XLSX_TYPE }) });
    }
    const { bytes, name } = await reportWorkbook(actor, params.id!);
    return downloadResponse(bytes, { name, asciiName: "report.xlsx", type: XLSX_TYPE });
  });
}
