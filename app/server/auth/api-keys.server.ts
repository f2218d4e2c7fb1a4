import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, type SQL } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, organisations } from "@db/schema";
import { STAFF_ROLES } from "@db/schema/roles";
import { ROLE_LABELS } from "~/shared/labels";
import { rolesAllowedFor } from "~/shared/permissions";
import { recordAudit } from "../audit.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError, NotFoundError, ValidationError } from "../errors.server";
import { parseInput, requiredString } from "../validation.server";
import type { Actor } from "./actor";
import { assertCan } from "./guard.server";

const hashOf = (key: string) => createHash("sha256").update(key).digest("hex");

const createSchema = z.object({
  organisationId: z.uuid({ error: "请选择单位" }),
  name: requiredString("请填写用途说明").trim().min(1, "请填写用途说明").max(60, "用途说明不能超过60个字"),
  roles: z.array(z.enum(STAFF_ROLES)).min(1, "请至少选择一个角色"),
});

/** Makes a key for an organisation's system. Returns the key itself: it is never shown again. */
export async function createApiKey(actor: Actor, input: unknown): Promise<{ id: string; key: string }> {
  assertCan(actor, "manage:organisations");
  const data = parseInput(createSchema, input);
  const [organisation] = await db().select().from(organisations).where(eq(organisations.id, data.organisationId));
  if (!organisation) throw new ValidationError({ organisationId: "单位不存在" });
  if (organisation.status !== "active") throw new ValidationError({ organisationId: "单位未启用" });
  const allowed = rolesAllowedFor(organisation.type);
  const misfit = data.roles.find((r) => !allowed.includes(r));
  if (misfit) throw new ValidationError({ roles: `该单位的接口不能担任“${ROLE_LABELS[misfit]}”角色` });
  const key = `idi_${randomBytes(24).toString("base64url")}`;
  return db().transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        organisationId: organisation.id,
        name: data.name,
        prefix: key.slice(0, 10),
        keyHash: hashOf(key),
        roles: data.roles,
        createdBy: actor.userId,
        createdAt: clock.now(),
      })
      .returning({ id: apiKeys.id });
    await recordAudit(tx, actor, {
      action: "api_key.create",
      subjectType: "api_key",
      subjectId: row.id,
      after: { organisationId: organisation.id, name: data.name, roles: data.roles },
    });
    return { id: row.id, key };
  });
}

export async function revokeApiKey(actor: Actor, id: string): Promise<void> {
  assertCan(actor, "manage:organisations");
  if (!z.uuid().safeParse(id).success) throw new NotFoundError();
  await db().transaction(async (tx) => {
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for("update");
    if (!row) throw new NotFoundError();
    if (row.revokedAt) throw new ConflictError("该密钥已停用");
    await tx.update(apiKeys).set({ revokedAt: clock.now() }).where(eq(apiKeys.id, id));
    await recordAudit(tx, actor, { action: "api_key.revoke", subjectType: "api_key", subjectId: id });
  });
}

export async function listApiKeys(actor: Actor) {
  assertCan(actor, "manage:organisations");
  return db()
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      roles: apiKeys.roles,
      organisationName: organisations.name,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(organisations, eq(apiKeys.organisationId, organisations.id))
    .orderBy(desc(apiKeys.createdAt));
}

/** The actor of a bearer key: its organisation acting through its system, or null for an unknown or revoked key. */
export async function apiKeyActor(key: string, ip: string | null): Promise<Actor | null> {
  if (!/^idi_[A-Za-z0-9_-]{32}$/.test(key)) return null;
  const actor = await activeKeyActor(eq(apiKeys.keyHash, hashOf(key)), ip);
  if (!actor) return null;
  const now = clock.now();
  // Recorded at most once a minute: a busy integration should not write on every call.
  if (!actor.lastUsedAt || now.getTime() - actor.lastUsedAt.getTime() > 60_000) {
    await db().update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, actor.keyId));
  }
  return actor.actor;
}

const API_KEY_ACTOR_PREFIX = "apikey:";

/** The actor id an API key acts under (in audit rows, task completions, incidents). */
export function isApiKeyActorId(userId: string): boolean {
  return userId.startsWith(API_KEY_ACTOR_PREFIX);
}

/** The actor of an API key by its actor id (apikey:<id>), while the key and its organisation are active. */
export async function apiKeyActorById(userId: string, ip: string | null): Promise<Actor | null> {
  const id = userId.slice(API_KEY_ACTOR_PREFIX.length);
  if (!z.uuid().safeParse(id).success) return null;
  return (await activeKeyActor(eq(apiKeys.id, id), ip))?.actor ?? null;
}

async function activeKeyActor(which: SQL, ip: string | null) {
  const [row] = await db()
    .select({ key: apiKeys, organisation: organisations })
    .from(apiKeys)
    .innerJoin(organisations, eq(apiKeys.organisationId, organisations.id))
    .where(and(which, isNull(apiKeys.revokedAt)));
  if (!row || row.organisation.status !== "active") return null;
  const actor: Actor = {
    userId: `${API_KEY_ACTOR_PREFIX}${row.key.id}`,
    username: `apikey:${row.key.prefix}`,
    displayName: `${row.organisation.name}（接口：${row.key.name}）`,
    organisationId: row.organisation.id,
    organisationType: row.organisation.type,
    organisationName: row.organisation.name,
    roles: row.key.roles,
    ip,
  };
  return { actor, keyId: row.key.id, lastUsedAt: row.key.lastUsedAt };
}
