import { z } from "zod";
import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import { notifications } from "@db/schema";
import { clock } from "../clock.server";
import { db } from "../db.server";
import type { NotificationChannel } from "./channels.server";

// 消息通知 in the platform: the bell's unread count and the notifications page.

export const inAppChannel: NotificationChannel = {
  name: "in-app",
  async deliver(ex, deliveries, at) {
    if (!deliveries.length) return;
    await ex.insert(notifications).values(
      deliveries.map(({ recipient, message }) => ({
        userId: recipient.userId,
        title: message.title.slice(0, 300),
        body: message.body ?? null,
        link: message.link ?? null,
        createdAt: at,
      })),
    );
  },
};

export async function listNotifications(userId: string, limit = 50) {
  return db()
    .select({
      id: notifications.id,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
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

/**
 * Opens one of the user's notifications: marks it read and answers where it leads (a path of the
 * platform only; otherwise, or when it has no link, back to the list).
 */
export async function openNotification(userId: string, id: string): Promise<string> {
  // A real UUID or nothing: PostgreSQL refuses anything else cast to uuid (a 500, not an answer).
  if (!z.uuid().safeParse(id).success) return "/notifications";
  const [row] = await db()
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${clock.now()})` })
    .where(and(eq(notifications.userId, userId), eq(notifications.id, id)))
    .returning({ link: notifications.link });
  const link = row?.link;
  return link && link.startsWith("/") && !link.startsWith("//") ? link : "/notifications";
}
