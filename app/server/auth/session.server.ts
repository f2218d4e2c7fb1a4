import { redirect, type AppLoadContext } from "@remix-run/node";
import { can, type Permission } from "~/shared/permissions";
import { db } from "../db.server";
import { UnauthenticatedError } from "../errors.server";
import type { Actor } from "./actor";
import { sessionActor, type CurrentSession } from "./current-user.server";
import { SESSION_COOKIE, blankSessionCookie } from "./sessions.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    ip: string | null;
  }
}

export function clientIp(context: AppLoadContext | undefined): string | null {
  return context?.ip ?? null;
}

export function currentSession(request: Request, context?: AppLoadContext): Promise<CurrentSession | null> {
  return sessionFromCookie(request.headers.get("Cookie"), clientIp(context));
}

/** The session a Cookie header names, if it is valid (also asked at the edge, before a body is read). */
export async function sessionFromCookie(cookieHeader: string | null | undefined, ip: string | null): Promise<CurrentSession | null> {
  const sessionId = sessionIdFrom(cookieHeader);
  return sessionId ? sessionActor(db(), sessionId, ip) : null;
}

/**
 * The session id in a Cookie header. Read here rather than by a cookie parser, which throws on any
 * cookie with a broken percent-encoding (even another application's on the same host). Ids are
 * lowercase hex (lucia's, of sessions opened before, lowercase base32): anything else (a NUL, a
 * megabyte) is no session, never a query.
 */
export function sessionIdFrom(cookieHeader: string | null | undefined): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(at + 1).trim();
    return /^[a-z0-9]{16,64}$/.test(value) ? value : null;
  }
  return null;
}

/** The signed-in actor, or a redirect to the login page that returns here afterwards. */
export async function requireActor(request: Request, context?: AppLoadContext): Promise<Actor> {
  const current = await currentSession(request, context);
  if (current) return current.actor;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`, {
    headers: { "Set-Cookie": blankSessionCookie() },
  });
}

/**
 * Why a request is not signed in, in words its user can act on: an API key that is not (or no
 * longer) valid, a session cookie whose session ended (30 idle minutes, 12 hours, signed out,
 * password changed), or no credentials at all.
 */
export function unauthenticatedMessage(authorization: string | null | undefined, cookieHeader: string | null | undefined): string {
  if (authorization) return "接口密钥无效或已停用";
  if (sessionIdFrom(cookieHeader) !== null) return "登录已过期，请重新登录";
  return "未登录，请先登录或提供接口密钥";
}

/**
 * The signed-in actor of a request a script makes (a page's fetch, an upload, an integration): a
 * 401 with a Chinese message rather than the login page, which a script would read as its answer.
 */
export async function requireSignedIn(request: Request, context?: AppLoadContext): Promise<Actor> {
  const current = await currentSession(request, context);
  if (!current) throw new UnauthenticatedError(unauthenticatedMessage(null, request.headers.get("Cookie")));
  return current.actor;
}

/** The signed-in actor if their roles grant `permission`; otherwise a 403 page. */
export async function requirePermission(request: Request, context: AppLoadContext | undefined, permission: Permission): Promise<Actor> {
  const actor = await requireActor(request, context);
  if (!can(actor.roles, permission)) {
    throw new Response("您没有权限访问此页面", { status: 403, statusText: "Forbidden" });
  }
  return actor;
}
