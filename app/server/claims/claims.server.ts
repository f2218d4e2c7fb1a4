import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import {
  attachments,
  CLAIM_CHANNELS,
  BUILDING_PARTS,
  claims,
  ownerMessages,
  policies,
  projects,
  units,
  type Claim,
  type ClaimChannel,
} from "@db/schema";
import type { Tx } from "@db/client";
import { CLAIM_PART_SHORT, claimNumber } from "~/shared/claim-labels";
import { DESCRIPTION_MAX, ESTIMATE_MAX, REPORTER_NAME_MAX } from "~/shared/claim-limits";
import { normalisePhone, phoneRefusal } from "~/shared/phone";
import { formatDateTime } from "~/shared/time";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { tallyClaim } from "../tallies.server";
import { parseInput, requiredString } from "../validation.server";
import { flowStarterIn, stepTransaction } from "../workflow/index.server";
import { coverageParts, partInForce, unitLabel } from "./coverage.server";
import { refreshRepeats } from "./repeats.server";

// A claim's beginning: the report (报案), whichever way it comes in (the owners' bot or web page,
// the hotline on a caller's behalf, an insurer's core system), and what every later step shares:
// the claim locked for its step, and the owners told in their channels.

const fileRef = z.object({ id: z.uuid(), name: z.string().max(255), size: z.number().int().nonnegative() });

export const reportSchema = z.object({
  unitId: z.uuid({ error: "请选择房屋" }),
  part: z.enum(BUILDING_PARTS, { error: "请选择缺陷部位" }),
  description: requiredString("请描述缺陷情况")
    .trim()
    .min(1, "请描述缺陷情况")
    .max(DESCRIPTION_MAX, `缺陷描述不能超过${DESCRIPTION_MAX}个字`)
    .refine((s) => !s.includes("\u0000"), "缺陷描述含有无效字符"),
  photos: z.array(fileRef, { error: "照片格式不正确" }).max(9, "照片最多9张").default([]),
  reporterName: requiredString("请填写联系人")
    .trim()
    .min(1, "请填写联系人")
    .max(REPORTER_NAME_MAX, `联系人不能超过${REPORTER_NAME_MAX}个字`)
    .refine((s) => !s.includes("\u0000"), "联系人含有无效字符"),
  reporterPhone: requiredString("请填写联系电话").transform((v, ctx) => {
    const phone = normalisePhone(v);
    if (!phone) ctx.addIssue({ code: "custom", message: phoneRefusal("联系电话", v) });
    return phone ?? "";
  }),
  estimate: z
    .number({ error: "估计维修费用应为数字" })
    // Nothing or 0 is "not known": a claim with no estimate is surveyed, never fast-tracked on a 0.
    .min(1, "估计维修费用应不少于1元，不清楚可不填")
    .max(ESTIMATE_MAX, `估计维修费用不能超过${ESTIMATE_MAX / 10_000}万元`)
    .nullish(),
  channel: z.enum(CLAIM_CHANNELS),
});
export type ReportInput = z.input<typeof reportSchema>;

/** The channels each kind of reporter may use: owners their own, the hotline and insurers theirs. */
function channelAllowed(actor: Actor, channel: ClaimChannel): boolean {
  if (channel === "telegram" || channel === "web") return actor.roles.includes("owner");
  if (channel === "hotline") return actor.roles.includes("hotline");
  return actor.roles.includes("insurer");
}

/** The same report again within ten minutes (a double submit, a resent message) is the same claim. */
const REPEAT_WINDOW_MS = 10 * 60 * 1000;

/**
 * 报案: records the claim on a home the reporter may act for and starts its flow, in one
 * transaction. An owner reports on their own homes with their verified phone; the hotline on any
 * home for a caller; an insurer on homes of the projects it insures.
 */
