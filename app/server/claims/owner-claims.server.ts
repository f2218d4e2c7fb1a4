import { and, asc, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { z } from "zod";
import { claimRatings, claims, ownerMessages, projects, RATING_REASONS, units } from "@db/schema";
import { CLAIM_PART_SHORT, CLAIM_STATUS_LABELS, claimNumber } from "~/shared/claim-labels";
import { RATING_COMMENT_MAX } from "~/shared/claim-limits";
import { formatDateTime } from "~/shared/time";
import { storeAttachment, type AttachmentRef } from "../attachments.server";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError, NotFoundError, ValidationError } from "../errors.server";
import { logger } from "../logger.server";
import { parseInput } from "../validation.server";
import { completeTask, openTasksOf } from "../workflow/index.server";
import { claimTimeline } from "./claim-queries.server";
import { unitLabel } from "./coverage.server";

// What the owners' channels (the bot, the web chat, the owners' page) do for an owner known by a
// verified phone: their homes, their claims and each one's progress, rating a closed claim, and
// the messages about their claims. Everything goes through the scope of an owner actor.

/** An owner acting through a channel, known only by the phone they verified. */
/** An owner acting on a channel, from `ip` (the web's; Telegram's messages come from Telegram, not the owner). */
export function ownerActor(phone: string, channel: "telegram" | "web" | "hotline", ip: string | null = null): Actor {
  return {
    userId: `owner:${phone}`,
    // The channel the owner acts through, for the records (a rating says where it was given).
    username: `${channel}:${phone}`,
    displayName: `业主（${phone.slice(0, 3)}****${phone.slice(7)}，${channel === "telegram" ? "机器人" : channel === "web" ? "网页" : "热线"}）`,
    organisationId: null,
    organisationType: null,
    organisationName: null,
    roles: ["owner"],
    ip,
    ownerPhone: phone,
  };
}

/** The homes registered with this phone. */
export async function ownerUnits(phone: string) {
  const rows = await db()
    .select({ unit: units, projectName: projects.name, communityName: projects.communityName })
    .from(units)
    .innerJoin(projects, eq(projects.id, units.projectId))
    .where(eq(units.ownerPhone, phone))
    .orderBy(asc(projects.communityName), asc(units.building), asc(units.unitNo), asc(units.room));
  return rows.map((r) => ({ id: r.unit.id, label: unitLabel(r.unit), projectName: r.projectName, communityName: r.communityName }));
}

/** The owner's claims (with their home and whether they are rated) that also meet `where`, newest first. */
async function ownersClaimRows(phone: string, where?: SQL, limit = 50) {
  return db()
    .select({
      claim: claims,
      unit: units,
      communityName: projects.communityName,
      ratingId: claimRatings.id,
      stars: claimRatings.stars,
      reasons: claimRatings.reasons,
      comment: claimRatings.comment,
    })
    .from(claims)
    .innerJoin(units, eq(units.id, claims.unitId))
    .innerJoin(projects, eq(projects.id, claims.projectId))
    .leftJoin(claimRatings, eq(claimRatings.claimId, claims.id))
    .where(and(scope(ownerActor(phone, "web"), "claim"), where))
    .orderBy(desc(claims.reportedAt))
    .limit(limit);
}

/**
 * A claim as the owner's channels name it; rateable while closed and not yet rated (once rated, with
 * the rating given), to confirm while its repair waits for the owner.
 */
function ownersClaim({
  claim,
  unit,
  communityName,
  ratingId,
  stars,
  reasons,
  comment,
}: Awaited<ReturnType<typeof ownersClaimRows>>[number]) {
  return {
    id: claim.id,
    number: claimNumber(claim.seq),
    // With the community: an owner may have homes in several.
    unitLabel: `${communityName} ${unitLabel(unit)}`,
    partLabel: CLAIM_PART_SHORT[claim.part],
    statusLabel: CLAIM_STATUS_LABELS[claim.status],
    canRate: claim.status === "closed" && !ratingId,
    rating: ratingId && stars ? { stars, reasons: reasons ?? [], comment: comment ?? null } : null,
    canConfirm: claim.status === "confirming",
  };
}

/** The owner's claims, newest first: all of them (the channels page through them), up to a bound no owner reaches. */
export async function ownerClaims(phone: string) {
  return (await ownersClaimRows(phone, undefined, 500)).map((row) => ({
    ...ownersClaim(row),
    reportedAt: formatDateTime(row.claim.reportedAt),
  }));
}

/** One of the owner's claims with its steps as the owner is told them; NotFoundError for anyone else's. */
export async function ownerClaimTimeline(phone: string, claimId: string) {
  if (!z.uuid().safeParse(claimId).success) throw new NotFoundError("案件不存在");
  const [row] = await ownersClaimRows(phone, eq(claims.id, claimId), 1);
  if (!row) throw new NotFoundError("案件不存在");
  const steps = (await claimTimeline(claimId))
    .filter((s) => s.action !== "claim.overdue")
    .map((s) => ({ at: formatDateTime(s.at), label: s.label, ...(s.detail ? { detail: s.detail } : {}) }));
  return { ...ownersClaim(row), status: row.claim.status, steps };
}

/**
 * 业主验收 in the owner's own channel: the claim's open 验收 step completed as the owner, with the
 * step's form rules (a refusal needs its reason). Another owner's claim is not found; a claim not
 * waiting for the owner is a conflict.
 */
