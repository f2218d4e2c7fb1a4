import { eq } from "drizzle-orm";
import { users } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { loadActor } from "~/server/auth/current-user.server";
import { db } from "~/server/db.server";

/** The actor of a seeded demo user, as a signed-in request would have it. */
export async function demoActor(username: string): Promise<Actor> {
  const [row] = await db().select({ id: users.id }).from(users).where(eq(users.username, username));
  if (!row) throw new Error(`no demo user ${username}`);
  const actor = await loadActor(db(), row.id, "127.0.0.1");
  if (!actor) throw new Error(`demo user ${username} is not active`);
  return actor;
}
