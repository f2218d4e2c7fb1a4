import { randomBytes } from "node:crypto";
import { and, count, eq, gt, min } from "drizzle-orm";
import { z } from "zod";
import { ownerChats } from "@db/schema";
import { clock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { cookieSecure, env } from "~/server/env.server";
import { isJson } from "~/server/api/handler.server";
import { TooManyAttemptsError, UnsupportedMediaTypeError, ValidationError } from "~/server/errors.server";
import { tooLongMessage } from "~/shared/field-rules";
import { chatExists, photoOwner } from "./conversation";
import type { DialogueInput } from "./dialogue/types";

// The owners' web chat over HTTP: which chat a browser is (a random key in an httpOnly cookie, only
// ever one the server handed out), and what a message may look like.

export const OWNER_CHAT_COOKIE = "idi_owner_chat";
/**
 * The longest text the chat takes: well past the longest field the dialogue asks for (a report's
 * description), so that a text over that field's limit reaches the dialogue, which names the limit
 * and asks again; only a text longer than any answer could be is refused here.
 */
export const CHAT_TEXT_MAX = 5000;
/** A message of CHAT_TEXT_MAX characters of four UTF-8 bytes each, and its JSON: more is refused before it is parsed. */
export const CHAT_BODY_LIMIT = 32 * 1024;
export const CHAT_TOO_LONG = tooLongMessage("消息", CHAT_TEXT_MAX);
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_AGE_DAYS = 30;

// One kind of message per key: a message is judged as the kind its key names, so a wrong value is
// said on its field as the API says it ({"text": 5}: text 应为文字), not as "无效输入" of a union.
const MESSAGES = {
  start: z.strictObject({ start: z.literal(true) }),
  open: z.strictObject({ open: z.literal(true) }),
  poll: z.strictObject({ poll: z.literal(true) }),
  // Counted as a reader counts characters (an emoji is one), as the dialogue counts them.
  text: z.strictObject({ text: z.string().refine((text) => [...text].length <= CHAT_TEXT_MAX, CHAT_TOO_LONG) }),
  choice: z.strictObject({ choice: z.string().min(1).max(200) }),
};
const NOT_A_MESSAGE = "消息格式不正确，应为 {text}、{choice}、{start}、{open} 或 {poll} 之一";

/** The chat key a request's cookie names, if it looks like one the server hands out. */
export function chatKeyIn(request: Request): string | null {
  return chatKeyFromCookie(request.headers.get("Cookie"));
}

function chatKeyFromCookie(cookieHeader: string | null | undefined): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === OWNER_CHAT_COOKIE) {
      const value = rest.join("=");
      return KEY_PATTERN.test(value) ? value : null;
    }
  }
  return null;
}

/** Whether the cookie names a web chat waiting for report photos: only such a chat may send an upload's worth of bytes. */
export async function chatTakesPhotos(cookieHeader: string | null | undefined): Promise<boolean> {
  const key = chatKeyFromCookie(cookieHeader);
  return key !== null && (await photoOwner("web", key)) !== null;
}

/** New chats one address may open in an hour: a family or an office behind one address, not a script dropping its cookie. */
export const NEW_CHATS_PER_HOUR = 30;

/**
 * The request's chat, or a new one (with the cookie to set) when it names none the server knows.
 * An address that opened too many chats in the last hour is refused (429) until the hour is over.
 */
export async function webChatOf(request: Request, ip: string | null): Promise<{ key: string; setCookie?: string }> {
  const known = chatKeyIn(request);
  if (known && (await chatExists("web", known))) return { key: known };
  if (ip) {
    const since = new Date(clock.now().getTime() - 3600_000);
    const [{ opened, first }] = await db()
      .select({ opened: count(), first: min(ownerChats.createdAt) })
      .from(ownerChats)
      .where(and(eq(ownerChats.channel, "web"), eq(ownerChats.createdIp, ip), gt(ownerChats.createdAt, since)));
    // Open again once the first of the hour's chats is an hour old.
    if (opened >= NEW_CHATS_PER_HOUR)
      throw new TooManyAttemptsError(
        `打开的对话太多了，请一小时后再试，或拨打服务热线 ${env().HOTLINE_PHONE}。`,
        new Date(new Date(first!).getTime() + 3600_000),
      );
  }
  const key = randomBytes(32).toString("base64url");
  await db().insert(ownerChats).values({ channel: "web", chatKey: key, createdIp: ip, createdAt: clock.now() });
  const attributes = [
    "Path=/owner",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${MAX_AGE_DAYS * 24 * 3600}`,
    ...(cookieSecure() ? ["Secure"] : []),
  ];
  return { key, setCookie: `${OWNER_CHAT_COOKIE}=${key}; ${attributes.join("; ")}` };
}

/** A chat message's body as a dialogue input, or the panel asking for news ("poll"); anything else is a 422. */
export async function readChatMessage(request: Request): Promise<DialogueInput | { kind: "poll" }> {
  if (!isJson(request)) throw new UnsupportedMediaTypeError("请以 JSON 格式发送消息");
  const raw = await request.text();
  if (raw.length > CHAT_BODY_LIMIT) throw new ValidationError({ body: CHAT_TOO_LONG });
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ValidationError({ body: "消息格式不正确" });
  }
  const kind =
    body && typeof body === "object" && !Array.isArray(body)
      ? (Object.keys(MESSAGES) as (keyof typeof MESSAGES)[]).find((k) => k in body)
      : undefined;
  if (!kind) throw new ValidationError({ body: NOT_A_MESSAGE });
  const parsed = MESSAGES[kind].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError({ [issue?.path.join(".") || "body"]: issue?.message ?? NOT_A_MESSAGE });
  }
  const m = parsed.data;
  if ("start" in m) return { kind: "start" };
  if ("open" in m) return { kind: "open" };
  if ("poll" in m) return { kind: "poll" };
  if ("text" in m) return { kind: "text", text: m.text };
  return { kind: "choice", value: m.choice };
}