export async function confirmRepair(actor: Actor, claimId: string, input: { decision: "accept" | "refuse"; reason?: string }) {
  if (!z.uuid().safeParse(claimId).success) throw new NotFoundError("案件不存在");
  const [claim] = await db()
    .select({ instanceId: claims.instanceId })
    .from(claims)
    .where(and(eq(claims.id, claimId), scope(actor, "claim")));
  if (!claim) throw new NotFoundError("案件不存在");
  const task = claim.instanceId ? (await openTasksOf(claim.instanceId)).find((t) => t.elementId === "confirm") : undefined;
  if (!task) throw new ConflictError("该案件当前不需要您验收");
  await completeTask(actor, task.id, { submission: { decision: input.decision, ...(input.reason ? { reason: input.reason } : {}) } });
}

const ratingSchema = z.object({
  stars: z.number({ error: "请选择1至5星" }).int("请选择1至5星").min(1, "请选择1至5星").max(5, "请选择1至5星"),
  reasons: z
    .array(z.enum(RATING_REASONS, { error: "评价原因不正确" }))
    .max(RATING_REASONS.length)
    .default([]),
  comment: z
    .string()
    .trim()
    .max(RATING_COMMENT_MAX, `评价内容不能超过${RATING_COMMENT_MAX}个字`)
    .refine((s) => !s.includes("\u0000"), "评价内容含有无效字符")
    .optional(),
});

/** A rating as the rating service would take it (422 by field otherwise), for a channel that checks before it spends a code. */
export function checkRating(input: unknown) {
  return parseInput(ratingSchema, input);
}

/** 服务评价: the owner rates a closed claim once (or the hotline records it for them). */
export async function rateClaim(actor: Actor, claimId: string, input: unknown): Promise<void> {
  if (!z.uuid().safeParse(claimId).success) throw new NotFoundError("案件不存在");
  const data = parseInput(ratingSchema, input);
  await db().transaction(async (tx) => {
    const [claim] = await tx
      .select()
      .from(claims)
      .where(and(eq(claims.id, claimId), scope(actor, "claim")))
      .for("update");
    if (!claim) throw new NotFoundError("案件不存在");
    if (claim.status !== "closed") throw new ConflictError("案件结案后才能评价");
    const [existing] = await tx.select({ id: claimRatings.id }).from(claimRatings).where(eq(claimRatings.claimId, claimId));
    if (existing) throw new ConflictError("该案件已评价，感谢您的反馈");
    const channel = actor.roles.includes("hotline") ? "hotline" : actor.username.startsWith("telegram:") ? "telegram" : "web";
    const reasons = [...new Set(data.reasons)];
    await tx.insert(claimRatings).values({
      claimId,
      insurerId: claim.insurerId,
      repairerId: claim.repairerId,
      stars: data.stars,
      reasons,
      comment: data.comment || null,
      channel,
      createdAt: clock.now(),
    });
    await recordAudit(tx, actor, {
      action: "claim.rate",
      subjectType: "claim",
      subjectId: claimId,
      after: { stars: data.stars, reasons, comment: data.comment || null },
    });
  });
}

/** A photo an owner sends with a report: JPG or PNG only (judged by the bytes), within the upload limit. */
export async function storeOwnerPhoto(actor: Actor, file: { name: string; bytes: Uint8Array }): Promise<AttachmentRef> {
  const type = await fileTypeFromBuffer(file.bytes);
  if (!type || !["image/jpeg", "image/png"].includes(type.mime)) throw new ValidationError({ photo: "只能发送照片（JPG、PNG）" });
  return storeAttachment(actor, file);
}

type StepChange = { claimId: string; number: string; phone: string; statusLabel: string; message: string };
const registered: ((change: StepChange) => Promise<void>)[] = [];

/**
 * Registers a channel that pushes owners' messages (the Telegram bot). The messages are durable
 * rows (owner_messages); `deliverOwnerMessages` hands the undelivered ones to every listener,
 * whichever process runs it. Returns what takes the listener off again.
 */
export function onClaimStepChange(listener: (change: StepChange) => Promise<void>): () => void {
  registered.push(listener);
  return () => {
    const at = registered.indexOf(listener);
    if (at >= 0) registered.splice(at, 1);
  };
}

/**
 * Sends what is waiting to the registered channels; called by the scheduler's tick. The messages
 * are first claimed (marked delivered, rows locked with SKIP LOCKED so two processes never take the
 * same one) and committed; the listeners run after the commit, outside any transaction, and a
 * message whose listener fails is released for the next tick.
 */
export async function deliverOwnerMessages(limit = 100): Promise<number> {
  if (!registered.length) return 0;
  const claimed = await db().transaction(async (tx) => {
    const pending = await tx
      .select({ message: ownerMessages, claim: claims })
      .from(ownerMessages)
      .innerJoin(claims, eq(claims.id, ownerMessages.claimId))
      .where(isNull(ownerMessages.deliveredAt))
      .orderBy(asc(ownerMessages.createdAt))
      .limit(limit)
      .for("update", { of: ownerMessages, skipLocked: true });
    if (pending.length)
      await tx
        .update(ownerMessages)
        .set({ deliveredAt: clock.now() })
        .where(
          inArray(
            ownerMessages.id,
            pending.map((p) => p.message.id),
          ),
        );
    return pending;
  });
  for (const { message, claim } of claimed) {
    const change = {
      claimId: claim.id,
      number: claimNumber(claim.seq),
      phone: message.phone,
      statusLabel: CLAIM_STATUS_LABELS[claim.status],
      message: message.text,
    };
    try {
      for (const listener of registered) await listener(change);
    } catch (error) {
      logger.warn({ err: error, claimId: claim.id }, "owner message not delivered; kept for the next poll");
      await db().update(ownerMessages).set({ deliveredAt: null }).where(eq(ownerMessages.id, message.id));
    }
  }
  return claimed.length;
}
