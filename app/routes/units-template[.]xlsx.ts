import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/server/auth/session.server";
import { downloadResponse } from "~/server/http/download.server";
import { unitsTemplate, UNITS_TEMPLATE_NAME } from "~/server/claims/units-import.server";

// The 房屋清单 template (下载模板 on a project's 房屋 tab), saved under its Chinese name.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "view:projects");
  const bytes = await unitsTemplate();
  return downloadResponse(bytes, {
    name: UNITS_TEMPLATE_NAME,
    asciiName: "units-template.xlsx",
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
}
