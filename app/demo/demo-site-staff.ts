import { eq } from "drizzle-orm";
import { users } from "@db/schema";
import { organisationOptions } from "~/server/admin/organisations.server";
import { createUser } from "~/server/admin/users.server";
import type { Actor } from "~/server/auth/actor";
import { loadActor } from "~/server/auth/current-user.server";
import { db } from "~/server/db.server";
import { env } from "~/server/env.server";
import { DEMO_ORGANISATIONS, DEMO_USERS } from "./demo-organisations";
import { SITE_STAFF } from "./demo-risk";

/** The actor of a demo user, as a signed-in request would have it. */
export async function demoUser(username: string): Promise<Actor> {
  const [row] = await db().select({ id: users.id }).from(users).where(eq(users.username, username));
  const actor = row ? await loadActor(db(), row.id, null) : null;
  if (!actor) throw new Error(`demo user ${username} is missing`);
  return actor;
}

/**
 * One person of each demo organisation a project names, by the organisation's key: the demo users,
 * and the site staff the administrator creates (first seed only) for the organisations they lack.
 */
export async function demoStaff(): Promise<(organisationKey: string) => Promise<Actor>> {
  const admin = await demoUser("admin");
  const options = await organisationOptions(admin);
  const idOf = (key: string) => options.find((o) => o.name === DEMO_ORGANISATIONS.find((d) => d.key === key)?.name)?.id;
  for (const staff of SITE_STAFF) {
    const [existing] = await db().select({ id: users.id }).from(users).where(eq(users.username, staff.username));
    if (existing) continue;
    await createUser(admin, {
      username: staff.username,
      displayName: staff.displayName,
      phone: staff.phone,
      organisationId: idOf(staff.organisation),
      roles: [staff.role],
      password: env().DEMO_PASSWORD,
    });
  }
  const usernames = new Map<string, string>();
  for (const u of [...DEMO_USERS, ...SITE_STAFF]) if (!usernames.has(u.organisation)) usernames.set(u.organisation, u.username);
  const actors = new Map<string, Promise<Actor>>();
  return (key) => {
    const username = usernames.get(key);
    if (!username) throw new Error(`no demo user in organisation ${key}`);
    if (!actors.has(key)) actors.set(key, demoUser(username));
    return actors.get(key)!;
  };
}
