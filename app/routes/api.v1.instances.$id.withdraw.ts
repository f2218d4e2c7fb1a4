import type { ActionFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiWithdrawInstance } from "~/server/api/workflow-api.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation(args, "withdrawInstance", ({ actor, params }) => apiWithdrawInstance(actor, params.id!));
