import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { CompleteBody } from "~/server/api/contract.server";
import { runOperation } from "~/server/api/handler.server";
import { apiCompleteTask } from "~/server/api/operations.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof CompleteBody>>(args, "completeTask", ({ actor, params, body }) =>
    apiCompleteTask(actor, params.id!, body),
  );
