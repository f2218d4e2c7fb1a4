import type { LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiListProjects, type ProjectQuery } from "~/server/api/projects-api.server";
import { runOperation } from "~/server/api/handler.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof ProjectQuery>>(args, "listProjects", ({ actor, query }) => apiListProjects(actor, query));
