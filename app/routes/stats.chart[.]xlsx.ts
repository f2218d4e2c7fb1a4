import type { LoaderFunctionArgs } from "@remix-run/node";
import { requestActor } from "~/server/auth/caller.server";
import { queryOf } from "~/server/query.server";
import { downloadOrProblem } from "~/server/api/handler.server";
import { downloadResponse } from "~/server/http/download.server";
import { chartWorkbook, XLSX_TYPE } from "~/server/statistics/chart-workbook.server";

// A dashboard chart's numbers as Excel (/stats/chart.xlsx?area=&chart=&<the dashboard's filters>).
// An organisation's system may fetch it with its API key; a refusal is JSON as the exports'.
export async function loader({ request, context }: LoaderFunctionArgs) {
  return downloadOrProblem(async () => {
    const actor = await requestActor(request, context, "view:stats", { signIn: true });
    const { bytes, name } = await chartWorkbook(actor, queryOf(request));
    return downloadResponse(bytes, { name, asciiName: "chart.xlsx", type: XLSX_TYPE });
  });
}
