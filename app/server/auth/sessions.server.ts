import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { and, eq, ne } from "drizzle-orm";
import { Cookie, Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from "lucia";
import { organisations, sessions, users } from "@db/schema";
import type { Executor } from "@db/client";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { cookieSecure, env } from "../env.server";

// Staff sign-in sessions (docs/decisions/015). lucia keeps them: the id, the row, the cookie,
// ending one or all of a user's. The platform adds its two limits, read on its own clock so tests
// can move time: a session ends SESSION_IDLE_MINUTES after the last request it served and
// SESSION_MAX_HOURS after sign-in, whichever comes first. lucia's own expiry (machine clock, the
// same twelve hours) is only the outer bound.

export const SESSION_COOKIE = "idi_session";

function limits() {
  const e = env();
  return { idleMs: e.SESSION_IDLE_MINUTES * 60_000, maxMs: e.SESSION_MAX_HOURS * 3_600_000, maxHours: e.SESSION_MAX_HOURS };
}

/**
 * What a request needs of a session's user, read with the session: who they are, and their
 * organisation (current-user.server.ts makes the actor of it, and reads the same for a user by id).
 */
export const SESSION_USER = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  roles: users.roles,
  status: users.status,
  organisationId: organisations.id,
  organisationType: organisations.type,
  organisationName: organisations.name,
  organisationStatus: organisations.status,
};

/**
 * lucia's drizzle adapter, reading a session's user with their organisation in its one query (the
 * adapter's own reads the user's every column, password hash included, and nothing of the organisation).
 */
class SessionUserAdapter extends DrizzlePostgreSQLAdapter {
  constructor(private readonly reader: Executor) {
    super(reader as never, sessions, users);
  }

  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await this.reader
      .select({ session: sessions, user: SESSION_USER })
      .from(sessions)
      .innerJoin(users, eq(sessions.userId, users.id))
      .innerJoin(organisations, eq(users.organisationId, organisations.id))
      .where(eq(sessions.id, sessionId));
    if (!row) return [null, null];
    const { id, userId, expiresAt, ...attributes } = row.session;
    const { id: _id, ...user } = row.user;
    return [
      { id, userId, expiresAt, attributes },
      { id: userId, attributes: user },
    ];
  }
}

export type SessionUser = { [K in Exclude<keyof typeof SESSION_USER, "id">]: (typeof SESSION_USER)[K]["_"]["data"] };

function createLucia(ex: Executor) {
  return new Lucia(new SessionUserAdapter(ex), {
    sessionExpiresIn: new TimeSpan(limits().maxHours, "h"),
    sessionCookie: { name: SESSION_COOKIE, attributes: { secure: cookieSecure(), sameSite: "lax" } },
    getSessionAttributes: (attributes) => ({ createdAt: attributes.createdAt, lastSeenAt: attributes.lastSeenAt }),
    getUserAttributes: (attributes) => attributes,
  });
}

type AppLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    DatabaseSessionAttributes: { createdAt: Date; lastSeenAt: Date };
    DatabaseUserAttributes: SessionUser;
  }
}

const bound = new WeakMap<Executor, AppLucia>();

/** lucia on an executor: the process's database, or a transaction whose work must end sessions with it. */
function luciaOn(ex: Executor): AppLucia {
  let lucia = bound.get(ex);
  if (!lucia) bound.set(ex, (lucia = createLucia(ex)));
  return lucia;
}

/** Opens a session for the user. */
export async function openSession(ex: Executor, userId: string): Promise<string> {
  const now = clock.now();
  const session = await luciaOn(ex).createSession(userId, { createdAt: now, lastSeenAt: now });
  return session.id;
}

/**
 * The user a live session belongs to (read with it), the session kept alive by this request; null
 * (and the row gone) once it has ended. The time it was last seen is written only when it moves by
 * a thirtieth of the idle time (a minute of 30), not on every request.
 */
export async function liveSession(ex: Executor, id: string): Promise<{ userId: string; user: SessionUser } | null> {
  const lucia = luciaOn(ex);
  const { session, user } = await lucia.validateSession(id);
  if (!session) return null;
  const now = clock.now().getTime();
  const { idleMs, maxMs } = limits();
  if (now >= session.lastSeenAt.getTime() + idleMs || now >= session.createdAt.getTime() + maxMs) {
    await lucia.invalidateSession(id);
    return null;
  }
  if (now - session.lastSeenAt.getTime() >= idleMs / 30)
    await ex
      .update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(sessions.id, id));
  return { userId: session.userId, user };
}

export async function endSession(ex: Executor, id: string): Promise<void> {
  await luciaOn(ex).invalidateSession(id);
}

/** Ends every session of the user, but `keep` (the one asking, when it changes its own password). */
export async function endUserSessions(ex: Executor, userId: string, keep?: string): Promise<void> {
  // lucia ends all of a user's sessions or one; keeping the asker's is this one query.
  if (keep) await ex.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keep)));
  else await luciaOn(ex).invalidateUserSessions(userId);
}

/**
 * The cookie carries only the id, and lives as long as the browser: the server decides when a
 * session ends (docs/decisions/015). lucia gives every cookie a Max-Age (400 days for one "that
 * does not expire"), so it is left out here.
 */
export function sessionCookie(id: string): string {
  const { name, value, attributes } = luciaOn(db()).createSessionCookie(id);
  return new Cookie(name, value, { ...attributes, maxAge: undefined }).serialize();
}

/** Tells the browser to forget the cookie. */
export function blankSessionCookie(): string {
  return luciaOn(db()).createBlankSessionCookie().serialize();
}
