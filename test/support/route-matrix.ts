import { readFileSync } from "node:fs";
import type { ScopedResource } from "~/server/auth/scope.server";
import type { DiagramModel } from "~/server/workflow/index.server";
import { can, homePathFor, NAV_ITEMS, type Permission } from "~/shared/permissions";
import { hasRowsOf, inScope, type ObjectFacts, type Subject } from "./scope-model";

// The authorization matrix: one row per route module of app/routes, each with the requests that
// exercise it. What a request should answer is computed, never written per cell: from the
// permissions table (can), the scope function (inScope) and the processes' starter groups. So a
// change to a permission or a scope rule changes the expected answers with it.

/** A signed-in demo user, as the matrix sends requests for them. */
export interface Who extends Subject {
  username: string;
  cookie: string;
}

/** An object a route takes by id, and what the scope function needs to know about it. */
export interface Target {
  label: string;
  id: string;
  resource?: ScopedResource;
  facts?: ObjectFacts;
}

/** What the test built on the platform, with the facts the expectations are derived from. */
export interface Fixture {
  projects: Target[];
  instances: Target[];
  /** Flows just started, nothing submitted in them: what 撤回 withdraws (no other row uses them). */
  fresh: Target[];
  tasks: Target[];
  /** Insured projects in site risk management (apart from `projects`, whose reviews still run). */
  riskProjects: Target[];
  /** One open risk event on each of riskProjects. */
  riskEvents: Target[];
  /** organisation id by demo organisation key. */
  organisations: Record<string, string>;
  users: Who[];
  /** Every process of processes/, read as the platform reads it. */
  processes: DiagramModel[];
}

export interface Expected {
  status: number;
  /** Where a redirect must lead (a prefix). */
  location?: string;
}

export interface Probe {
  method: "GET" | "POST";
  path: (target?: Target) => string;
  body?: (target?: Target) => unknown;
  /** Sent as multipart/form-data (an upload) rather than JSON. */
  multipart?: boolean;
  targets?: (f: Fixture, who: Who | null) => Target[];
  /** The answer for a signed-in user. */
  expect: (who: Who, target: Target | undefined, f: Fixture) => Expected;
  /** The answer without a session, when it is not the route kind's usual one. */
  anonymous?: Expected;
  /** A request that changes what later requests see (a claim): sent after every other one of its row. */
  mutates?: (who: Who, target: Target | undefined, f: Fixture) => boolean;
  /** More than the status: what an allowed list shows. Returns a complaint, or nothing. */
  check?: (who: Who, body: unknown, f: Fixture) => string | undefined;
}

export interface RouteRow {
  /** The module's file name under app/routes. */
  file: string;
  /** A page answers a visitor without a session with the login page; the API with 401. */
  kind: "page" | "api";
  probes: Probe[];
}

export const OK: Expected = { status: 200 };
export const FORBIDDEN: Expected = { status: 403 };
export const NOT_FOUND: Expected = { status: 404 };
export const INVALID: Expected = { status: 422 };
export const CONFLICT: Expected = { status: 409 };
export const TO_LOGIN: Expected = { status: 302, location: "/login" };
export const UNAUTHENTICATED: Expected = { status: 401 };

/** A UUID no object has: routes answer it 404 once the permission check lets the request through. */
export const MISSING_ID = "00000000-0000-4000-8000-000000000000";

type Gate = () => Expected | undefined;

/** The first gate that refuses decides; a request through all of them gets `allowed`. */
function gated(gates: Gate[], allowed: Expected): Expected {
  for (const gate of gates) {
    const refused = gate();
    if (refused) return refused;
  }
  return allowed;
}
const needs =
  (who: Who, permission: Permission): Gate =>
  () =>
    can(who.roles, permission) ? undefined : FORBIDDEN;
const needsAny =
  (who: Who, permissions: readonly Permission[]): Gate =>
  () =>
    permissions.some((p) => can(who.roles, p)) ? undefined : FORBIDDEN;
/** 风险 statistics are offered only to those who see risk events (a repairer does not): 404 otherwise. */
const hasRiskFigures =
  (who: Who): Gate =>
  () =>
    hasRowsOf(who, "risk_event") ? undefined : NOT_FOUND;
/** 承保 statistics are offered to the parties of policies: never to a repairer (not even a property company). */
const hasUnderwritingFigures =
  (who: Who): Gate =>
  () =>
    who.roles.some((role) => role !== "repairer") ? undefined : NOT_FOUND;
const sees =
  (who: Who, target: Target | undefined): Gate =>
  () =>
    inScope(who, target!.resource!, target!.facts!) ? undefined : NOT_FOUND;

/** Whether the actor may do the task (not merely see it): one of its roles, its organisation, not claimed by another. */
function mayDo(who: Who, target: Target | undefined): Gate {
  return () => {
    const task = target!.facts!.task!;
    const roleFits = who.roles.some((r) => task.candidateRoles.includes(r));
    const organisationFits = task.organisationId === null || task.organisationId === who.organisationId;
    return roleFits && organisationFits ? undefined : FORBIDDEN;
  };
}

/**
 * A flow a user starts about an existing project attaches to it only when the user's organisation
 * is its lead insurer (docs/architecture.md rule 6); anyone else meets it as outside their scope.
 */
const leads =
  (who: Who, target: Target | undefined): Gate =>
  () =>
    target!.facts!.columns?.lead_insurer_id === who.organisationId ? undefined : NOT_FOUND;

/** Only an insurer urges (催办) a risk event; the other parties who see it are refused. */
const insures =
  (who: Who): Gate =>
  () =>
    who.roles.includes("insurer") ? undefined : FORBIDDEN;

/** A project's homes are answered for by its developer, its lead insurer or an administrator (who name its property company). */
const answersForHomes =
  (who: Who, target: Target | undefined): Gate =>
  () => {
    const columns = target!.facts!.columns ?? {};
    const may =
      who.roles.includes("admin") ||
      (who.roles.includes("developer") && columns.developer_id === who.organisationId) ||
      (who.roles.includes("insurer") && columns.lead_insurer_id === who.organisationId);
    return may ? undefined : FORBIDDEN;
  };

/** A project's homes are imported by those who answer for them and by the property company they named. */
const importsUnits =
  (who: Who, target: Target | undefined): Gate =>
  () => {
    const columns = target!.facts!.columns ?? {};
    if (who.roles.includes("repairer") && columns.property_company_id === who.organisationId) return undefined;
    return answersForHomes(who, target)();
  };

