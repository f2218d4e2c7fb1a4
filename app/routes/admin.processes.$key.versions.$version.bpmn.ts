import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadOrProblem } from "~/server/api/handler.server";
import { requestActor } from "~/server/auth/caller.server";
import { downloadResponse } from "~/server/http/download.server";
import { processVersionFile } from "~/server/process-admin/process-versions.server";

// A deployed version's diagram as a .bpmn file (/admin/processes/claim/versions/3/bpmn).
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return downloadOrProblem(async () => {
    const actor = await requestActor(request, context, "manage:processes", { signIn: true });
    const version = /^\d{1,9}$/.test(params.version ?? "") ? Number(params.version) : NaN;
    const { name, xml } = await processVersionFile(actor, params.key!, version);
    return downloadResponse(new TextEncoder().encode(xml), { name, type: "application/xml; charset=utf-8" });
  });
}
