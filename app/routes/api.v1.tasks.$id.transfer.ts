import type { ActionFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiTransferTask, type TransferBody } from "~/server/api/workflow-api.server";
import type { z } from "zod";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof TransferBody>>(args, "transferTask", ({ actor, params, body }) =>
    apiTransferTask(actor, params.id!, body),
  );
