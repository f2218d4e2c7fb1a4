import { and, asc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { organisations, tisRatings } from "@db/schema";
import type { OrganisationType } from "@db/schema/roles";
import { normaliseCreditCode } from "~/shared/credit-code";
import { LOOKUP_ORGANISATION_TYPES, type RegisteredOrganisation } from "~/shared/organisation-lookup";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { UnauthenticatedError } from "../errors.server";
import { likePattern } from "../pagination.server";
import { parseInput } from "../validation.server";
import { organisationNameLike } from "./name-search.server";

// The platform's register of organisations as forms consult it (统一社会信用代码 → name, name →
// code): the public part only (code, name, type; a TIS's rating), active organisations only, a handful of rows.

const MAX_ROWS = 10;

const lookupSchema = z.object({
  code: z.string().trim().max(18, "统一社会信用代码不超过18位").optional(),
  q: z.string().trim().max(50, "搜索内容不能超过50个字").optional(),
  type: z.enum(LOOKUP_ORGANISATION_TYPES, { error: "单位类型不正确" }).optional(),
});
export type OrganisationLookupQuery = z.input<typeof lookupSchema>;

/**
 * With `code`: the active organisation holding exactly that code (zero or one row). With `q`: active
 * organisations whose name contains it (or what an insurer's short name in it stands for, 太保) or whose code starts with it, at most ten, by name. Either is
 * narrowed to one organisation type when `type` is given. Nothing to look for answers nothing.
 */
export async function lookupOrganisations(actor: Actor, query: unknown): Promise<RegisteredOrganisation[]> {
  if (!actor.userId) throw new UnauthenticatedError("请先登录");
  const input = parseInput(lookupSchema, query ?? {});
  const code = input.code ? normaliseCreditCode(input.code) : "";
  const q = input.q ?? "";
  if (!code && !q) return [];
  const filters: SQL[] = [scope(actor, "organisation_register"), eq(organisations.status, "active")];
  if (input.type) filters.push(eq(organisations.type, input.type as OrganisationType));
  if (code) filters.push(eq(organisations.creditCode, code));
  else filters.push(or(organisationNameLike(organisations.name, q), ilike(organisations.creditCode, prefixPattern(q)))!);
  // Joined, not a subquery in the select list: drizzle names a single table's columns there unqualified.
  const ratings = db()
    .select({
      tisId: tisRatings.tisId,
      stars: sql<string>`avg(${tisRatings.stars})`.as("stars"),
      ratings: sql<number>`count(*)::int`.as("ratings"),
    })
    .from(tisRatings)
    .groupBy(tisRatings.tisId)
    .as("ratings");
  const rows = await db()
    .select({
      creditCode: organisations.creditCode,
      name: organisations.name,
      type: organisations.type,
      stars: ratings.stars,
      ratings: ratings.ratings,
    })
    .from(organisations)
    .leftJoin(ratings, eq(ratings.tisId, organisations.id))
    .where(and(...filters))
    .orderBy(asc(organisations.name))
    .limit(MAX_ROWS);
  // A TIS comes with the insurers' rating of its work (风险管理 → 出具最终检查报告), for whoever appoints one.
  return rows.map(({ stars, ratings, ...o }) =>
    o.type === "tis" ? { ...o, rating: ratings ? { stars: Math.round(Number(stars) * 10) / 10, count: ratings } : null } : o,
  ) as RegisteredOrganisation[];
}

/** A code typed so far matches the codes that start with it (wildcards in it are taken literally). */
function prefixPattern(q: string): string {
  return likePattern(normaliseCreditCode(q)).slice(1);
}
