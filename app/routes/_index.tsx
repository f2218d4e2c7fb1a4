import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/server/auth/session.server";
import { homePathFor } from "~/shared/permissions";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return redirect(homePathFor(actor.roles));
}
