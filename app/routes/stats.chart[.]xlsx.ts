import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { downloadResponse } from "~/server/http/download.server";
import { chartWorkbook, XLSX_TYPE } from "~/server/statistics/chart-workbook.server";

// A dashboard chart's numbers as Excel (/stats/chart.xlsx?area=&chart=&<the dashboard's filters>).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:stats");
  return handleLoader(async () => {
    const { bytes, name } = await chartWorkbook(actor, Object.fromEntries(new URL(request.url).searchParams));
    return downloadResponse(bytes, { name, asciiName: "chart.xlsx", type: XLSX_TYPE });
  });
}
