import type { LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { apiGetProject } from "~/server/api/projects-api.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation(args, "getProject", ({ actor, params }) => apiGetProject(actor, params.id!));
