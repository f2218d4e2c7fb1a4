import type { ActionFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiClaimTask } from "~/server/api/workflow-api.server";

export const action = (args: ActionFunctionArgs) => runOperation(args, "claimTask", ({ actor, params }) => apiClaimTask(actor, params.id!));
