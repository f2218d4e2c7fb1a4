import type { LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiGetClaim } from "~/server/api/claims-api.server";

export const loader = (args: LoaderFunctionArgs) => runOperation(args, "getClaim", ({ actor, params }) => apiGetClaim(actor, params.id!));
