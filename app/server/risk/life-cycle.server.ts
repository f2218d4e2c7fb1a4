import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { policies, processInstances, riskEvents, type Project } from "@db/schema";
import type { Tx } from "@db/client";
import { isCalendarDate, shiftDay } from "~/shared/time";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { ValidationError, type FieldErrors } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { parseInput } from "../validation.server";
import { cancelInstances } from "../workflow/index.server";
import { cancelOpenEvents } from "./risk-events.server";
import { moveStage } from "./risk-projects.server";

// The project's passages that end a stage: completion acceptance (竣工验收), and the insurer's
// termination of the policy when major defects stay unrectified.

const completionSchema = z.object({
  acceptedOn: z.string().refine(isCalendarDate),
  agreedReinspectionOn: z.string().refine(isCalendarDate).optional().nullable(),
});

/** What the project's history holds against a completion date (the form's rules judge the dates among themselves). */
export function completionProblems(project: Pick<Project, "startDate">, acceptedOn: unknown): FieldErrors {
  return isCalendarDate(acceptedOn) && acceptedOn < project.startDate
    ? { acceptedOn: `竣工验收日期不能早于开工日期（${project.startDate}）` }
    : {};
}

/**
 * 竣工验收: the project enters its use stage. The re-inspection falls due `leadDays` before the
 * second anniversary of acceptance, or on the date agreed with the insurer; the flow's timer waits
 * for it (returned as an ISO time at 09:00 Beijing time).
 */
export async function recordCompletion(tx: Tx, actor: Actor, project: Project, input: unknown, leadDays: number) {
  const data = parseInput(completionSchema, input);
  // The dates decide when the re-inspection comes: bounded by the project's own history, and (as
  // the form's rules say too) the agreed date by the acceptance.
  const problems = completionProblems(project, data.acceptedOn);
  if (Object.keys(problems).length) throw new ValidationError(problems);
  if (data.agreedReinspectionOn && data.agreedReinspectionOn <= data.acceptedOn)
    throw new ValidationError({ agreedReinspectionOn: "约定复查日期应晚于竣工验收日期" });
  if (data.agreedReinspectionOn && data.agreedReinspectionOn > shiftDay(data.acceptedOn, 5, "year"))
    throw new ValidationError({ agreedReinspectionOn: "约定复查日期应在竣工验收后5年以内" });
  const due = data.agreedReinspectionOn || shiftDay(shiftDay(data.acceptedOn, 2, "year"), -leadDays, "day");
  await moveStage(tx, project.id, "use", { completionAcceptedOn: data.acceptedOn, reinspectionDueOn: due });
  await recordAudit(tx, actor, {
    action: "project.completion",
    subjectType: "project",
    subjectId: project.id,
    before: { stage: project.stage },
    after: { stage: "use", completionAcceptedOn: data.acceptedOn, reinspectionDueOn: due },
  });
  return { reinspectionDue: `${due}T09:00:00+08:00`, reinspectionDueOn: due };
}

/**
 * 终止保险合同: the policy ends with its reason, every other flow of the project (its risk events'
 * rectifications) is cancelled with their tasks and timers, open events end with it, and the
 * regulator and the developer are told. The flow that decided it ends on its own path.
 */
export async function terminatePolicy(tx: Tx, actor: Actor, project: Project, reason: string, decidingInstanceId: string) {
  const now = clock.now();
  const eventFlows = await cancelOpenEventFlows(tx, project.id, decidingInstanceId);
  await tx
    .update(policies)
    .set({ status: "terminated", terminatedAt: now, terminationReason: reason, updatedAt: now })
    .where(eq(policies.projectId, project.id));
  await moveStage(tx, project.id, "terminated");
  await recordAudit(tx, actor, {
    action: "policy.terminate",
    subjectType: "project",
    subjectId: project.id,
    before: { stage: project.stage },
    after: { stage: "terminated", reason, cancelledFlows: eventFlows.length },
  });
  const message = {
    title: `保险合同已终止：${project.name}`,
    body: `保险公司因“${reason}”终止了该项目的住宅工程质量潜在缺陷保险合同。`,
    link: `/projects/${project.id}`,
  };
  await notify(
    tx,
    [
      { to: { roles: ["regulator"], organisationId: null }, message },
      ...(project.developerId ? [{ to: { roles: ["developer"], organisationId: project.developerId }, message }] : []),
    ],
    { except: actor.userId },
  );
  return { terminated: true, cancelledFlows: eventFlows.length };
}

/** The project's risk-event flows still running (locked first, in one order), then its open events. */
async function cancelOpenEventFlows(tx: Tx, projectId: string, except: string): Promise<string[]> {
  const rows = await tx
    .select({ id: processInstances.id })
    .from(processInstances)
    .where(
      and(
        inArray(processInstances.status, ["running", "incident"]),
        ne(processInstances.id, except),
        eq(processInstances.businessType, "risk-event"),
        sql`${processInstances.businessKey} in (select ${riskEvents.id}::text from ${riskEvents} where ${riskEvents.projectId} = ${projectId})`,
      ),
    );
  const cancelled = await cancelInstances(
    tx,
    rows.map((r) => r.id),
  );
  await cancelOpenEvents(tx, projectId);
  return cancelled;
}
