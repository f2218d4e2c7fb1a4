import { eq } from "drizzle-orm";
import { z } from "zod";
import { BUILDING_PARTS, claims, organisations, type Claim, type ClaimStatus } from "@db/schema";
import type { Tx } from "@db/client";
import { CLAIM_PART_SHORT, CLAIM_STEP_LABELS, claimNumber } from "~/shared/claim-labels";
import { formatMoney } from "~/shared/figures";
import { isCalendarDate } from "~/shared/time";
import type { AuditAction } from "~/shared/audit-actions";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { env } from "../env.server";
import { ConflictError, ValidationError } from "../errors.server";
import { findKnownParty } from "../projects/parties.server";
import { parseInput } from "../validation.server";
import { lockClaim, tellOwners, tellStaff } from "./claims.server";
import { refreshRepeats } from "./repeats.server";

// Each step of a claim's flow (processes/claim.bpmn) recorded on the claim: what the insurer, the
// repairer and the owner submitted, the claim's status, the owners told. Run inside the step.

const fileRef = z.object({ id: z.uuid(), name: z.string().max(255), size: z.number().int().nonnegative() });
const day = (label: string) => z.string().refine(isCalendarDate, `${label}不是有效日期`);
const text = (max: number) => z.string().trim().min(1).max(max);
// An amount as the forms bound it, in the same words (the forms say it first, in the browser).
const money = (label: string) => z.coerce.number().min(0, `${label}不能为负数`).max(100_000_000, `${label}不能超过1亿元`);

/** The statuses a step may act from: a claim that has moved on (or ended) refuses the step. */
function refuseUnless(claim: Claim, allowed: ClaimStatus[]) {
  if (!allowed.includes(claim.status)) throw new ConflictError(`理赔案件 ${claimNumber(claim.seq)} 当前状态不能办理该步骤`);
}

async function update(tx: Tx, claim: Claim, change: Partial<typeof claims.$inferInsert>): Promise<Claim> {
  const [saved] = await tx
    .update(claims)
    .set({ ...change, updatedAt: clock.now() })
    .where(eq(claims.id, claim.id))
    .returning();
  return saved;
}

async function audit(tx: Tx, actor: Actor, action: AuditAction, before: Claim, after: Claim, detail: Record<string, unknown> = {}) {
  await recordAudit(tx, actor, {
    action,
    subjectType: "claim",
    subjectId: after.id,
    before: { status: before.status },
    after: { status: after.status, ...detail },
  });
}

const acceptance = z.object({ repairerCreditCode: z.string(), contactedOn: day("联系业主日期"), note: z.string().max(500).optional() });

/**
 * 受理: the insurer takes the claim on and names the repairer it entrusts. Returns the estimate the
 * fast-track gateway compares (only for a part under cover in force) and the repairer as the
 * flow's party.
 */
export async function acceptClaim(tx: Tx, actor: Actor, claimId: string, input: unknown) {
  const claim = await lockClaim(tx, claimId);
  refuseUnless(claim, ["reported"]);
  const data = parseInput(acceptance, input);
  const repairer = await findKnownParty(tx, "repairer", data.repairerCreditCode);
  if ("problem" in repairer) throw new ValidationError({ repairerCreditCode: repairer.problem });
  const saved = await update(tx, claim, { status: "accepted", acceptedAt: clock.now(), repairerId: repairer.id });
  await audit(tx, actor, "claim.accept", claim, saved, { repairerId: repairer.id, contactedOn: data.contactedOn });
  await tellOwners(tx, saved, "保险公司已受理您的报案，将安排查勘或维修。");
  return {
    coveredEstimate: claim.inCoverage && claim.estimate != null ? Number(claim.estimate) : null,
    parties: { repairer: repairer.id },
  };
}

