import { and, desc, eq, ilike, or } from "drizzle-orm";
import { z } from "zod";
import { organisations, policies, projects } from "@db/schema";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { organisationNameLike } from "../organisations/name-search.server";
import { likePattern, searchText } from "../pagination.server";
import { parseInput } from "../validation.server";

const MAX_ROWS = 20;

const callerQuery = z.object({
  q: searchText(),
});

/**
 * 来电查询: the projects a caller may be speaking of, found by project or community name, address,
 * 报建号 or lead insurer (by its name or what people call it: 太保, 人保), each with its lead insurer and how to reach it (the insurer's registered contact and phone)
 * and what its policy covers for how long. Nothing is searched for an empty query.
 */
export async function findCallerProjects(actor: Actor, query: unknown) {
  assertCan(actor, "view:hotline");
  const { q } = parseInput(callerQuery, query ?? {});
  if (!q) return [];
  const pattern = likePattern(q);
  return db()
    .select({
      id: projects.id,
      name: projects.name,
      communityName: projects.communityName,
      address: projects.address,
      permitNo: projects.permitNo,
      district: projects.district,
      status: projects.status,
      insurerName: organisations.name,
      insurerContact: organisations.contactPerson,
      insurerPhone: organisations.contactPhone,
      policyNo: policies.policyNo,
      coverage: policies.coverage,
      periodStart: policies.periodStart,
      periodEnd: policies.periodEnd,
    })
    .from(projects)
    .innerJoin(organisations, eq(projects.leadInsurerId, organisations.id))
    .leftJoin(policies, eq(policies.projectId, projects.id))
    .where(
      and(
        scope(actor, "project"),
        or(
          ilike(projects.name, pattern),
          ilike(projects.communityName, pattern),
          ilike(projects.address, pattern),
          ilike(projects.permitNo, pattern),
          organisationNameLike(organisations.name, q),
        ),
      ),
    )
    .orderBy(desc(projects.updatedAt))
    .limit(MAX_ROWS);
}

export type CallerProject = Awaited<ReturnType<typeof findCallerProjects>>[number];
