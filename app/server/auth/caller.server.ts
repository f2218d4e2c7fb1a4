import type { AppLoadContext } from "@remix-run/node";
import { can, type Permission } from "~/shared/permissions";
import { ForbiddenError, UnauthenticatedError } from "../errors.server";
import type { Actor } from "./actor";
import { apiKeyActor } from "./api-keys.server";
import { clientIp, currentSession, requireActor, unauthenticatedMessage } from "./session.server";

// Who a request speaks for when either a person's browser or an organisation's system may send it
// (the API, the lists' exports, the statistics' workbooks): an API key (Authorization: Bearer) acts
// as its organisation with the roles given to the key, a session cookie as its user. Either then
// passes the same permission check, and what it sees is the one scope function's (decision 003).

/** The actor of a request's API key, or else of its session cookie; null when it has neither valid. */
export async function callerOf(request: Request, context?: AppLoadContext): Promise<Actor | null> {
  const authorization = request.headers.get("Authorization");
  if (authorization) {
    const key = authorization.match(/^Bearer\s+(\S+)$/i)?.[1];
    return key ? apiKeyActor(key, clientIp(context)) : null;
  }
  return (await currentSession(request, context))?.actor ?? null;
}

/**
 * The actor of a request by API key or session, allowed `permission` when one is named: 401 with a
 * Chinese message without valid credentials (a script reads it, not a login page), 403 without the
 * permission. `signIn`: a request with no key is a browser's, sent to the login page without a session.
 */
export async function requestActor(
  request: Request,
  context?: AppLoadContext,
  permission?: Permission,
  { signIn = false }: { signIn?: boolean } = {},
): Promise<Actor> {
  const actor = signIn && !request.headers.get("Authorization") ? await requireActor(request, context) : await callerOf(request, context);
  if (!actor) throw new UnauthenticatedError(unauthenticatedMessage(request.headers.get("Authorization"), request.headers.get("Cookie")));
  if (permission && !can(actor.roles, permission)) throw new ForbiddenError();
  return actor;
}
