import { json, type LoaderFunctionArgs } from "@remix-run/node";
import type { Permission } from "~/shared/permissions";
import { requirePermission } from "../auth/session.server";

/** Loader of a navigation section that, so far, only needs its permission checked. */
export async function sectionLoader({ request, context }: LoaderFunctionArgs, permission: Permission) {
  await requirePermission(request, context, permission);
  return json({});
}