/** The fixture's projects under review are not insured yet (409); the risk projects are, and want a file (422). */
const unitsImportAnswer = (t: Target | undefined, f: Fixture): Expected => (f.riskProjects.includes(t!) ? INVALID : CONFLICT);

/** Only its starter may withdraw a flow; to anyone else there is none to withdraw. */
const started =
  (who: Who, target: Target | undefined): Gate =>
  () =>
    target!.facts!.startedBy === who.userId ? undefined : NOT_FOUND;

/** Starting a process takes one of its camunda:candidateStarterGroups. */
function mayStart(who: Who, f: Fixture, key: string): Gate {
  return () => {
    const process = f.processes.find((p) => p.processId === key);
    if (!process) return NOT_FOUND;
    return who.roles.some((r) => process.starterGroups.includes(r)) ? undefined : FORBIDDEN;
  };
}

const ADMIN_SECTION = NAV_ITEMS.find((n) => n.key === "admin")!.anyOf;

/** A page: GET it as a document; a visitor without a session is sent to sign in. */
function page(file: string, path: string, permission?: Permission): RouteRow {
  return {
    file,
    kind: "page",
    probes: [{ method: "GET", path: () => dataOf(file, path), expect: (who) => gated(permission ? [needs(who, permission)] : [], OK) }],
  };
}

/**
 * The path asked for this module's loader alone (?_data=routes/…), as the browser's client-side
 * navigation does: each row then tests its own module, not its parents (those have rows of
 * their own), and the platform does not render HTML a thousand times on a shared CI machine.
 */
export function dataOf(file: string, path: string): string {
  const routeId = encodeURIComponent(`routes/${file.replace(/\.tsx?$/, "")}`);
  return `${path}${path.includes("?") ? "&" : "?"}_data=${routeId}`;
}

/** A page's action, posted as its fetcher does (?_data=, JSON), with a body the action refuses as invalid. */
function invalidPost(path: string, routeId: string, gates: (who: Who) => Gate[]): Probe {
  return {
    method: "POST",
    path: () => `${path}?_data=${encodeURIComponent(routeId)}`,
    body: () => ({}),
    expect: (who) => gated(gates(who), INVALID),
  };
}

const projects = (f: Fixture) => f.projects;
const riskEvents = (f: Fixture) => f.riskEvents;
const tasks = (f: Fixture) => f.tasks;
const instances = (f: Fixture) => f.instances;

/** The visitor's own organisation and another one (PICC's, or CPIC's for PICC's own staff). */
function ownAndOtherOrganisation(f: Fixture, who: Who | null): Target[] {
  const own = who?.organisationId ?? f.organisations.picc;
  const other = own === f.organisations.picc ? f.organisations.cpic : f.organisations.picc;
  return [
    { label: "own organisation", id: own, resource: "organisation", facts: { id: own } },
    { label: "another organisation", id: other, resource: "organisation", facts: { id: other } },
  ];
}

/** The visitor's own user record and a user of another organisation. */
function ownAndOtherUser(f: Fixture, who: Who | null): Target[] {
  const me = who ?? f.users.find((u) => u.username === "insurer")!;
  const other = f.users.find((u) => u.organisationId !== me.organisationId)!;
  return [
    { label: "own user", id: me.userId, resource: "user", facts: { id: me.userId, organisationId: me.organisationId } },
    {
      label: `another organisation's user`,
      id: other.userId,
      resource: "user",
      facts: { id: other.userId, organisationId: other.organisationId },
    },
  ];
}

/** The fixture's projects among a project list's rows, against those the scope lets the user see. */
function listsVisibleProjects(who: Who, body: unknown, f: Fixture): string | undefined {
  const listed = new Set((body as { rows: { id: string }[] }).rows.map((r) => r.id));
  const wrong = f.projects.filter((p) => listed.has(p.id) !== inScope(who, "project", p.facts!));
  return wrong.length ? `project list: ${wrong.map((p) => `${p.label} ${listed.has(p.id) ? "listed" : "missing"}`).join(", ")}` : undefined;
}

/** The fixture's projects led by `insurer` among the rows, against those the scope lets the user see. */
function listsVisibleProjectsOf(who: Who, rows: { id: string }[], f: Fixture, insurer: string): string | undefined {
  const listed = new Set(rows.map((r) => r.id));
  const wrong = f.projects
    .filter((p) => p.facts!.columns?.lead_insurer_id === insurer)
    .filter((p) => listed.has(p.id) !== inScope(who, "project", p.facts!));
  return wrong.length
    ? `insurer filter: ${wrong.map((p) => `${p.label} ${listed.has(p.id) ? "listed" : "missing"}`).join(", ")}`
    : undefined;
}

/** The fixture's risk events among a list's rows, against those the scope lets the user see. */
function listsVisibleRiskEvents(who: Who, body: unknown, f: Fixture): string | undefined {
  const listed = new Set((body as { rows: { id: string }[] }).rows.map((r) => r.id));
  const wrong = f.riskEvents.filter((e) => listed.has(e.id) !== inScope(who, "risk_event", e.facts!));
  return wrong.length ? `risk events: ${wrong.map((e) => `${e.label} ${listed.has(e.id) ? "listed" : "missing"}`).join(", ")}` : undefined;
}

function showsRegisterOnly(_who: Who, body: unknown): string | undefined {
  const rows = body as Record<string, unknown>[];
  if (!rows.length) return "organisation lookup: nothing found for 昆明";
  // The public part: code, name and type, and for a TIS the insurers' rating of its work.
  const extra = rows.flatMap((r) =>
    Object.keys(r).filter((k) => !["creditCode", "name", "type", ...(r.type === "tis" ? ["rating"] : [])].includes(k)),
  );
  return extra.length ? `organisation lookup shows ${[...new Set(extra)].join(",")}` : undefined;
}

function listsStartableProcesses(who: Who, body: unknown, f: Fixture): string | undefined {
  const listed = (body as { key: string }[]).map((p) => p.key).sort();
  const startable = f.processes.filter((p) => who.roles.some((r) => p.starterGroups.includes(r))).map((p) => p.processId);
  const expected = startable.sort();
  return JSON.stringify(listed) === JSON.stringify(expected)
    ? undefined
    : `processes: listed ${listed.join(",")}, expected ${expected.join(",")}`;
}

