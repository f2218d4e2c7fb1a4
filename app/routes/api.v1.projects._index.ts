import type { LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { ProjectQuery } from "~/server/api/contract.server";
import { runOperation } from "~/server/api/handler.server";
import { apiListProjects } from "~/server/api/operations.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof ProjectQuery>>(args, "listProjects", ({ actor, query }) => apiListProjects(actor, query));