/** 小额快赔: below the diagram's threshold the survey is skipped, the claim registered on the reported estimate. */
export async function fastTrackClaim(tx: Tx, actor: Actor, claimId: string) {
  const claim = await lockClaim(tx, claimId);
  refuseUnless(claim, ["accepted"]);
  const estimate = Number(claim.estimate ?? 0);
  const saved = await update(tx, claim, {
    status: "repairing",
    fastTrack: true,
    decidedAt: clock.now(),
    assessment: { plan: "小额快赔：免于查勘，按报案估损直接维修", estimatedCost: estimate },
  });
  await audit(tx, actor, "claim.fast_track", claim, saved, { estimate });
  await tellOwners(tx, saved, `您的报案属于小额快赔，已直接立案并安排维修单位上门维修。`);
  await tellRepairer(tx, saved);
  return { fastTrack: true };
}

const surveySchema = z.object({
  surveyedOn: day("查勘日期"),
  part: z.enum(BUILDING_PARTS),
  cause: text(1000),
  extent: text(1000),
  photos: z.array(fileRef).min(1).max(20),
  recommendation: text(1000),
});

/** 查勘: the unified survey report, kept on the claim. */
export async function recordSurvey(tx: Tx, actor: Actor, claimId: string, input: unknown) {
  const claim = await lockClaim(tx, claimId);
  refuseUnless(claim, ["accepted"]);
  const survey = parseInput(surveySchema, input);
  const saved = await update(tx, claim, { survey });
  await audit(tx, actor, "claim.survey", claim, saved, { surveyedOn: survey.surveyedOn, part: survey.part });
  await tellOwners(tx, saved, `现场查勘已完成（查勘日期 ${survey.surveyedOn}），保险公司将据此作出是否立案的决定。`);
  return { surveyed: true };
}

/** 立案 or 不予立案: a decline tells the owner why. */
export async function decideClaim(tx: Tx, actor: Actor, claimId: string, register: boolean, reason: string | null | undefined) {
  const claim = await lockClaim(tx, claimId);
  refuseUnless(claim, ["accepted"]);
  const cleanReason = (reason ?? "").trim();
  if (!register && !cleanReason) throw new ValidationError({ reason: "不予立案时必须填写原因，原因将告知业主" });
  const now = clock.now();
  const saved = await update(
    tx,
    claim,
    register ? { status: "registered", decidedAt: now } : { status: "declined", decidedAt: now, declineReason: cleanReason, closedAt: now },
  );
  await audit(tx, actor, register ? "claim.register" : "claim.decline", claim, saved, register ? {} : { reason: cleanReason });
  await tellOwners(
    tx,
    saved,
    register
      ? "您的报案已立案，保险公司将确定维修方案。"
      : `经查勘，您的报案不属于保险责任范围，不予立案。原因：${cleanReason}。如有异议，请拨打服务热线 ${env().HOTLINE_PHONE}。`,
  );
  return { status: saved.status };
}

const assessmentSchema = z.object({ plan: text(2000), estimatedCost: money("核定损失金额") });

/** 定损: the repair plan and the assessed cost; the repairer is told to start. */
export async function recordAssessment(tx: Tx, actor: Actor, claimId: string, input: unknown) {
  const claim = await lockClaim(tx, claimId);
  refuseUnless(claim, ["registered"]);
  const assessment = parseInput(assessmentSchema, input);
  const saved = await update(tx, claim, { status: "repairing", assessment });
  await audit(tx, actor, "claim.assess", claim, saved, { estimatedCost: assessment.estimatedCost });
  await tellOwners(tx, saved, `定损完成（核定金额 ${formatMoney(assessment.estimatedCost)} 元），维修单位将与您约定维修时间。`);
  await tellRepairer(tx, saved);
  return { estimatedCost: assessment.estimatedCost };
}

async function tellRepairer(tx: Tx, claim: Claim) {
  if (claim.repairerId)
    await tellStaff(
      tx,
      claim,
      [{ roles: ["repairer"], organisationId: claim.repairerId }],
      "新的维修任务",
      `请按定损方案维修${CLAIM_PART_SHORT[claim.part]}缺陷。`,
    );
}

