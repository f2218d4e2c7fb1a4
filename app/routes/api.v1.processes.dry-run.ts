import type { ActionFunctionArgs } from "@remix-run/node";
import { apiDryRun, type DryRunBody } from "~/server/api/dry-run-api.server";
import { runOperation } from "~/server/api/handler.server";
import type { z } from "zod";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof DryRunBody>>(args, "dryRunProcess", ({ body }) => apiDryRun(body));
