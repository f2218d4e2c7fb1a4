import { inArray } from "drizzle-orm";
import { organisations, tasks, type Task } from "@db/schema";
import type { Role } from "@db/schema/roles";
import { ROLE_LABELS } from "~/shared/labels";
import type { Actor } from "../auth/actor";
import { db } from "../db.server";
import { lastUrgedBy } from "./urge.server";

// An open step as a page shows it to those waiting on it: who must act (its organisation, or the
// roles of a city-wide step), and when the viewer's own party last urged it, so that nobody urges
// it again unawares.

export interface StepWaitingOn {
  id: string;
  name: string;
  /** Who must act: 云南建设投资第二建筑工程有限公司, or 业主或服务热线坐席 for a city-wide step. */
  party: string;
  /** When the viewer's organisation last urged it; null when it never did. */
  urgedAt: Date | null;
}

type OpenStep = Pick<Task, "id" | "name" | "organisationId" | "candidateRoles">;

const rolesNamed = (roles: readonly string[]) => roles.map((r) => ROLE_LABELS[r as Role] ?? r).join("或");

/** The open steps, as `actor` reads who they wait on, by task id. */
export async function stepsWaitingOn(actor: Actor, steps: OpenStep[]): Promise<Map<string, StepWaitingOn>> {
  const organisationIds = [...new Set(steps.flatMap((s) => (s.organisationId ? [s.organisationId] : [])))];
  const [names, urged] = await Promise.all([
    organisationIds.length
      ? db()
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(inArray(organisations.id, organisationIds))
      : [],
    lastUrgedBy(
      actor,
      steps.map((s) => s.id),
    ),
  ]);
  const nameOf = new Map(names.map((o) => [o.id, o.name]));
  return new Map(
    steps.map((s) => [
      s.id,
      {
        id: s.id,
        name: s.name,
        party: (s.organisationId && nameOf.get(s.organisationId)) || rolesNamed(s.candidateRoles),
        urgedAt: urged.get(s.id) ?? null,
      },
    ]),
  );
}

/** One open step (or none), as `actor` reads who it waits on. */
export async function stepWaitingOn(actor: Actor, step: OpenStep | null): Promise<StepWaitingOn | null> {
  return step ? ((await stepsWaitingOn(actor, [step])).get(step.id) ?? null) : null;
}

/** The steps of these task ids (rows of a list that name their open step), as `actor` reads who they wait on. */
export async function tasksWaitingOn(actor: Actor, taskIds: string[]): Promise<Map<string, StepWaitingOn>> {
  const ids = [...new Set(taskIds)];
  if (!ids.length) return new Map();
  const steps = await db()
    .select({ id: tasks.id, name: tasks.name, organisationId: tasks.organisationId, candidateRoles: tasks.candidateRoles })
    .from(tasks)
    .where(inArray(tasks.id, ids));
  return stepsWaitingOn(actor, steps);
}
