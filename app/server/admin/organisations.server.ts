import { and, count, desc, eq, ilike, inArray, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { organisations, sessions, users, type Organisation } from "@db/schema";
import type { Tx } from "@db/client";
import { ORGANISATION_STATUSES, ORGANISATION_TYPES } from "@db/schema/roles";
import { creditCodeProblem, normaliseCreditCode } from "~/shared/credit-code";
import { isDistrictCode } from "~/shared/districts";
import { MAINLAND_MOBILE_DIGITS } from "~/shared/phone";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { isUniqueViolation } from "../db-errors.server";
import { NotFoundError, ValidationError } from "../errors.server";
import { likePattern, listParams, offsetOf, oneOfFilter, pageSchema, searchText, type Page } from "../pagination.server";
import { organisationNameLike } from "../organisations/name-search.server";
import { refreshSearchTextNaming } from "../projects/search-text.server";
import { parseInput, requiredString } from "../validation.server";

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .optional()
    .nullable()
    .transform((v) => v || null);

export const organisationInputSchema = z.object({
  type: z.enum(ORGANISATION_TYPES, { error: "请选择单位类型" }),
  name: requiredString("请输入单位名称").trim().min(2, "单位名称至少2个字").max(100, "单位名称不能超过100个字"),
  creditCode: requiredString("请输入统一社会信用代码")
    .transform(normaliseCreditCode)
    .superRefine((code, ctx) => {
      const problem = creditCodeProblem(code);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  contactPerson: optionalText(50, "联系人"),
  contactPhone: z
    .string()
    .trim()
    .regex(new RegExp(`^$|^(${MAINLAND_MOBILE_DIGITS}|0\\d{2,3}-?\\d{7,8}(-\\d{1,6})?)$`), "联系电话格式不正确（手机号或带区号的固定电话）")
    .optional()
    .nullable()
    .transform((v) => v || null),
  address: optionalText(200, "地址"),
  district: z
    .string()
    .optional()
    .nullable()
    .transform((v) => v || null)
    .refine((v) => v === null || isDistrictCode(v), "请选择昆明市的区县"),
});
export type OrganisationInput = z.input<typeof organisationInputSchema>;

const listSchema = pageSchema.extend({
  q: searchText(),
  type: oneOfFilter(ORGANISATION_TYPES, "单位类型不存在"),
  status: oneOfFilter(ORGANISATION_STATUSES, "单位状态不存在"),
});

export async function listOrganisations(actor: Actor, query: unknown): Promise<Page<Organisation>> {
  const q = listParams(listSchema, query);
  const filters: SQL[] = [scope(actor, "organisation")];
  if (q.q) filters.push(or(organisationNameLike(organisations.name, q.q), ilike(organisations.creditCode, likePattern(q.q)))!);
  if (q.type) filters.push(eq(organisations.type, q.type));
  if (q.status) filters.push(eq(organisations.status, q.status));
  const where = and(...filters);
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select()
      .from(organisations)
      .where(where)
      .orderBy(desc(organisations.createdAt), organisations.name)
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db().select({ total: count() }).from(organisations).where(where),
  ]);
  return { rows, total, page: q.page, pageSize: q.pageSize };
}

/** Organisations for a picker (e.g. a user's organisation), limited to the actor's scope. */
export async function organisationOptions(actor: Actor): Promise<Pick<Organisation, "id" | "name" | "type">[]> {
  return db()
    .select({ id: organisations.id, name: organisations.name, type: organisations.type })
    .from(organisations)
    .where(and(scope(actor, "organisation"), inArray(organisations.status, ["active", "pending_review"])))
    .orderBy(organisations.type, organisations.name);
}

export async function getOrganisation(actor: Actor, id: string): Promise<Organisation> {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError();
  const [row] = await db()
    .select()
    .from(organisations)
    .where(and(eq(organisations.id, id), scope(actor, "organisation")));
  if (!row) throw new NotFoundError();
  return row;
}

export async function createOrganisation(actor: Actor, input: unknown): Promise<Organisation> {
  assertCan(actor, "manage:organisations");
  const data = parseInput(organisationInputSchema, input);
  return withCreditCodeConflict(() =>
    db().transaction(async (tx) => {
      await assertCreditCodeFree(tx, data.creditCode);
      const [created] = await tx.insert(organisations).values(data).returning();
      await recordAudit(tx, actor, { action: "organisation.create", subjectType: "organisation", subjectId: created.id, after: data });
      return created;
    }),
  );
}

export async function updateOrganisation(actor: Actor, id: string, input: unknown): Promise<Organisation> {
  assertCan(actor, "manage:organisations");
  const before = await getOrganisation(actor, id);
  const data = parseInput(organisationInputSchema, input);
  return withCreditCodeConflict(() =>
    db().transaction(async (tx) => {
      if (data.creditCode !== before.creditCode) await assertCreditCodeFree(tx, data.creditCode);
      const [updated] = await tx
        .update(organisations)
        .set({ ...data, updatedAt: clock.now() })
        .where(eq(organisations.id, id))
        .returning();
      if (updated.name !== before.name) await refreshSearchTextNaming(tx, id);
      await recordAudit(tx, actor, {
        action: "organisation.update",
        subjectType: "organisation",
        subjectId: id,
        before: summary(before),
        after: summary(updated),
      });
      return updated;
    }),
  );
}

/** Approves a pending organisation, disables one (ending its users' sessions) or re-enables it. */
export async function setOrganisationStatus(actor: Actor, id: string, status: unknown): Promise<Organisation> {
  assertCan(actor, "manage:organisations");
  const next = parseInput(z.object({ status: z.enum(ORGANISATION_STATUSES, { error: "状态不正确" }) }), { status }).status;
  const before = await getOrganisation(actor, id);
  if (before.type === "platform" && next === "disabled") {
    throw new ValidationError({ status: "平台运营方不能停用" });
  }
  return db().transaction(async (tx) => {
    const [updated] = await tx
      .update(organisations)
      .set({ status: next, updatedAt: clock.now() })
      .where(eq(organisations.id, id))
      .returning();
    // Its people act only while it is active (sign-in and sessions, as its API keys): out now.
    if (next !== "active") {
      const members = tx.select({ id: users.id }).from(users).where(eq(users.organisationId, id));
      await tx.delete(sessions).where(inArray(sessions.userId, members));
    }
    await recordAudit(tx, actor, {
      action: "organisation.status",
      subjectType: "organisation",
      subjectId: id,
      before: { status: before.status },
      after: { status: next },
    });
    return updated;
  });
}

async function assertCreditCodeFree(tx: Tx, creditCode: string) {
  const [existing] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.creditCode, creditCode));
  if (existing) throw new ValidationError({ creditCode: `该统一社会信用代码已登记为“${existing.name}”` });
}

// Two admins registering the same code at once: the unique index decides, the loser gets the field message.
async function withCreditCodeConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isUniqueViolation(error, "organisations_credit_code_key")) {
      throw new ValidationError({ creditCode: "该统一社会信用代码已登记" });
    }
    throw error;
  }
}

function summary(o: Organisation) {
  const { createdAt: _c, updatedAt: _u, ...rest } = o;
  return rest;
}
