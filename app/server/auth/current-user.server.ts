import { eq } from "drizzle-orm";
import { organisations, users } from "@db/schema";
import type { Executor } from "@db/client";
import type { Actor } from "./actor";
import { SESSION_USER, endUserSessions, liveSession, type SessionUser } from "./sessions.server";

/** The actor of an active user of an active organisation, or null. */
export async function loadActor(ex: Executor, userId: string, ip: string | null): Promise<Actor | null> {
  const [row] = await ex
    .select(SESSION_USER)
    .from(users)
    .innerJoin(organisations, eq(users.organisationId, organisations.id))
    .where(eq(users.id, userId));
  return row ? actorOf(row.id, row, ip) : null;
}

/**
 * The actor of a user as read with their organisation: null unless both are active (an
 * organisation 待审核 acts once an administrator approves it, its people as its API keys).
 */
function actorOf(userId: string, row: SessionUser, ip: string | null): Actor | null {
  if (row.status !== "active" || row.organisationStatus !== "active") return null;
  return {
    userId,
    username: row.username,
    displayName: row.displayName,
    organisationId: row.organisationId,
    organisationType: row.organisationType,
    organisationName: row.organisationName,
    roles: row.roles,
    ip,
  };
}

export interface CurrentSession {
  actor: Actor;
  sessionId: string;
}

/** Resolves a session id to its actor; an ended session, or one of a disabled user, is ended. */
export async function sessionActor(ex: Executor, sessionId: string, ip: string | null): Promise<CurrentSession | null> {
  const session = await liveSession(ex, sessionId);
  if (!session) return null;
  const actor = actorOf(session.userId, session.user, ip);
  if (!actor) {
    await endUserSessions(ex, session.userId);
    return null;
  }
  // The cookie does not carry the session expiry, so an extended session needs no new cookie.
  return { actor, sessionId };
}
