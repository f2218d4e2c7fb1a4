import { and, asc, desc, eq, gt, isNotNull, sql, type SQL } from "drizzle-orm";
import { claimRatings, claims, organisations, projects, RATING_REASONS, tisRatings, type RatingReason } from "@db/schema";
import { claimNumber } from "~/shared/claim-labels";
import type { Actor } from "../auth/actor";
import { scope, seesAll } from "../auth/scope.server";
import { db } from "../db.server";
import { ForbiddenError } from "../errors.server";
import { mayViewServiceRatings } from "./claim-views.server";

// 服务评价: owners' ratings of claim service per insurer and per repairer, insurers' ratings of
// TIS per TIS, ranked, with the latest comments. Claim ratings follow the claims' scope and TIS
// ratings the projects'; an insurer sees the ratings given to itself (and so to its repairers on
// its claims) and the ones it gave, never a co-insurer's.

export interface RatingRank {
  organisationId: string;
  name: string;
  /** Average stars, one decimal. */
  average: number;
  count: number;
  /** Share (0–1) of ratings naming each complaint reason; absent for TIS ratings. */
  reasons?: Record<RatingReason, number>;
}

export interface RatingComment {
  at: Date;
  stars: number;
  comment: string;
  /** Who was rated and in what: 中国人保 / 利家物业 · LP000012, or a TIS and its project. */
  subject: string;
  reasons?: RatingReason[];
}

export interface ServiceRatings {
  /**
   * Whether the rankings are the city's (the bureau, the administrators): anyone else's hold only
   * the organisations in its scope, whose order is no rank (a repairer would always read 第1名). Its
   * place among all is on 统计 → 服务评价.
   */
  cityWide: boolean;
  insurers: RatingRank[];
  repairers: RatingRank[];
  tis: RatingRank[];
  claimComments: RatingComment[];
  tisComments: RatingComment[];
}

const LATEST = 10;

/** An insurer (not also an overseer) sees only what concerns its own organisation. */
function ownInsurer(actor: Actor): string | null {
  const oversees = actor.roles.some((r) => r === "regulator" || r === "admin");
  return !oversees && actor.roles.includes("insurer") ? actor.organisationId : null;
}

/** The owners' ratings the actor sees: those of claims in its scope; an insurer's, those given to itself. */
export function claimRatingScope(actor: Actor): SQL {
  const own = ownInsurer(actor);
  return and(scope(actor, "claim"), own ? eq(claimRatings.insurerId, own) : undefined)!;
}

