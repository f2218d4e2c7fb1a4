import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { claimRatings, claims, ENDED_CLAIM_STATUSES, projects, units, type Claim } from "@db/schema";
import { typedAmount } from "~/shared/amounts";
import { CLAIM_CHANNEL_LABELS, CLAIM_PART_SHORT, CLAIM_STATUS_LABELS, claimNumber, parseClaimNumber } from "~/shared/claim-labels";
import { splitCommunityAddress, type HomeAddress } from "~/shared/home-address";
import { isForeignNumber, normalisePhone, phoneRefusal } from "~/shared/phone";
import { formatDateTime } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { NotFoundError, ValidationError } from "../errors.server";
import { likePattern, searchText } from "../pagination.server";
import { findCallerProjects } from "../projects/caller-lookup.server";
import { parseInput } from "../validation.server";
import { reportClaim } from "./claims.server";
import { unitCoverage, unitLabel } from "./coverage.server";
import { rateClaim } from "./owner-claims.server";
import { homeAt, naturally } from "./units.server";

// 服务热线 (hotline console): who is calling — found by their phone, the home they name or a claim
// number — their homes' cover and claims; reporting and rating on their behalf. The hotline sees
// owners' full contacts (it calls them back); every query still passes the scope.

const MAX_ROWS = 20;

const searchSchema = z.object({
  q: searchText(),
});

export interface CallerHome {
  id: string;
  label: string;
  building: string;
  unitNo: string;
  room: string;
  /** Every part of the address asked for is the home's (always, when found by phone or id). */
  exact: boolean;
  projectId: string;
  projectName: string;
  communityName: string;
  ownerName: string | null;
  ownerPhone: string | null;
}

export interface CallerClaim {
  id: string;
  number: string;
  unitId: string;
  unitLabel: string;
  communityName: string;
  partLabel: string;
  status: Claim["status"];
  statusLabel: string;
  channelLabel: string;
  reporterName: string;
  reporterPhone: string;
  reportedAt: string;
  /** Not yet ended (closed, declined, withdrawn): another report on the home may be the same defect. */
  open: boolean;
  canRate: boolean;
  /** The stars the owner gave, once rated (read back, not asked again). */
  ratedStars: number | null;
}

const homeColumns = {
  unit: units,
  projectName: projects.name,
  communityName: projects.communityName,
};

/**
 * The homes in scope that `where` selects; with `near` (conditions on the address, the most telling
 * first), those meeting all come first (`exact`), then by how many of the first they meet.
 */
function homesWhere(actor: Actor, where: SQL | undefined, near: SQL[] = []): Promise<CallerHome[]> {
  const exact = near.length ? sql<boolean>`(${and(...near)})` : sql<boolean>`true`;
  return db()
    .select({ ...homeColumns, exact: exact.mapWith(Boolean) })
    .from(units)
    .innerJoin(projects, eq(projects.id, units.projectId))
    .where(and(scope(actor, "unit"), where))
    .orderBy(
      ...near.map((condition) => desc(condition)),
      projects.communityName,
      ...naturally(units.building),
      ...naturally(units.unitNo),
      ...naturally(units.room),
    )
    .limit(MAX_ROWS)
    .then((rows) =>
      rows.map(({ unit, projectName, communityName, exact: matched }) => ({
        id: unit.id,
        label: unitLabel(unit),
        building: unit.building,
        unitNo: unit.unitNo,
        room: unit.room,
        exact: matched,
        projectId: unit.projectId,
        projectName,
        communityName,
        ownerName: unit.ownerName,
        ownerPhone: unit.ownerPhone,
      })),
    );
}

async function claimsWhere(actor: Actor, where: SQL | undefined): Promise<CallerClaim[]> {
  const rows = await db()
    .select({ claim: claims, unit: units, communityName: projects.communityName, ratingId: claimRatings.id, stars: claimRatings.stars })
    .from(claims)
    .innerJoin(units, eq(units.id, claims.unitId))
    .innerJoin(projects, eq(projects.id, claims.projectId))
    .leftJoin(claimRatings, eq(claimRatings.claimId, claims.id))
    .where(and(scope(actor, "claim"), where))
    .orderBy(desc(claims.reportedAt))
    .limit(MAX_ROWS);
  return rows.map(({ claim, unit, communityName, ratingId, stars }) => ({
    id: claim.id,
    number: claimNumber(claim.seq),
    unitId: unit.id,
    unitLabel: unitLabel(unit),
    communityName,
    partLabel: CLAIM_PART_SHORT[claim.part],
    status: claim.status,
    statusLabel: CLAIM_STATUS_LABELS[claim.status],
    channelLabel: CLAIM_CHANNEL_LABELS[claim.channel],
    reporterName: claim.reporterName,
    reporterPhone: claim.reporterPhone,
    reportedAt: formatDateTime(claim.reportedAt),
    open: !(ENDED_CLAIM_STATUSES as readonly string[]).includes(claim.status),
    canRate: claim.status === "closed" && !ratingId,
    ratedStars: ratingId ? stars : null,
  }));
}

/**
 * "滇池湾花园 3栋 1501": the homes of the communities so named with that room exactly, those in the
 * building and unit named first, then those in the building (a caller may misname either; the
 * agent sees which match). Without a room, the homes of the building and unit named.
 */
