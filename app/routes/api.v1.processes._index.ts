import type { LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiListProcesses } from "~/server/api/workflow-api.server";

export const loader = (args: LoaderFunctionArgs) => runOperation(args, "listProcesses", ({ actor }) => apiListProcesses(actor));
