import type { LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiGetStatistics } from "~/server/api/statistics-api.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<Record<string, unknown>>(args, "getStatistics", ({ actor, params, query }) => apiGetStatistics(actor, params.area!, query));
