import { aliasedTable, and, asc, desc, eq, exists, gt, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  auditEvents,
  BUILDING_PARTS,
  CLAIM_CHANNELS,
  CLAIM_STATUSES,
  claimRatings,
  claims,
  organisations,
  policyShares,
  projects,
  tasks,
  units,
  type Claim,
} from "@db/schema";
import { auditActionLabel } from "~/shared/audit-actions";
import { parseClaimNumber } from "~/shared/claim-labels";
import { dayStarts, shiftDay } from "~/shared/time";
import { maskName, maskPhone } from "~/shared/phone";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";
import { parseAliasedQuery } from "../query.server";
import {
  dayFilter,
  districtFilter,
  idFilter,
  likePattern,
  offsetOf,
  oneOfFilter,
  pageSchema,
  periodInOrder,
  searchText,
  yesNoFilter,
  type Page,
} from "../pagination.server";
import { countSelected, countUpTo, partiesSeen, type ProjectRows } from "../tallies.server";
import { unitLabel } from "./coverage.server";

// Claims as people look for them: the 理赔 list with its filters (and GET /api/v1/claims), one claim
// with every step's data, its timeline. Always through the scope; owners' contacts masked for those
// who do not handle the claim.

const insurer = aliasedTable(organisations, "insurer");

/** As the settlement form bounds a cause. */
const CAUSE_MAX = 1000;

// The list's filters, as the statistics' links write them too (/claims?insurer=&tis=&district=
// &developer=&contractor=&part=&cause=&status=&from=&to=), each refused on its field in Chinese
// (pagination.server.ts).

/** Each filter with its message, for the list and for GET /api/v1/claims (which describes them). */
export const claimFilterFields = {
  q: searchText(),
  status: oneOfFilter(CLAIM_STATUSES, "案件状态不存在"),
  channel: oneOfFilter(CLAIM_CHANNELS, "报案渠道不存在"),
  // waiting: the step it waits at now is past its limit (what 预警 lists); true: any step was late.
  overdue: oneOfFilter(["true", "false", "waiting"], "是否逾期应为 true、false 或 waiting"),
  fastTrack: yesNoFilter("小额快赔应为 true 或 false"),
  insurer: idFilter("承保公司不存在"),
  // The handling (lead) insurer alone, as the 立案率 and the time limits count claims (预警's lines).
  handler: idFilter("经办保险公司不存在"),
  district: districtFilter(),
  // The project's parties, as the 理赔 dashboard counts claims by them.
  tis: idFilter("风险管理机构不存在"),
  developer: idFilter("建设单位不存在"),
  contractor: idFilter("施工单位不存在"),
  projectId: idFilter("项目不存在"),
  part: oneOfFilter(BUILDING_PARTS, "缺陷部位不存在"),
  cause: z
    .string({ error: "缺陷原因应为文字" })
    .trim()
    .max(CAUSE_MAX, `缺陷原因不能超过${CAUSE_MAX}个字`)
    .refine((s) => !s.includes("\u0000"), "缺陷原因含有无效字符")
    .optional(),
  from: dayFilter("报案日期起"),
  to: dayFilter("报案日期止"),
};

/** The reporting days' from/to in order. */
export const claimPeriodInOrder = periodInOrder("报案日期起", "报案日期止");

export const claimFilterSchema = pageSchema.extend(claimFilterFields).refine(...claimPeriodInOrder);

/** The filters' former names (deprecated, still read): `insurerId` is the API's older name of `insurer`. */
export const CLAIM_FILTER_ALIASES = { insurerId: "insurer" } as const;

/** A claims query in the list's names: `insurerId` read as `insurer`; both at once refused on `insurer`. */
export function claimQuery(query: unknown): z.output<typeof claimFilterSchema> {
  return parseAliasedQuery(claimFilterSchema, query, CLAIM_FILTER_ALIASES);
}

