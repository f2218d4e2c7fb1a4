import { and, eq } from "drizzle-orm";
import { processInstances } from "@db/schema";
import { storeAttachment, type AttachmentRef } from "~/server/attachments.server";
import type { Actor } from "~/server/auth/actor";
import { runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { getRiskEvent, listRiskEvents } from "~/server/risk/risk-event-queries.server";
import { completeTask, fireDueTimers, openTasksOf } from "~/server/workflow/index.server";
import { plusMonths, type DemoRiskProject, type RiskStep, type StepActor } from "./demo-risk";
import { REVISIT_FINDINGS } from "./demo-risk-texts";

// The risk history of one demo project, walked through its flows as its parties would have done
// it, each step on the platform clock moved to the day it happened (seed/demo-risk.ts plans
// them). The caller puts the clock back.

const DAY = 86_400_000;
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/MediaBox[0 0 595 842]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

export type Parties = Record<StepActor, Actor>;

/** Walks the project's planned steps up to `today`; returns how many events its inspections raised. */
export async function seedDemoRisk(projectId: string, plan: DemoRiskProject, parties: Parties, today: Date): Promise<number> {
  const [flow] = await db()
    .select({ id: processInstances.id })
    .from(processInstances)
    .where(and(eq(processInstances.businessKey, projectId), eq(processInstances.definitionKey, "risk-management")));
  if (!flow) throw new Error(`project ${projectId} has no risk-management flow`);
  const eventIds = new Map<number, string>();
  let firedUpTo = 0;
  const steps = [...plan.steps].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const step of steps) {
    setClock(runningFrom(step.at));
    // Deadlines that passed since the last step are marked overdue on their day, as the scheduler would have.
    if (step.at.getTime() - firedUpTo > DAY) {
      await fireDueTimers();
      firedUpTo = step.at.getTime();
    }
    const actor = parties[step.actor];
    // An event's step is done from the event, as its party opens it; the project's from its flow.
    const task =
      step.event === undefined
        ? (await openTasksOf(flow.id)).find((t) => t.elementId === step.element)
        : (await getRiskEvent(actor, eventIds.get(step.event)!)).openTask;
    await complete(actor, task, step);
    if (step.raises) {
      // The events just raised, newest first: the same moment, numbered in the form's order.
      const { rows } = await listRiskEvents(parties.tis, { projectId, pageSize: step.raises.length });
      rows.reverse().forEach((row, k) => eventIds.set(step.raises![k], row.id));
    }
    if (step.warranty) await revisits(flow.id, step.at, parties, today);
  }
  return plan.events;
}

async function completeAt(actor: Actor, instanceId: string, step: Pick<RiskStep, "element" | "submission" | "files">) {
  await complete(
    actor,
    (await openTasksOf(instanceId)).find((t) => t.elementId === step.element),
    step,
  );
}

async function complete(
  actor: Actor,
  task: { id: string; elementId: string } | null | undefined,
  step: Pick<RiskStep, "element" | "submission" | "files">,
) {
  if (task?.elementId !== step.element) throw new Error(`demo risk seed: no open task at ${step.element}`);
  const submission = { ...step.submission };
  for (const [field, names] of Object.entries(step.files ?? {})) submission[field] = await uploadDemoFiles(actor, names);
  await completeTask(actor, task.id, { submission });
}

/** Files a demo party uploads for a step: tiny real PDFs or PNGs, by the names' extensions. */
export function uploadDemoFiles(actor: Actor, names: string[]): Promise<AttachmentRef[]> {
  return Promise.all(names.map((name) => storeAttachment(actor, { name, bytes: new Uint8Array(name.endsWith(".pdf") ? PDF : PNG) })));
}

/** The warranty's revisits: each cycle's timer fires, the TIS visits, the insurer reviews; the last one may still be open. */
async function revisits(flowId: string, completedAt: Date, parties: Parties, today: Date) {
  const latest = today.getTime() - 2 * 3_600_000;
  for (let armed = completedAt, round = 0; ; round++) {
    const due = new Date(plusMonths(armed, 6).getTime() + 3_600_000);
    if (due.getTime() > latest) return;
    setClock(runningFrom(due));
    await fireDueTimers();
    const visited = new Date(due.getTime() + 2 * DAY);
    if (visited.getTime() > latest) return;
    setClock(runningFrom(visited));
    await completeAt(parties.tis, flowId, {
      element: "revisit",
      submission: {
        visitedOn: visited.toISOString().slice(0, 10),
        inspectors: "回访小组",
        findings: REVISIT_FINDINGS[round % REVISIT_FINDINGS.length],
      },
    });
    const reviewed = new Date(visited.getTime() + 3 * DAY);
    if (reviewed.getTime() > latest) return;
    setClock(runningFrom(reviewed));
    await completeAt(parties.insurer, flowId, { element: "revisitReview", submission: { decision: "continue" } });
    armed = reviewed;
  }
}
