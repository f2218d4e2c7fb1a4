import { loadExcelJs } from "~/server/exports/exceljs.server";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { claims, ownerMessages, units } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { reportClaim } from "~/server/claims/claims.server";
import { ownerActor, rateClaim } from "~/server/claims/owner-claims.server";
import { namePropertyCompany } from "~/server/claims/property-company.server";
import { UNIT_COLUMNS, importUnits } from "~/server/claims/units-import.server";
import { completeTask, fireDueTimers, openTasksOf } from "~/server/workflow/index.server";
import { demoClaims, type ClaimStep, type DemoHome } from "./demo-claims";
import { demoCreditCode } from "./demo-organisations";
import { uploadDemoFiles } from "./demo-risk-seed";
import { demoUser } from "./demo-site-staff";

// The demo city's homes and claims on its delivered projects (seed/demo-claims.ts plans them):
// the developer imports the homes the day after completion acceptance, then owners, the hotline
// and the insurers report, and every party takes each step on the day it happened, the platform
// clock moved there, the scheduler's time limits firing between. The caller puts the clock back.

export interface DeliveredProject {
  projectId: string;
  /** When its completion acceptance was recorded. */
  completedAt: Date;
  insurer: Actor;
  developer: Actor;
}

/** The delivered projects' property companies (they also repair most of their claims). */
const PROPERTY_COMPANIES = ["rep-lj", "rep-ax"] as const;

/**
 * What the seeded claims' owners were told is history, delivered when it happened: the owners'
 * channels must not push months of old notices, each with today's status, on the first start.
 * Called once the seed's last time limits fired; later steps of these claims are told as usual.
 */
export async function keepSeededMessagesAsHistory(projectIds: string[]): Promise<void> {
  if (!projectIds.length) return;
  const seeded = db().select({ id: claims.id }).from(claims).where(inArray(claims.projectId, projectIds));
  await db()
    .update(ownerMessages)
    .set({ deliveredAt: sql`${ownerMessages.createdAt}` })
    .where(and(inArray(ownerMessages.claimId, seeded), isNull(ownerMessages.deliveredAt)));
}

/** Walks the planned claims up to `today`; returns how many claims were reported. */
export async function seedDemoClaims(
  delivered: DeliveredProject[],
  staff: (organisationKey: string) => Promise<Actor>,
  today: Date,
): Promise<number> {
  const plan = demoClaims(
    today,
    delivered.map((d) => d.completedAt),
  );
  const homeIds: Map<string, string>[] = [];
  for (const [p, project] of delivered.entries()) {
    // At handover the developer names the property company, which imports the homes' list.
    setClock(runningFrom(plan.importAt[p]));
    const propertyCompany = PROPERTY_COMPANIES[p % PROPERTY_COMPANIES.length];
    await namePropertyCompany(project.developer, project.projectId, { creditCode: demoCreditCode(propertyCompany) });
    await importUnits(await staff(propertyCompany), project.projectId, {
      name: "房屋清单.xlsx",
      bytes: await unitsWorkbook(plan.homes[p]),
    });
    const rows = await db().select().from(units).where(eq(units.projectId, project.projectId));
    homeIds.push(new Map(rows.map((u) => [address(u), u.id])));
  }

  const hotline = await demoUser("hotline");
  const reported = new Map<number, { id: string; instanceId: string }>();
  const ticks = [...plan.ticks];
  const fireUpTo = async (t: Date) => {
    while (ticks.length && ticks[0].getTime() <= t.getTime()) {
      setClock(runningFrom(ticks.shift()!));
      await fireDueTimers();
    }
  };
  for (const step of plan.steps) {
    // The time limits that passed before this step: the scheduler found them on their day.
    await fireUpTo(step.at);
    setClock(runningFrom(step.at));
    const claim = plan.claims[step.claim];
    const home = plan.homes[claim.project][claim.home];
    const actor =
      step.actor.kind === "owner"
        ? ownerActor(home.ownerPhone, step.actor.channel)
        : step.actor.kind === "hotline"
          ? hotline
          : step.actor.kind === "insurer"
            ? delivered[claim.project].insurer
            : await staff(claim.repairer);
    const submission = await withFiles(actor, step);
    if (step.element === "report") {
      const unitId = homeIds[claim.project].get(address(home));
      const saved = await reportClaim(actor, { ...submission, unitId });
      reported.set(step.claim, { id: saved.id, instanceId: saved.instanceId! });
    } else if (step.element === "rate") await rateClaim(actor, reported.get(step.claim)!.id, submission);
    else {
      const { instanceId } = reported.get(step.claim)!;
      const task = (await openTasksOf(instanceId)).find((t) => t.elementId === step.element);
      if (!task) throw new Error(`demo claims seed: claim ${step.claim} has no open task at ${step.element}`);
      await completeTask(actor, task.id, { submission });
    }
  }
  await fireUpTo(today);
  return reported.size;
}

const address = (u: { building: string; unitNo: string; room: string }) => `${u.building}/${u.unitNo}/${u.room}`;

async function withFiles(actor: Actor, step: ClaimStep): Promise<Record<string, unknown>> {
  const submission = { ...step.submission };
  for (const [field, names] of Object.entries(step.files ?? {})) submission[field] = await uploadDemoFiles(actor, names);
  return submission;
}

/** The developer's list of homes as an .xlsx in the import template's columns. */
async function unitsWorkbook(homes: DemoHome[]): Promise<Uint8Array> {
  const { Workbook } = await loadExcelJs();
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet("房屋清单");
  sheet.addRow(UNIT_COLUMNS.map((c) => c.title));
  for (const h of homes) sheet.addRow([h.building, h.unitNo, h.room, h.area, h.ownerName, h.ownerPhone]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