/** Claims on projects the insurer insures: as the handling (lead) insurer or by a co-insurance share. */
export function claimInsuredBy(insurerId: string): SQL {
  return or(
    eq(claims.insurerId, insurerId),
    // The insurer's policies, a set computed once per query (claims without a policy are not in it).
    sql`${claims.policyId} in (select s.policy_id from ${policyShares} s where s.organisation_id = ${insurerId} and s.kind = 'insurer')`,
  )!;
}

/**
 * The insurers of the claims the actor sees, handling or co-insuring (those claimInsuredBy selects
 * by): the 承保公司 filter's options. A handling insurer is found by its first tally, a co-insurer
 * through its shares and their projects' first tally (the claims where tallies cannot stand in):
 * never a DISTINCT over every claim.
 */
export function insurersOfClaims(actor: Actor) {
  const seen = scope(actor, "claim");
  const coinsures = (source: ProjectRows) =>
    exists(
      db()
        .select({ one: sql`1` })
        .from(policyShares)
        .innerJoin(source, eq(source.projectId, policyShares.projectId))
        .where(and(eq(policyShares.organisationId, organisations.id), eq(policyShares.kind, "insurer"), seen)),
    );
  return partiesSeen("claims", seen, coinsures);
}

/** Claims reported on the Kunming days from..to, both included. */
export function reportedBetween(from: string | undefined, to: string | undefined): SQL | undefined {
  return and(
    from ? gte(claims.reportedAt, dayStarts(from)) : undefined,
    to ? lt(claims.reportedAt, dayStarts(shiftDay(to, 1, "day"))) : undefined,
  );
}

/** Roles that see every owner's contact in full. */
const seesAllContacts = (actor: Actor) => actor.roles.some((r) => r === "regulator" || r === "hotline" || r === "admin");

/** Whether the actor handles this claim (or oversees claims) and so sees the owner's full contact. */
export function seesContact(actor: Actor, claim: Pick<Claim, "insurerId" | "repairerId">): boolean {
  if (seesAllContacts(actor)) return true;
  if (actor.roles.includes("insurer") && actor.organisationId === claim.insurerId) return true;
  return actor.roles.includes("repairer") && !!claim.repairerId && actor.organisationId === claim.repairerId;
}

/** seesContact as a condition on the row: a search by name must not unmask a name (rows whose contact shows only). */
function contactShown(actor: Actor): SQL | undefined {
  if (seesAllContacts(actor)) return undefined;
  const own: SQL[] = [];
  if (actor.organisationId && actor.roles.includes("insurer")) own.push(eq(claims.insurerId, actor.organisationId));
  if (actor.organisationId && actor.roles.includes("repairer")) own.push(eq(claims.repairerId, actor.organisationId));
  return own.length ? or(...own) : sql`false`;
}

const columns = {
  id: claims.id,
  seq: claims.seq,
  status: claims.status,
  part: claims.part,
  channel: claims.channel,
  fastTrack: claims.fastTrack,
  inCoverage: claims.inCoverage,
  overdueSteps: claims.overdueSteps,
  escalatedAt: claims.escalatedAt,
  reportedAt: claims.reportedAt,
  closedAt: claims.closedAt,
  insurerId: claims.insurerId,
  repairerId: claims.repairerId,
  reporterName: claims.reporterName,
  reporterPhone: claims.reporterPhone,
  paidAmount: sql<number | null>`(${claims.settlement}->>'paidAmount')::numeric`.mapWith(Number),
  projectId: projects.id,
  projectName: projects.name,
  district: projects.district,
  building: units.building,
  unitNo: units.unitNo,
  room: units.room,
  insurerName: insurer.name,
  // A subquery rather than a left join: drizzle types this selection as never with one.
  repairerName: sql<string | null>`(select r.name from ${organisations} r where r.id = ${claims.repairerId})`,
};

function selectRows() {
  return db()
    .select(columns)
    .from(claims)
    .innerJoin(projects, eq(projects.id, claims.projectId))
    .innerJoin(units, eq(units.id, claims.unitId))
    .innerJoin(insurer, eq(insurer.id, claims.insurerId));
}

