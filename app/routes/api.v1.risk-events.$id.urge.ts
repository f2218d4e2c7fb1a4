import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiUrgeRiskEvent, type UrgeBody } from "~/server/api/risk-api.server";
import { runOperation } from "~/server/api/handler.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof UrgeBody>>(args, "urgeRiskEvent", ({ actor, params, body }) =>
    apiUrgeRiskEvent(actor, params.id!, body),
  );
