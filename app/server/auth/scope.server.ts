import { and, arrayOverlaps, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import {
  auditEvents,
  claims,
  instanceCopies,
  organisations,
  policyShares,
  processInstances,
  projects,
  riskEvents,
  tasks,
  units,
  users,
} from "@db/schema";
import type { Role } from "@db/schema/roles";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { can } from "~/shared/permissions";
import { CITY_FIGURES_READER, type Actor } from "./actor";

// The one scope function (docs/architecture.md rule 2): which rows of a resource an actor may see.
// Every list, detail page, search, statistic, export and API answer composes its condition;
// a row outside it does not exist for that actor (404). Later modules add their resources here.
export type ScopedResource =
  "organisation" | "organisation_register" | "user" | "audit_event" | "task" | "instance" | "project" | "risk_event" | "claim" | "unit";

const ALL = sql`true`;
const NONE = sql`false`;

type RoleRule = (actor: Actor) => SQL;

// Beyond the baseline below. A party sees its own organisation's record only: the other parties of
// its projects reach it by name through the project (whose scope decides), not as organisations.
const RULES: Record<ScopedResource, Partial<Record<Role, RoleRule>>> = {
  organisation: {
    admin: () => ALL,
    regulator: () => ALL,
    hotline: () => ALL,
  },
  // The public register (code, name, type) that forms look parties up in: every signed-in user.
  organisation_register: {},
  user: {
    admin: () => ALL,
  },
  audit_event: {
    admin: () => ALL,
    regulator: () => ALL,
  },
  // The city's regulator oversees every flow; the platform's administrators handle their incidents.
  task: {
    admin: () => ALL,
    regulator: () => ALL,
    owner: (actor) =>
      sql`exists (select 1 from ${processInstances} i join ${claims} c on i.business_type = 'claim' and c.id::text = i.business_key
        where i.id = ${tasks.instanceId} and ${ownersClaim(actor, sql`c`)})`,
  },
  instance: {
    admin: () => ALL,
    regulator: () => ALL,
  },
  // 项目: the city for the regulator (and the hotline, who look up coverage for owners); each
  // party its own projects; insurers and reinsurers the policies they carry a share of.
  // The insurance regulator (金融监管) reads the city's figures: its permissions open no list or page
  // of these rows, only the statistics computed over them (docs/decisions/027).
  project: {
    admin: () => ALL,
    regulator: () => ALL,
    "financial-regulator": () => ALL,
    hotline: () => ALL,
    insurer: (actor) => or(eq(projects.leadInsurerId, actor.organisationId!), sharesOf(actor, "insurer"))!,
    reinsurer: (actor) => sharesOf(actor, "reinsurer"),
    tis: (actor) => eq(projects.tisId, actor.organisationId!),
    developer: (actor) => eq(projects.developerId, actor.organisationId!),
    contractor: (actor) => eq(projects.contractorId, actor.organisationId!),
    supervisor: (actor) => eq(projects.supervisorId, actor.organisationId!),
    designer: (actor) => eq(projects.designerId, actor.organisationId!),
    // A property company (物业, of the repairer type) the projects whose homes it looks after.
    repairer: (actor) => eq(projects.propertyCompanyId, actor.organisationId!),
  },
  // 风险事件: the regulator the city; each party the events of the projects it sees as that party
  // (a TIS those it is appointed to, a contractor its sites). The hotline, who see projects for
  // owners' coverage, have no business with the building site's events.
  risk_event: {
    admin: () => ALL,
    regulator: () => ALL,
    "financial-regulator": () => ALL,
    insurer: viaProject("insurer"),
    reinsurer: viaProject("reinsurer"),
    tis: viaProject("tis"),
    developer: viaProject("developer"),
    contractor: viaProject("contractor"),
    supervisor: viaProject("supervisor"),
    designer: viaProject("designer"),
  },
  // 理赔: the regulator and the hotline the city; the handling insurer (and co-insurers, through
  // the project) and the reinsurers of its policy; its appointed repairer; the developer (the
  // policyholder follows its homes' claims); an owner the claims on their homes or that they reported.
  claim: {
    admin: () => ALL,
    regulator: () => ALL,
    "financial-regulator": () => ALL,
    hotline: () => ALL,
    insurer: (actor) => or(eq(claims.insurerId, actor.organisationId!), claimViaProject("insurer")(actor))!,
    reinsurer: claimViaProject("reinsurer"),
    developer: claimViaProject("developer"),
    repairer: (actor) => eq(claims.repairerId, actor.organisationId!),
    owner: (actor) => ownersClaim(actor, claims),
  },
  // 房屋: a project's homes follow the project; owners see their own.
  unit: {
    admin: () => ALL,
    regulator: () => ALL,
    hotline: () => ALL,
    insurer: unitViaProject("insurer"),
    reinsurer: unitViaProject("reinsurer"),
    developer: unitViaProject("developer"),
    repairer: unitViaProject("repairer"),
    owner: (actor) => (actor.ownerPhone ? eq(units.ownerPhone, actor.ownerPhone) : NONE),
  },
};

/** A claim the owner reported, or on a home registered to them when it was reported, by their verified phone. */
function ownersClaim(actor: Actor, claim: typeof claims | SQL): SQL {
  if (!actor.ownerPhone) return NONE;
  const c =
    claim === claims
      ? { reporter: claims.reporterPhone, owner: claims.homeOwnerPhone }
      : { reporter: sql`c.reporter_phone`, owner: sql`c.home_owner_phone` };
  return sql`(${c.reporter} = ${actor.ownerPhone} or ${c.owner} = ${actor.ownerPhone})`;
}

// The rows of a project the actor sees in a role, and its projects' policies it carries a share
// of, are sets computed once per query (IN over a subquery that does not depend on the row), not
// probed row by row: PostgreSQL hashes them, so a city's million events are each one hash lookup.
// The project ids are never null (foreign keys, not null), so IN selects what EXISTS did.

/**
 * The projects the actor sees in that role (read when a query is built, once RULES exists). An
 * insurer's and a reinsurer's are read from the indexes that find them (the projects it leads, the
 * policies it has a share of) rather than by testing every project against the rule: the same set.
 */
function projectsOf(role: Role, actor: Actor): SQL {
  if (role === "insurer")
    return sql`(select ${projects.id} from ${projects} where ${projects.leadInsurerId} = ${actor.organisationId} union all ${sharedProjects(actor, "insurer")})`;
  if (role === "reinsurer") return sql`(${sharedProjects(actor, "reinsurer")})`;
  return sql`(select ${projects.id} from ${projects} where ${RULES.project[role]!(actor)})`;
}

function claimViaProject(role: Role): RoleRule {
  return (actor) => sql`${claims.projectId} in ${projectsOf(role, actor)}`;
}

function unitViaProject(role: Role): RoleRule {
  return (actor) => sql`${units.projectId} in ${projectsOf(role, actor)}`;
}

/** Rows of a project the actor sees in that role. */
function viaProject(role: Role): RoleRule {
  return (actor) => sql`${riskEvents.projectId} in ${projectsOf(role, actor)}`;
}

/** The projects of the policies the actor carries a share of, as an insurer or a reinsurer (from the shares' index alone). */
function sharedProjects(actor: Actor, kind: "insurer" | "reinsurer"): SQL {
  return sql`select s.project_id from ${policyShares} s where s.organisation_id = ${actor.organisationId} and s.kind = ${kind}`;
}

function sharesOf(actor: Actor, kind: "insurer" | "reinsurer"): SQL {
  return sql`${projects.id} in (${sharedProjects(actor, kind)})`;
}

function own(column: AnyPgColumn): RoleRule {
  return (actor) => (actor.organisationId ? eq(column, actor.organisationId) : NONE);
}

// A task for the actor's organisation, or one any organisation of the actor's roles may take.
function baselineTask(actor: Actor): SQL {
  return or(
    actor.organisationId ? eq(tasks.organisationId, actor.organisationId) : NONE,
    actor.roles.length ? and(isNull(tasks.organisationId), arrayOverlaps(tasks.candidateRoles, actor.roles)) : NONE,
  )!;
}

/** A flow whose business object names the actor's organisation as a party (`instance` the flow's row). */
function partyTo(actor: Actor, instance: SQL): SQL {
  return actor.organisationId ? sql`exists (select 1 from jsonb_each_text(${instance}) p where p.value = ${actor.organisationId})` : NONE;
}

/** A flow copied (抄送) to the actor's organisation (`instanceId` the flow's id): read-only, docs/decisions/038. */
function copiedTo(actor: Actor, instanceId: SQL | AnyPgColumn): SQL {
  return actor.organisationId
    ? sql`exists (select 1 from ${instanceCopies} c where c.instance_id = ${instanceId} and c.organisation_id = ${actor.organisationId})`
    : NONE;
}

// Everyone sees their own organisation's users and audit trail, whatever their role.
const BASELINE: Record<ScopedResource, RoleRule> = {
  organisation: own(organisations.id),
  organisation_register: () => ALL,
  user: own(users.organisationId),
  audit_event: own(auditEvents.organisationId),
  // Also every step of a flow the actor is a party to, to open read-only and urge (催办) another
  // party's step: the insurer the repairer's 维修 of its claim (docs/decisions/003).
  task: (actor) =>
    or(
      baselineTask(actor),
      sql`exists (select 1 from ${processInstances} i where i.id = ${tasks.instanceId} and ${partyTo(actor, sql`i.parties`)})`,
      copiedTo(actor, tasks.instanceId),
    )!,
  project: () => NONE,
  risk_event: () => NONE,
  claim: () => NONE,
  unit: () => NONE,
  // A flow whose business object names the actor's organisation as a party, or that has a task it
  // may see, or that was copied (抄送) to it.
  instance: (actor) =>
    or(
      partyTo(actor, sql`${processInstances.parties}`),
      sql`exists (select 1 from ${tasks} where ${tasks.instanceId} = ${processInstances.id} and ${baselineTask(actor)})`,
      copiedTo(actor, processInstances.id),
    )!,
};

/** The condition that limits `resource` to what `actor` may see. Roles add up (union). */
export function scope(actor: Actor, resource: ScopedResource): SQL {
  // The platform building the bureau's periodic report reads the city as the bureau does.
  if (actor === CITY_FIGURES_READER) return RULES[resource].regulator?.(actor) ?? NONE;
  if (!actor.userId) return NONE;
  // An owner has no organisation: only the owner's rules apply, by their verified phone.
  if (!actor.organisationId) return actor.ownerPhone && actor.roles.includes("owner") ? (RULES[resource].owner?.(actor) ?? NONE) : NONE;
  const conditions = actor.roles.map((role) => RULES[resource][role]?.(actor)).filter((c): c is SQL => !!c);
  if (conditions.some((c) => c === ALL)) return ALL;
  return or(BASELINE[resource](actor), ...conditions) ?? NONE;
}

/**
 * Whether any of the actor's roles has rows of the resource to see (beyond the baseline of flows it
 * takes part in): a TIS has no claims, so no figures of claims either.
 */
export function seesAny(actor: Actor, resource: ScopedResource): boolean {
  if (actor === CITY_FIGURES_READER) return true;
  if (!actor.organisationId) return actor.roles.includes("owner") && !!RULES[resource].owner;
  return actor.roles.some((role) => !!RULES[resource][role]);
}

/**
 * The ids of the projects the actor sees, as a set (a subquery) for a condition on other rows: what
 * scope(actor, "project") selects, read as the union of its roles' sets (projectsOf), each from the
 * index that finds it, rather than by testing every project.
 */
export function projectsSeen(actor: Actor): SQL {
  const condition = scope(actor, "project");
  const roles = actor === CITY_FIGURES_READER || !actor.organisationId ? [] : actor.roles.filter((role) => RULES.project[role]);
  if (condition === ALL || condition === NONE || !roles.length) return sql`(select ${projects.id} from ${projects} where ${condition})`;
  return sql`(${sql.join(
    roles.map((role) => projectsOf(role, actor)),
    sql` union all `,
  )})`;
}

/** Whether the actor sees every row of the resource (the city's regulator, the platform's administrators). */
export function seesAll(actor: Actor, resource: ScopedResource): boolean {
  return scope(actor, resource) === ALL;
}

/**
 * Which flows' files an actor may open (a condition on process_instances; docs/decisions/025): those
 * of a flow the actor sees, and those of a flow about something whose page the actor sees, since
 * that page shows them: a claim's survey and repair photos to whoever sees the claim (its
 * developer, the hotline, a co-insurer), a risk event's rectification photos to whoever sees the
 * event, a project's registration and policy documents to whoever sees the project, and its risk
 * management's files (inspection photos, reports) to those of them with the risk pages.
 */
export function flowFilesScope(actor: Actor): SQL {
  const about = (type: string, table: typeof claims | typeof riskEvents | typeof projects, seen: SQL) =>
    sql`(${processInstances.businessType} = ${type} and exists (select 1 from ${table} where ${table.id}::text = ${processInstances.businessKey} and ${seen}))`;
  const riskReader = { ...actor, roles: actor.roles.filter((role) => can([role], "view:risk")) };
  return or(
    scope(actor, "instance"),
    about("claim", claims, scope(actor, "claim")),
    about("risk-event", riskEvents, scope(actor, "risk_event")),
    and(eq(processInstances.definitionKey, "insurance-review"), about("project", projects, scope(actor, "project"))),
    and(sql`${processInstances.definitionKey} <> 'insurance-review'`, about("project", projects, scope(riskReader, "project"))),
  )!;
}
