import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiCompleteTask, type CompleteBody } from "~/server/api/workflow-api.server";
import { runOperation } from "~/server/api/handler.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof CompleteBody>>(args, "completeTask", ({ actor, params, body }) =>
    apiCompleteTask(actor, params.id!, body),
  );
