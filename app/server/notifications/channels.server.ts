import type { Executor } from "@db/client";
import type { Writes } from "../writes.server";

// How a notification reaches people. Who is told and what they are told do not depend on the
// channel: the service resolves the recipients once and hands every channel the same deliveries.
// In-app is the first channel; the owners' bot and SMS register here when they come.

/** Someone to tell: a platform user (a channel looks up the address it needs, in bulk). */
export interface Recipient {
  userId: string;
}

/** What they are told: a title, an optional longer text, and where to go (a path of the platform). */
export interface NotificationMessage {
  title: string;
  body?: string | null;
  link?: string | null;
}

export interface Delivery {
  recipient: Recipient;
  message: NotificationMessage;
}

export interface NotificationChannel {
  /** For logs and settings, e.g. "in-app", "telegram", "sms". */
  name: string;
  /**
   * Delivers in the transaction of the change that caused them: a channel that reaches outside the
   * platform writes an outbox row here and sends after commit, so a rolled-back step sends nothing.
   * Called once per change with every delivery of it (one insert, never one query per recipient),
   * handed to `writes` (sent at once, or with the step's other writes).
   */
  deliver(ex: Executor, deliveries: Delivery[], at: Date, writes: Writes): Promise<void>;
}

const channels = new Map<string, NotificationChannel>();

export function registerChannel(channel: NotificationChannel): void {
  channels.set(channel.name, channel);
}

export function notificationChannels(): NotificationChannel[] {
  return [...channels.values()];
}
