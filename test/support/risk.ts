import { and, eq } from "drizzle-orm";
import { processInstances } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { db } from "~/server/db.server";
import { completeTask } from "~/server/workflow/complete.server";
import { startProcess } from "~/server/workflow/start.server";
import { demoActor } from "./actors";
import { policy, registration } from "./insurance";
import { openTasksOf } from "./workflow";

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

/** A project confirmed as insured by the regulator; its risk-management flow waits for the TIS's plan. */
export async function insuredProject(name = "风险测试项目"): Promise<InsuredProject> {
  const n = ++serial;
  const [insurer, tis, developer, contractor, regulator] = await Promise.all(
    ["insurer", "tis", "developer", "contractor", "regulator"].map((u) => demoActor(u)),
  );
  const review = await startProcess(insurer, { key: "insurance-review", title: `新建承保项目 ${name}` });
  const step = async (actor: Actor, submission: unknown) => completeTask(actor, (await openTasksOf(review.id))[0].id, { submission });
  const permit = `KM-RISK-${Date.now() % 100000}-${n}`;
  await step(insurer, registration({ permitNo: permit, name: `${name}${n}` }));
  await step(insurer, policy({ policyNo: `PICC-RISK-${Date.now() % 100000}-${n}` }));
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

/** A real (tiny) PNG photo uploaded by `actor`, as a form's file field refers to it. */
export async function photo(actor: Actor, name = "现场.png") {
  const { storeAttachment } = await import("~/server/attachments.server");
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  return storeAttachment(actor, { name, bytes: new Uint8Array(png) });
}
