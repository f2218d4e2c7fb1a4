import type { LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiGetProjectRisk } from "~/server/api/risk-api.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation(args, "getProjectRisk", ({ actor, params }) => apiGetProjectRisk(actor, params.id!));
