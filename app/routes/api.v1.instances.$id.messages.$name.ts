import type { ActionFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiSendMessage } from "~/server/api/workflow-api.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation(args, "sendMessage", ({ actor, params, body }) => apiSendMessage(actor, params.id!, params.name!, body));
