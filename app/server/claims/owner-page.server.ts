import { and, asc, desc, eq, exists, gt, ilike, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, claims, projects, units } from "@db/schema";
import { claimNumber, parseClaimNumber } from "~/shared/claim-labels";
import { RATING_CODE_BUTTON } from "~/shared/claim-limits";
import { foreignNumberMessage, isForeignNumber, maskPhone, normaliseCode, normalisePhone } from "~/shared/phone";
import { formatDateTime, formatRetryTime } from "~/shared/time";
import { recordAudit } from "../audit.server";
import { anonymousActor } from "../auth/actor";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { ConflictError, NotFoundError, TooManyAttemptsError, ValidationError } from "../errors.server";
import { likePattern } from "../pagination.server";
import { parseInput, requiredString } from "../validation.server";
import { unitCoverage, unitLabel } from "./coverage.server";
import { naturally } from "./units.server";
import { checkRating, ownerActor, ownerClaimTimeline, rateClaim } from "./owner-claims.server";
import { checkPhoneCode, sendPhoneCode, type CodeRequester } from "../sms/phone-codes.server";

// The owners' public page (/owner), no account: find one's home (小区 → 楼栋 → 房号) and read its
// cover, and follow a claim by its number plus the reporter's phone. The home finder shows only
// what the developer's list says of the buildings, never who lives there. Failed lookups are kept
// in the audit trail, which is also the throttle (as the login's): no second store, any process.

const noNul = (s: string) => !s.includes("\u0000");

const finderSchema = z.object({
  q: z.string().trim().max(50, "小区名称不能超过50个字").refine(noNul, "小区名称不正确").optional(),
  projectId: z.uuid({ error: "请选择小区" }).optional(),
  building: requiredString("请选择楼栋").trim().min(1, "请选择楼栋").max(20, "楼栋不正确").refine(noNul, "楼栋不正确").optional(),
  unitId: z.uuid({ error: "请选择房屋" }).optional(),
});

export interface Community {
  projectId: string;
  projectName: string;
  communityName: string;
}
export interface Room {
  unitId: string;
  unitNo: string;
  room: string;
  label: string;
}

/** How many communities one search of the owners' page answers with, at most. */
export const COMMUNITY_MATCHES = 20;

/**
 * The communities an owner finds by typing part of the name (the community's or the project's):
 * the first few by name, of projects whose homes are on the platform. The page asks as the owner
 * types, rather than carrying a city's communities in every page it sends to a phone.
 */
export async function findCommunities(text: string): Promise<Community[]> {
  const named = text ? or(ilike(projects.communityName, likePattern(text)), ilike(projects.name, likePattern(text))) : undefined;
  const withHomes = exists(
    db()
      .select({ one: sql`1` })
      .from(units)
      .where(eq(units.projectId, projects.id)),
  );
  return db()
    .select({ projectId: projects.id, projectName: projects.name, communityName: projects.communityName })
    .from(projects)
    .where(and(named, withHomes))
    .orderBy(asc(projects.communityName), asc(projects.name), asc(projects.id))
    .limit(COMMUNITY_MATCHES);
}

async function homeBuildings(projectId: string): Promise<string[]> {
  const rows = await db()
    .selectDistinct({ building: units.building, length: sql`length(${units.building})` })
    .from(units)
    .where(eq(units.projectId, projectId))
    .orderBy(...naturally(units.building));
  return rows.map((r) => r.building);
}

async function homeRooms(projectId: string, building: string): Promise<Room[]> {
  const rows = await db()
    .select({ unitId: units.id, building: units.building, unitNo: units.unitNo, room: units.room })
    .from(units)
    .where(and(eq(units.projectId, projectId), eq(units.building, building)))
    .orderBy(...naturally(units.unitNo), ...naturally(units.room));
  return rows.map(({ building: b, ...r }) => ({ ...r, label: unitLabel({ building: b, unitNo: r.unitNo, room: r.room }) }));
}

/** A home's cover as owners read it: no owner's name or phone is in it. */
export async function publicCoverage(unitId: string) {
  const day = clock.today();
  const coverage = await unitCoverage(db(), unitId, day);
  if (!coverage) throw new NotFoundError("未找到该房屋");
  return { ...coverage, today: day };
}

