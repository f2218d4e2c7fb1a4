import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { runOperation } from "~/server/api/handler.server";
import { apiDeployProcess, type DeployProcessBody } from "~/server/api/process-admin-api.server";
import { apiListProcesses } from "~/server/api/workflow-api.server";

export const loader = (args: LoaderFunctionArgs) => runOperation(args, "listProcesses", ({ actor }) => apiListProcesses(actor));

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof DeployProcessBody>>(args, "deployProcess", ({ actor, body }) => apiDeployProcess(actor, body));
