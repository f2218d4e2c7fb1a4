import type { LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiProcessHeatmap } from "~/server/api/operate-api.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<Record<string, unknown>>(args, "getProcessHeatmap", ({ actor, params, query }) =>
    apiProcessHeatmap(actor, params.key!, query),
  );
