import type { ActionFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiRecallTask } from "~/server/api/workflow-api.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation(args, "recallTask", ({ actor, params }) => apiRecallTask(actor, params.id!));
