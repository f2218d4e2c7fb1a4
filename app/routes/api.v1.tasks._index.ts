import type { LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { TaskQuery } from "~/server/api/contract.server";
import { runOperation } from "~/server/api/handler.server";
import { apiListTasks } from "~/server/api/operations.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof TaskQuery>>(args, "listTasks", ({ actor, query }) => apiListTasks(actor, query));
