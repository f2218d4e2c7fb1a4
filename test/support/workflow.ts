import { eq } from "drizzle-orm";
import { organisations, processInstances, workflowTimers } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { db } from "~/server/db.server";
import { openTasksOf } from "~/server/workflow/index.server";

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
