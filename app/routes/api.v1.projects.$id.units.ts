import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiImportUnits, apiListUnits, type UnitQuery } from "~/server/api/claims-api.server";
import { runOperation } from "~/server/api/handler.server";
import type { UploadedFile } from "~/server/http/upload.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof UnitQuery>>(args, "listUnits", ({ actor, params, query }) => apiListUnits(actor, params.id!, query));

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, () => Promise<UploadedFile>>(args, "importUnits", ({ actor, params, body }) =>
    apiImportUnits(actor, params.id!, body),
  );
