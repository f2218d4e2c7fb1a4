import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { notifications } from "@db/schema";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { sameSitePath } from "../http/same-site-path.server";
import { offsetOf, forgivingPageSchema, type Page } from "../pagination.server";
import type { NotificationChannel } from "./channels.server";

// 消息通知 in the platform: the bell's unread count and the notifications page.

export const inAppChannel: NotificationChannel = {
  name: "in-app",
  async deliver(ex, deliveries, at, writes) {
    if (!deliveries.length) return;
    await writes.add(
      ex.insert(notifications).values(
        deliveries.map(({ recipient, message }) => ({
          userId: recipient.userId,
          title: message.title.slice(0, 300),
          body: message.body ?? null,
          link: message.link ?? null,
          createdAt: at,
        })),
      ),
    );
  },
};

export const NOTIFICATION_VIEWS = ["all", "unread"] as const;

const listSchema = forgivingPageSchema.extend({ view: z.enum(NOTIFICATION_VIEWS).catch("all").default("all") });

/** The user's notifications, newest first, a page at a time; `view: "unread"` keeps the unread ones. */
export async function listNotifications(userId: string, query: unknown = {}): Promise<Page<NotificationRow> & { view: NotificationView }> {
  const q = listSchema.parse(query ?? {});
  const where = and(eq(notifications.userId, userId), q.view === "unread" ? isNull(notifications.readAt) : undefined);
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select({
        id: notifications.id,
        title: notifications.title,
        body: notifications.body,
        link: notifications.link,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
      })
      .from(notifications)
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db().select({ total: count() }).from(notifications).where(where),
  ]);
  return { rows, total, page: q.page, pageSize: q.pageSize, view: q.view };
}

export type NotificationView = (typeof NOTIFICATION_VIEWS)[number];
export interface NotificationRow {
  id: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
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
    // Typed: PostgreSQL cannot tell the type of a bare parameter inside coalesce.
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${clock.now().toISOString()}::timestamptz)` })
    .where(and(eq(notifications.userId, userId), eq(notifications.id, id)))
    .returning({ link: notifications.link });
  const link = row?.link;
  return sameSitePath(link) ?? "/notifications";
}
