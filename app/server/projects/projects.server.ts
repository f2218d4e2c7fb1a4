import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { organisations, policies, policyShares, processDefinitions, processInstances, projects, users } from "@db/schema";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";
import { instanceListColumns, withWaits, visibleIncident } from "../flow-views/flow-progress.server";

/** Everything about one project: registration, parties, policy with its shares, documents, its flows. */
export async function projectDetail(actor: Actor, projectId: string) {
  const record = await projectRecord(actor, projectId);
  const flows = await db()
    .select(instanceListColumns)
    .from(processInstances)
    .innerJoin(processDefinitions, eq(processInstances.definitionId, processDefinitions.id))
    // Only the flows the viewer may see: seeing a project is not seeing every flow about it.
    .where(and(eq(processInstances.businessType, "project"), eq(processInstances.businessKey, projectId), scope(actor, "instance")))
    .orderBy(processInstances.startedAt)
    .then(withWaits);
  // 项目审批: who at the bureau confirmed the insurance (by name, as the audit log names them).
  const [confirmer] = record.project.confirmedBy
    ? await db().select({ name: users.displayName }).from(users).where(eq(users.id, record.project.confirmedBy))
    : [];
  return {
    ...record,
    confirmedByName: confirmer?.name ?? null,
    flows: flows.map((f) => ({ ...f, incident: visibleIncident(actor, f.incident) })),
  };
}

export type ProjectDetail = Awaited<ReturnType<typeof projectDetail>>;

/** One project within the actor's scope (or 404): registration, parties by name, policy with its shares. */
export async function projectRecord(actor: Actor, projectId: string) {
  if (!z.uuid().safeParse(projectId).success) throw new NotFoundError("项目不存在，或不在您的查看范围内");
  const [project] = await db()
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), scope(actor, "project")));
  if (!project) throw new NotFoundError("项目不存在，或不在您的查看范围内");
  const partyIds = [
    project.developerId,
    project.contractorId,
    project.supervisorId,
    project.designerId,
    project.leadInsurerId,
    project.tisId,
    project.propertyCompanyId,
  ].filter((id): id is string => !!id);
  const names = new Map(
    (
      await db().select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, partyIds))
    ).map((o) => [o.id, o.name]),
  );
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  const [policy] = await db().select().from(policies).where(eq(policies.projectId, projectId));
  const allShares = policy
    ? await db()
        .select({
          kind: policyShares.kind,
          isLead: policyShares.isLead,
          share: policyShares.share,
          name: organisations.name,
          organisationId: policyShares.organisationId,
        })
        .from(policyShares)
        .innerJoin(organisations, eq(policyShares.organisationId, organisations.id))
        .where(eq(policyShares.policyId, policy.id))
    : [];
  // The policy's terms (amounts, rate, reinsurance, its contract documents) are for the parties to
  // the contract and its supervisors; the other parties of the project see who insures it and when.
  const termsVisible =
    actor.roles.some((r) => r === "admin" || r === "regulator") ||
    (!!actor.organisationId &&
      (actor.organisationId === project.developerId || allShares.some((s) => s.organisationId === actor.organisationId)));
  const shares = allShares
    .filter((s) => termsVisible || s.kind === "insurer")
    .map(({ organisationId: _id, ...s }) => ({ ...s, share: termsVisible ? s.share : null }));
  return {
    termsVisible,
    project,
    parties: {
      developer: nameOf(project.developerId),
      contractor: nameOf(project.contractorId),
      supervisor: nameOf(project.supervisorId),
      designer: nameOf(project.designerId),
      insurer: nameOf(project.leadInsurerId),
      tis: nameOf(project.tisId),
      propertyCompany: nameOf(project.propertyCompanyId),
    },
    policy: policy
      ? termsVisible
        ? policy
        : { ...policy, sumInsured: null, premium: null, rate: null, documents: {} as typeof policy.documents }
      : null,
    shares: shares.sort((a, b) => Number(b.isLead) - Number(a.isLead) || a.kind.localeCompare(b.kind)),
  };
}
