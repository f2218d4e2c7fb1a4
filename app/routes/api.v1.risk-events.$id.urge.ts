import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { UrgeBody } from "~/server/api/contract.server";
import { runOperation } from "~/server/api/handler.server";
import { apiUrgeRiskEvent } from "~/server/api/operations.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof UrgeBody>>(args, "urgeRiskEvent", ({ actor, params, body }) =>
    apiUrgeRiskEvent(actor, params.id!, body),
  );
