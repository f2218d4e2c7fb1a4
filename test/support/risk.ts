import { and, eq } from "drizzle-orm";
import { organisations, processInstances, riskEvents, type RiskEvent } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { db } from "~/server/db.server";
import { completeTask, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "./actors";
import { pngFile } from "./form-page";
import { policy, registration } from "./insurance";
import { inspectionSubmission, planSubmission } from "./risk-submissions";
import { demoCreditCode, openTasksOf } from "./workflow";

// Risk management as tests drive it: an insured project (through the insurance review, as users
// would), and the submissions of its steps.

let serial = 0;

export interface InsuredProject {
  projectId: string;
  riskFlowId: string;
  insurer: Actor;
  tis: Actor;
  developer: Actor;
  contractor: Actor;
  regulator: Actor;
}

/**
 * Staff of another demo organisation in a role: the demo user of that role moved there (the seed
 * has one user per role), as a service sees them.
 */
export async function staffOf(role: string, organisationKey: string): Promise<Actor> {
  const [row] = await db()
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.creditCode, demoCreditCode(organisationKey)));
  return { ...(await demoActor(role)), organisationId: row.id, organisationName: row.name, userId: crypto.randomUUID() };
}

/**
 * Who a project's parties are, when not the demo users' own organisations (PICC leading with CPIC
 * and China Re): another lead insurer's username, and the demo organisation keys of the others.
 * A project given parties has its lead insurer alone on the policy.
 */
export interface RiskParties {
  insurer: string;
  tis: string;
  developer: string;
  contractor: string;
  supervisor: string;
  designer: string;
}

/** Ping An leading alone, with a TIS, developer, contractor, supervisor and designer none of PICC's demo projects has. */
export const PINGAN_PARTIES: RiskParties = {
  insurer: "insurer-pingan",
  tis: "tis-at",
  developer: "dev-cc",
  contractor: "con-km3",
  supervisor: "sup-cj",
  designer: "des-kk",
};

/**
 * A project confirmed as insured by the regulator; its risk-management flow waits for the TIS's plan.
 * `registration` overrides fields of its 报建信息 (district, coordinates).
 */
export async function insuredProject(
  name = "风险测试项目",
  parties?: RiskParties,
  registrationOverrides: Record<string, unknown> = {},
): Promise<InsuredProject> {
  const n = ++serial;
  const actorOf = (role: "tis" | "developer" | "contractor") => (parties ? staffOf(role, parties[role]) : demoActor(role));
  const [insurer, tis, developer, contractor, regulator] = await Promise.all([
    demoActor(parties?.insurer ?? "insurer"),
    actorOf("tis"),
    actorOf("developer"),
    actorOf("contractor"),
    demoActor("regulator"),
  ]);
  const review = await startProcess(insurer, { key: "insurance-review", title: `新建承保项目 ${name}` });
  const step = async (actor: Actor, submission: unknown) => completeTask(actor, (await openTasksOf(review.id))[0].id, { submission });
  const permit = `KM-RISK-${Date.now() % 100000}-${n}`;
  const partyCodes = parties
    ? Object.fromEntries(
        (["developer", "contractor", "supervisor", "designer"] as const).map((role) => [
          role,
          { creditCode: demoCreditCode(parties[role]) },
        ]),
      )
    : {};
  const soleInsurer = parties ? { leadShare: 100, coinsurers: [], reinsurers: [], tisCreditCode: demoCreditCode(parties.tis) } : {};
  await step(insurer, registration({ permitNo: permit, name: `${name}${n}`, ...partyCodes, ...registrationOverrides }));
  await step(insurer, policy({ policyNo: `PICC-RISK-${Date.now() % 100000}-${n}`, ...soleInsurer }));
  await step(regulator, { decision: "confirm" });
  const [flow] = await db()
    .select({ id: processInstances.id })
    .from(processInstances)
    .where(and(eq(processInstances.businessKey, review.businessKey), eq(processInstances.definitionKey, "risk-management")));
  return { projectId: review.businessKey, riskFlowId: flow.id, insurer, tis, developer, contractor, regulator };
}

/** The open task of a flow at an element; fails when there is none. */
export async function taskAt(instanceId: string, elementId: string) {
  const task = (await openTasksOf(instanceId)).find((t) => t.elementId === elementId);
  if (!task) throw new Error(`no open task at ${elementId}; open: ${(await openTasksOf(instanceId)).map((t) => t.elementId).join(", ")}`);
  return task;
}

export async function complete(actor: Actor, instanceId: string, elementId: string, submission: unknown) {
  return completeTask(actor, (await taskAt(instanceId, elementId)).id, { submission });
}

export { inspectionSubmission, planSubmission, riskEventInput } from "./risk-submissions";

/**
 * The plan approved and one inspection raising `events` (the inspection's other fields as
 * `overrides` say), as the project's TIS and insurer do it: the project's events, oldest first.
 */
export async function inspectedWith(
  p: InsuredProject,
  events: Record<string, unknown>[],
  overrides: Record<string, unknown> = {},
): Promise<RiskEvent[]> {
  await complete(p.tis, p.riskFlowId, "plan", planSubmission);
  await complete(p.insurer, p.riskFlowId, "planReview", { decision: "approve" });
  await complete(p.tis, p.riskFlowId, "inspection", inspectionSubmission(events, overrides));
  return db().select().from(riskEvents).where(eq(riskEvents.projectId, p.projectId)).orderBy(riskEvents.seq);
}

/** A real (tiny) PNG photo uploaded by `actor`, as a form's file field refers to it. */
export async function photo(actor: Actor, name = "现场.png") {
  const { storeAttachment } = await import("~/server/attachments.server");
  return storeAttachment(actor, { name, bytes: new Uint8Array(pngFile(name).buffer) });
}