const repairSchema = z.object({
  startedOn: day("开工日期"),
  finishedOn: day("完工日期"),
  description: text(2000),
  beforePhotos: z.array(fileRef).min(1).max(20),
  afterPhotos: z.array(fileRef).min(1).max(20),
});

/** 维修: the repairer's report with photos before and after; the owner is asked to confirm. */
export async function recordRepair(tx: Tx, actor: Actor, claimId: string, input: unknown) {
  const claim = await lockClaim(tx, claimId);
  refuseUnless(claim, ["repairing"]);
  const repair = parseInput(repairSchema, input);
  if (repair.finishedOn < repair.startedOn) throw new ValidationError({ finishedOn: "完工日期不能早于开工日期" });
  const saved = await update(tx, claim, { status: "confirming", repair });
  await refreshRepeats(tx, saved);
  await audit(tx, actor, "claim.repair", claim, saved, { finishedOn: repair.finishedOn });
  await tellOwners(tx, saved, "维修已完成，请确认维修结果：满意请验收，不满意可说明原因退回重修。");
  return { repaired: true };
}

/** 验收: the owner accepts the repair, or sends it back with the reason. */
export async function confirmRepair(tx: Tx, actor: Actor, claimId: string, accepted: boolean, reason: string | null | undefined) {
  const claim = await lockClaim(tx, claimId);
  refuseUnless(claim, ["confirming"]);
  const cleanReason = (reason ?? "").trim();
  if (!accepted && !cleanReason) throw new ValidationError({ reason: "退回重修时必须说明原因" });
  const saved = await update(
    tx,
    claim,
    accepted
      ? { status: "settling", refusalReason: null }
      : { status: "repairing", refusalReason: cleanReason, refusalCount: claim.refusalCount + 1 },
  );
  await audit(tx, actor, accepted ? "claim.confirm" : "claim.refuse", claim, saved, accepted ? {} : { reason: cleanReason });
  // The owner's own 验收 is answered in their channel; one the hotline records for them is told to them.
  if (!actor.roles.includes("owner"))
    await tellOwners(
      tx,
      saved,
      accepted
        ? "服务热线已按您的意见登记验收合格，保险公司将办理结案。"
        : `服务热线已按您的意见退回重修，原因：${cleanReason}。维修单位将再次上门处理。`,
    );
  if (!accepted) {
    const to: { roles: string[]; organisationId: string | null }[] = [{ roles: ["insurer"], organisationId: claim.insurerId }];
    if (claim.repairerId) to.push({ roles: ["repairer"], organisationId: claim.repairerId });
    await tellStaff(tx, saved, to, "业主退回重修", `业主意见：${cleanReason}`);
  }
  return { accepted };
}

/** Days an owner has to confirm a finished repair before it is taken as confirmed (the diagram's confirmDue timer). */
export const CONFIRM_DAYS = 15;

/** The owner, still silent a week after the repair: reminded, with what happens if they stay silent. */
export async function remindOwnerToConfirm(tx: Tx, claimId: string) {
  const claim = await lockClaim(tx, claimId);
  if (claim.status !== "confirming") return { reminded: false };
  await tellOwners(
    tx,
    claim,
    `维修已完成，请尽快确认维修结果：满意请验收，不满意可说明原因退回重修。维修完成后${CONFIRM_DAYS}日内未确认的，视为验收合格。`,
  );
  return { reminded: true };
}

/** 视为验收合格: the owner let the time for the 验收 pass; the claim goes on to settlement and the owner is told. */
export async function deemConfirmed(tx: Tx, actor: Actor, claimId: string) {
  const claim = await lockClaim(tx, claimId);
  refuseUnless(claim, ["confirming"]);
  const saved = await update(tx, claim, { status: "settling", refusalReason: null });
  await audit(tx, actor, "claim.deemed_confirmed", claim, saved, { days: CONFIRM_DAYS });
  await tellOwners(
    tx,
    saved,
    `维修完成后${CONFIRM_DAYS}日内未收到您的验收意见，视为验收合格，保险公司将办理结案。如有异议，请拨打服务热线 ${env().HOTLINE_PHONE}。`,
  );
  return { accepted: true };
}

