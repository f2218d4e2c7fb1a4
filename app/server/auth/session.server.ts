import { redirect, type AppLoadContext } from "@remix-run/node";
import { can, type Permission } from "~/shared/permissions";
import { db } from "../db.server";
import type { Actor } from "./actor";
import { sessionActor, type CurrentSession } from "./current-user.server";
import { lucia } from "./lucia.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    ip: string | null;
  }
}

export function clientIp(context: AppLoadContext | undefined): string | null {
  return context?.ip ?? null;
}

export async function currentSession(request: Request, context?: AppLoadContext): Promise<CurrentSession | null> {
  const sessionId = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  // lucia's ids are lowercase base32; anything else (a NUL, a megabyte) is no session, not a query.
  if (!sessionId || !/^[a-z0-9]{16,64}$/.test(sessionId)) return null;
  return sessionActor(db(), sessionId, clientIp(context));
}

/** The signed-in actor, or a redirect to the login page that returns here afterwards. */
export async function requireActor(request: Request, context?: AppLoadContext): Promise<Actor> {
  const current = await currentSession(request, context);
  if (current) return current.actor;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`, {
    headers: { "Set-Cookie": lucia().createBlankSessionCookie().serialize() },
  });
}

/** The signed-in actor if their roles grant `permission`; otherwise a 403 page. */
export async function requirePermission(request: Request, context: AppLoadContext | undefined, permission: Permission): Promise<Actor> {
  const actor = await requireActor(request, context);
  if (!can(actor.roles, permission)) {
    throw new Response("您没有权限访问此页面", { status: 403, statusText: "Forbidden" });
  }
  return actor;
}

export function sessionCookie(sessionId: string): string {
  return lucia().createSessionCookie(sessionId).serialize();
}

export function blankSessionCookie(): string {
  return lucia().createBlankSessionCookie().serialize();
}
