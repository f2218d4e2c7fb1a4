import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiListFormVersions } from "~/server/api/forms-api.server";
import { runOperation } from "~/server/api/handler.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation(args, "listFormVersions", ({ actor, params }) => apiListFormVersions(actor, params.key!));
