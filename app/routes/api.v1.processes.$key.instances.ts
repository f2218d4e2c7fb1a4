import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { StartBody } from "~/server/api/contract.server";
import { runOperation } from "~/server/api/handler.server";
import { apiStartProcess } from "~/server/api/operations.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof StartBody>>(args, "startProcess", ({ actor, params, body }) =>
    apiStartProcess(actor, params.key!, body),
  );