// The API mirrors the pages: an operation needs what its page needs (guard.server.ts: "services
// check permissions themselves too: the API and the bot reach them without a page").
export const ROUTES: RouteRow[] = [
  // ---- public and plumbing ----
  {
    file: "$.tsx",
    kind: "page",
    probes: [{ method: "GET", path: () => dataOf("$.tsx", "/no-such-page"), expect: () => NOT_FOUND, anonymous: NOT_FOUND }],
  },
  {
    file: "_index.tsx",
    kind: "page",
    probes: [{ method: "GET", path: () => "/", expect: (who) => ({ status: 302, location: homePathFor(who.roles) }) }],
  },
  {
    file: "login.tsx",
    kind: "page",
    probes: [{ method: "GET", path: () => "/login", expect: (who) => ({ status: 302, location: homePathFor(who.roles) }), anonymous: OK }],
  },
  {
    // 业主服务: public, the same answers with or without a session; a lookup without its fields is refused.
    file: "owner._index.tsx",
    kind: "page",
    probes: [
      { method: "GET", path: () => dataOf("owner._index.tsx", "/owner"), expect: () => OK, anonymous: OK },
      {
        method: "POST",
        path: () => `/owner?index&_data=${encodeURIComponent("routes/owner._index")}`,
        body: () => ({ intent: "follow" }),
        expect: () => INVALID,
        anonymous: INVALID,
      },
    ],
  },
  {
    // The owners' home finder: public; a malformed choice is refused.
    file: "owner.homes.ts",
    kind: "page",
    probes: [
      { method: "GET", path: () => "/owner/homes", expect: () => OK, anonymous: OK },
      { method: "GET", path: () => "/owner/homes?unitId=x", expect: () => INVALID, anonymous: INVALID },
    ],
  },
  {
    // GET only: a POST would end the session the other rows use.
    file: "logout.tsx",
    kind: "page",
    probes: [
      { method: "GET", path: () => "/logout", expect: () => ({ status: 302, location: "/" }), anonymous: { status: 302, location: "/" } },
    ],
  },
  {
    // The attachments are the API's too (pages and integrations upload and read them): a script gets 401.
    file: "attachments.tsx",
    kind: "api",
    probes: [{ method: "POST", path: () => "/attachments", multipart: true, expect: () => INVALID }],
  },
  {
    // No attachment is built: a missing one is 404 for every signed-in user (the scope is the task's).
    file: "attachments.$id.tsx",
    kind: "api",
    probes: [{ method: "GET", path: () => `/attachments/${MISSING_ID}`, expect: () => NOT_FOUND }],
  },
  {
    // The owners' web chat needs no account: everyone, signed in or not, gets the greeting.
    file: "owner.chat.ts",
    kind: "page",
    probes: [{ method: "POST", path: () => "/owner/chat", body: () => ({ start: true }), expect: () => OK, anonymous: OK }],
  },
  {
    // A photo from a browser without a chat is refused, whoever sends it.
    file: "owner.chat.photo.ts",
    kind: "page",
    probes: [{ method: "POST", path: () => "/owner/chat/photo", multipart: true, expect: () => INVALID, anonymous: INVALID }],
  },

  // ---- the frame and navigation sections ----
  {
    file: "_app.tsx",
    kind: "page",
    probes: [{ method: "GET", path: () => `/notifications?_data=${encodeURIComponent("routes/_app")}`, expect: () => OK }],
  },
  page("_app.notifications.tsx", "/notifications"),
  {
    file: "_app.inbox.tsx",
    kind: "page",
    probes: [
      { method: "GET", path: () => dataOf("_app.inbox.tsx", "/inbox"), expect: (who) => gated([needs(who, "view:inbox")], OK) },
      invalidPost("/inbox", "routes/_app.inbox", (who) => [needs(who, "view:inbox")]),
    ],
  },
  {
    // The list with the filters dashboards link with; another organisation's insurer id filters, it does not widen.
    file: "_app.projects._index.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.projects._index.tsx", "/projects?pageSize=100"),
        expect: (who) => gated([needs(who, "view:projects")], OK),
        check: listsVisibleProjects,
      },
      {
        method: "GET",
        path: () => dataOf("_app.projects._index.tsx", "/projects?pageSize=100&q=KM-MATRIX&district=&stage=registered&sort=name&order=asc"),
        expect: (who) => gated([needs(who, "view:projects")], OK),
        check: listsVisibleProjects,
      },
      {
        method: "GET",
        path: () => dataOf("_app.projects._index.tsx", `/projects?district=999999&from=2026-02-30&q=${"昆".repeat(1000)}`),
        expect: (who) => gated([needs(who, "view:projects")], INVALID),
      },
    ],
  },
  {
    file: "_app.projects.$id.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: (t) => dataOf("_app.projects.$id.tsx", `/projects/${t!.id}`),
        targets: projects,
        expect: (who, t) => gated([needs(who, "view:projects"), sees(who, t)], OK),
      },
      {
        // 理赔与投诉: the same scope as the project (another organisation's project is not found).
        method: "GET",
        path: (t) => dataOf("_app.projects.$id.tsx", `/projects/${t!.id}?tab=claims`),
        targets: (f) => [...f.projects, ...f.riskProjects],
        expect: (who, t) => gated([needs(who, "view:projects"), sees(who, t)], OK),
      },
      {
        method: "GET",
        path: (t) => dataOf("_app.projects.$id.tsx", `/projects/${t!.id}?tab=units`),
        targets: (f) => [...f.projects, ...f.riskProjects],
        expect: (who, t) => gated([needs(who, "view:projects"), sees(who, t)], OK),
      },
      {
        // 指定物业服务企业 from the 房屋 tab, with no code: refused as invalid once scope and party allow it.
        method: "POST",
        path: (t) => dataOf("_app.projects.$id.tsx", `/projects/${t!.id}`),
        body: () => ({}),
        targets: (f) => [...f.projects, ...f.riskProjects],
        expect: (who, t) => gated([needs(who, "view:projects"), sees(who, t), answersForHomes(who, t)], INVALID),
      },
    ],
  },
  {
    // 导入房屋清单 from the 房屋 tab, with no file: refused as invalid once scope, party and status allow it.
    file: "projects.$id.units.ts",
    kind: "page",
    probes: [
      {
        method: "POST",
        path: (t) => `/projects/${t!.id}/units`,
        multipart: true,
        targets: (f) => [...f.projects, ...f.riskProjects],
        expect: (who, t, f) => gated([needs(who, "view:projects"), sees(who, t), importsUnits(who, t)], unitsImportAnswer(t, f)),
        // The tab's upload is a script's request: told in JSON, not sent to the login page.
        anonymous: UNAUTHENTICATED,
      },
      {
        // Opened as an address, it leads to the project's 房屋 tab (whose page then decides on the scope).
        method: "GET",
        path: (t) => `/projects/${t!.id}/units`,
        targets: projects,
        expect: (who, t) => gated([needs(who, "view:projects")], { status: 302, location: `/projects/${t!.id}?tab=units` }),
      },
    ],
  },
  {
    // 导出 of each list, with its filters; the rows are the list's, in the actor's scope.
    file: "export.$list.ts",
    kind: "api",
    probes: [
      ...(
        [
          ["projects", "view:projects", "?q=KM-MATRIX&stage=registered"],
          ["risk-events", "view:risk", "?level=major"],
          ["claims", "view:claims", "?status=reported"],
          ["ratings", "view:service-ratings", ""],
        ] as const
      ).map(([list, permission, query]): Probe => ({
        method: "GET",
        path: () => `/export/${list}${query}`,
        expect: (who) => gated([needs(who, permission)], OK),
        // Each user's exports one after the other: a second one while the first streams is refused (409).
        mutates: () => true,
      })),
      { method: "GET", path: () => "/export/projects?district=999999", expect: (who) => gated([needs(who, "view:projects")], INVALID) },
      { method: "GET", path: () => "/export/users", expect: () => NOT_FOUND },
    ],
  },
  {
    file: "units-template[.]xlsx.ts",
    kind: "page",
    probes: [{ method: "GET", path: () => "/units-template.xlsx", expect: (who) => gated([needs(who, "view:projects")], OK) }],
  },
  page("_app.reinsurance.tsx", "/reinsurance", "view:reinsurance"),
  page("_app.hotline.tsx", "/hotline?q=" + encodeURIComponent("花园"), "view:hotline"),
  {
    file: "_app.risk._index.tsx",
    kind: "page",
    probes: [
      { method: "GET", path: () => dataOf("_app.risk._index.tsx", "/risk"), expect: (who) => gated([needs(who, "view:risk")], OK) },
      // 催办 without an event: refused as invalid once the permission lets it through.
      invalidPost("/risk", "routes/_app.risk._index", (who) => [needs(who, "view:risk")]),
    ],
  },
  {
    // No risk event is built: a missing one is 404 for whoever has the risk pages.
    file: "_app.risk.events.$id.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.risk.events.$id.tsx", `/risk/events/${MISSING_ID}`),
        expect: (who) => gated([needs(who, "view:risk")], NOT_FOUND),
      },
    ],
  },
  page("_app.claims._index.tsx", "/claims", "view:claims"),
  page("_app.claims.ratings.tsx", "/claims/ratings", "view:service-ratings"),
  {
    // No claim is built: a missing one is 404 for whoever has the claim pages.
    file: "_app.claims.$id.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.claims.$id.tsx", `/claims/${MISSING_ID}`),
        expect: (who) => gated([needs(who, "view:claims")], NOT_FOUND),
      },
    ],
  },
  page("_app.stats.tsx", "/stats", "view:stats"),
  {
    file: "stats.chart[.]xlsx.ts",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => "/stats/chart.xlsx?area=risk&chart=eventsByLevel",
        expect: (who) => gated([needs(who, "view:stats"), hasRiskFigures(who)], OK),
      },
      {
        method: "GET",
        path: () => "/stats/chart.xlsx?area=risk&chart=nothing",
        expect: (who) => gated([needs(who, "view:stats"), hasRiskFigures(who)], NOT_FOUND),
      },
    ],
  },
  page("_app.map.tsx", "/map", "view:map"),
  {
    file: "map[.]xlsx.ts",
    kind: "page",
    probes: [{ method: "GET", path: () => "/map.xlsx", expect: (who) => gated([needs(who, "view:map")], OK) }],
  },
  {
    file: "_app.reports.$id.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.reports.$id.tsx", `/reports/${MISSING_ID}`),
        expect: (who) => gated([needs(who, "read:reports")], NOT_FOUND),
      },
    ],
  },
  {
    // 报告: the list for those who read reports; 生成报告 for the bureau: a period still running,
    // malformed or a huge body is refused before anything is made.
    file: "_app.reports._index.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.reports._index.tsx", "/reports"),
        expect: (who) => gated([needs(who, "read:reports")], OK),
      },
      ...[{}, { period: "month", date: "2999-01-01" }, { period: "week", date: "2026-02-30" }].map((body): Probe => ({
        method: "POST",
        path: () => `/reports?index&_data=${encodeURIComponent("routes/_app.reports._index")}`,
        body: () => body,
        expect: (who) => gated([needs(who, "make:reports")], INVALID),
      })),
      {
        // Over the edge's limit for a JSON body: refused as too large, whoever sends it.
        method: "POST",
        path: () => `/reports?index&_data=${encodeURIComponent("routes/_app.reports._index")}`,
        body: () => ({ period: "year", date: "昆".repeat(600_000) }),
        expect: () => ({ status: 413 }),
        anonymous: { status: 413 },
      },
    ],
  },
  {
    // The printable page and the workbook of a report: an id no report has is 404 to those who read reports.
    file: "reports.$id.print.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("reports.$id.print.tsx", `/reports/${MISSING_ID}/print`),
        expect: (who) => gated([needs(who, "read:reports")], NOT_FOUND),
      },
      {
        method: "GET",
        path: () => dataOf("reports.$id.print.tsx", "/reports/not-an-id/print"),
        expect: (who) => gated([needs(who, "read:reports")], NOT_FOUND),
      },
    ],
  },
  {
    file: "reports.$id.workbook.ts",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => `/reports/${MISSING_ID}/workbook`,
        expect: (who) => gated([needs(who, "read:reports")], NOT_FOUND),
      },
    ],
  },
  {
    file: "_app.instances.$id.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: (t) => dataOf("_app.instances.$id.tsx", `/instances/${t!.id}`),
        targets: instances,
        expect: (who, t) => gated([sees(who, t)], OK),
      },
    ],
  },
  {
    file: "_app.tasks.$id.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: (t) => dataOf("_app.tasks.$id.tsx", `/tasks/${t!.id}`),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t)], OK),
      },
      {
        // A remark is open to whoever sees the task.
        method: "POST",
        path: (t) => `/tasks/${t!.id}?_data=${encodeURIComponent("routes/_app.tasks.$id")}`,
        body: () => ({ intent: "comment", body: "权限矩阵测试" }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t)], OK),
      },
      {
        // 转办 to nobody the organisation has: whoever may do the task is told so on the field.
        method: "POST",
        path: (t) => `/tasks/${t!.id}?_data=${encodeURIComponent("routes/_app.tasks.$id")}`,
        body: () => ({ intent: "transfer", to: "no-such-user" }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t), mayDo(who, t)], INVALID),
      },
      {
        // 抄送 to an organisation that is no party of the flow: 422 on the field for whoever may do the task.
        method: "POST",
        path: (t) => `/tasks/${t!.id}?_data=${encodeURIComponent("routes/_app.tasks.$id")}`,
        body: () => ({ intent: "copy", organisationId: MISSING_ID }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t), mayDo(who, t)], INVALID),
      },
      {
        // 加签 of nobody: whoever may do the task is told so on the field (422), nothing asked.
        method: "POST",
        path: (t) => `/tasks/${t!.id}?_data=${encodeURIComponent("routes/_app.tasks.$id")}`,
        body: () => ({ intent: "sign", kind: "before", to: "user:no-such-user" }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t), mayDo(who, t)], INVALID),
      },
      {
        // 撤回 of a step not yet done: whoever sees it is told there is nothing to take back.
        method: "POST",
        path: (t) => `/tasks/${t!.id}?_data=${encodeURIComponent("routes/_app.tasks.$id")}`,
        body: () => ({ intent: "recall" }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t)], CONFLICT),
      },
    ],
  },
  {
    // A 加签 asking the viewer (from 待办): a sign nobody asked is found by no one.
    file: "_app.signs.$id.tsx",
    kind: "page",
    probes: [
      { method: "GET", path: () => dataOf("_app.signs.$id.tsx", `/signs/${MISSING_ID}`), expect: () => NOT_FOUND },
      {
        method: "POST",
        path: () => `/signs/${MISSING_ID}?_data=${encodeURIComponent("routes/_app.signs.$id")}`,
        body: () => ({ decision: "approve" }),
        expect: () => NOT_FOUND,
      },
    ],
  },
  {
    // A draft is kept only for whoever may do the task; the rest see no task (404) or may not (403).
    file: "tasks.$id.draft.ts",
    kind: "page",
    probes: [
      {
        method: "POST",
        path: (t) => `/tasks/${t!.id}/draft`,
        body: () => ({ values: { subject: "权限矩阵测试" } }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t), mayDo(who, t)], OK),
        // Saved by the page's script as the user types: told in JSON, not sent to the login page.
        anonymous: UNAUTHENTICATED,
      },
    ],
  },

  // ---- administration ----
  {
    file: "_app.admin.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => `/admin/audit?_data=${encodeURIComponent("routes/_app.admin")}`,
        expect: (who) => gated([needsAny(who, ADMIN_SECTION)], OK),
      },
    ],
  },
  {
    file: "_app.admin._index.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.admin._index.tsx", "/admin"),
        expect: (who) =>
          can(who.roles, "manage:organisations")
            ? { status: 302, location: "/admin/organisations" }
            : can(who.roles, "read:audit")
              ? { status: 302, location: "/admin/audit" }
              : FORBIDDEN,
      },
    ],
  },
  page("_app.admin.api-keys.tsx", "/admin/api-keys", "manage:organisations"),
  page("_app.admin.audit.tsx", "/admin/audit", "read:audit"),
  page("_app.admin.processes.tsx", "/admin/processes", "manage:processes"),
  // The form editor's pages (forms are the city's: no scope beyond the permission; a key no form has is 404).
  page("_app.admin.forms._index.tsx", "/admin/forms", "manage:processes"),
  {
    file: "_app.admin.forms.new.tsx",
    kind: "page",
    probes: [
      page("_app.admin.forms.new.tsx", "/admin/forms/new", "manage:processes").probes[0],
      invalidPost("/admin/forms/new", "routes/_app.admin.forms.new", (who) => [needs(who, "manage:processes")]),
    ],
  },
  {
    file: "_app.admin.forms.$key._index.tsx",
    kind: "page",
    probes: [
      page("_app.admin.forms.$key._index.tsx", "/admin/forms/demo-request", "manage:processes").probes[0],
      {
        method: "GET",
        path: () => dataOf("_app.admin.forms.$key._index.tsx", "/admin/forms/no-such-form"),
        expect: (who) => gated([needs(who, "manage:processes")], NOT_FOUND),
      },
    ],
  },
  {
    file: "_app.admin.forms.$key.edit.tsx",
    kind: "page",
    probes: [
      page("_app.admin.forms.$key.edit.tsx", "/admin/forms/demo-request/edit", "manage:processes").probes[0],
      // No reason given: refused by field, nothing published.
      invalidPost("/admin/forms/demo-request/edit", "routes/_app.admin.forms.$key.edit", (who) => [needs(who, "manage:processes")]),
    ],
  },
  {
    file: "_app.admin.forms.$key.compare.tsx",
    kind: "page",
    probes: [
      page("_app.admin.forms.$key.compare.tsx", "/admin/forms/demo-request/compare?a=1&b=1", "manage:processes").probes[0],
      {
        method: "GET",
        path: () => dataOf("_app.admin.forms.$key.compare.tsx", "/admin/forms/demo-request/compare?a=1&b=999"),
        expect: (who) => gated([needs(who, "manage:processes")], NOT_FOUND),
      },
    ],
  },
  // Changing a flow (docs/decisions/035): its versions, the modeler (an empty deploy is refused), a version's file.
  page("_app.admin.processes_.$key._index.tsx", "/admin/processes/demo-approval", "manage:processes"),
  page("_app.admin.processes_.$key.compare.tsx", "/admin/processes/demo-approval/compare?from=1&to=1", "manage:processes"),
  {
    file: "_app.admin.processes_.$key.modeler.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.admin.processes_.$key.modeler.tsx", "/admin/processes/demo-approval/modeler"),
        expect: (who) => gated([needs(who, "manage:processes")], OK),
      },
      invalidPost("/admin/processes/demo-approval/modeler", "routes/_app.admin.processes_.$key.modeler", (who) => [
        needs(who, "manage:processes"),
      ]),
    ],
  },
  {
    file: "admin.processes.$key.versions.$version.bpmn.ts",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => "/admin/processes/demo-approval/versions/1/bpmn",
        expect: (who) => gated([needs(who, "manage:processes")], OK),
      },
      {
        method: "GET",
        path: () => "/admin/processes/demo-approval/versions/999/bpmn",
        expect: (who) => gated([needs(who, "manage:processes")], NOT_FOUND),
      },
    ],
  },
  // 流程运维 (docs/decisions/037): administrators only; the heatmap the bureau's too.
  {
    file: "_app.admin.operate._index.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.admin.operate._index.tsx", "/admin/operate"),
        expect: (who) => gated([needs(who, "manage:processes")], OK),
      },
      {
        method: "GET",
        path: () => dataOf("_app.admin.operate._index.tsx", "/admin/operate?status=lost"),
        expect: (who) => gated([needs(who, "manage:processes")], INVALID),
      },
    ],
  },
  {
    file: "_app.admin.operate.$id.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: (t) => dataOf("_app.admin.operate.$id.tsx", `/admin/operate/${t!.id}`),
        targets: instances,
        expect: (who) => gated([needs(who, "manage:processes")], OK),
      },
      {
        method: "GET",
        path: () => dataOf("_app.admin.operate.$id.tsx", `/admin/operate/${MISSING_ID}`),
        expect: (who) => gated([needs(who, "manage:processes")], NOT_FOUND),
      },
      {
        // Cancelling without a reason: refused (422) before anything changes.
        method: "POST",
        path: (t) => `/admin/operate/${t!.id}?_data=${encodeURIComponent("routes/_app.admin.operate.$id")}`,
        body: () => ({ intent: "cancel" }),
        targets: instances,
        expect: (who) => gated([needs(who, "manage:processes")], INVALID),
      },
    ],
  },
  {
    file: "_app.admin.operate.migrate.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.admin.operate.migrate.tsx", "/admin/operate/migrate?process=demo-approval&fromVersion=1"),
        expect: (who) => gated([needs(who, "manage:processes")], OK),
      },
      {
        method: "GET",
        path: () => dataOf("_app.admin.operate.migrate.tsx", "/admin/operate/migrate?process=no-such-process"),
        expect: (who) => gated([needs(who, "manage:processes")], NOT_FOUND),
      },
      invalidPost("/admin/operate/migrate", "routes/_app.admin.operate.migrate", (who) => [needs(who, "manage:processes")]),
    ],
  },
  {
    file: "_app.admin.heatmap.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.admin.heatmap.tsx", "/admin/heatmap?process=demo-approval"),
        expect: (who) => gated([needs(who, "view:process-heatmap")], OK),
      },
      {
        method: "GET",
        path: () => dataOf("_app.admin.heatmap.tsx", "/admin/heatmap?process=demo-approval&from=2026-02-30"),
        expect: (who) => gated([needs(who, "view:process-heatmap")], INVALID),
      },
    ],
  },
  page("_app.admin.organisations._index.tsx", "/admin/organisations", "manage:organisations"),
  {
    file: "_app.admin.organisations.new.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.admin.organisations.new.tsx", "/admin/organisations/new"),
        expect: (who) => gated([needs(who, "manage:organisations")], OK),
      },
      invalidPost("/admin/organisations/new", "routes/_app.admin.organisations.new", (who) => [needs(who, "manage:organisations")]),
    ],
  },
  {
    file: "_app.admin.organisations.$id.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: (t) => dataOf("_app.admin.organisations.$id.tsx", `/admin/organisations/${t!.id}`),
        targets: ownAndOtherOrganisation,
        expect: (who, t) => gated([needs(who, "manage:organisations"), sees(who, t)], OK),
      },
    ],
  },
  page("_app.admin.users._index.tsx", "/admin/users", "manage:users"),
  {
    file: "_app.admin.users.new.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: () => dataOf("_app.admin.users.new.tsx", "/admin/users/new"),
        expect: (who) => gated([needs(who, "manage:users")], OK),
      },
      invalidPost("/admin/users/new", "routes/_app.admin.users.new", (who) => [needs(who, "manage:users")]),
    ],
  },
  {
    file: "_app.admin.users.$id.tsx",
    kind: "page",
    probes: [
      {
        method: "GET",
        path: (t) => dataOf("_app.admin.users.$id.tsx", `/admin/users/${t!.id}`),
        targets: ownAndOtherUser,
        expect: (who, t) => gated([needs(who, "manage:users"), sees(who, t)], OK),
      },
    ],
  },

  // ---- the REST API ----
  {
    file: "api.v1.$.ts",
    kind: "api",
    probes: [{ method: "GET", path: () => "/api/v1/no-such-operation", expect: () => NOT_FOUND, anonymous: NOT_FOUND }],
  },
  {
    file: "api.v1.openapi[.]json.ts",
    kind: "api",
    probes: [{ method: "GET", path: () => "/api/v1/openapi.json", expect: () => OK, anonymous: OK }],
  },
  {
    file: "api.v1.session.ts",
    kind: "api",
    probes: [
      { method: "GET", path: () => "/api/v1/session", expect: () => OK },
      // Signing in is public; an empty body is refused before any account is looked at.
      { method: "POST", path: () => "/api/v1/session", body: () => ({}), expect: () => INVALID, anonymous: INVALID },
    ],
  },
  {
    file: "api.v1.tasks._index.ts",
    kind: "api",
    probes: [{ method: "GET", path: () => "/api/v1/tasks", expect: (who) => gated([needs(who, "view:inbox")], OK) }],
  },
  {
    file: "api.v1.tasks.$id._index.ts",
    kind: "api",
    probes: [{ method: "GET", path: (t) => `/api/v1/tasks/${t!.id}`, targets: tasks, expect: (who, t) => gated([sees(who, t)], OK) }],
  },
  {
    // An empty submission: whoever may do the task gets the form's 422, and nothing moves on.
    file: "api.v1.tasks.$id.complete.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: (t) => `/api/v1/tasks/${t!.id}/complete`,
        body: () => ({ submission: {} }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t), mayDo(who, t)], INVALID),
      },
    ],
  },
  {
    file: "api.v1.tasks.$id.claim.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: (t) => `/api/v1/tasks/${t!.id}/claim`,
        targets: tasks,
        expect: (who, t) => gated([sees(who, t), mayDo(who, t)], OK),
        mutates: (who, t) => gated([sees(who, t), mayDo(who, t)], OK) === OK,
      },
    ],
  },
  {
    // 转办 to nobody the organisation has: 422 on `to` for whoever may do the task, nothing moves.
    file: "api.v1.tasks.$id.transfer.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: (t) => `/api/v1/tasks/${t!.id}/transfer`,
        body: () => ({ to: "no-such-user" }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t), mayDo(who, t)], INVALID),
      },
    ],
  },
  {
    // 抄送 to an organisation that is no party of the flow: 422 on `organisationId`, nothing copied.
    file: "api.v1.tasks.$id.copy.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: (t) => `/api/v1/tasks/${t!.id}/copy`,
        body: () => ({ organisationId: MISSING_ID }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t), mayDo(who, t)], INVALID),
      },
    ],
  },
  {
    // 加签 of nobody: 422 on `to` for whoever may do the task, nothing asked.
    file: "api.v1.tasks.$id.signs._index.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: (t) => `/api/v1/tasks/${t!.id}/signs`,
        body: () => ({ kind: "before", to: "user:no-such-user" }),
        targets: tasks,
        expect: (who, t) => gated([sees(who, t), mayDo(who, t)], INVALID),
      },
    ],
  },
  {
    // Answering a sign the task does not have: found by no one (the signers' own answers: test/integration/task-signs.test.ts).
    file: "api.v1.tasks.$id.signs.$signId.answer.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: (t) => `/api/v1/tasks/${t!.id}/signs/${MISSING_ID}/answer`,
        body: () => ({ decision: "approve" }),
        targets: tasks,
        expect: () => NOT_FOUND,
      },
    ],
  },
  {
    // 撤回 of an open task: nothing to take back (409) for whoever sees it.
    file: "api.v1.tasks.$id.recall.ts",
    kind: "api",
    probes: [
      { method: "POST", path: (t) => `/api/v1/tasks/${t!.id}/recall`, targets: tasks, expect: (who, t) => gated([sees(who, t)], CONFLICT) },
    ],
  },
  {
    file: "api.v1.processes._index.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: () => "/api/v1/processes",
        expect: (who) => gated([needs(who, "view:inbox")], OK),
        check: listsStartableProcesses,
      },
      {
        // Deploying a diagram: an empty one is refused (422) to administrators, before it could deploy.
        method: "POST",
        path: () => "/api/v1/processes",
        body: () => ({ xml: "", reason: "权限矩阵" }),
        expect: (who) => gated([needs(who, "manage:processes")], INVALID),
      },
    ],
  },
  {
    file: "api.v1.processes.$key.instances.ts",
    kind: "api",
    probes: [
      ...["demo-approval", "insurance-review", "no-such-process"].map((key): Probe => ({
        method: "POST",
        path: () => `/api/v1/processes/${key}/instances`,
        body: () => ({ title: `权限矩阵 ${key}` }),
        expect: (who, _t, f) => gated([mayStart(who, f, key)], OK),
      })),
      {
        // The business object a flow is started on is one the caller may act on: its lead insurer.
        // Every fixture project's review is still running, so even the lead insurer gets 409.
        method: "POST",
        path: () => "/api/v1/processes/insurance-review/instances",
        body: (t) => ({ title: "权限矩阵 挂靠项目", businessKey: t!.id }),
        targets: projects,
        expect: (who, t, f) => gated([mayStart(who, f, "insurance-review"), leads(who, t)], CONFLICT),
      },
    ],
  },
  // ---- forms over the API (an administrator's, or a key holding the admin role) ----
  {
    file: "api.v1.forms._index.ts",
    kind: "api",
    probes: [
      { method: "GET", path: () => "/api/v1/forms", expect: (who) => gated([needs(who, "manage:processes")], OK) },
      // An empty body: refused by field once the caller may publish at all.
      { method: "POST", path: () => "/api/v1/forms", body: () => ({}), expect: (who) => gated([needs(who, "manage:processes")], INVALID) },
    ],
  },
  {
    file: "api.v1.forms.$key.versions._index.ts",
    kind: "api",
    probes: [
      { method: "GET", path: () => "/api/v1/forms/demo-request/versions", expect: (who) => gated([needs(who, "manage:processes")], OK) },
      {
        method: "GET",
        path: () => "/api/v1/forms/no-such-form/versions",
        expect: (who) => gated([needs(who, "manage:processes")], NOT_FOUND),
      },
    ],
  },
  {
    file: "api.v1.forms.$key.versions.$version.ts",
    kind: "api",
    probes: [
      { method: "GET", path: () => "/api/v1/forms/demo-request/versions/1", expect: (who) => gated([needs(who, "manage:processes")], OK) },
      {
        method: "GET",
        path: () => "/api/v1/forms/demo-request/versions/999",
        expect: (who) => gated([needs(who, "manage:processes")], NOT_FOUND),
      },
    ],
  },
  {
    // 试运行 writes nothing: a good diagram runs for administrators, a bad one is refused by field.
    file: "api.v1.processes.dry-run.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: () => "/api/v1/processes/dry-run",
        body: () => ({
          xml: readFileSync("processes/demo-approval.bpmn", "utf8"),
          submissions: { request: [{ subject: "矩阵", amount: 1 }] },
        }),
        expect: (who) => gated([needs(who, "manage:processes")], OK),
      },
      {
        method: "POST",
        path: () => "/api/v1/processes/dry-run",
        body: () => ({ xml: "<a/>" }),
        expect: (who) => gated([needs(who, "manage:processes")], INVALID),
      },
    ],
  },
  {
    // The heatmap's figures: the bureau's and the administrators', city-wide (docs/decisions/037).
    file: "api.v1.processes.$key.heatmap.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: () => "/api/v1/processes/demo-approval/heatmap",
        expect: (who) => gated([needs(who, "view:process-heatmap")], OK),
      },
      {
        method: "GET",
        path: () => "/api/v1/processes/no-such-process/heatmap",
        expect: (who) => gated([needs(who, "view:process-heatmap")], NOT_FOUND),
      },
      {
        method: "GET",
        path: () => "/api/v1/processes/demo-approval/heatmap?version=x",
        expect: (who) => gated([needs(who, "view:process-heatmap")], INVALID),
      },
    ],
  },
  {
    file: "api.v1.instances.$id.ts",
    kind: "api",
    probes: [
      { method: "GET", path: (t) => `/api/v1/instances/${t!.id}`, targets: instances, expect: (who, t) => gated([sees(who, t)], OK) },
    ],
  },
  {
    // The flows worked on already (409 for their starter) and fresh ones, which their starter
    // withdraws after every other request. The demo approvals are fresh too, but other rows claim
    // their tasks meanwhile: they are not withdrawn under them.
    file: "api.v1.instances.$id.withdraw.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: (t) => `/api/v1/instances/${t!.id}/withdraw`,
        targets: (f) => [...f.instances.filter((i) => i.facts!.workedOn), ...f.fresh],
        expect: (who, t) => gated([sees(who, t), started(who, t)], t!.facts!.workedOn ? CONFLICT : OK),
        mutates: (who, t) => gated([sees(who, t), started(who, t)], t!.facts!.workedOn ? CONFLICT : OK) === OK,
      },
    ],
  },
  {
    // A message to a flow: the built-in flows wait for none, so whoever sees the flow learns only that
    // it has no such message, and whoever does not, that there is no such flow: 404 both, before the
    // body is judged. Delivery, 403, 409 and 422 are in test/integration/drawn-flows.test.ts.
    file: "api.v1.instances.$id.messages.$name.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: (t) => `/api/v1/instances/${t!.id}/messages/${encodeURIComponent("付款完成")}`,
        body: () => ({ amount: 1 }),
        targets: instances,
        expect: () => NOT_FOUND,
      },
    ],
  },
  {
    file: "api.v1.projects._index.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: () => "/api/v1/projects?pageSize=100",
        expect: (who) => gated([needs(who, "view:projects")], OK),
        check: listsVisibleProjects,
      },
      {
        // Filtered by another organisation's insurer id: only that insurer's projects within the caller's scope.
        method: "GET",
        path: (t) => `/api/v1/projects?pageSize=100&insurer=${t!.id}`,
        targets: (f) => [{ label: "PICC as insurer", id: f.organisations.picc }],
        expect: (who) => gated([needs(who, "view:projects")], OK),
        check: (who, body, f) => {
          const rows = (body as { rows: { insurerName: string; id: string }[] }).rows;
          const foreign = rows.filter((r) => !r.insurerName.includes("人民财产"));
          return foreign.length
            ? `insurer filter lists ${foreign.length} other insurers' projects`
            : listsVisibleProjectsOf(who, rows, f, f.organisations.picc);
        },
      },
      {
        method: "GET",
        path: () => "/api/v1/projects?stage=building&risk=severe",
        expect: (who) => gated([needs(who, "view:projects")], INVALID),
      },
    ],
  },
  {
    // The public register, for every signed-in user who fills a form: code, name and type only.
    file: "api.v1.organisations.lookup.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: () => `/api/v1/organisations/lookup?q=${encodeURIComponent("昆明")}`,
        expect: () => OK,
        check: showsRegisterOnly,
      },
      { method: "GET", path: () => `/api/v1/organisations/lookup?q=${"昆".repeat(51)}`, expect: () => INVALID },
    ],
  },
  {
    file: "api.v1.statistics.$area.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: () => "/api/v1/statistics/underwriting",
        expect: (who) => gated([needs(who, "view:stats"), hasUnderwritingFigures(who)], OK),
      },
      // The API refuses a bad filter (422) before it asks whether the area is the caller's.
      { method: "GET", path: () => "/api/v1/statistics/risk?period=week", expect: (who) => gated([needs(who, "view:stats")], INVALID) },
      {
        method: "GET",
        path: () => `/api/v1/statistics/underwriting?insurer=${MISSING_ID}`,
        expect: (who) => gated([needs(who, "view:stats")], NOT_FOUND),
      },
    ],
  },
  {
    file: "api.v1.projects.$id.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: (t) => `/api/v1/projects/${t!.id}`,
        targets: projects,
        expect: (who, t) => gated([needs(who, "view:projects"), sees(who, t)], OK),
      },
    ],
  },
  {
    // A project's risk: those under review have none yet, and answer all the same.
    file: "api.v1.projects.$id.risk.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: (t) => `/api/v1/projects/${t!.id}/risk`,
        targets: (f) => [...f.projects, ...f.riskProjects],
        expect: (who, t) => gated([needs(who, "view:risk"), sees(who, t)], OK),
      },
    ],
  },
  {
    file: "api.v1.projects.$id.units.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: (t) => `/api/v1/projects/${t!.id}/units`,
        targets: (f) => [...f.projects, ...f.riskProjects],
        expect: (who, t) => gated([needs(who, "view:projects"), sees(who, t)], OK),
      },
      {
        method: "POST",
        path: (t) => `/api/v1/projects/${t!.id}/units`,
        multipart: true,
        targets: (f) => [...f.projects, ...f.riskProjects],
        expect: (who, t, f) => gated([needs(who, "view:projects"), sees(who, t), importsUnits(who, t)], unitsImportAnswer(t, f)),
      },
    ],
  },
  {
    // 报案 by an insurer's core system on a home no project has: insurers reach the unit check (404),
    // every other role is refused the insurer's channel.
    file: "api.v1.claims._index.ts",
    kind: "api",
    probes: [
      { method: "GET", path: () => "/api/v1/claims?pageSize=100", expect: (who) => gated([needs(who, "view:claims")], OK) },
      { method: "GET", path: () => "/api/v1/claims?status=lost", expect: (who) => gated([needs(who, "view:claims")], INVALID) },
      {
        method: "POST",
        path: () => "/api/v1/claims",
        body: () => ({
          unitId: MISSING_ID,
          part: "waterproofing",
          description: "权限矩阵 报案",
          reporterName: "矩阵",
          reporterPhone: "13800000099",
        }),
        expect: (who) => gated([needs(who, "view:claims"), insures(who)], NOT_FOUND),
      },
    ],
  },
  {
    file: "api.v1.claims.$id.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: () => `/api/v1/claims/${MISSING_ID}`,
        expect: (who) => gated([needs(who, "view:claims")], NOT_FOUND),
      },
    ],
  },
  {
    file: "api.v1.risk-events._index.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: () => "/api/v1/risk-events?pageSize=100",
        expect: (who) => gated([needs(who, "view:risk")], OK),
        check: listsVisibleRiskEvents,
      },
      // A filter of the wrong type: the query is refused as the projects list refuses it.
      { method: "GET", path: () => "/api/v1/risk-events?level=severe", expect: (who) => gated([needs(who, "view:risk")], INVALID) },
    ],
  },
  {
    file: "api.v1.risk-events.$id._index.ts",
    kind: "api",
    probes: [
      {
        method: "GET",
        path: (t) => `/api/v1/risk-events/${t!.id}`,
        targets: riskEvents,
        expect: (who, t) => gated([needs(who, "view:risk"), sees(who, t)], OK),
      },
    ],
  },
  {
    // Each user urges each event once: the insurers of its project succeed (the next urge within
    // 30 minutes would be a 409, and no other row urges).
    file: "api.v1.risk-events.$id.urge.ts",
    kind: "api",
    probes: [
      {
        method: "POST",
        path: (t) => `/api/v1/risk-events/${t!.id}/urge`,
        body: () => ({ message: "权限矩阵测试" }),
        targets: riskEvents,
        expect: (who, t) => gated([needs(who, "view:risk"), sees(who, t), insures(who)], OK),
      },
    ],
  },
];
