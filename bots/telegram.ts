import { timingSafeEqual } from "node:crypto";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { Bot, InlineKeyboard, Keyboard, webhookCallback, type Api, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { maxAttachmentBytes } from "~/server/attachments.server";
import { ownerActor, storeOwnerPhoto } from "~/server/claims/owner-claims.server";
import { env } from "~/server/env.server";
import { ValidationError } from "~/server/errors.server";
import { closeAfterAnswer } from "~/server/http/error-answers.server";
import { TOO_LARGE } from "~/server/http/request-guard.server";
import { logger } from "~/server/logger.server";
import { converse, photoOwner, updateHandled, type TelegramUpdate } from "./conversation";
import type { DialogueInput, Reply } from "./dialogue/types";
import { useTelegramApi } from "./notices";

// The owners' dialogue on Telegram (grammY): updates become dialogue inputs, replies become
// messages with inline buttons. Private chats only: a group would share one owner's binding.

export const WEBHOOK_PATH = "/bots/telegram";
const DEFAULT_API_ROOT = "https://api.telegram.org";
const IMAGE_TYPES = ["image/jpeg", "image/png"];

export interface OwnerBotOptions {
  token: string;
  /** Known bot details: without them grammY asks getMe before the first update. */
  botInfo?: UserFromGetMe;
  /** The HTTP client for every Bot API call and file download (tests answer here). */
  fetch?: typeof fetch;
  apiRoot?: string;
}

interface IncomingFile {
  fileId: string;
  size?: number;
  name: string;
}

export function createOwnerBot(options: OwnerBotOptions): Bot {
  const apiRoot = options.apiRoot ?? DEFAULT_API_ROOT;
  const fetchFile = options.fetch ?? fetch;
  const bot = new Bot(options.token, {
    botInfo: options.botInfo,
    client: { apiRoot, ...(options.fetch ? { fetch: options.fetch } : {}) },
  });
  const updateOf = (ctx: Context): TelegramUpdate => ({ botId: String(ctx.me.id), updateId: ctx.update.update_id });
  // An update answered before (Telegram sends it again after a crash that came before its offset
  // was confirmed, or a webhook retry) is not answered, nor its photo fetched, again.
  bot.use(async (ctx, next) => {
    if (!(await updateHandled(updateOf(ctx)))) await next();
  });
  const owners = bot.chatType("private");
  const answer = async (ctx: Context, input: DialogueInput) =>
    sendReplies(ctx.api, ctx.chat!.id, await converse("telegram", String(ctx.chat!.id), input, { update: updateOf(ctx) }));

  const download = async (fileId: string): Promise<Uint8Array> => {
    const file = await bot.api.getFile(fileId);
    if (!file.file_path) throw new Error("Telegram gave no file path");
    const response = await fetchFile(`${apiRoot}/file/bot${options.token}/${file.file_path}`);
    if (!response.ok) throw new Error(`file download answered ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };

  const receive = async (ctx: Context, file: IncomingFile | null) => {
    const phone = await photoOwner("telegram", String(ctx.chat!.id));
    if (!phone) return answer(ctx, { kind: "photo_refused" });
    if (!file) return answer(ctx, { kind: "photo_refused", reason: "只能上传 JPG 或 PNG 格式的照片，不支持这个文件。" });
    const limit = maxAttachmentBytes();
    if ((file.size ?? 0) > limit) {
      return answer(ctx, { kind: "photo_refused", reason: `照片太大了，每张不能超过 ${Math.floor(limit / 1024 / 1024)}MB。` });
    }
    try {
      const bytes = await download(file.fileId);
      if (bytes.byteLength > limit) throw new ValidationError({ file: `照片太大了，每张不能超过 ${Math.floor(limit / 1024 / 1024)}MB。` });
      const photo = await storeOwnerPhoto(ownerActor(phone, "telegram"), { name: file.name, bytes });
      return answer(ctx, { kind: "photo", photo });
    } catch (error) {
      if (error instanceof ValidationError) {
        return answer(ctx, { kind: "photo_refused", reason: Object.values(error.fields ?? {})[0] ?? error.message });
      }
      logger.error({ err: error }, "telegram photo not stored");
      return answer(ctx, { kind: "photo_refused", reason: "照片没有收到，请重新上传。" });
    }
  };

  owners.command("start", (ctx) => answer(ctx, { kind: "start" }));
  // /menu and /help as the words typed for them (/menu mid-report asks first).
  for (const command of ["menu", "help"]) owners.command(command, (ctx) => answer(ctx, { kind: "text", text: `/${command}` }));
  owners.on("message:text", (ctx) => answer(ctx, { kind: "text", text: ctx.message.text }));
  owners.on("callback_query:data", async (ctx) => {
    await ctx.answerCallbackQuery().catch(() => {});
    await answer(ctx, { kind: "choice", value: ctx.callbackQuery.data });
  });
  owners.on("message:contact", (ctx) =>
    answer(ctx, { kind: "contact", phone: ctx.message.contact.phone_number, fromSender: ctx.message.contact.user_id === ctx.from.id }),
  );
  owners.on("message:photo", (ctx) => {
    const largest = ctx.message.photo.at(-1)!;
    return receive(ctx, { fileId: largest.file_id, size: largest.file_size, name: `现场照片-${largest.file_unique_id.slice(-6)}.jpg` });
  });
  owners.on("message:document", (ctx) => {
    const doc = ctx.message.document;
    const image = IMAGE_TYPES.includes(doc.mime_type ?? "");
    return receive(ctx, image ? { fileId: doc.file_id, size: doc.file_size, name: doc.file_name ?? "照片" } : null);
  });
  // Stickers, voice, locations…: the help, never silence.
  owners.on("message", (ctx) => answer(ctx, { kind: "text", text: "" }));
  bot.catch((error) => logger.error({ err: error.error, update: error.ctx.update.update_id }, "telegram update failed"));
  return bot;
}

/** Sends the dialogue's replies: buttons inline, the contact request as a reply keyboard. */
export async function sendReplies(api: Api, chatId: number, replies: Reply[]): Promise<void> {
  for (const reply of replies) {
    await api.sendMessage(chatId, reply.text.slice(0, 4000), { reply_markup: markupOf(reply) });
  }
}

function markupOf(reply: Reply) {
  if (reply.askContact) {
    const keyboard = new Keyboard().requestContact("发送我的手机号").row();
    for (const choice of reply.choices ?? []) keyboard.text(choice.label).row();
    return keyboard.resized().oneTime();
  }
  if (!reply.choices?.length) return { remove_keyboard: true as const };
  const keyboard = new InlineKeyboard();
  reply.choices.forEach((choice, i) => {
    keyboard.text(choice.label, choice.value);
    // Short labels two to a row, long ones (homes, claims) alone.
    if ([...choice.label].length > 8 || i % 2 === 1) keyboard.row();
  });
  return keyboard;
}

/**
 * POST /bots/telegram: 401 without Telegram's secret header (checked before the body is read), 413
 * for a body over 1 MB (no update is that large), 400 for a body that is not JSON, and an update
 * that takes long is answered at once and finished after (Telegram would otherwise send it again).
 * The 401 and the 413 leave the body unread, so their connection closes with them.
 */
export function mountWebhook(app: Express, bot: Bot, secretToken: string): void {
  const expected = Buffer.from(secretToken);
  const fromTelegram = (req: Request, res: Response, next: NextFunction) => {
    const given = Buffer.from(req.get("X-Telegram-Bot-Api-Secret-Token") ?? "");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    closeAfterAnswer(res);
    res.status(401).json({ ok: false, message: "未授权的请求" });
  };
  const badBody = (error: { type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type !== "entity.too.large") return void res.status(400).json({ ok: false, message: "请求格式不正确" });
    closeAfterAnswer(res);
    res.status(413).json({ ok: false, message: TOO_LARGE.message });
  };
  app.post(
    WEBHOOK_PATH,
    fromTelegram,
    express.json({ limit: "1mb" }),
    webhookCallback(bot, "express", { secretToken, onTimeout: "return", timeoutMilliseconds: 20_000 }),
    badBody,
  );
}

export interface RunningTelegram {
  stop(): Promise<void>;
}

/**
 * Starts the bot when TELEGRAM_BOT_TOKEN is set: a webhook at POST /bots/telegram when
 * TELEGRAM_WEBHOOK_SECRET is set (Telegram must send it as X-Telegram-Bot-Api-Secret-Token), long
 * polling otherwise. Off without a token.
 */
export function startTelegram(app: Express): RunningTelegram | null {
  const e = env();
  if (!e.TELEGRAM_BOT_TOKEN) return null;
  const bot = createOwnerBot({ token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT });
  useTelegramApi(bot.api);
  if (e.TELEGRAM_WEBHOOK_SECRET) {
    mountWebhook(app, bot, e.TELEGRAM_WEBHOOK_SECRET);
    logger.info({ path: WEBHOOK_PATH }, "telegram bot: webhook");
    return { stop: async () => useTelegramApi(null) };
  }
  bot
    .start({ onStart: (info) => logger.info({ username: info.username }, "telegram bot: long polling") })
    .catch((error) => logger.error({ err: error }, "telegram bot stopped"));
  return {
    async stop() {
      useTelegramApi(null);
      // Stopping tells the Bot API what was handled; an unreachable one must not hold up the shutdown.
      await bot.stop().catch((error) => logger.warn({ err: error }, "telegram bot did not stop cleanly"));
    },
  };
}
