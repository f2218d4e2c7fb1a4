import type { Api } from "grammy";
import { onClaimStepChange } from "~/server/claims/owner-claims.server";
import { logger } from "~/server/logger.server";
import { chatsOfPhone, keepWebNotice } from "./conversation";

// A message to the owner at every step of their claim: sent at once to their verified Telegram
// chats, and kept for their web chats until the next answer they get.

let telegram: Api | null = null;
let unregister: (() => void) | null = null;
const sending = new Set<Promise<void>>();

/** The running bot's API (null when it stops): notices go to Telegram only while a bot runs. */
export function useTelegramApi(api: Api | null): void {
  telegram = api;
}

/** The claim's message (it names the claim: 【LP000123】…) with where the claim now stands. */
export function noticeText(change: { statusLabel: string; message: string }): string {
  return `【案件进展】${change.message}\n当前状态：${change.statusLabel}`;
}

/** Listens to claim steps, once however often it is called, until `stopOwnerNotices`. */
export function registerOwnerNotices(): void {
  unregister ??= onClaimStepChange(async (change) => {
    // Called after the messages were claimed and committed, outside any transaction.
    const work = pushNotice(change).finally(() => sending.delete(work));
    sending.add(work);
    await work;
  });
}

/** Stops listening to claim steps: owners' messages then wait, undelivered, for a listener. */
export function stopOwnerNotices(): void {
  unregister?.();
  unregister = null;
}

/** Resolves once the notices handed over so far went out (tests, and a clean shutdown). */
export async function noticesSent(): Promise<void> {
  await Promise.all([...sending]);
}

async function pushNotice(change: { claimId: string; phone: string; statusLabel: string; message: string }): Promise<void> {
  const text = noticeText(change);
  await keepWebNotice(change.phone, text);
  if (!telegram) return;
  for (const chat of await chatsOfPhone("telegram", change.phone)) {
    await telegram
      .sendMessage(Number(chat.chatKey), text, {
        reply_markup: { inline_keyboard: [[{ text: "查看进度", callback_data: `claim:${change.claimId}` }]] },
      })
      .catch((error) => logger.warn({ err: error }, "claim notice not delivered to telegram"));
  }
}
