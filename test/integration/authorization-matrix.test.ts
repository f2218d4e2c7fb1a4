import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@db/schema/roles";
import { DEMO_USERS, demoCreditCode } from "~/demo/demo-organisations";
import { readDiagram } from "~/server/workflow/index.server";
import {
  ROUTES,
  TO_LOGIN,
  UNAUTHENTICATED,
  type Expected,
  type Fixture,
  type Probe,
  type RouteRow,
  type Target,
  type Who,
} from "../support/route-matrix";
import { inScope, type ObjectFacts, type TaskFacts } from "../support/scope-model";
import { signInOverHttp, usePlatform } from "../support/platform";
import { policy, registration } from "../support/insurance";
import { inspectionSubmission, planSubmission, riskEventInput } from "../support/risk";

// Every role × every route × (own object, another organisation's object), over HTTP against the
// built platform. Expectations come from the permissions table and the scope function (see
// test/support/route-matrix.ts); this file builds the objects and compares the answers.

const { url } = usePlatform();
const root = path.resolve(import.meta.dirname, "../..");
const CONCURRENCY = 8;

interface Answer {
  status: number;
  location?: string;
  body?: unknown;
}

async function send(method: string, pathname: string, cookie?: string, body?: unknown, multipart = false): Promise<Answer> {
  const headers: Record<string, string> = { Origin: url() };
  if (cookie) headers.Cookie = cookie;
  let payload: BodyInit | undefined;
  if (multipart) payload = new FormData();
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(url() + pathname, { method, headers, body: payload, redirect: "manual" });
  const text = await response.text();
  // A ?_data= request is told of a redirect by a 204 and X-Remix-Redirect instead of a 302.
  const remixRedirect = response.headers.get("x-remix-redirect");
  const status = remixRedirect && response.status === 204 ? 302 : response.status;
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status, location: remixRedirect ?? response.headers.get("location") ?? undefined, body: parsed };
}