function tisRatingScope(actor: Actor): SQL {
  const own = ownInsurer(actor);
  return and(scope(actor, "project"), own ? eq(tisRatings.insurerId, own) : undefined)!;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const reasonShares = Object.fromEntries(
  RATING_REASONS.map((r) => [r, sql<number>`avg(case when ${r} = any(${claimRatings.reasons}) then 1.0 else 0 end)`.mapWith(Number)]),
) as Record<RatingReason, SQL.Aliased<number> | SQL<number>>;

async function claimRanks(actor: Actor, by: "insurer" | "repairer"): Promise<RatingRank[]> {
  const column = by === "insurer" ? claimRatings.insurerId : claimRatings.repairerId;
  const rows = await db()
    .select({
      organisationId: organisations.id,
      name: organisations.name,
      average: sql<number>`avg(${claimRatings.stars})`.mapWith(Number),
      count: sql<number>`count(*)`.mapWith(Number),
      ...reasonShares,
    })
    .from(claimRatings)
    .innerJoin(claims, eq(claims.id, claimRatings.claimId))
    .innerJoin(organisations, eq(organisations.id, column))
    .where(and(claimRatingScope(actor), isNotNull(column)))
    .groupBy(organisations.id, organisations.name);
  return rows
    .map(({ organisationId, name, average, count, ...shares }) => ({
      organisationId,
      name,
      average: round1(average),
      count,
      reasons: Object.fromEntries(RATING_REASONS.map((r) => [r, Math.round((shares as Record<string, number>)[r] * 100) / 100])) as Record<
        RatingReason,
        number
      >,
    }))
    .sort(byRank);
}

async function tisRanks(actor: Actor): Promise<RatingRank[]> {
  const rows = await db()
    .select({
      organisationId: organisations.id,
      name: organisations.name,
      average: sql<number>`avg(${tisRatings.stars})`.mapWith(Number),
      count: sql<number>`count(*)`.mapWith(Number),
    })
    .from(tisRatings)
    .innerJoin(projects, eq(projects.id, tisRatings.projectId))
    .innerJoin(organisations, eq(organisations.id, tisRatings.tisId))
    .where(tisRatingScope(actor))
    .groupBy(organisations.id, organisations.name);
  return rows.map((r) => ({ ...r, average: round1(r.average) })).sort(byRank);
}

/** Best first; among equals, the one rated more often. */
function byRank(a: RatingRank, b: RatingRank): number {
  return b.average - a.average || b.count - a.count || a.name.localeCompare(b.name, "zh-CN");
}

async function claimComments(actor: Actor): Promise<RatingComment[]> {
  const rows = await db()
    .select({
      at: claimRatings.createdAt,
      stars: claimRatings.stars,
      comment: claimRatings.comment,
      reasons: claimRatings.reasons,
      seq: claims.seq,
      insurerName: organisations.name,
      repairerName: sql<string | null>`(select r.name from ${organisations} r where r.id = ${claimRatings.repairerId})`,
    })
    .from(claimRatings)
    .innerJoin(claims, eq(claims.id, claimRatings.claimId))
    .innerJoin(organisations, eq(organisations.id, claimRatings.insurerId))
    .where(and(claimRatingScope(actor), sql`coalesce(${claimRatings.comment}, '') <> ''`))
    .orderBy(desc(claimRatings.createdAt))
    .limit(LATEST);
  return rows.map((r) => ({
    at: r.at,
    stars: r.stars,
    comment: r.comment!,
    reasons: r.reasons as RatingReason[],
    subject: `${claimNumber(r.seq)} ${r.insurerName}${r.repairerName ? ` / ${r.repairerName}` : ""}`,
  }));
}

async function tisComments(actor: Actor): Promise<RatingComment[]> {
  const rows = await db()
    .select({
      at: tisRatings.createdAt,
      stars: tisRatings.stars,
      comment: tisRatings.comment,
      projectName: projects.name,
      tisName: organisations.name,
    })
    .from(tisRatings)
    .innerJoin(projects, eq(projects.id, tisRatings.projectId))
    .innerJoin(organisations, eq(organisations.id, tisRatings.tisId))
    .where(and(tisRatingScope(actor), sql`coalesce(${tisRatings.comment}, '') <> ''`))
    .orderBy(desc(tisRatings.createdAt))
    .limit(LATEST);
  return rows.map((r) => ({ at: r.at, stars: r.stars, comment: r.comment!, subject: `${r.tisName} · ${r.projectName}` }));
}

/** Every owner's rating the actor sees (as the page ranks them), for an export: counted, then read in claim number order. */
export function ratingExportRows(actor: Actor) {
  if (!mayViewServiceRatings(actor)) throw new ForbiddenError("您无权查看服务评价");
  const where = claimRatingScope(actor);
  const rows = () =>
    db()
      .select({
        seq: claims.seq,
        projectName: projects.name,
        insurerName: organisations.name,
        repairerName: sql<string | null>`(select r.name from ${organisations} r where r.id = ${claimRatings.repairerId})`,
        stars: claimRatings.stars,
        reasons: claimRatings.reasons,
        comment: claimRatings.comment,
        channel: claimRatings.channel,
        createdAt: claimRatings.createdAt,
      })
      .from(claimRatings)
      .innerJoin(claims, eq(claims.id, claimRatings.claimId))
      .innerJoin(projects, eq(projects.id, claims.projectId))
      .innerJoin(organisations, eq(organisations.id, claimRatings.insurerId));
  return {
    filters: {},
    count: () =>
      db()
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(claimRatings)
        .innerJoin(claims, eq(claims.id, claimRatings.claimId))
        .where(where)
        .then(([row]) => row.total),
    after: (last: { seq: number } | null, size: number) =>
      rows()
        .where(last ? and(where, gt(claims.seq, last.seq)) : where)
        .orderBy(asc(claims.seq))
        .limit(size),
  };
}

/** The 服务评价 page when its query is refused: no rankings, no comments, the viewer's reach as ever. */
export const noRatings = (actor: Actor): ServiceRatings => ({
  cityWide: seesAll(actor, "claim"),
  insurers: [],
  repairers: [],
  tis: [],
  claimComments: [],
  tisComments: [],
});

/** The 服务评价 page: rankings per insurer, repairer and TIS with the latest comments, in the actor's scope. */
export async function serviceRatings(actor: Actor): Promise<ServiceRatings> {
  if (!mayViewServiceRatings(actor)) throw new ForbiddenError("您无权查看服务评价");
  const [insurers, repairers, tis, claimNotes, tisNotes] = await Promise.all([
    claimRanks(actor, "insurer"),
    claimRanks(actor, "repairer"),
    tisRanks(actor),
    claimComments(actor),
    tisComments(actor),
  ]);
  return { cityWide: seesAll(actor, "claim"), insurers, repairers, tis, claimComments: claimNotes, tisComments: tisNotes };
}
