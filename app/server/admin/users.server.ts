import { and, arrayContains, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { organisations, users } from "@db/schema";
import { STAFF_ROLES, USER_STATUSES, type Role } from "@db/schema/roles";
import { ROLE_LABELS } from "~/shared/labels";
import { rolesAllowedFor } from "~/shared/permissions";
import { MAINLAND_MOBILE_DIGITS } from "~/shared/phone";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { hashPassword, newPasswordSchema } from "../auth/password.server";
import { scope } from "../auth/scope.server";
import { endUserSessions } from "../auth/sessions.server";
import { normaliseUsername } from "../auth/sign-in.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { isUniqueViolation } from "../db-errors.server";
import { ConflictError, NotFoundError, ValidationError } from "../errors.server";
import {
  idFilter,
  likePattern,
  listParams,
  offsetOf,
  oneOfFilter,
  pageSchema,
  searchText,
  type Page,
} from "../pagination.server";
import { organisationNameLike } from "../organisations/name-search.server";
import { parseInput, requiredString } from "../validation.server";
import { getOrganisation } from "./organisations.server";

// What a user list or detail shows: never the password hash.
const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  phone: users.phone,
  roles: users.roles,
  status: users.status,
  lastLoginAt: users.lastLoginAt,
  version: users.version,
  createdAt: users.createdAt,
  organisationId: users.organisationId,
  organisationName: organisations.name,
  organisationType: organisations.type,
};
export type UserView = {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  roles: Role[];
  status: "active" | "disabled";
  lastLoginAt: Date | null;
  version: number;
  createdAt: Date;
  organisationId: string;
  organisationName: string;
  organisationType: string;
};

const profileSchema = z.object({
  displayName: requiredString("请输入姓名").trim().min(1, "请输入姓名").max(50, "姓名不能超过50个字"),
  phone: z
    .string()
    .trim()
    .regex(new RegExp(`^$|^${MAINLAND_MOBILE_DIGITS}$`), "手机号格式不正确")
    .optional()
    .nullable()
    .transform((v) => v || null),
  organisationId: z.uuid({ error: "请选择所属单位" }),
  roles: z.array(z.enum(STAFF_ROLES, { error: "角色不正确" }), { error: "请选择角色" }).min(1, "请至少选择一个角色"),
});

const createSchema = profileSchema.extend({
  username: requiredString("请输入用户名")
    .transform(normaliseUsername)
    .pipe(z.string().regex(/^[a-z][a-z0-9_.-]{2,31}$/, "用户名为3至32位，以字母开头，可含字母、数字、点、下划线和连字符")),
  password: newPasswordSchema,
});

const updateSchema = profileSchema.extend({ version: z.coerce.number().int() });

const listSchema = pageSchema.extend({
  q: searchText(),
  role: oneOfFilter(STAFF_ROLES, "角色不存在"),
  status: oneOfFilter(USER_STATUSES, "账号状态不存在"),
  organisationId: idFilter("单位不存在"),
});

function scopedUsers(actor: Actor, ...conditions: (SQL | undefined)[]) {
  return and(scope(actor, "user"), ...conditions);
}

export async function listUsers(actor: Actor, query: unknown): Promise<Page<UserView>> {
  const q = listParams(listSchema, query);
  const where = scopedUsers(
    actor,
    q.q
      ? or(
          ilike(users.username, likePattern(q.q)),
          ilike(users.displayName, likePattern(q.q)),
          organisationNameLike(organisations.name, q.q),
        )
      : undefined,
    q.role ? arrayContains(users.roles, [q.role]) : undefined,
    q.status ? eq(users.status, q.status) : undefined,
    q.organisationId ? eq(users.organisationId, q.organisationId) : undefined,
  );
  const [rows, [{ total }]] = await Promise.all([
    db()
      .select(userColumns)
      .from(users)
      .innerJoin(organisations, eq(users.organisationId, organisations.id))
      .where(where)
      .orderBy(desc(users.createdAt), users.username)
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db().select({ total: count() }).from(users).innerJoin(organisations, eq(users.organisationId, organisations.id)).where(where),
  ]);
  return { rows: rows as UserView[], total, page: q.page, pageSize: q.pageSize };
}

export async function getUser(actor: Actor, id: string): Promise<UserView> {
  const [row] = await db()
    .select(userColumns)
    .from(users)
    .innerJoin(organisations, eq(users.organisationId, organisations.id))
    .where(scopedUsers(actor, eq(users.id, id)));
  if (!row) throw new NotFoundError();
  return row as UserView;
}

