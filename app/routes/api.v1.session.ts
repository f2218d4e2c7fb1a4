import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiSignIn, me, type SignInBody } from "~/server/api/session-api.server";
import { runOperation } from "~/server/api/handler.server";

export const loader = (args: LoaderFunctionArgs) => runOperation(args, "me", async ({ actor }) => me(actor));

export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, z.infer<typeof SignInBody>>(args, "signIn", ({ actor, body }) => apiSignIn(body, actor.ip));