function homesAt(actor: Actor, community: string, address: HomeAddress): Promise<CallerHome[]> {
  const named = or(ilike(projects.communityName, likePattern(community)), ilike(projects.name, likePattern(community)));
  const { room, building, unitNo } = address;
  if (!room) return homesWhere(actor, and(named, ...homeAt(address)));
  return homesWhere(actor, and(named, ...homeAt({ room })), homeAt({ ...(building && { building }), ...(unitNo && { unitNo }) }));
}

/** Written as a phone number is (digits, spaces, dashes, brackets, a leading + or 00), at least ten digits: no address is. */
function looksLikePhoneNumber(q: string): boolean {
  return /^\+?[\d\s\-()（）]+$/.test(q) && (q.match(/\d/g) ?? []).length >= 10;
}

export type CallerSearch =
  | { kind: "none" }
  | { kind: "foreign"; message: string }
  | { kind: "phone"; phone: string; homes: CallerHome[]; claims: CallerClaim[] }
  | { kind: "notMobile" }
  | { kind: "claim"; claims: CallerClaim[] }
  | { kind: "text"; projects: Awaited<ReturnType<typeof findCallerProjects>>; homes: CallerHome[] };

/**
 * 来电查询 with one box: a claim number finds the claim; a mobile number the caller's homes (as
 * their registered owner) and claims (as reporter or owner); a number written as a phone's that is
 * no mainland mobile (1415 555 0100) nothing, to be said as such; any other text the projects it
 * names (name, community, address, 报建号, insurer) and, with a home's address after the community,
 * the homes.
 */
export async function findCaller(actor: Actor, query: unknown): Promise<CallerSearch> {
  assertCan(actor, "view:hotline");
  const { q } = parseInput(searchSchema, query ?? {});
  if (!q) return { kind: "none" };
  const seq = parseClaimNumber(q);
  if (seq !== null) return { kind: "claim", claims: await claimsWhere(actor, eq(claims.seq, seq)) };
  // 1-390-871-0001 has the digits of 139 0871 0001 and the shape of a home's 1-390-871: it is neither.
  if (isForeignNumber(q)) return { kind: "foreign", message: `${phoneRefusal("来电号码", q)}：该号码不能用于查找业主的房屋和报案` };
  const phone = normalisePhone(q);
  if (phone) {
    const [homes, found] = await Promise.all([
      homesWhere(actor, eq(units.ownerPhone, phone)),
      // The homes registered to the phone are a set found first (an array the claims' home index
      // looks up): an OR across the claim and its home's row would read every claim.
      claimsWhere(
        actor,
        or(
          eq(claims.reporterPhone, phone),
          sql`${claims.unitId} = any(array(select ${units.id} from ${units} where ${units.ownerPhone} = ${phone}))`,
        ),
      ),
    ]);
    return { kind: "phone", phone, homes, claims: found };
  }
  if (looksLikePhoneNumber(q)) return { kind: "notMobile" };
  const home = splitCommunityAddress(q);
  const [found, homes] = await Promise.all([
    findCallerProjects(actor, { q }),
    home ? homesAt(actor, home.community, home.address) : Promise.resolve([]),
  ]);
  return { kind: "text", projects: found, homes };
}

/** One home as the hotline talks about it: its owner, its cover today and its claims; 404 outside scope. */
export async function callerHome(actor: Actor, unitId: string) {
  assertCan(actor, "view:hotline");
  if (!z.uuid().safeParse(unitId).success) throw new NotFoundError("未找到该房屋");
  const [home] = await homesWhere(actor, eq(units.id, unitId));
  if (!home) throw new NotFoundError("未找到该房屋");
  const today = clock.today();
  const coverage = await unitCoverage(db(), unitId, today);
  return { home, coverage: coverage!, today, claims: await claimsWhere(actor, eq(claims.unitId, unitId)) };
}

/** 代业主报案: the caller's report on a home, marked as hotline-reported, with the caller's own contact. */
export async function reportForCaller(actor: Actor, input: unknown): Promise<Claim> {
  if (!input || typeof input !== "object" || Array.isArray(input)) throw new ValidationError({ form: "提交的数据格式不正确" });
  const { unitId, part, description, reporterName, reporterPhone, estimate } = input as Record<string, unknown>;
  try {
    // The form's 估计维修费用 is a text box (a number box would weigh the page down): read as typed.
    const fields = { unitId, part, description, reporterName, reporterPhone, estimate: typedAmount(estimate) };
    return await reportClaim(actor, { ...fields, photos: [], channel: "hotline" });
  } catch (error) {
    if (!(error instanceof ValidationError) || !error.fields) throw error;
    // The home is chosen on the page, not typed into the form: what is wrong with it is the form's message.
    const { unitId: home, ...fields } = error.fields;
    // The caller's number is the form's 来电号码, and said so.
    if (fields.reporterPhone) fields.reporterPhone = reporterPhone ? phoneRefusal("来电号码", reporterPhone) : "请填写来电号码";
    throw new ValidationError({ ...fields, ...(home ? { form: home } : {}) });
  }
}

/** 代业主评价: the caller's rating of a closed claim, recorded by the hotline (channel hotline). */
export async function rateForCaller(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, "view:hotline");
  const { claimId, stars, reasons, comment } = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  await rateClaim(actor, typeof claimId === "string" ? claimId : "", { stars, reasons, comment: comment || undefined });
}
