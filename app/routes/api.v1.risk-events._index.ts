import type { LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { RiskEventQuery } from "~/server/api/contract.server";
import { runOperation } from "~/server/api/handler.server";
import { apiListRiskEvents } from "~/server/api/operations.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof RiskEventQuery>>(args, "listRiskEvents", ({ actor, query }) => apiListRiskEvents(actor, query));