export async function reportClaim(actor: Actor, input: unknown): Promise<Claim> {
  const data = parseInput(reportSchema, input);
  if (!channelAllowed(actor, data.channel)) throw new ForbiddenError("您不能通过该渠道报案");
  // An owner's contact is the phone they verified, whatever the form says.
  const reporterPhone = actor.roles.includes("owner") && actor.ownerPhone ? actor.ownerPhone : data.reporterPhone;
  return stepTransaction(async (tx) => {
    const [found] = await tx
      .select({ unit: units, project: projects, policy: policies })
      .from(units)
      .innerJoin(projects, eq(projects.id, units.projectId))
      .leftJoin(policies, eq(policies.projectId, projects.id))
      .where(and(eq(units.id, data.unitId), scope(actor, "unit")));
    if (!found) throw new NotFoundError("房屋不存在，或您无权为该房屋报案");
    const { unit, project, policy } = found;
    if (!policy || project.status !== "insured") throw new ValidationError({ unitId: "该房屋所在项目尚未投保潜在缺陷保险" });
    // The unit row is the lock that makes a repeated report find the first one.
    await tx.select({ id: units.id }).from(units).where(eq(units.id, unit.id)).for("update");
    const now = clock.now();
    const [repeat] = await tx
      .select({ seq: claims.seq })
      .from(claims)
      .where(
        and(
          eq(claims.unitId, unit.id),
          eq(claims.part, data.part),
          eq(claims.description, data.description),
          gt(claims.reportedAt, new Date(now.getTime() - REPEAT_WINDOW_MS)),
        ),
      );
    if (repeat) throw new ConflictError(`该报案已提交，案件号 ${claimNumber(repeat.seq)}`);
    // Everything that can refuse the report comes before the insert: a claim number is taken only
    // by a report that is accepted (the sequence does not give back a number a rollback took).
    const photos = await reportPhotos(tx, actor, data.photos);
    const today = formatDateTime(now, "YYYY-MM-DD");
    const inCoverage = partInForce(coverageParts(policy, today), data.part);
    const [claim] = await tx
      .insert(claims)
      .values({
        projectId: project.id,
        unitId: unit.id,
        policyId: policy.id,
        insurerId: project.leadInsurerId,
        channel: data.channel,
        part: data.part,
        inCoverage,
        description: data.description,
        photos: [],
        reporterName: data.reporterName,
        reporterPhone,
        homeOwnerPhone: unit.ownerPhone,
        estimate: data.estimate == null ? null : String(data.estimate),
        reportedBy: actor.userId,
        reportedAt: now,
        updatedAt: now,
      })
      .returning();
    await tallyClaim(tx, claim);
    await refreshRepeats(tx, claim);
    const photoIds = photos.map((photo) => photo.id);
    if (photoIds.length)
      await tx.update(attachments).set({ subjectType: "claim", subjectId: claim.id }).where(inArray(attachments.id, photoIds));
    const number = claimNumber(claim.seq);
    const flow = await flowStarterIn(tx)({
      key: "claim",
      businessType: "claim",
      businessKey: claim.id,
      title: `${project.name} ${unitLabel(unit)}：${CLAIM_PART_SHORT[data.part]}报案 ${number}`,
      parties: { insurer: project.leadInsurerId },
      variables: { estimate: data.estimate ?? null },
    });
    const [saved] = await tx.update(claims).set({ photos, instanceId: flow.id }).where(eq(claims.id, claim.id)).returning();
    await recordAudit(tx, actor, {
      action: "claim.report",
      subjectType: "claim",
      subjectId: claim.id,
      after: { number, unit: unitLabel(unit), part: data.part, channel: data.channel, inCoverage, estimate: data.estimate ?? null },
    });
    // Received, not accepted: the insurer has yet to accept it (状态 已报案). The owner's own report
    // is answered in their channel (报案成功！…); one the hotline or the insurer files is told to them.
    if (!actor.roles.includes("owner"))
      await tellOwners(tx, saved, `已收到您的报案，案件号 ${number}，等待保险公司受理。受理后会在这里通知您。`);
    return saved;
  });
}

/**
 * The report's photos: files the reporter uploaded and has not used elsewhere (one upload is one
 * photo), locked until the claim they go with is stored. Their names and sizes come from the rows.
 */
async function reportPhotos(tx: Tx, actor: Actor, refs: { id: string }[]) {
  if (!refs.length) return [];
  const ids = refs.map((r) => r.id.toLowerCase());
  if (new Set(ids).size !== ids.length) throw new ValidationError({ photos: "同一张照片不能重复提交" });
  const rows = await tx
    .select({ id: attachments.id, name: attachments.fileName, size: attachments.size, contentType: attachments.contentType })
    .from(attachments)
    .where(and(inArray(attachments.id, ids), eq(attachments.uploadedBy, actor.userId ?? ""), isNull(attachments.subjectType)))
    .for("update");
  if (rows.length !== ids.length) throw new ValidationError({ photos: "照片不存在或已使用，请重新上传" });
  if (rows.some((r) => !r.contentType.startsWith("image/"))) throw new ValidationError({ photos: "只能上传照片（JPG、PNG）" });
  return ids.map((id) => rows.find((r) => r.id === id)!).map(({ id, name, size }) => ({ id, name, size }));
}

/** The claim a step of its flow acts on, locked for the step. */
export async function lockClaim(tx: Tx, claimId: string): Promise<Claim> {
  const [claim] = await tx.select().from(claims).where(eq(claims.id, claimId)).for("update");
  if (!claim) throw new NotFoundError("理赔案件不存在");
  return claim;
}

/**
 * Tells the claim's owners (its reporter and the home's registered owner) in their channels: the
 * message waits in owner_messages until the bot has sent it; the web page and chat read it there.
 */
export async function tellOwners(tx: Tx, claim: Claim, text: string): Promise<void> {
  const phones = [...new Set([claim.reporterPhone, claim.homeOwnerPhone].filter((p): p is string => !!p))];
  const number = claimNumber(claim.seq);
  const now = clock.now();
  if (phones.length)
    await tx
      .insert(ownerMessages)
      .values(phones.map((phone) => ({ phone, claimId: claim.id, text: `【${number}】${text}`, createdAt: now })));
}

/** Tells the handling insurer's staff (and others) in the platform. */
export async function tellStaff(
  tx: Tx,
  claim: Claim,
  to: { roles: string[]; organisationId: string | null }[],
  title: string,
  body: string,
): Promise<void> {
  const message = { title: `${title}：${claimNumber(claim.seq)}`, body, link: `/claims/${claim.id}` };
  await notify(
    tx,
    to.map((audience) => ({ to: audience, message })),
  );
}
