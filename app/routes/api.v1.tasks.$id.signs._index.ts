import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { runOperation } from "~/server/api/handler.server";
import { apiSignTask, type SignBody } from "~/server/api/workflow-api.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof SignBody>>(args, "signTask", ({ actor, params, body }) => apiSignTask(actor, params.id!, body));
