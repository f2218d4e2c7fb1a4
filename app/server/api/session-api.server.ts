import { z } from "zod";
import { ROLES } from "@db/schema/roles";
import type { Actor } from "../auth/actor";
import { sessionFromCookie } from "../auth/session.server";
import { blankSessionCookie, sessionCookie } from "../auth/sessions.server";
import { signIn, signOut } from "../auth/sign-in.server";
import { UnauthenticatedError } from "../errors.server";
import { id, Ok, type Operation } from "./contract-common.server";

// Signing in over the API (the session cookie), and who the caller is.

export const SignInBody = z.object({ username: z.string().min(1), password: z.string().min(1) }).meta({ id: "SignIn" });

export const Me = z
  .object({
    username: z.string(),
    displayName: z.string(),
    organisationId: id.nullable(),
    organisationName: z.string().nullable(),
    roles: z.array(z.enum(ROLES)),
  })
  .meta({ id: "Me" });

export const SESSION_OPERATIONS: Operation[] = [
  {
    id: "signIn",
    method: "post",
    path: "/api/v1/session",
    summary: "登录（设置会话 Cookie）",
    public: true,
    body: SignInBody,
    response: Me,
    errors: [401, 422, 429],
  },
  { id: "me", method: "get", path: "/api/v1/session", summary: "当前用户", response: Me, errors: [401] },
  {
    id: "signOut",
    method: "delete",
    path: "/api/v1/session",
    summary: "退出登录（结束会话并清除会话 Cookie；接口密钥无会话可退出）",
    response: Ok,
    errors: [401],
  },
];

export function me(actor: Actor) {
  return {
    username: actor.username,
    displayName: actor.displayName,
    organisationId: actor.organisationId,
    organisationName: actor.organisationName,
    roles: actor.roles,
  };
}

export async function apiSignIn(body: z.infer<typeof SignInBody>, ip: string | null): Promise<Response> {
  const { actor, sessionId } = await signIn({ username: body.username, password: body.password, ip });
  return Response.json(me(actor), { headers: { "Set-Cookie": sessionCookie(sessionId) } });
}

/** Ends the request's session (wherever its cookie is used) and tells the client to forget the cookie. An API key has no session to end. */
export async function apiSignOut(request: Request, ip: string | null): Promise<Response> {
  const current = await sessionFromCookie(request.headers.get("Cookie"), ip);
  if (!current) throw new UnauthenticatedError("没有可退出的登录会话（接口密钥无需退出）");
  await signOut(current.sessionId, current.actor);
  return Response.json({ ok: true }, { headers: { "Set-Cookie": blankSessionCookie() } });
}
