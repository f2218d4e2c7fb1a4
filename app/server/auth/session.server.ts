import { redirect, type AppLoadContext } from "@remix-run/node";
import { can, type Permission } from "~/shared/permissions";
import { ROLE_LABELS } from "~/shared/labels";
import type { Role } from "@db/schema";
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

// A page's loaders (the layout's and the route's) run for one request with one context: the
// session is read once for all of them. Only for reads: an action may end the session it was asked with.
const readOnce = new WeakMap<AppLoadContext, Promise<CurrentSession | null>>();

export function currentSession(request: Request, context?: AppLoadContext): Promise<CurrentSession | null> {
  const read = () => sessionFromCookie(request.headers.get("Cookie"), clientIp(context));
  if (!context || (request.method !== "GET" && request.method !== "HEAD")) return read();
  let session = readOnce.get(context);
  if (!session) readOnce.set(context, (session = read()));
  return session;
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

/**
 * The signed-in actor, or a redirect to the login page that returns here afterwards; when the
 * browser still held a session that has ended (idle, or past its hours), the page says so.
 */
export async function requireActor(request: Request, context?: AppLoadContext): Promise<Actor> {
  const current = await currentSession(request, context);
  if (current) return current.actor;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  const login = new URLSearchParams();
  if (back !== "/") login.set("redirectTo", back);
  if (sessionIdFrom(request.headers.get("Cookie"))) login.set("expired", "1");
  throw redirect(login.size ? `/login?${login}` : "/login", {
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
    // Says whom the page is for, since the administrator who opens it is the one who would be told to ask an administrator.
    throw new Response(forbiddenPageMessage(actor.roles, permission), { status: 403, statusText: "Forbidden" });
  }
  return actor;
}

/** Why a page is refused: whom it is for, and what the signed-in roles are. */
function forbiddenPageMessage(roles: readonly Role[], permission: Permission): string {
  const forRoles = (Object.keys(ROLE_LABELS) as Role[]).filter((role) => can([role], permission)).map((role) => ROLE_LABELS[role]);
  const own = roles.map((role) => ROLE_LABELS[role]).join("、");
  return `此页面供${forRoles.join("、")}使用，您的角色（${own}）不能访问。`;
}