/** An API call while building the fixture: it must succeed. */
async function call<T>(who: Who, method: string, pathname: string, body?: unknown): Promise<T> {
  const answer = await send(method, pathname, who.cookie, body);
  if (answer.status !== 200) throw new Error(`${who.username} ${method} ${pathname}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

async function pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The objects: two insurance reviews (PICC's and CPIC's, different parties each) waiting for the
// regulator, and two demo approvals (PICC's and CPIC's) waiting for the insurer's request.

interface InstanceBody {
  id: string;
  businessKey: string;
  openTasks: { id: string; name: string }[];
}

const PROJECT_PARTIES = {
  picc: { developer: "dev-dc", contractor: "con-yj2", supervisor: "sup-hy", designer: "des-ys", tis: "tis-yjk", reinsurer: "chinare" },
  cpic: { developer: "dev-cc", contractor: "con-km3", supervisor: "sup-cj", designer: "des-kk", tis: "tis-at", reinsurer: undefined },
} as const;

type Parties = (typeof PROJECT_PARTIES)[keyof typeof PROJECT_PARTIES];

/** An insurance review registered and insured, waiting for the regulator; with its project's facts. */
async function insuredReview(f: Fixture, insurer: Who, lead: "picc" | "cpic", parties: Parties, permitNo: string) {
  const started = await call<InstanceBody>(insurer, "POST", "/api/v1/processes/insurance-review/instances", { title: `矩阵 ${permitNo}` });
  const next = async () => (await call<InstanceBody>(insurer, "GET", `/api/v1/instances/${started.id}`)).openTasks[0].id;
  await call(insurer, "POST", `/api/v1/tasks/${await next()}/complete`, {
    submission: registration({
      permitNo,
      name: `矩阵花园 ${permitNo}`,
      communityName: `矩阵花园 ${permitNo}`,
      developer: { creditCode: demoCreditCode(parties.developer) },
      contractor: { creditCode: demoCreditCode(parties.contractor) },
      supervisor: { creditCode: demoCreditCode(parties.supervisor) },
      designer: { creditCode: demoCreditCode(parties.designer) },
    }),
  });
  await call(insurer, "POST", `/api/v1/tasks/${await next()}/complete`, {
    submission: policy({
      policyNo: `POL-${permitNo}`,
      leadShare: 100,
      coinsurers: [],
      reinsurers: parties.reinsurer ? [{ creditCode: demoCreditCode(parties.reinsurer), share: 50 }] : [],
      tisCreditCode: demoCreditCode(parties.tis),
    }),
  });
  const o = f.organisations;
  // The flow's parties: its starter in their role, then what registration and policy name.
  const instanceParties: Record<string, string> = { insurer: o[lead] };
  for (const role of ["developer", "contractor", "supervisor", "designer", "tis"] as const) instanceParties[role] = o[parties[role]];
  // The project row names the same parties, each in its own column (the lead insurer in lead_insurer_id).
  const columns = Object.fromEntries(
    Object.entries(instanceParties).map(([role, id]) => [role === "insurer" ? "lead_insurer_id" : `${role}_id`, id]),
  );
  const projectFacts: ObjectFacts = {
    id: started.businessKey,
    columns,
    shares: [
      { kind: "insurer", organisationId: o[lead] },
      ...(parties.reinsurer ? [{ kind: "reinsurer" as const, organisationId: o[parties.reinsurer] }] : []),
    ],
  };
  return { started, projectFacts, instanceParties };
}

async function insuranceReview(f: Fixture, insurer: Who, lead: "picc" | "cpic", permitNo: string) {
  const { started, projectFacts, instanceParties } = await insuredReview(f, insurer, lead, PROJECT_PARTIES[lead], permitNo);
  f.projects.push({ label: `${lead.toUpperCase()}'s project`, id: started.businessKey, resource: "project", facts: projectFacts });
  await addInstance(f, started.id, "insurance-review", instanceParties, `${lead.toUpperCase()}'s insurance review`, insurer);
}

/**
 * A project taken on to site risk management: confirmed by the regulator, the TIS's plan approved
 * by its insurer, one inspection with one open event. The demo city has one TIS user, so both
 * insurers' projects are appointed to its organisation; their other parties differ.
 */
async function riskProject(f: Fixture, insurer: Who, lead: "picc" | "cpic", permitNo: string) {
  const parties = { ...PROJECT_PARTIES[lead], tis: "tis-yjk" } as Parties;
  const { started, projectFacts } = await insuredReview(f, insurer, lead, parties, permitNo);
  const by = (username: string) => f.users.find((u) => u.username === username)!;
  const [admin, regulator, tis] = ["admin", "regulator", "tis"].map(by);
  const openTask = async (instanceId: string, name: string) =>
    (await call<InstanceBody>(admin, "GET", `/api/v1/instances/${instanceId}`)).openTasks.find((t) => t.name === name)!.id;
  const complete = async (who: Who, instanceId: string, name: string, submission: unknown) =>
    call(who, "POST", `/api/v1/tasks/${await openTask(instanceId, name)}/complete`, { submission });
  await complete(regulator, started.id, "住建局确认投保", { decision: "confirm" });
  const project = await call<{ flows: { id: string; processName: string }[] }>(admin, "GET", `/api/v1/projects/${started.businessKey}`);
  const riskFlow = project.flows.find((flow) => flow.processName === "风险管理")!.id;
  await complete(tis, riskFlow, "风险交底及检查计划", planSubmission);
  await complete(insurer, riskFlow, "审核风险检查计划", { decision: "approve" });
  await complete(tis, riskFlow, "现场风险检查", inspectionSubmission([riskEventInput()]));
  const label = `${lead.toUpperCase()}'s risk`;
  f.riskProjects.push({ label: `${label} project`, id: started.businessKey, resource: "project", facts: projectFacts });
  const events = await call<{ rows: { id: string }[] }>(admin, "GET", `/api/v1/risk-events?projectId=${started.businessKey}`);
  for (const event of events.rows)
    f.riskEvents.push({ label: `${label} event`, id: event.id, resource: "risk_event", facts: { id: event.id, project: projectFacts } });
}

/** A review just started and left at its first step, for 撤回 alone. */
async function freshReview(f: Fixture, insurer: Who, lead: "picc" | "cpic") {
  const started = await call<InstanceBody>(insurer, "POST", "/api/v1/processes/insurance-review/instances", {
    title: `矩阵 待撤回 ${lead}`,
  });
  await addInstance(
    f,
    started.id,
    "insurance-review",
    { insurer: f.organisations[lead] },
    `${lead.toUpperCase()}'s fresh review`,
    insurer,
    {
      fresh: true,
    },
  );
}

async function demoApproval(f: Fixture, insurer: Who, org: "picc" | "cpic") {
  const started = await call<InstanceBody>(insurer, "POST", "/api/v1/processes/demo-approval/instances", { title: `矩阵 演示 ${org}` });
  await addInstance(f, started.id, "demo-approval", { insurer: f.organisations[org] }, `${org.toUpperCase()}'s demo approval`, insurer);
}

/**
 * Records an instance and its tasks (done and open), each task's candidates and organisation read
 * from the BPMN as the runtime assigns them. A fresh one goes to the flows 撤回 withdraws, its
 * tasks to no other row.
 */
async function addInstance(
  f: Fixture,
  id: string,
  key: string,
  parties: Record<string, string>,
  label: string,
  starter: Who,
  options: { fresh?: boolean } = {},
) {
  const admin = f.users.find((u) => u.username === "admin")!;
  const view = await call<InstanceBody & { history: { what: string }[] }>(admin, "GET", `/api/v1/instances/${id}`);
  const model = f.processes.find((p) => p.processId === key)!;
  const factsOf = (name: string, taskId: string): TaskFacts => {
    const element = [...model.userTasks.values()].find((t) => t.name === name)!;
    const organisationId = element.candidateGroups.map((g) => parties[g]).find(Boolean) ?? null;
    return { id: taskId, organisationId, candidateRoles: element.candidateGroups };
  };
  // Completed steps are still tasks of the flow (the scope reads all of them); the API lists only
  // open ones, so the done ones are known from the process: every user task before the open one,
  // done by the starter's organisation.
  const open = view.openTasks.map((t) => factsOf(t.name, t.id));
  const doneNames = view.history
    .map((h) => h.what.split("：")[1])
    .filter((n): n is string => !!n && !view.openTasks.some((t) => t.name === n));
  const done = [...new Set(doneNames)].map((n) => factsOf(n, `done:${n}`));
  const target: Target = {
    label,
    id,
    resource: "instance",
    facts: { id, parties, tasks: [...done, ...open], startedBy: starter.userId, workedOn: done.length > 0 },
  };
  if (options.fresh) {
    f.fresh.push(target);
    return;
  }
  f.instances.push(target);
  for (const task of open)
    f.tasks.push({
      label: `${label}: ${view.openTasks.find((t) => t.id === task.id)!.name}`,
      id: task.id,
      resource: "task",
      facts: { id: task.id, task: { ...task, parties } },
    });
}

const fixture: Fixture = {
  projects: [],
  instances: [],
  fresh: [],
  tasks: [],
  riskProjects: [],
  riskEvents: [],
  organisations: {},
  users: [],
  processes: [],
};

beforeAll(async () => {
  const dir = path.join(root, "processes");
  fixture.processes = await Promise.all(
    readdirSync(dir)
      .filter((f) => f.endsWith(".bpmn"))
      .map((f) => readDiagram(readFileSync(path.join(dir, f), "utf8"))),
  );
  // Sign every demo user in, and learn who they are from the API. One user per role and
  // organisation: a second colleague (insurer2) is the same column, and a claim by one would
  // answer the other 409.
  const columns = DEMO_USERS.filter((d, i) => DEMO_USERS.findIndex((e) => e.role === d.role && e.organisation === d.organisation) === i);
  const signedIn: Who[] = [];
  await pool(columns, async (demo) => {
    const cookie = await signInOverHttp(url(), demo.username);
    const me = (await send("GET", "/api/v1/session", cookie)).body as { organisationId: string; roles: Role[] };
    signedIn.push({ username: demo.username, cookie, organisationId: me.organisationId, roles: me.roles, userId: "" });
  });
  fixture.users = columns.map((d) => signedIn.find((s) => s.username === d.username)!);
  const admin = fixture.users.find((u) => u.username === "admin")!;
  const users = await call<{ rows: { id: string; username: string }[] }>(
    admin,
    "GET",
    `/admin/users?pageSize=100&_data=${encodeURIComponent("routes/_app.admin.users._index")}`,
  );
  for (const u of fixture.users) u.userId = users.rows.find((r) => r.username === u.username)!.id;
  const organisations = await call<{ rows: { id: string; creditCode: string }[] }>(
    admin,
    "GET",
    `/admin/organisations?pageSize=100&_data=${encodeURIComponent("routes/_app.admin.organisations._index")}`,
  );
  const { DEMO_ORGANISATIONS } = await import("~/demo/demo-organisations");
  for (const o of DEMO_ORGANISATIONS)
    fixture.organisations[o.key] = organisations.rows.find((r) => r.creditCode === demoCreditCode(o.key))!.id;

  const picc = fixture.users.find((u) => u.username === "insurer")!;
  const cpic = fixture.users.find((u) => u.username === "insurer-cpic")!;
  await Promise.all([insuranceReview(fixture, picc, "picc", "KM-MATRIX-PICC"), insuranceReview(fixture, cpic, "cpic", "KM-MATRIX-CPIC")]);
  await Promise.all([demoApproval(fixture, picc, "picc"), demoApproval(fixture, cpic, "cpic")]);
  await Promise.all([freshReview(fixture, picc, "picc"), freshReview(fixture, cpic, "cpic")]);
  await Promise.all([riskProject(fixture, picc, "picc", "KM-MATRIX-RISK-PICC"), riskProject(fixture, cpic, "cpic", "KM-MATRIX-RISK-CPIC")]);
}, 180_000);

// ---------------------------------------------------------------------------------------------

interface Cell {
  row: RouteRow;
  probe: Probe;
  who: Who | null;
  target?: Target;
}

function expectedFor(cell: Cell): Expected {
  const { row, probe, who, target } = cell;
  if (!who) return probe.anonymous ?? (row.kind === "api" ? UNAUTHENTICATED : TO_LOGIN);
  return probe.expect(who, target, fixture);
}

function describeCell(cell: Cell): string {
  const target = cell.target ? ` [${cell.target.label}]` : "";
  return `${cell.who?.username ?? "(not signed in)"} ${cell.probe.method} ${cell.probe.path(cell.target)}${target}`;
}

async function runCell(cell: Cell): Promise<string | undefined> {
  const { probe, who, target } = cell;
  const expected = expectedFor(cell);
  const answer = await send(probe.method, probe.path(target), who?.cookie, probe.body?.(target), probe.multipart);
  const locationOk = !expected.location || (answer.location ?? "").startsWith(expected.location);
  if (answer.status !== expected.status || !locationOk) {
    const got = `${answer.status}${answer.location ? ` → ${answer.location}` : ""}`;
    const want = `${expected.status}${expected.location ? ` → ${expected.location}` : ""}`;
    return `${describeCell(cell)}: expected ${want}, got ${got}`;
  }
  if (who && probe.check && answer.status === 200) {
    const complaint = probe.check(who, answer.body, fixture);
    if (complaint) return `${describeCell(cell)}: ${complaint}`;
  }
  return undefined;
}

function cellsOf(row: RouteRow): Cell[] {
  const visitors: (Who | null)[] = [null, ...fixture.users];
  return row.probes.flatMap((probe) =>
    visitors.flatMap((who) => (probe.targets ? probe.targets(fixture, who) : [undefined]).map((target) => ({ row, probe, who, target }))),
  );
}

describe("every route module has a row in the authorization matrix", () => {
  it("lists app/routes and finds each file in the matrix (and no row for a file that is gone)", () => {
    const files = readdirSync(path.join(root, "app/routes")).filter((f) => /\.(ts|tsx)$/.test(f));
    const rows = new Set(ROUTES.map((r) => r.file));
    expect(
      files.filter((f) => !rows.has(f)),
      "route modules without a row in test/support/route-matrix.ts",
    ).toEqual([]);
    expect(
      [...rows].filter((f) => !files.includes(f)),
      "matrix rows of route modules that no longer exist",
    ).toEqual([]);
  });

  it("builds objects the matrix can tell apart: each insurer sees its own project and not the other's", () => {
    expect(fixture.projects).toHaveLength(2);
    expect(fixture.instances).toHaveLength(4);
    expect(fixture.fresh).toHaveLength(2);
    expect(fixture.tasks).toHaveLength(4);
    expect(fixture.riskEvents).toHaveLength(2);
  });

  it("a party to a flow sees another party's open step of it (to read and urge it), and not the other insurer's", () => {
    const picc = fixture.users.find((u) => u.username === "insurer")!;
    const regulatorsSteps = fixture.tasks.filter((t) => t.facts!.task!.candidateRoles.includes("regulator"));
    const seen = regulatorsSteps.filter((t) => inScope(picc, "task", t.facts!)).map((t) => t.facts!.task!.parties?.insurer);
    expect(seen).toEqual([fixture.organisations.picc]);
  });
});

// All cells of all rows share one pool of requests (a row's own cells are too few to keep it
// busy); each row's test then reads its failures. A claim changes the task's assignee, which
// changes what everyone else is told: the claims that succeed go after every other request.
const failuresByRow = new Map<RouteRow, { cells: number; failures: string[] }>();

beforeAll(async () => {
  const cells = ROUTES.flatMap(cellsOf);
  for (const row of ROUTES) failuresByRow.set(row, { cells: 0, failures: [] });
  for (const cell of cells) failuresByRow.get(cell.row)!.cells++;
  const mutating = (c: Cell) => !!c.who && !!c.probe.mutates?.(c.who, c.target, fixture);
  const collect = async (c: Cell) => {
    const failure = await runCell(c);
    if (failure) failuresByRow.get(c.row)!.failures.push(failure);
  };
  await pool(
    cells.filter((c) => !mutating(c)),
    collect,
  );
  await pool(cells.filter(mutating), collect);
}, 120_000);

describe("authorization matrix: role × route × object", () => {
  for (const row of ROUTES) {
    it(row.file, () => {
      const { cells, failures } = failuresByRow.get(row)!;
      expect(failures.sort(), `${failures.length} of ${cells} cells answered otherwise`).toEqual([]);
    });
  }
});