export type HomeFinderAnswer =
  | { kind: "communities"; communities: Community[] }
  | { kind: "buildings"; buildings: string[] }
  | { kind: "rooms"; rooms: Room[] }
  | { kind: "coverage"; coverage: Awaited<ReturnType<typeof publicCoverage>> };

/**
 * One step of the home finder, by what is chosen so far: nothing → the first few communities by
 * name (those whose name holds `q`, when typed; never the whole city); a community → its
 * buildings; and a building → its rooms; a room (unitId) → its cover.
 */
export async function homeFinder(query: unknown): Promise<HomeFinderAnswer> {
  const q = parseInput(finderSchema, query ?? {});
  if (q.unitId) return { kind: "coverage", coverage: await publicCoverage(q.unitId) };
  if (q.projectId && q.building) return { kind: "rooms", rooms: await homeRooms(q.projectId, q.building) };
  if (q.projectId) return { kind: "buildings", buildings: await homeBuildings(q.projectId) };
  return { kind: "communities", communities: await findCommunities(q.q ?? "") };
}

// ---- 查询理赔进度: a claim by its number and the reporter's (or the home owner's) phone ----

export const LOOKUP_FAILED = "owner.lookup_failed";
/**
 * Failed lookups in the window: per claim number from one address, and per address. Never per
 * number alone: claim numbers are sequential, so anyone could lock every owner out of their claim.
 */
export const LOOKUP_LIMITS = { perNumberAndIp: 5, perIp: 10, windowMs: 15 * 60 * 1000 };
/** The one answer for a wrong number and a wrong phone alike: nothing can be probed. */
export const LOOKUP_NOT_FOUND = "案件号或手机号不正确，请核对后重试";
/** The lock's answer names the clock time it ends (the minute rounded up), as sign-in's does. */
export const lookupLockedMessage = (until: Date) =>
  `查询失败次数过多，请于 ${formatRetryTime(until)} 后再试，或拨打服务热线 ${env().HOTLINE_PHONE}`;

/** Anything that is not an object reads as an empty one: its fields are then each "missing". */
const asObject = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? v : {});

const followFields = z.object({
  number: requiredString("请输入案件号", "案件号格式不正确，如 LP000123")
    .trim()
    .min(1, "请输入案件号")
    .max(20, "案件号格式不正确，如 LP000123")
    .transform((v, ctx) => {
      const seq = parseClaimNumber(v);
      if (seq === null) ctx.addIssue({ code: "custom", message: "案件号格式不正确，如 LP000123" });
      return seq ?? 0;
    }),
  phone: requiredString("请输入报案时留的手机号", "手机号格式不正确")
    .max(30, "手机号应为11位")
    .transform((v, ctx) => {
      const phone = normalisePhone(v);
      // Another country's number is said as the chat says it, a typo as the format.
      if (!phone)
        ctx.addIssue({ code: "custom", message: isForeignNumber(v) ? foreignNumberMessage(env().HOTLINE_PHONE) : "手机号应为11位" });
      return phone ?? "";
    }),
});
export const followSchema = z.preprocess(asObject, followFields);

/** When the address may look up this number again, or null when it may now: its share of failures, counted in the window. */
async function lookupLockedUntil(number: string, ip: string | null): Promise<Date | null> {
  const since = new Date(clock.now().getTime() - LOOKUP_LIMITS.windowMs);
  const fromAddress = and(
    eq(auditEvents.action, LOOKUP_FAILED),
    gt(auditEvents.at, since),
    ip === null ? isNull(auditEvents.ip) : eq(auditEvents.ip, ip),
  );
  const failures = await db()
    .select({ at: auditEvents.at, number: auditEvents.subjectId })
    .from(auditEvents)
    .where(fromAddress)
    .orderBy(desc(auditEvents.at))
    .limit(LOOKUP_LIMITS.perIp);
  // Locked until the failure that made the count full leaves the window.
  const full = (counted: typeof failures, limit: number) =>
    counted.length >= limit ? new Date(counted[limit - 1].at.getTime() + LOOKUP_LIMITS.windowMs) : null;
  const untils = [
    full(
      failures.filter((f) => f.number === number),
      LOOKUP_LIMITS.perNumberAndIp,
    ),
    ip === null ? null : full(failures, LOOKUP_LIMITS.perIp),
  ];
  return untils.reduce<Date | null>((latest, until) => (until && (!latest || until > latest) ? until : latest), null);
}

