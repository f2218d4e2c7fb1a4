import { eq } from "drizzle-orm";
import { claims, policies, units, type Claim } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { reportClaim } from "~/server/claims/claims.server";
import { ownerActor } from "~/server/claims/owner-claims.server";
import { clock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { parseClaimNumber } from "~/shared/claim-labels";
import { formatDateTime, shiftDay } from "~/shared/time";
import { complete, insuredProject, photo, staffOf, type InsuredProject, type RiskParties } from "./risk";
import { demoActor } from "./actors";
import { demoCreditCode } from "./workflow";

// Claims as tests drive them: an insured project whose homes are handed over (the cover in force),
// owners known by their phones, and the submissions of the claim's steps.

let serial = 0;

export interface DeliveredProject extends InsuredProject {
  /** Homes with their owners' phones, in the order given. */
  homes: { id: string; phone: string }[];
}

/**
 * An insured project whose cover has started (the policy's period moved to a year ago, with the
 * usual three coverage lines) with a
 * home for each phone. Homes are written directly: importing them has its own test.
 */
export async function deliveredProject(phones: string[], parties?: RiskParties, coverStarted = true): Promise<DeliveredProject> {
  const project = await insuredProject(`理赔测试项目${++serial}`, parties);
  const today = formatDateTime(clock.now(), "YYYY-MM-DD");
  const start = coverStarted ? shiftDay(today, -1, "year") : shiftDay(today, 1, "year");
  await db()
    .update(policies)
    .set({
      periodStart: start,
      periodEnd: shiftDay(start, 10, "year"),
      coverage: [
        { part: "地基基础和主体结构", years: 10 },
        { part: "保温和防水", years: 5 },
        { part: "其他部位（装饰装修、电气管线、给排水管道、供热与供冷系统等）", years: 2 },
      ],
    })
    .where(eq(policies.projectId, project.projectId));
  const homes = [];
  for (const [i, phone] of phones.entries()) {
    const [home] = await db()
      .insert(units)
      .values({
        projectId: project.projectId,
        building: "1",
        unitNo: "2",
        room: String(1501 + i),
        area: "98.5",
        ownerName: `业主${i + 1}`,
        ownerPhone: phone,
      })
      .returning();
    homes.push({ id: home.id, phone });
  }
  return { ...project, homes };
}

/** An owner's web report on their home, with one photo. */
export async function ownerReports(phone: string, unitId: string, overrides: Record<string, unknown> = {}): Promise<Claim> {
  const owner = ownerActor(phone, "web");
  const picture = await photo(owner, "渗水.png");
  return reportClaim(owner, {
    unitId,
    part: "waterproofing",
    description: `卫生间顶棚渗水 ${Math.random().toString(36).slice(2, 6)}`,
    photos: [picture],
    reporterName: "业主",
    reporterPhone: phone,
    estimate: 8000,
    channel: "web",
    ...overrides,
  });
}

export const repairerActor = () => demoActor("repairer");
export { staffOf };

export async function claimRow(id: string): Promise<Claim> {
  const [row] = await db().select().from(claims).where(eq(claims.id, id));
  return row;
}

/** A claim closed in place, by its number, as if settled: for tests about what comes after (the rating). */
export async function markClosed(number: string): Promise<void> {
  await db()
    .update(claims)
    .set({ status: "closed", closedAt: clock.now() })
    .where(eq(claims.seq, parseClaimNumber(number)!));
}

export const acceptance = (overrides: Record<string, unknown> = {}) => ({
  repairerCreditCode: demoCreditCode("rep-lj"),
  contactedOn: formatDateTime(clock.now(), "YYYY-MM-DD"),
  ...overrides,
});

export async function surveySubmission(actor: Actor) {
  return {
    surveyedOn: formatDateTime(clock.now(), "YYYY-MM-DD"),
    part: "waterproofing",
    cause: "卫生间防水层破损",
    extent: "顶棚约2平方米渗水",
    photos: [await photo(actor, "查勘.png")],
    recommendation: "重做防水层并修复顶棚",
  };
}

export async function repairSubmission(actor: Actor) {
  const today = formatDateTime(clock.now(), "YYYY-MM-DD");
  return {
    startedOn: today,
    finishedOn: today,
    description: "重做卫生间防水层，修补顶棚",
    beforePhotos: [await photo(actor, "维修前.png")],
    afterPhotos: [await photo(actor, "维修后.png")],
  };
}

export { complete };