const settlementSchema = z.object({
  part: z.enum(BUILDING_PARTS),
  cause: text(1000),
  cost: money("维修费用"),
  paidAmount: money("赔付金额"),
  note: z.string().max(500).optional(),
});

/** 结案: the amount paid, cause, part and cost are kept for the regulator and reinsurers; the owner is asked to rate. */
export async function settleClaim(tx: Tx, actor: Actor, claimId: string, input: unknown) {
  const claim = await lockClaim(tx, claimId);
  refuseUnless(claim, ["settling"]);
  const data = parseInput(settlementSchema, input);
  const [repairer] = claim.repairerId
    ? await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, claim.repairerId))
    : [];
  const settlement = {
    paidAmount: data.paidAmount,
    cause: data.cause,
    part: data.part,
    cost: data.cost,
    repairerName: repairer?.name ?? null,
  };
  const saved = await update(tx, claim, { status: "closed", settlement, closedAt: clock.now() });
  await audit(tx, actor, "claim.close", claim, saved, { paidAmount: data.paidAmount, cost: data.cost });
  await tellOwners(tx, saved, `您的案件已结案，赔付金额 ${formatMoney(data.paidAmount)} 元。欢迎对本次理赔服务进行评价。`);
  return { closed: true };
}

/**
 * A step went past its time limit: marked once per step (the regulator's list shows it red), the
 * insurer reminded; `escalate` also tells the regulator. A step already done changes nothing.
 */
export async function markStepOverdue(tx: Tx, actor: Actor, claimId: string, step: string, escalate: boolean) {
  if (!CLAIM_STEP_LABELS[step]) throw new Error(`理赔环节“${step}”不存在，可用：${Object.keys(CLAIM_STEP_LABELS).join("、")}`);
  const claim = await lockClaim(tx, claimId);
  const escalating = escalate && !claim.escalatedAt;
  // A step is marked once; a later, outer limit on the same step may still escalate it.
  if ((claim.overdueSteps.includes(step) && !escalating) || ["closed", "declined", "withdrawn"].includes(claim.status))
    return { overdue: false };
  const saved = await update(tx, claim, {
    overdueSteps: claim.overdueSteps.includes(step) ? claim.overdueSteps : [...claim.overdueSteps, step],
    ...(escalating ? { escalatedAt: clock.now() } : {}),
  });
  await audit(tx, actor, "claim.overdue", claim, saved, { step, escalated: escalate });
  const label = CLAIM_STEP_LABELS[step];
  const to: { roles: string[]; organisationId: string | null }[] = [{ roles: ["insurer"], organisationId: claim.insurerId }];
  if (step === "repair" && claim.repairerId) to.push({ roles: ["repairer"], organisationId: claim.repairerId });
  if (escalate) to.push({ roles: ["regulator"], organisationId: null });
  await tellStaff(tx, saved, to, `理赔${label}已逾期`, `该案件的${label}已超过时限，请尽快办理。`);
  return { overdue: true };
}

/** A reminder before the limit: the insurer is told the step waits. */
export async function remindStep(tx: Tx, claimId: string, step: string) {
  if (!CLAIM_STEP_LABELS[step]) throw new Error(`理赔环节“${step}”不存在，可用：${Object.keys(CLAIM_STEP_LABELS).join("、")}`);
  const claim = await lockClaim(tx, claimId);
  if (claim.status !== "reported" && step === "accept") return { reminded: false };
  const label = CLAIM_STEP_LABELS[step];
  await tellStaff(
    tx,
    claim,
    [{ roles: ["insurer"], organisationId: claim.insurerId }],
    `请尽快${label}`,
    `该案件等待${label}，即将超过时限。`,
  );
  return { reminded: true };
}
