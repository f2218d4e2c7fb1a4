import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { assertCan } from "~/server/auth/guard.server";
import { requirePermission, requireSignedIn } from "~/server/auth/session.server";
import { checkUnitsImport, importUnits } from "~/server/claims/units-import.server";
import { XLSX_LIMITS } from "~/server/claims/xlsx-guard.server";
import { handleAction } from "~/server/http/remix.server";
import { readUploadedFile } from "~/server/http/upload.server";

// POST a project's 房屋清单 (multipart field "file", .xlsx) from its 房屋 tab: the counts, or every bad row.
export async function action({ request, context, params }: ActionFunctionArgs) {
  return handleAction(async () => {
    const actor = await requireSignedIn(request, context);
    assertCan(actor, "view:projects");
    await checkUnitsImport(actor, params.id!);
    const file = await readUploadedFile(request, XLSX_LIMITS.uploadBytes);
    return json({
      ok: true as const,
      ...(await importUnits(actor, params.id!, { name: file.name || "房屋清单.xlsx", bytes: file.bytes })),
    });
  });
}

// Opened as an address (a copied link): the project's 房屋 tab, where the list and the import are.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(request, context, "view:projects");
  return redirect(`/projects/${encodeURIComponent(params.id!)}?tab=units`);
}
