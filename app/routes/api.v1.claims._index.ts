import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { ClaimQuery, ReportClaimBody } from "~/server/api/contract.server";
import { runOperation } from "~/server/api/handler.server";
import { apiListClaims, apiReportClaim } from "~/server/api/operations.server";

export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof ClaimQuery>>(args, "listClaims", ({ actor, query }) => apiListClaims(actor, query));

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof ReportClaimBody>>(args, "reportClaim", ({ actor, body }) => apiReportClaim(actor, body));
