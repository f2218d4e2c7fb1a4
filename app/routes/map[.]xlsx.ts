import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";
import { downloadResponse } from "~/server/http/download.server";
import { XLSX_TYPE } from "~/server/statistics/chart-workbook.server";
import { riskMapWorkbook } from "~/server/statistics/map.server";

// The risk map's figures per district as Excel (/map.xlsx?<the map's filters>), as 查看数据 shows them.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:map");
  return handleLoader(async () => {
    const { bytes, name } = await riskMapWorkbook(actor, Object.fromEntries(new URL(request.url).searchParams));
    return downloadResponse(bytes, { name, asciiName: "risk-map.xlsx", type: XLSX_TYPE });
  });
}
