import { eq } from "drizzle-orm";
import { organisations, processInstances, workflowTimers } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import type { BusinessSummary } from "~/shared/business-summary";
import { readAttachment } from "~/server/attachments.server";
import { db } from "~/server/db.server";
import { openTasksOf, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "./actors";

export { openTasksOf };

export async function organisationIdOf(name: string): Promise<string> {
  const [row] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, name));
  if (!row) throw new Error(`no organisation ${name}`);
  return row.id;
}

export async function theOpenTask(instanceId: string) {
  const open = await openTasksOf(instanceId);
  if (open.length !== 1) throw new Error(`expected one open task, found ${open.map((t) => t.elementId).join(", ") || "none"}`);
  return open[0];
}

export async function instanceRow(instanceId: string) {
  const [row] = await db().select().from(processInstances).where(eq(processInstances.id, instanceId));
  return row;
}

export async function timersOf(instanceId: string) {
  return db().select().from(workflowTimers).where(eq(workflowTimers.instanceId, instanceId));
}

export function partiesOf(...actors: Actor[]): Record<string, string> {
  return Object.fromEntries(actors.map((a) => [a.roles[0], a.organisationId!]));
}

export { demoCreditCode } from "~/demo/demo-organisations";

/**
 * The files a business object's card shows `actor` (its page and every page of its flows draw the
 * same card) that `actor` cannot open: each as "section/label/name". Empty when they agree.
 */
export async function shownButUnopenable(actor: Actor, summary: BusinessSummary | null): Promise<string[]> {
  if (!summary) throw new Error(`${actor.username} does not see the object`);
  const refused: string[] = [];
  for (const section of summary.sections)
    for (const item of section.items)
      for (const file of item.files ?? [])
        await readAttachment(actor, file.id).catch(() => refused.push(`${section.title}/${item.label}/${file.name}`));
  return refused;
}

/** A demo approval (演示审批流程) started by PICC's insurer, for the regulator to review. */
export async function startDemoApproval(title = "演示申请") {
  const insurer = await demoActor("insurer");
  const regulator = await demoActor("regulator");
  const instance = await startProcess(insurer, {
    key: "demo-approval",
    businessType: "demo",
    businessKey: crypto.randomUUID(),
    title,
    parties: partiesOf(insurer, regulator),
  });
  return { insurer, regulator, instance };
}

/** A demo approval and its first task (提交申请, PICC's insurer's). */
export async function startDemoTask(title: string) {
  const { instance } = await startDemoApproval(title);
  return { instance, task: await theOpenTask(instance.id) };
}

/** What a call was refused with (undefined when it succeeded). */
export const refusalOf = async (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );
