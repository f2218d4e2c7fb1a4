import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { runOperation } from "~/server/api/handler.server";
import { apiAnswerSign, type SignAnswerBody } from "~/server/api/workflow-api.server";

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof SignAnswerBody>>(args, "answerSign", ({ actor, params, body }) =>
    apiAnswerSign(actor, params.id!, params.signId!, body),
  );
