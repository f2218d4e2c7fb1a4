import type { LoaderFunctionArgs } from "@remix-run/node";
import { requestActor } from "~/server/auth/caller.server";
import { queryOf } from "~/server/query.server";
import { downloadOrProblem } from "~/server/api/handler.server";
import { downloadResponse } from "~/server/http/download.server";
import { XLSX_TYPE } from "~/server/statistics/chart-workbook.server";
import { riskMapWorkbook } from "~/server/statistics/map.server";

// The risk map's figures per district as Excel (/map.xlsx?<the map's filters>), as 查看数据 shows them.
// An organisation's system may fetch it with its API key; a refusal is JSON as the exports'.
export async function loader({ request, context }: LoaderFunctionArgs) {
  return downloadOrProblem(async () => {
    const actor = await requestActor(request, context, "view:map", { signIn: true });
    const { bytes, name } = await riskMapWorkbook(actor, queryOf(request));
    return downloadResponse(bytes, { name, asciiName: "risk-map.xlsx", type: XLSX_TYPE });
  });
}
