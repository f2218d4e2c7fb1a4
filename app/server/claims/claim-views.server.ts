import { and, inArray } from "drizzle-orm";
import { CLAIM_STATUSES, claims, ENDED_CLAIM_STATUSES } from "@db/schema";
import type { BusinessSummary } from "~/shared/business-summary";
import { can } from "~/shared/permissions";
import type { Actor } from "../auth/actor";
import { listParams, type Page } from "../pagination.server";
import { mayOpenInstance, mayOpenTask, stepAccess } from "../workflow/index.server";
import { stepWaitingOn } from "../tasks/open-steps.server";
import { claimSections, claimStatusTag } from "./claim-object.server";
import {
  claimFilterSchema,
  claimWhere,
  countClaims,
  getClaim,
  insurersWithClaims,
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
  /** Among the claims the filters select: 共N件，未结M件，已逾期K件. */
  counts: { total: number; open: number; overdue: number };
  /** The insurers of the claims the actor sees: the 承保公司 filter's options (shown when there are several). */
  insurerOptions: { id: string; name: string }[];
  /** The regulator oversees time limits: overdue rows are marked red for it. */
  highlightOverdue: boolean;
  /** Whether the 服务评价 page is the actor's. */
  ratingsVisible: boolean;
}

export async function claimList(actor: Actor, query: Record<string, unknown>): Promise<ClaimList> {
  const q = listParams(claimFilterSchema, query);
  const where = claimWhere(actor, q);
  // 共N件 is the page's own count; 未结 and 已逾期 count the few open and late claims through their indexes.
  const [page, open, overdue, insurerOptions] = await Promise.all([
    listClaims(actor, q),
    countClaims(and(where, inArray(claims.status, OPEN_CLAIM_STATUSES))),
    countClaims(and(where, overdueNow)),
    insurersWithClaims(actor),
  ]);
  const counts = { total: page.total, open, overdue };
  const rows = page.rows.map((row) => {
    const statusTag = claimStatusTag(row);
    return { ...row, statusTag, overdue: statusTag.color === "red" };
  });
  return {
    page: { ...page, rows },
    counts,
    insurerOptions,
    highlightOverdue: actor.roles.includes("regulator"),
    ratingsVisible: mayViewServiceRatings(actor),
  };
}

/** 服务评价 is for those who oversee or answer for the service: the regulator, insurers, reinsurers, administrators. */
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
