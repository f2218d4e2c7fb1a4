import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiSignIn, apiSignOut, me, type SignInBody } from "~/server/api/session-api.server";
import { runOperation } from "~/server/api/handler.server";

export const loader = (args: LoaderFunctionArgs) => runOperation(args, "me", async ({ actor }) => me(actor));

// POST signs in, DELETE signs out.
export const action = (args: ActionFunctionArgs) =>
  args.request.method === "DELETE"
    ? runOperation(args, "signOut", ({ actor, request }) => apiSignOut(request, actor.ip))
    : runOperation<unknown, z.infer<typeof SignInBody>>(args, "signIn", ({ actor, body }) => apiSignIn(body, actor.ip));
