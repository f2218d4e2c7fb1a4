import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { currentSession } from "~/server/auth/session.server";
import { blankSessionCookie } from "~/server/auth/sessions.server";
import { signOut } from "~/server/auth/sign-in.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const current = await currentSession(request, context);
  if (current) await signOut(current.sessionId, current.actor);
  return redirect("/login", { headers: { "Set-Cookie": blankSessionCookie() } });
}

export async function loader() {
  return redirect("/");
}
