import type { LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiListTasks, type TaskQuery } from "~/server/api/workflow-api.server";
import { runOperation } from "~/server/api/handler.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof TaskQuery>>(args, "listTasks", ({ actor, query }) => apiListTasks(actor, query));
