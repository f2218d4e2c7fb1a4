import type { LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiGetInstance } from "~/server/api/workflow-api.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation(args, "getInstance", ({ actor, params }) => apiGetInstance(actor, params.id!));