type Located = { building: string; unitNo: string; room: string; reporterName: string; reporterPhone: string } & Pick<
  Claim,
  "insurerId" | "repairerId"
>;

function shown<T extends Located>(actor: Actor, row: T) {
  const full = seesContact(actor, row);
  const { building, unitNo, room, ...rest } = row;
  return {
    ...(rest as Omit<T, "building" | "unitNo" | "room">),
    unitLabel: unitLabel({ building, unitNo, room }),
    reporterName: full ? row.reporterName : maskName(row.reporterName)!,
    reporterPhone: full ? row.reporterPhone : maskPhone(row.reporterPhone)!,
  };
}

export type ClaimRow = ReturnType<typeof shown<Awaited<ReturnType<typeof selectRows>>[number]>>;

/** The rows the filters select within the actor's scope (claims joined with their projects). */
export function claimWhere(actor: Actor, q: z.infer<typeof claimFilterSchema>): SQL | undefined {
  const filters: (SQL | undefined)[] = [scope(actor, "claim")];
  if (q.q) {
    const seq = parseClaimNumber(q.q);
    const pattern = likePattern(q.q);
    filters.push(
      seq !== null
        ? eq(claims.seq, seq)
        : or(
            ilike(projects.name, pattern),
            ilike(projects.communityName, pattern),
            and(ilike(claims.reporterName, pattern), contactShown(actor)),
          ),
    );
  }
  if (q.status) filters.push(eq(claims.status, q.status));
  if (q.channel) filters.push(eq(claims.channel, q.channel));
  if (q.fastTrack) filters.push(eq(claims.fastTrack, q.fastTrack === "true"));
  if (q.overdue) filters.push({ true: overdueNow, false: sql`not ${overdueNow}`, waiting: lateAtItsStep }[q.overdue]);
  if (q.insurer) filters.push(claimInsuredBy(q.insurer));
  if (q.handler) filters.push(eq(claims.insurerId, q.handler));
  if (q.district) filters.push(eq(projects.district, q.district));
  if (q.tis) filters.push(eq(projects.tisId, q.tis));
  if (q.developer) filters.push(eq(projects.developerId, q.developer));
  if (q.contractor) filters.push(eq(projects.contractorId, q.contractor));
  if (q.projectId) filters.push(eq(claims.projectId, q.projectId));
  // The part and cause found, as the statistics count claims by them (kept on the claim).
  if (q.part) filters.push(eq(claims.foundPart, q.part));
  if (q.cause) filters.push(eq(claims.foundCause, q.cause));
  filters.push(reportedBetween(q.from, q.to));
  return and(...filters);
}

/** Claims past a step's time limit and not ended: what shows red (claimStatusTag's rule). */
export const overdueNow = sql`(cardinality(${claims.overdueSteps}) > 0 and ${claims.status} not in ('closed', 'declined', 'withdrawn'))`;

/**
 * A claim whose step it waits at now went past its time limit: a step done late no longer needs
 * the bureau (the claim's red mark in the list stays, as its history).
 */
export const lateAtItsStep = sql`(cardinality(${claims.overdueSteps}) > 0 and (
  (${claims.status} = 'reported' and 'accept' = any(${claims.overdueSteps}))
  or (${claims.status} = 'accepted' and ${claims.survey} is null and 'survey' = any(${claims.overdueSteps}))
  or (${claims.status} = 'accepted' and ${claims.survey} is not null and 'decide' = any(${claims.overdueSteps}))
  or (${claims.status} = 'repairing' and 'repair' = any(${claims.overdueSteps}))
  or (${claims.status} = 'settling' and 'settle' = any(${claims.overdueSteps}))))`;

/** How many claims a selection has (claims joined with their projects). */
export const countClaims = (where: SQL | undefined) => countSelected("claims", where);

/**
 * A page of the claims a query selects, with 共N件. `countCap`: count a selection the tallies cannot
 * count only so far (a list page: LIST_COUNT_CAP); without it, exactly (the API).
 */