async function assertRolesFit(actor: Actor, organisationId: string, roles: Role[]) {
  const organisation = await getOrganisation(actor, organisationId).catch(() => {
    throw new ValidationError({ organisationId: "所属单位不存在" });
  });
  if (organisation.status === "disabled") throw new ValidationError({ organisationId: "所属单位已停用" });
  const allowed = rolesAllowedFor(organisation.type);
  const misfit = roles.find((r) => !allowed.includes(r));
  if (misfit) {
    throw new ValidationError({
      roles: `“${organisation.name}”的用户不能担任“${ROLE_LABELS[misfit]}”角色，可选：${allowed.map((r) => ROLE_LABELS[r]).join("、")}`,
    });
  }
}

export async function createUser(actor: Actor, input: unknown): Promise<UserView> {
  assertCan(actor, "manage:users");
  const data = parseInput(createSchema, input);
  await assertRolesFit(actor, data.organisationId, data.roles);
  const passwordHash = await hashPassword(data.password);
  const id = crypto.randomUUID();
  try {
    await db().transaction(async (tx) => {
      const { password: _secret, ...profile } = data;
      await tx.insert(users).values({ id, ...profile, passwordHash });
      await recordAudit(tx, actor, { action: "user.create", subjectType: "user", subjectId: id, after: profile });
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_username_key")) throw new ValidationError({ username: "该用户名已被使用" });
    throw error;
  }
  return getUser(actor, id);
}

export async function updateUser(actor: Actor, id: string, input: unknown): Promise<UserView> {
  assertCan(actor, "manage:users");
  const before = await getUser(actor, id);
  const data = parseInput(updateSchema, input);
  await assertRolesFit(actor, data.organisationId, data.roles);
  const { version, ...profile } = data;
  await db().transaction(async (tx) => {
    const updated = await tx
      .update(users)
      .set({ ...profile, version: version + 1, updatedAt: clock.now() })
      .where(and(eq(users.id, id), eq(users.version, version)))
      .returning({ id: users.id });
    if (updated.length === 0) throw new ConflictError("该用户已被他人修改，请刷新后重试");
    // Someone whose roles or organisation changed signs in again under the new ones.
    if (profile.organisationId !== before.organisationId || profile.roles.join() !== before.roles.join()) {
      await endUserSessions(tx, id);
    }
    await recordAudit(tx, actor, {
      action: "user.update",
      subjectType: "user",
      subjectId: id,
      before: pickProfile(before),
      after: profile,
    });
  });
  return getUser(actor, id);
}

export async function setUserStatus(actor: Actor, id: string, status: unknown): Promise<UserView> {
  assertCan(actor, "manage:users");
  const next = parseInput(z.object({ status: z.enum(USER_STATUSES, { error: "状态不正确" }) }), { status }).status;
  const before = await getUser(actor, id);
  if (id === actor.userId && next === "disabled") throw new ValidationError({ status: "不能停用自己的账号" });
  await db().transaction(async (tx) => {
    await tx
      .update(users)
      .set({ status: next, version: before.version + 1, updatedAt: clock.now() })
      .where(eq(users.id, id));
    if (next === "disabled") await endUserSessions(tx, id);
    await recordAudit(tx, actor, {
      action: next === "disabled" ? "user.disable" : "user.enable",
      subjectType: "user",
      subjectId: id,
      before: { status: before.status },
      after: { status: next },
    });
  });
  return getUser(actor, id);
}

/**
 * Sets a user's password, ending the user's sessions: whoever held one signs in with the new
 * password. An administrator setting their own keeps the session they did it from (`keepSession`).
 */
export async function resetPassword(actor: Actor, id: string, input: unknown, keepSession?: string): Promise<void> {
  assertCan(actor, "manage:users");
  const { password } = parseInput(z.object({ password: newPasswordSchema }), input);
  await getUser(actor, id);
  const passwordHash = await hashPassword(password);
  await db().transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: clock.now() }).where(eq(users.id, id));
    await endUserSessions(tx, id, id === actor.userId ? keepSession : undefined);
    await recordAudit(tx, actor, { action: "user.reset_password", subjectType: "user", subjectId: id });
  });
}

function pickProfile(u: UserView) {
  return { displayName: u.displayName, phone: u.phone, organisationId: u.organisationId, roles: u.roles };
}
