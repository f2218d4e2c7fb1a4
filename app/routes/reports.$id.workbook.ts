import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/server/auth/session.server";
import { downloadHeaders, downloadResponse } from "~/server/http/download.server";
import { handleLoader } from "~/server/http/remix.server";
import { reportWorkbook, reportWorkbookName } from "~/server/reports/report-workbook.server";
import { XLSX_TYPE } from "~/server/statistics/chart-workbook.server";

// A statistical report's workbook (a sheet per area), from its stored figures; each download is
// audited. HEAD answers the headers only: the workbook is neither built nor audited.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "read:reports");
  return handleLoader(async () => {
    if (request.method === "HEAD") {
      const { name } = await reportWorkbookName(actor, params.id!);
      return new Response(null, { headers: downloadHeaders({ name, asciiName: "report.xlsx", type: XLSX_TYPE }) });
    }
    const { bytes, name } = await reportWorkbook(actor, params.id!);
    return downloadResponse(bytes, { name, asciiName: "report.xlsx", type: XLSX_TYPE });
  });
}
