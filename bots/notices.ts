import type { Api } from "grammy";
import { onClaimStepChange } from "~/server/claims/owner-claims.server";
import { logger } from "~/server/logger.server";
import { chatsOfPhone, keepWebNotice } from "./conversation";

// A message to the owner at every step of their claim: sent at once to their verified Telegram
// chats, and kept for their web chats until the next answer they get.

let telegram: Api | null = null;
let registered = false;

/** The running bot's API (null when it stops): notices go to Telegram only while a bot runs. */
export function useTelegramApi(api: Api | null): void {
  telegram = api;
}

export function noticeText(change: { number: string; statusLabel: string; message: string }): string {
  return `【案件进展】您的案件 ${change.number}：${change.message}\n当前状态：${change.statusLabel}`;
}

/** Listens to claim steps once per process. */
export function registerOwnerNotices(): void {
  if (registered) return;
  registered = true;
  onClaimStepChange(async (change) => {
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
  });
}
