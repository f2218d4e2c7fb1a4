import { and, eq, inArray } from "drizzle-orm";
import { CLAIM_STATUSES, claims, ENDED_CLAIM_STATUSES, organisations, projects } from "@db/schema";
import type { BusinessSummary } from "~/shared/business-summary";
import { can } from "~/shared/permissions";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { LIST_COUNT_CAP, NO_ROWS, type Page } from "../pagination.server";
import { mayOpenInstance, mayOpenTask, stepAccess } from "../workflow/index.server";
import { stepWaitingOn } from "../tasks/open-steps.server";
import { claimSections, claimStatusTag } from "./claim-object.server";
import {
  claimQuery,
  claimWhere,
  countClaims,
  getClaim,
  insurersOfClaims,
  listClaims,
  overdueNow,
  type ClaimRow,
} from "./claim-queries.server";

/** Where a claim is still to be handled: every status but those it ends in. */
const OPEN_CLAIM_STATUSES = CLAIM_STATUSES.filter((s) => !(ENDED_CLAIM_STATUSES as readonly string[]).includes(s));

// What the 理赔 pages show around the scoped queries: the list with its count line and filter
// options, one claim with its sections, timeline and what its viewer may do about it.

export interface ClaimList {
  page: Page<ClaimRow & { statusTag: { label: string; color: string }; overdue: boolean }>;
  /** Among the claims the filters select: 共N件 (capped: N+), 未结M件，已逾期K件. */
  counts: { total: number; capped: boolean; open: number; overdue: number };
  /** The project and parties the list is narrowed to (a dashboard's link sets them), named. */
  narrowedTo: NarrowedTo[];
  /** The insurers (handling or co-insuring) of the claims the actor sees: the 承保公司 filter's options (shown when there are several). */
  insurerOptions: { id: string; name: string }[];
  /** The regulator oversees time limits: overdue rows are marked red for it. */
  highlightOverdue: boolean;
  /** Whether the 服务评价 page is the actor's. */
  ratingsVisible: boolean;
}

export async function claimList(actor: Actor, query: Record<string, unknown>): Promise<ClaimList> {
  const q = claimQuery(query);
  const where = claimWhere(actor, q);
  // 共N件 is the page's own count; 未结 and 已逾期 count the few open and late claims through their indexes.
  const [page, open, overdue, insurerOptions, narrowedTo] = await Promise.all([
    listClaims(actor, q, { countCap: LIST_COUNT_CAP }),
    countClaims(and(where, inArray(claims.status, OPEN_CLAIM_STATUSES))),
    countClaims(and(where, overdueNow)),
    insurersOfClaims(actor),
    namedNarrowing(actor, q),
  ]);
  const counts = { total: page.total, capped: !!page.capped, open, overdue };
  const rows = page.rows.map((row) => {
    const statusTag = claimStatusTag(row);
    return { ...row, statusTag, overdue: statusTag.color === "red" };
  });
  return {
    page: { ...page, rows },
    counts,
    narrowedTo,
    insurerOptions,
    highlightOverdue: actor.roles.includes("regulator"),
    ratingsVisible: mayViewServiceRatings(actor),
  };
}

/** The list when its query was refused: no rows, the filters' options all the same. */
export async function emptyClaimList(actor: Actor): Promise<ClaimList> {
  return {
    page: NO_ROWS,
    counts: { total: 0, capped: false, open: 0, overdue: 0 },
    narrowedTo: [],
    insurerOptions: await insurersOfClaims(actor),
    highlightOverdue: actor.roles.includes("regulator"),
    ratingsVisible: mayViewServiceRatings(actor),
  };
}

/** A filter the list's search bar has no picker for: its query key, what it is, and whom it names. */
export interface NarrowedTo {
  key: "projectId" | "handler" | "tis" | "developer" | "contractor";
  label: string;
  name: string;
}

const PARTY_FILTERS = { handler: "经办保险公司", tis: "风险管理机构", developer: "建设单位", contractor: "施工单位" } as const;

/** The project (as the actor's claims name it) and the organisations (from the public register) the list is narrowed to. */
async function namedNarrowing(actor: Actor, q: ReturnType<typeof claimQuery>): Promise<NarrowedTo[]> {
  const unknown = "（未找到）";
  const parties = (Object.keys(PARTY_FILTERS) as (keyof typeof PARTY_FILTERS)[]).flatMap((key) => {
    const id = q[key];
    return id ? [{ key, id }] : [];
  });
  const [project, named] = await Promise.all([
    q.projectId
      ? db()
          .select({ name: projects.name })
          .from(claims)
          .innerJoin(projects, eq(projects.id, claims.projectId))
          .where(and(eq(claims.projectId, q.projectId), scope(actor, "claim")))
          .limit(1)
      : [],
    parties.length
      ? db()
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(
            and(
              inArray(
                organisations.id,
                parties.map((p) => p.id),
              ),
              scope(actor, "organisation_register"),
            ),
          )
      : [],
  ]);
  return [
    ...(q.projectId ? [{ key: "projectId" as const, label: "项目", name: project[0]?.name ?? unknown }] : []),
    ...parties.map(({ key, id }) => ({ key, label: PARTY_FILTERS[key], name: named.find((o) => o.id === id)?.name ?? unknown })),
  ];
}

/** 服务评价 is for those who oversee or answer for the service: the regulator, insurers, reinsurers, repairers (their own place), administrators. */
export function mayViewServiceRatings(actor: Actor): boolean {
  return can(actor.roles, "view:service-ratings");
}

export async function claimView(actor: Actor, claimId: string) {
  const { openTask, claim, ...detail } = await getClaim(actor, claimId);
  const flowVisible = await mayOpenInstance(actor, claim.instanceId);
  const taskVisible = !!openTask && (await mayOpenTask(actor, openTask.id));
  const full = { ...detail, claim, openTask };
  const sections: BusinessSummary["sections"] = claimSections(full);
  return {
    id: detail.id,
    seq: detail.seq,
    unitLabel: detail.unitLabel,
    part: detail.part,
    projectId: detail.projectId,
    projectName: detail.projectName,
    statusTag: claimStatusTag(detail),
    status: detail.status,
    sections,
    timeline: detail.timeline,
    rating: detail.rating && {
      stars: detail.rating.stars,
      reasons: detail.rating.reasons,
      comment: detail.rating.comment,
      createdAt: detail.rating.createdAt,
    },
    // The page names the step and links it; who may do it stays on the server.
    openTask: openTask && { ...(await stepWaitingOn(actor, openTask))!, dueAt: openTask.dueAt },
    ...stepAccess(actor, openTask, taskVisible),
    instanceId: flowVisible ? claim.instanceId : null,
  };
}

export type ClaimView = Awaited<ReturnType<typeof claimView>>;
