import type { LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiGetTask } from "~/server/api/workflow-api.server";

export const loader = (args: LoaderFunctionArgs) => runOperation(args, "getTask", ({ actor, params }) => apiGetTask(actor, params.id!));
