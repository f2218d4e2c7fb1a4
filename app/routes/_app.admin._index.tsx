import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/server/auth/session.server";
import { can } from "~/shared/permissions";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  if (can(actor.roles, "manage:organisations")) return redirect("/admin/organisations");
  if (can(actor.roles, "read:audit")) return redirect("/admin/audit");
  throw new Response("无权访问", { status: 403 });
}

// A component keeps this a page route: its 403 renders inside the platform's frame.
export default function AdminIndex() {
  return null;
}
