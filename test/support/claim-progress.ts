import type { Claim } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { ownerActor } from "~/server/claims/owner-claims.server";
import { claimNumber } from "~/shared/claim-labels";
import {
  acceptance,
  claimRow,
  complete,
  deliveredProject,
  ownerReports,
  repairerActor,
  repairSubmission,
  type DeliveredProject,
} from "./claims";

// Claims moved along their flow the short way (the fast track: a small estimate skips the survey),
// for tests about what owners and the hotline do at the end of a claim.

const step = async (actor: Actor, claimId: string, elementId: string, submission: unknown) =>
  complete(actor, (await claimRow(claimId)).instanceId!, elementId, submission);

/** An owner's small claim, accepted and repaired: it waits for the owner's confirmation (业主验收). */
export async function claimAwaitingConfirmation(p: DeliveredProject, phone: string, unitId: string): Promise<Claim> {
  const claim = await ownerReports(phone, unitId, { estimate: 1500, part: "plumbing" });
  await step(p.insurer, claim.id, "accept", acceptance());
  const repairer = await repairerActor();
  await step(repairer, claim.id, "repair", await repairSubmission(repairer));
  return claimRow(claim.id);
}

/** A claim through to 结案, confirmed by `confirmer` (the owner by default). */
export async function closedClaim(p: DeliveredProject, phone: string, unitId: string, confirmer?: Actor): Promise<Claim> {
  const claim = await claimAwaitingConfirmation(p, phone, unitId);
  await step(confirmer ?? ownerActor(phone, "web"), claim.id, "confirm", { decision: "accept" });
  await step(p.insurer, claim.id, "settle", { part: "plumbing", cause: "给水管接头松动", cost: 1200, paidAmount: 1200 });
  return claimRow(claim.id);
}

/**
 * An owner of one home with `total` claims, the oldest of them waiting for the owner's 验收: what
 * 我的报案 must not hide behind the newer ones. Answers that claim's number.
 */
export async function ownerWithManyClaims(phone: string, total: number): Promise<string> {
  const p = await deliveredProject([phone]);
  const waiting = await claimAwaitingConfirmation(p, phone, p.homes[0].id);
  for (let i = 1; i < total; i++) await ownerReports(phone, p.homes[0].id);
  return claimNumber(waiting.seq);
}