const lookupActor = (ip: string | null) => ({ ...anonymousActor("", ip), displayName: "业主网页查询" });

async function recordFailure(number: string, phone: string, ip: string | null): Promise<void> {
  await recordAudit(db(), lookupActor(ip), {
    action: LOOKUP_FAILED,
    subjectType: "claim_lookup",
    subjectId: number,
    after: { phone: maskPhone(phone) },
  });
}

/**
 * 查询理赔进度: the claim's status and steps for its reporter or the home's registered owner. A
 * wrong number and a wrong phone get the same answer and count against the number from this
 * address, and against the address.
 */
export async function followClaim(input: unknown, ip: string | null) {
  const { number: seq, phone } = parseInput(followSchema, input);
  const number = claimNumber(seq);
  const lockedUntil = await lookupLockedUntil(number, ip);
  if (lockedUntil) throw new TooManyAttemptsError(lookupLockedMessage(lockedUntil), lockedUntil);
  const [claim] = await db().select({ id: claims.id }).from(claims).where(eq(claims.seq, seq));
  try {
    // A number that does not exist is looked up all the same, so the answer takes as long as for a wrong phone.
    return await ownerClaimTimeline(phone, claim?.id ?? crypto.randomUUID());
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await recordFailure(number, phone, ip);
    throw new NotFoundError(LOOKUP_NOT_FOUND);
  }
}

/**
 * The claim a lookup finds, when it may be rated, with the phone that found it and who asks for
 * its code: the claim from this address (a code asked for elsewhere cannot be typed, nor locked, here).
 */
async function rateableClaim(lookup: unknown, ip: string | null) {
  const followed = await followClaim(lookup, ip);
  if (!followed.canRate) throw new ConflictError("该案件结案后才能评价，或已经评价过了");
  const requester: CodeRequester = {
    key: `page:${followed.id}:${ip ?? ""}`,
    address: ip,
    party: `page:${followed.id}`,
    button: RATING_CODE_BUTTON,
  };
  return { followed, phone: followSchema.parse(lookup).phone, requester };
}

/**
 * 服务评价 from the page, step one: the lookup again, then a one-time code texted to the phone, as the
 * web chat does. Knowing a claim's number and phone (as its insurer and repairer do) is not being
 * its owner: only the phone's holder can read the code.
 */
export async function sendRatingCode(input: unknown, ip: string | null): Promise<{ sentTo: string; validUntil: string }> {
  const { phone, requester } = await rateableClaim(input, ip);
  const sent = await sendPhoneCode(phone, requester);
  // Asked again too soon, or the day's codes used up: a 429 saying when (Retry-After).
  if (!sent.ok && sent.retryAt) throw new TooManyAttemptsError(sent.message, sent.retryAt);
  if (!sent.ok) throw new ValidationError({ code: sent.message }, sent.message);
  return { sentTo: maskPhone(phone) ?? "", validUntil: formatDateTime(sent.expiresAt, "HH:mm") };
}

/** 服务评价 from the page, step two: the lookup, the code texted to the phone, then the owner's rating of a closed claim. */
export async function rateFollowedClaim(input: unknown, ip: string | null) {
  const { stars, reasons, comment, code, ...lookup } = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const { followed, phone, requester } = await rateableClaim(lookup, ip);
  // The rating is checked before the code is spent on it.
  checkRating({ stars, reasons, comment: comment || undefined });
  const typed = normaliseCode(code);
  if (!typed) throw new ValidationError({ code: "请输入短信收到的6位验证码" }, "请输入短信收到的6位验证码");
  const verified = await checkPhoneCode(phone, typed, requester);
  if (!verified.ok) throw new ValidationError({ code: verified.message }, verified.message);
  await rateClaim(ownerActor(phone, "web", ip), followed.id, { stars, reasons, comment: comment || undefined });
  return ownerClaimTimeline(phone, followed.id);
}
