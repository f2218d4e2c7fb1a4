import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiGetFormVersion } from "~/server/api/forms-api.server";
import { runOperation } from "~/server/api/handler.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation(args, "getFormVersion", ({ actor, params }) => apiGetFormVersion(actor, params.key!, params.version!));
