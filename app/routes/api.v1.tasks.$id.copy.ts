import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { runOperation } from "~/server/api/handler.server";
import { apiCopyTask, type CopyBody } from "~/server/api/workflow-api.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof CopyBody>>(args, "copyTask", ({ actor, params, body }) => apiCopyTask(actor, params.id!, body));
