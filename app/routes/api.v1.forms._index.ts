import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiListForms, apiPublishForm, type PublishFormBody } from "~/server/api/forms-api.server";
import { runOperation } from "~/server/api/handler.server";

export const loader = (args: LoaderFunctionArgs) => runOperation(args, "listForms", ({ actor }) => apiListForms(actor));

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof PublishFormBody>>(args, "publishForm", ({ actor, body }) => apiPublishForm(actor, body));
