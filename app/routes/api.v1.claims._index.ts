import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiListClaims, apiReportClaim, type ClaimQuery, type ReportClaimBody } from "~/server/api/claims-api.server";
import { runOperation } from "~/server/api/handler.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof ClaimQuery>>(args, "listClaims", ({ actor, query }) => apiListClaims(actor, query));

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof ReportClaimBody>>(args, "reportClaim", ({ actor, body }) => apiReportClaim(actor, body));
