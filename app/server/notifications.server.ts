import { and, arrayContains, count, desc, eq, isNull } from "drizzle-orm";
import { notifications, users } from "@db/schema";
import type { Role } from "@db/schema/roles";
import type { Executor } from "@db/client";
import { clock } from "./clock.server";
import { db } from "./db.server";

export interface NotificationInput {
  title: string;
  body?: string;
  link?: string;
}

/** Notifies every active user holding `role`, within one organisation when given. Returns how many. */
export async function notifyRole(ex: Executor, role: Role, organisationId: string | null, note: NotificationInput): Promise<number> {
  const recipients = await ex
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        arrayContains(users.roles, [role]),
        eq(users.status, "active"),
        organisationId ? eq(users.organisationId, organisationId) : undefined,
      ),
    );
  if (recipients.length === 0) return 0;
  await ex.insert(notifications).values(recipients.map((r) => ({ userId: r.id, ...note, createdAt: clock.now() })));
  return recipients.length;
}

export async function notifyUser(ex: Executor, userId: string, note: NotificationInput): Promise<void> {
  await ex.insert(notifications).values({ userId, ...note, createdAt: clock.now() });
}

export async function listNotifications(userId: string, limit = 50) {
  return db().select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt)).limit(limit);
}

export async function unreadNotificationCount(userId: string): Promise<number> {
  const [{ n }] = await db()
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return n;
}

/** Marks one notification (or all of the user's) as read; only the user's own. */
export async function markNotificationsRead(userId: string, id?: string): Promise<void> {
  await db()
    .update(notifications)
    .set({ readAt: clock.now() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), id ? eq(notifications.id, id) : undefined));
}
