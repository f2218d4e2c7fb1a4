import { randomBytes } from "node:crypto";
import { and, eq, lte, ne } from "drizzle-orm";
import { sessions } from "@db/schema";
import type { Executor } from "@db/client";
import { clock } from "../clock.server";
import { cookieSecure, env } from "../env.server";

// Staff sign-in sessions (docs/decisions/015): a random id in a cookie and a row in the database, so
// every app process knows it and ending it ends it everywhere. A session ends after
// SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in, whichever comes first,
// on the platform's clock.

export const SESSION_COOKIE = "idi_session";

function limits() {
  const e = env();
  return { idleMs: e.SESSION_IDLE_MINUTES * 60_000, maxMs: e.SESSION_MAX_HOURS * 3_600_000 };
}

/** A request at `now` keeps the session until idle time has passed again, never beyond its last hour. */
function expiryAt(createdAt: Date, now: Date): Date {
  const { idleMs, maxMs } = limits();
  return new Date(Math.min(now.getTime() + idleMs, createdAt.getTime() + maxMs));
}

/** Opens a session for the user; their sessions that already ended are cleared on the way. */
export async function openSession(ex: Executor, userId: string): Promise<string> {
  const now = clock.now();
  await ex.delete(sessions).where(and(eq(sessions.userId, userId), lte(sessions.expiresAt, now)));
  // 160 random bits, lowercase hex: what the cookie reader accepts (session.server).
  const id = randomBytes(20).toString("hex");
  await ex.insert(sessions).values({ id, userId, createdAt: now, expiresAt: expiryAt(now, now) });
  return id;
}

/**
 * The user a live session belongs to, the session kept alive by this request; null (and the row
 * gone) once it has ended. The new expiry is written only when it moves by a thirtieth of the idle
 * time (a minute of 30), not on every request.
 */
export async function liveSession(ex: Executor, id: string): Promise<{ userId: string } | null> {
  const [row] = await ex.select().from(sessions).where(eq(sessions.id, id));
  if (!row) return null;
  const now = clock.now();
  if (row.expiresAt <= now) {
    await endSession(ex, id);
    return null;
  }
  const next = expiryAt(row.createdAt, now);
  if (next.getTime() - row.expiresAt.getTime() >= limits().idleMs / 30)
    await ex.update(sessions).set({ expiresAt: next }).where(eq(sessions.id, id));
  return { userId: row.userId };
}

export async function endSession(ex: Executor, id: string): Promise<void> {
  await ex.delete(sessions).where(eq(sessions.id, id));
}

/** Ends every session of the user, but `keep` (the one asking, when it changes its own password). */
export async function endUserSessions(ex: Executor, userId: string, keep?: string): Promise<void> {
  await ex.delete(sessions).where(and(eq(sessions.userId, userId), keep ? ne(sessions.id, keep) : undefined));
}

const attributes = () => `Path=/; HttpOnly; SameSite=Lax${cookieSecure() ? "; Secure" : ""}`;

/** The cookie carries only the id and lives as long as the browser: the server decides when a session ends. */
export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; ${attributes()}`;
}

/** Tells the browser to forget the cookie. */
export function blankSessionCookie(): string {
  return `${SESSION_COOKIE}=; Max-Age=0; ${attributes()}`;
}
