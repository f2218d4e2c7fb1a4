import { and, count, desc, eq, notInArray, or, sql } from "drizzle-orm";
import { claimRatings, claims, ENDED_CLAIM_STATUSES } from "@db/schema";
import { can } from "~/shared/permissions";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { projectRecord } from "../projects/projects.server";
import { listClaims } from "./claim-queries.server";
import { claimRatingScope } from "./service-ratings.server";

// A project's 理赔与投诉 tab, for the bureau's view of one project (and every party that sees its
// claims): its claims in figures and the latest of them, and the complaints about their service.
// A complaint is an owner's rating of two stars or fewer, or one that names what went wrong
// (响应速度, 维修质量…), whether the owner gave it themselves or through the hotline.

const COMPLAINTS_SHOWN = 50;
const LATEST_CLAIMS = 20;

export async function projectClaimsTab(actor: Actor, projectId: string) {
  await projectRecord(actor, projectId);
  const inProject = and(scope(actor, "claim"), eq(claims.projectId, projectId));
  const ratingsVisible = can(actor.roles, "view:service-ratings");
  const [[figures], latest, complaints] = await Promise.all([
    db()
      .select({
        total: count(),
        open: sql<number>`count(*) filter (where ${notInArray(claims.status, [...ENDED_CLAIM_STATUSES])})`.mapWith(Number),
        closed: sql<number>`count(*) filter (where ${claims.status} = 'closed')`.mapWith(Number),
        declined: sql<number>`count(*) filter (where ${claims.status} = 'declined')`.mapWith(Number),
        paid: sql<string>`coalesce(sum((${claims.settlement}->>'paidAmount')::numeric), 0)::numeric(16, 2)::text`,
      })
      .from(claims)
      .where(inProject),
    listClaims(actor, { projectId, pageSize: LATEST_CLAIMS }),
    ratingsVisible
      ? db()
          .select({
            claimId: claims.id,
            seq: claims.seq,
            stars: claimRatings.stars,
            reasons: claimRatings.reasons,
            comment: claimRatings.comment,
            channel: claimRatings.channel,
            at: claimRatings.createdAt,
          })
          .from(claimRatings)
          .innerJoin(claims, eq(claims.id, claimRatings.claimId))
          .where(
            and(
              claimRatingScope(actor),
              eq(claims.projectId, projectId),
              or(sql`${claimRatings.stars} <= 2`, sql`cardinality(${claimRatings.reasons}) > 0`),
            ),
          )
          .orderBy(desc(claimRatings.createdAt))
          .limit(COMPLAINTS_SHOWN)
      : Promise.resolve(null),
  ]);
  return { figures, latest, complaints };
}

export type ProjectClaimsTab = Awaited<ReturnType<typeof projectClaimsTab>>;
