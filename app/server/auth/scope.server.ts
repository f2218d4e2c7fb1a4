import { eq, or, sql, type SQL } from "drizzle-orm";
import { auditEvents, organisations, users } from "@db/schema";
import type { Role } from "@db/schema/roles";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Actor } from "./actor";

// The one scope function (ARCHITECTURE rule 2): which rows of a resource an actor may see.
// Every list, detail page, search, statistic, export and API answer composes its condition;
// a row outside it does not exist for that actor (404). Later modules add their resources here.
export type ScopedResource = "organisation" | "user" | "audit_event";

const ALL = sql`true`;
const NONE = sql`false`;

type RoleRule = (actor: Actor) => SQL;

// Beyond the baseline below. Until projects exist a party sees its own organisation only; the
// project module widens organisations to the parties of the projects an actor may see.
const RULES: Record<ScopedResource, Partial<Record<Role, RoleRule>>> = {
  organisation: {
    admin: () => ALL,
    regulator: () => ALL,
    hotline: () => ALL,
  },
  user: {
    admin: () => ALL,
  },
  audit_event: {
    admin: () => ALL,
    regulator: () => ALL,
  },
};

function own(column: AnyPgColumn): RoleRule {
  return (actor) => (actor.organisationId ? eq(column, actor.organisationId) : NONE);
}

// Everyone sees their own organisation's users and audit trail, whatever their role.
const BASELINE: Record<ScopedResource, RoleRule> = {
  organisation: own(organisations.id),
  user: own(users.organisationId),
  audit_event: own(auditEvents.organisationId),
};

/** The condition that limits `resource` to what `actor` may see. Roles add up (union). */
export function scope(actor: Actor, resource: ScopedResource): SQL {
  if (!actor.userId) return NONE;
  const conditions = actor.roles.map((role) => RULES[resource][role]?.(actor)).filter((c): c is SQL => !!c);
  if (conditions.some((c) => c === ALL)) return ALL;
  return or(BASELINE[resource](actor), ...conditions) ?? NONE;
}
