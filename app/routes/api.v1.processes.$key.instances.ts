import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiStartProcess, type StartBody } from "~/server/api/workflow-api.server";
import { runOperation } from "~/server/api/handler.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof StartBody>>(args, "startProcess", ({ actor, params, body }) =>
    apiStartProcess(actor, params.key!, body),
  );
