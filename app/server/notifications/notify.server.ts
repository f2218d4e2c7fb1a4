import { and, arrayOverlaps, eq, or, type SQL } from "drizzle-orm";
import { users } from "@db/schema";
import type { Executor } from "@db/client";
import { clock } from "../clock.server";
import { immediateWrites, type Writes } from "../writes.server";
import { notificationChannels, registerChannel, type Delivery, type NotificationMessage } from "./channels.server";
import { inAppChannel } from "./in-app.server";

// The one notification service: callers say who (an audience) and what (a message); it finds the
// active users meant, in one query for all the notices of a change, and hands the deliveries to
// every channel.

registerChannel(inAppChannel);

/** A user, or the active users holding one of `roles` (in one organisation, or city-wide when null). */
export type Audience = { userId: string } | { roles: readonly string[]; organisationId: string | null };

export interface Notice {
  to: Audience;
  message: NotificationMessage;
  /** Only for those no other notice of the same call reaches (a fallback, e.g. the starter's copy of a return). */
  unlessReached?: boolean;
}

export interface NotifyOptions {
  /** Nobody is told about their own action. */
  except?: string | null;
  /** Where the deliveries are written: at once, or with the step's other writes. */
  writes?: Writes;
}

type Candidate = { id: string; organisationId: string | null; roles: string[] };

const reaches = (audience: Audience, user: Candidate) =>
  "userId" in audience
    ? user.id === audience.userId
    : (audience.organisationId === null || user.organisationId === audience.organisationId) &&
      user.roles.some((r) => audience.roles.includes(r));

function audienceFilter(audience: Audience): SQL | undefined {
  if ("userId" in audience) return eq(users.id, audience.userId);
  return and(
    arrayOverlaps(users.roles, [...audience.roles] as never),
    audience.organisationId ? eq(users.organisationId, audience.organisationId) : undefined,
  );
}

/** Sends the notices of one change, in its transaction. Returns how many deliveries were made. */
export async function notify(ex: Executor, notices: Notice[], options: NotifyOptions = {}): Promise<number> {
  const wanted = notices.filter((n) => !("roles" in n.to) || n.to.roles.length > 0);
  if (!wanted.length) return 0;
  const candidates: Candidate[] = await ex
    .select({ id: users.id, organisationId: users.organisationId, roles: users.roles })
    .from(users)
    .where(and(eq(users.status, "active"), or(...wanted.map((n) => audienceFilter(n.to)))));
  const deliveries: Delivery[] = [];
  const reached = new Set<string>();
  const sent = new Set<string>();
  const ordered = [...wanted.filter((n) => !n.unlessReached), ...wanted.filter((n) => n.unlessReached)];
  for (const notice of ordered) {
    const isFallback = notice.unlessReached;
    for (const user of candidates) {
      if (user.id === options.except || !reaches(notice.to, user)) continue;
      if (isFallback && reached.has(user.id)) continue;
      // The same message twice to one person (two roles of one audience, two identical notices) is sent once.
      const key = `${user.id}\n${notice.message.title}\n${notice.message.link ?? ""}`;
      if (sent.has(key)) continue;
      sent.add(key);
      if (!isFallback) reached.add(user.id);
      deliveries.push({ recipient: { userId: user.id }, message: notice.message });
    }
  }
  if (!deliveries.length) return 0;
  const at = clock.now();
  for (const channel of notificationChannels()) await channel.deliver(ex, deliveries, at, options.writes ?? immediateWrites);
  return deliveries.length;
}

export type { NotificationMessage } from "./channels.server";
