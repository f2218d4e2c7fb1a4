import type { LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiListRiskEvents, type RiskEventQuery } from "~/server/api/risk-api.server";
import { runOperation } from "~/server/api/handler.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof RiskEventQuery>>(args, "listRiskEvents", ({ actor, query }) => apiListRiskEvents(actor, query));