export async function listClaims(actor: Actor, query: unknown, { countCap }: { countCap?: number } = {}): Promise<Page<ClaimRow>> {
  const q = claimQuery(query);
  const where = claimWhere(actor, q);
  const [rows, total] = await Promise.all([
    selectRows().where(where).orderBy(desc(claims.reportedAt), desc(claims.seq)).limit(q.pageSize).offset(offsetOf(q)),
    countCap === undefined ? countClaims(where).then((total) => ({ total })) : countUpTo("claims", where, countCap),
  ]);
  return { rows: rows.map((r) => shown(actor, r)), ...total, page: q.page, pageSize: q.pageSize };
}

/** The same selection for an export (page and size aside): counted, then read in number order a batch at a time. */
export function claimExportRows(actor: Actor, query: unknown) {
  const { page: _page, pageSize: _size, ...filters } = claimQuery(query);
  const where = claimWhere(actor, { page: 1, pageSize: 1, ...filters });
  return {
    filters,
    count: () => countClaims(where),
    after: async (last: { seq: number } | null, size: number) =>
      (
        await selectRows()
          .where(last ? and(where, gt(claims.seq, last.seq)) : where)
          .orderBy(asc(claims.seq))
          .limit(size)
      ).map((r) => shown(actor, r)),
  };
}

/** One claim with every step's data, its open step, its rating and its timeline; 404 outside scope. */
export async function getClaim(actor: Actor, claimId: string) {
  if (!z.uuid().safeParse(claimId).success) throw new NotFoundError("理赔案件不存在，或您无权查看");
  const [row] = await selectRows().where(and(eq(claims.id, claimId), scope(actor, "claim")));
  if (!row) throw new NotFoundError("理赔案件不存在，或您无权查看");
  const [{ claim, communityName, ownerName, ownerPhone }] = await db()
    .select({ claim: claims, communityName: projects.communityName, ownerName: units.ownerName, ownerPhone: units.ownerPhone })
    .from(claims)
    .innerJoin(projects, eq(projects.id, claims.projectId))
    .innerJoin(units, eq(units.id, claims.unitId))
    .where(eq(claims.id, claimId));
  const full = seesContact(actor, claim);
  const [openTask] = await db()
    .select({
      id: tasks.id,
      name: tasks.name,
      candidateRoles: tasks.candidateRoles,
      organisationId: tasks.organisationId,
      assigneeId: tasks.assigneeId,
      dueAt: tasks.dueAt,
    })
    .from(tasks)
    .where(and(eq(tasks.instanceId, claim.instanceId ?? sql`null`), eq(tasks.status, "open")))
    .limit(1);
  const [rating] = await db().select().from(claimRatings).where(eq(claimRatings.claimId, claimId));
  const listed = shown(actor, row);
  return {
    ...listed,
    claim: { ...claim, reporterName: listed.reporterName, reporterPhone: listed.reporterPhone } as Claim,
    communityName,
    owner: { name: full ? ownerName : maskName(ownerName), phone: full ? ownerPhone : maskPhone(ownerPhone) },
    fullContact: full,
    openTask: openTask ?? null,
    rating: rating ?? null,
    timeline: await claimTimeline(claimId),
  };
}

export type ClaimDetail = Awaited<ReturnType<typeof getClaim>>;

/** What happened to a claim, in order, from its audit trail (who did it is for staff pages only). */
export async function claimTimeline(claimId: string) {
  const rows = await db()
    .select({ at: auditEvents.at, action: auditEvents.action, actorName: auditEvents.actorName, after: auditEvents.after })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, "claim"), eq(auditEvents.subjectId, claimId)))
    .orderBy(asc(auditEvents.at), asc(auditEvents.id));
  return rows.map((r) => {
    const after = (r.after ?? {}) as { reason?: string };
    return { at: r.at, label: auditActionLabel(r.action), action: r.action, actorName: r.actorName, detail: after.reason ?? null };
  });
}
