import { and, eq, isNotNull, lt, sql } from "drizzle-orm";
import { ownerChats, telegramUpdates, type OwnerChat } from "@db/schema";
import { discardUnlinked } from "~/server/attachments.server";
import { recordAudit } from "~/server/audit.server";
import { ownerActor } from "~/server/claims/owner-claims.server";
import { clock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import { maskPhone } from "~/shared/phone";
import { handle } from "./dialogue/handle";
import { MAX_PHOTOS } from "./dialogue/report";
import { BUSY } from "./dialogue/texts";
import type { DialogueInput, DialogueState, OwnerChannel, Reply, Step } from "./dialogue/types";
import { ownerServices } from "./services";

// One message of a chat, on any channel: the chat's row is its memory (servers keep none). A chat
// that floods gets one "too fast" and then silence until its minute is over; two messages of one
// chat at once are taken one after the other (a lease in the row), so a button pressed twice
// cannot report a claim twice. A Telegram update is recorded as handled in the transaction that
// saves the chat, so one Telegram sends again (after a crash, a webhook retry) is not answered twice.

/**
 * Messages a chat may send in a minute. A quick owner really sends about 35 in one: the phone
 * verified (3 on Telegram, 4 on the web), a report with nine photos (16), a rating with every
 * reason (13), and a slip or two. Above that it is a script, not a person.
 */
export const FLOOD_LIMIT = 40;
const FLOOD_WINDOW_MS = 60_000;
const LEASE_MS = 30_000;
const LEASE_WAIT_MS = 8_000;
/** How long a handled update is remembered: Telegram keeps an unconfirmed one for 24 hours. */
const UPDATES_KEPT_MS = 2 * 24 * 3600_000;

/** A Telegram update: which bot received it, and its id. */
export interface TelegramUpdate {
  botId: string;
  updateId: number;
}

/** What the row's state column keeps: the dialogue's step, a lease while a message is handled, and notices for the web chat. */
interface StoredState {
  step?: Step;
  lease?: string;
  notices?: string[];
  drained?: string[];
}

/** Where a message came from: the Telegram update it is (none on the web), the address it was sent from. */
export interface MessageOrigin {
  update?: TelegramUpdate;
  address?: string | null;
}

/**
 * One message of a chat. A report's photos are stored before the message is handled (Telegram's
 * download, the web's upload); those the chat does not hold afterwards (beyond the limit when sent
 * at once, sent too fast, of a report dropped) are deleted, so no file is kept that no claim uses.
 */
export async function converse(channel: OwnerChannel, chatKey: string, input: DialogueInput, origin: MessageOrigin = {}): Promise<Reply[]> {
  const chat = await openChat(channel, chatKey);
  const { replies, held } = await answer(channel, chat, input, origin);
  const phone = dialogueState(chat).phone;
  const sent = input.kind === "photo" ? [input.photo.id] : [];
  const dropped = [...held.before, ...sent].filter((id) => !held.after.includes(id));
  if (phone && dropped.length)
    await discardUnlinked(ownerActor(phone, channel, origin.address ?? null), dropped).catch((error) => logger.warn({ err: error }, "owner photos not discarded"));
  return replies;
}

async function answer(
  channel: OwnerChannel,
  chat: OwnerChat,
  input: DialogueInput,
  { update, address }: MessageOrigin,
): Promise<{ replies: Reply[]; held: { before: string[]; after: string[] } }> {
  const none = { before: [], after: [] };
  const count = await countMessage(chat.id);
  if (count > FLOOD_LIMIT) return { replies: count === FLOOD_LIMIT + 1 ? [{ text: "您发送消息太快了，请稍等一分钟后再试。" }] : [], held: none };
  const leased = await takeLease(chat.id);
  if (!leased) return { replies: [{ text: "上一条消息还在处理中，请稍候再发。" }], held: none };
  // The same update twice at once (a webhook retried while the first was handled): the second waited for the lease.
  if (update && (await updateHandled(update))) {
    await releaseLease(leased.id);
    return { replies: [], held: none };
  }
  const stored = leased.state as StoredState;
  const notices = (stored.drained ?? []).map((n) => ({ text: n }));
  const before = dialogueState(leased);
  const services = ownerServices(channel, { id: chat.id, address: address ?? null });
  try {
    const { state, replies } = await handle(before, input, services);
    await save(leased, channel, state, before.phone, update, address ?? null);
    return { replies: [...notices, ...replies], held: { before: heldPhotos(before.step), after: heldPhotos(state.step) } };
  } catch (error) {
    logger.error({ err: error, channel }, "owner chat message failed");
    await save(leased, channel, before, before.phone, update, address ?? null).catch(() => {});
    const kept = heldPhotos(before.step);
    return { replies: [...notices, { text: `${BUSY}如需帮助请拨打服务热线 ${services.hotline}。` }], held: { before: kept, after: kept } };
  }
}

/** The photos a chat's report holds (underway, or kept while the owner is asked whether to leave it). */
function heldPhotos(step: Step): string[] {
  const report = step.at === "report" ? step : step.at === "leave" ? step.report : null;
  return report ? report.draft.photos.map((p) => p.id) : [];
}

/** Whether the update was handled already: its answer went out before, and is not given again. */
export async function updateHandled(update: TelegramUpdate): Promise<boolean> {
  const [row] = await db()
    .select({ id: telegramUpdates.updateId })
    .from(telegramUpdates)
    .where(and(eq(telegramUpdates.botId, update.botId), eq(telegramUpdates.updateId, update.updateId)));
  return Boolean(row);
}

/** The verified phone of a chat that is waiting for report photos, or null: only then is a photo worth storing. */
export async function photoOwner(channel: OwnerChannel, chatKey: string): Promise<string | null> {
  const [chat] = await db()
    .select()
    .from(ownerChats)
    .where(and(eq(ownerChats.channel, channel), eq(ownerChats.chatKey, chatKey)));
  if (!chat) return null;
  const { phone, step } = dialogueState(chat);
  if (!phone || step.at !== "report" || step.stage !== "photos" || step.draft.photos.length >= MAX_PHOTOS) return null;
  // A chat over its flood limit gets no answer, so nothing it sends is worth storing either.
  const flooding =
    chat.windowStart && chat.windowStart.getTime() > clock.now().getTime() - FLOOD_WINDOW_MS && chat.windowCount >= FLOOD_LIMIT;
  return flooding ? null : phone;
}

/** Whether a web chat key names a chat that exists (a key the server did not hand out is never adopted). */
export async function chatExists(channel: OwnerChannel, chatKey: string): Promise<boolean> {
  const [chat] = await db()
    .select({ id: ownerChats.id })
    .from(ownerChats)
    .where(and(eq(ownerChats.channel, channel), eq(ownerChats.chatKey, chatKey)));
  return Boolean(chat);
}

/** The verified chats of a phone on a channel (claim notices go to each of them). */
export async function chatsOfPhone(channel: OwnerChannel, phone: string): Promise<OwnerChat[]> {
  return db()
    .select()
    .from(ownerChats)
    .where(and(eq(ownerChats.channel, channel), eq(ownerChats.phone, phone), isNotNull(ownerChats.verifiedAt)));
}

/** Keeps a line for the phone's web chats, shown with the next answer they get. */
export async function keepWebNotice(phone: string, message: string): Promise<void> {
  await db()
    .update(ownerChats)
    .set({
      state: sql`jsonb_set(${ownerChats.state}, '{notices}', coalesce(${ownerChats.state}->'notices', '[]'::jsonb) || to_jsonb(${message}::text))`,
    })
    .where(and(eq(ownerChats.channel, "web"), eq(ownerChats.phone, phone), isNotNull(ownerChats.verifiedAt)));
}

/** The lines kept for a web chat since its last answer (the panel asks now and then); they are shown once. */
export async function takeNotices(chatKey: string): Promise<Reply[]> {
  const [row] = await db()
    .update(ownerChats)
    .set({
      state: sql`(${ownerChats.state} - 'notices') || jsonb_build_object('drained', coalesce(${ownerChats.state}->'notices', '[]'::jsonb))`,
    })
    .where(and(eq(ownerChats.channel, "web"), eq(ownerChats.chatKey, chatKey), sql`${ownerChats.state} ? 'notices'`))
    .returning({ state: ownerChats.state });
  return ((row?.state as StoredState | undefined)?.drained ?? []).map((text) => ({ text }));
}

function dialogueState(chat: OwnerChat): DialogueState {
  const stored = chat.state as StoredState;
  return { phone: chat.verifiedAt ? chat.phone : null, step: stored.step ?? { at: "menu" } };
}

async function openChat(channel: OwnerChannel, chatKey: string): Promise<OwnerChat> {
  await db().insert(ownerChats).values({ channel, chatKey }).onConflictDoNothing();
  const [chat] = await db()
    .select()
    .from(ownerChats)
    .where(and(eq(ownerChats.channel, channel), eq(ownerChats.chatKey, chatKey)));
  return chat;
}

/** Counts the message in the chat's current minute; the count it reached. */
async function countMessage(chatId: string): Promise<number> {
  const now = clock.now();
  const fresh = sql`(${ownerChats.windowStart} is null or ${ownerChats.windowStart} <= ${new Date(now.getTime() - FLOOD_WINDOW_MS).toISOString()}::timestamptz)`;
  const [row] = await db()
    .update(ownerChats)
    .set({
      windowCount: sql`case when ${fresh} then 1 else ${ownerChats.windowCount} + 1 end`,
      windowStart: sql`case when ${fresh} then ${now.toISOString()}::timestamptz else ${ownerChats.windowStart} end`,
    })
    .where(eq(ownerChats.id, chatId))
    .returning({ count: ownerChats.windowCount });
  return row.count;
}

/**
 * Takes the chat for this message, waiting while another message of it is handled; the notices
 * kept for it move to `drained` at the same moment, so none is shown twice or lost.
 */
async function takeLease(chatId: string): Promise<OwnerChat | null> {
  const deadline = Date.now() + LEASE_WAIT_MS;
  for (;;) {
    const now = clock.now();
    const until = new Date(now.getTime() + LEASE_MS).toISOString();
    const [row] = await db()
      .update(ownerChats)
      .set({
        state: sql`(${ownerChats.state} - 'notices') || jsonb_build_object('lease', ${until}::text, 'drained', coalesce(${ownerChats.state}->'notices', '[]'::jsonb))`,
      })
      .where(
        and(
          eq(ownerChats.id, chatId),
          sql`coalesce((${ownerChats.state}->>'lease')::timestamptz, '-infinity'::timestamptz) < ${now.toISOString()}::timestamptz`,
        ),
      )
      .returning();
    if (row) return row;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function releaseLease(chatId: string): Promise<void> {
  await db()
    .update(ownerChats)
    .set({ state: sql`${ownerChats.state} - 'lease'` })
    .where(eq(ownerChats.id, chatId));
}

/**
 * Stores where the dialogue went and gives the lease back; a newly verified phone is bound, with its
 * audit event; the Telegram update is recorded as handled (and those too old to come again dropped).
 */
async function save(
  chat: OwnerChat,
  channel: OwnerChannel,
  state: DialogueState,
  phoneBefore: string | null,
  update: TelegramUpdate | undefined,
  address: string | null,
): Promise<void> {
  const now = clock.now();
  const bound = state.phone && state.phone !== phoneBefore ? state.phone : null;
  const stored: StoredState = { step: state.step };
  await db().transaction(async (tx) => {
    await tx
      .update(ownerChats)
      .set({
        // Notices kept while the message was handled stay for the next answer.
        state: sql`${JSON.stringify(stored)}::jsonb || jsonb_strip_nulls(jsonb_build_object('notices', ${ownerChats.state}->'notices'))`,
        updatedAt: now,
        ...(bound ? { phone: bound, verifiedAt: now } : {}),
      })
      .where(eq(ownerChats.id, chat.id));
    if (bound) {
      await recordAudit(tx, ownerActor(bound, channel, address), {
        action: "owner.verify_phone",
        subjectType: "owner",
        subjectId: chat.id,
        after: { channel, phone: maskPhone(bound) },
      });
    }
    if (update) {
      await tx
        .insert(telegramUpdates)
        .values({ ...update, handledAt: now })
        .onConflictDoNothing();
      await tx
        .delete(telegramUpdates)
        .where(and(eq(telegramUpdates.botId, update.botId), lt(telegramUpdates.handledAt, new Date(now.getTime() - UPDATES_KEPT_MS))));
    }
  });
}
