import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/server/auth/session.server";
import { unitsTemplate, UNITS_TEMPLATE_NAME } from "~/server/claims/units-import.server";

// The 房屋清单 template (下载模板 on a project's 房屋 tab), saved under its Chinese name.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "view:projects");
  const bytes = await unitsTemplate();
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `attachment; filename="units-template.xlsx"; filename*=UTF-8''${encodeURIComponent(UNITS_TEMPLATE_NAME)}`,
      "Cache-Control": "private, max-age=0",
    },
  });
}
