import type { LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiGetRiskEvent } from "~/server/api/risk-api.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation(args, "getRiskEvent", ({ actor, params }) => apiGetRiskEvent(actor, params.id!));
