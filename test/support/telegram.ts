import type { Update, UserFromGetMe } from "grammy/types";
import { createOwnerBot } from "../../bots/telegram";
import { gradientPng } from "./images";

// A Telegram Bot API server in a test: grammY's outgoing calls (and file downloads) are answered
// here and recorded, and updates are made the way Telegram makes them.

export const API_ROOT = "http://bot-api.test";
const TOKEN = "123456:TEST-TOKEN";
const BOT_INFO = {
  id: 123456,
  is_bot: true,
  first_name: "昆明IDI业主服务",
  username: "km_idi_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

export interface ApiCall {
  method: string;
  payload: Record<string, any>;
}

interface InlineButton {
  text: string;
  callback_data?: string;
}

export interface SentMessage {
  chatId: number;
  text: string;
  buttons: InlineButton[];
  /** The reply keyboard's buttons (the contact request). */
  keys: { text: string; request_contact?: boolean }[];
}

/** Stands in for api.telegram.org: every call is recorded and answered as the Bot API would. */
export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  readonly downloads: string[] = [];
  private readonly files = new Map<string, { path: string; bytes: Uint8Array }>();
  private nextMessageId = 1;
  private nextUpdateId = 1;

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const file = /^\/file\/bot[^/]+\/(.+)$/.exec(url.pathname);
    if (file) {
      this.downloads.push(file[1]);
      const stored = [...this.files.values()].find((f) => f.path === file[1]);
      return stored ? new Response(Buffer.from(stored.bytes)) : new Response("Not Found", { status: 404 });
    }
    const method = url.pathname.split("/").at(-1)!;
    const payload = init?.body ? JSON.parse(String(init.body)) : {};
    this.calls.push({ method, payload });
    return Response.json({ ok: true, result: this.answer(method, payload) });
  };

  readonly bot = createOwnerBot({ token: TOKEN, botInfo: BOT_INFO, fetch: this.fetch, apiRoot: API_ROOT });

  /** A file Telegram keeps for the bot (a photo or document a user sent). */
  keepFile(fileId: string, bytes: Uint8Array): void {
    this.files.set(fileId, { path: `photos/${fileId}.jpg`, bytes });
  }

  private answer(method: string, payload: Record<string, any>): unknown {
    if (method === "sendMessage") {
      return { message_id: this.nextMessageId++, date: 0, chat: { id: payload.chat_id, type: "private" }, text: payload.text };
    }
    if (method === "getFile") {
      const file = this.files.get(payload.file_id);
      return { file_id: payload.file_id, file_unique_id: payload.file_id, file_size: file?.bytes.byteLength, file_path: file?.path };
    }
    return true;
  }

  /** The messages sent to a chat, oldest first. */
  sentTo(chatId: number): SentMessage[] {
    return this.calls
      .filter((c) => c.method === "sendMessage" && c.payload.chat_id === chatId)
      .map((c) => ({
        chatId,
        text: c.payload.text,
        buttons: (c.payload.reply_markup?.inline_keyboard ?? []).flat(),
        keys: (c.payload.reply_markup?.keyboard ?? []).flat(),
      }));
  }

  /** The updates sent so far, oldest first. */
  readonly updates: Update[] = [];

  async send(update: Omit<Update, "update_id">): Promise<void> {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    this.updates.push(full);
    await this.bot.handleUpdate(full);
  }

  /** An update sent again, as Telegram does when its offset was not confirmed before a crash. */
  async redeliver(update: Update): Promise<void> {
    await this.bot.handleUpdate(structuredClone(update));
  }

  updateId(): number {
    return this.nextUpdateId;
  }
}

/** One owner's Telegram chat with the bot: what they send, and what the bot answered them. */
export class TelegramOwner {
  private seen = 0;
  private messageId = 1000;

  constructor(
    readonly telegram: FakeTelegram,
    readonly userId: number,
  ) {}

  private get from() {
    return { id: this.userId, is_bot: false, first_name: "业主" };
  }

  private message(extra: Record<string, unknown>) {
    return {
      message: {
        message_id: this.messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.userId, type: "private", first_name: "业主" },
        from: this.from,
        ...extra,
      },
    } as never;
  }

  /** What the bot sent since the owner last looked. */
  answers(): SentMessage[] {
    const all = this.telegram.sentTo(this.userId);
    const fresh = all.slice(this.seen);
    this.seen = all.length;
    return fresh;
  }

  /** The latest update this owner sent, Telegram sending it again: the texts answered to it. */
  async again(): Promise<string[]> {
    const chatOf = (u: Update) => u.message?.chat.id ?? u.callback_query?.from.id;
    await this.telegram.redeliver(this.telegram.updates.findLast((u) => chatOf(u) === this.userId)!);
    return this.answers().map((m) => m.text);
  }

  /** The texts of the answers to one action. */
  async say(text: string): Promise<string[]> {
    const command = /^\/\w+/.exec(text);
    await this.telegram.send(
      this.message({ text, ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}) }),
    );
    return this.answers().map((m) => m.text);
  }

  type = (text: string) => this.say(text);

  start = () => this.say("/start");

  private photos = 0;
  /** A photo from the phone's camera (a small PNG Telegram keeps for the bot). */
  photo = () => {
    const fileId = `camera-${this.userId}-${++this.photos}`;
    this.telegram.keepFile(fileId, gradientPng(24, 16));
    return this.sendPhoto(fileId, 2000);
  };

  /** Presses the button of that label on the latest message that has it. */
  async press(label: string): Promise<string[]> {
    const message = this.telegram
      .sentTo(this.userId)
      .reverse()
      .find((m) => m.buttons.some((b) => b.text === label));
    const button = message?.buttons.find((b) => b.text === label);
    if (!button?.callback_data) throw new Error(`no button ${label}; last: ${JSON.stringify(this.telegram.sentTo(this.userId).at(-1))}`);
    return this.pressValue(button.callback_data);
  }

  /** A callback with any data, as an old (or forged) button would send it. */
  async pressValue(data: string): Promise<string[]> {
    await this.telegram.send({
      callback_query: {
        id: String(this.messageId++),
        from: this.from,
        chat_instance: "1",
        data,
        message: { message_id: 1, date: 0, chat: { id: this.userId, type: "private", first_name: "业主" }, text: "" },
      },
    } as never);
    return this.answers().map((m) => m.text);
  }

  async shareContact(phone: string, contactUserId: number | undefined = this.userId): Promise<string[]> {
    await this.telegram.send(this.message({ contact: { phone_number: phone, first_name: "业主", user_id: contactUserId } }));
    return this.answers().map((m) => m.text);
  }

  async sendPhoto(fileId: string, size: number): Promise<string[]> {
    await this.telegram.send(
      this.message({
        photo: [
          { file_id: `${fileId}-small`, file_unique_id: `${fileId}-s`, width: 90, height: 90, file_size: 1000 },
          { file_id: fileId, file_unique_id: fileId, width: 1280, height: 960, file_size: size },
        ],
      }),
    );
    return this.answers().map((m) => m.text);
  }

  async sendDocument(fileId: string, mime: string, size: number, name: string): Promise<string[]> {
    await this.telegram.send(
      this.message({ document: { file_id: fileId, file_unique_id: fileId, mime_type: mime, file_size: size, file_name: name } }),
    );
    return this.answers().map((m) => m.text);
  }
}
