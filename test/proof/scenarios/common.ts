import type { PlatformCluster, Sql } from "../../support/platform";

// What every proof scenario shares: HTTP clients of the demo actors, the demo-approval flow's
// steps, a seeded PRNG (runs repeat), the result row and the consistency check of demo-approval
// instances that several scenarios end with.

export interface ScenarioResult {
  scenario: string;
  /** What was varied: clients, instances, rounds, cases… */
  size: string;
  requests: number;
  /** Answers by class. Connection failures (a killed process) are not answers: `noAnswer`. */
  ok: number;
  refused: number;
  serverErrors: number;
  noAnswer: number;
  seconds: number;
  /** The scenario's own figures, e.g. lost completions or timers fired twice. */
  figures: Record<string, number | string>;
  /** Each broken guarantee, with the request or rows that show it. Empty: the scenario holds. */
  violations: string[];
}

/** A row of the printed table. */
export function tableRow(r: ScenarioResult, database: string) {
  return {
    scenario: r.scenario,
    database,
    size: r.size,
    requests: r.requests,
    "2xx/3xx": r.ok,
    "4xx": r.refused,
    "5xx": r.serverErrors,
    "no answer": r.noAnswer,
    seconds: r.seconds,
    figures: Object.entries(r.figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(" "),
    verdict: r.violations.length ? `FAIL (${r.violations.length})` : "holds",
  };
}

/** Counts answers by class while a scenario runs. */
export class Tally {
  requests = 0;
  ok = 0;
  refused = 0;
  serverErrors = 0;
  noAnswer = 0;
  readonly started = performance.now();

  count(status: number | undefined): void {
    this.requests++;
    if (status === undefined) this.noAnswer++;
    else if (status >= 500) this.serverErrors++;
    else if (status >= 400) this.refused++;
    else this.ok++;
  }

  result(scenario: string, size: string, figures: ScenarioResult["figures"], violations: string[]): ScenarioResult {
    const { requests, ok, refused, serverErrors, noAnswer } = this;
    const seconds = Math.round((performance.now() - this.started) / 100) / 10;
    return { scenario, size, requests, ok, refused, serverErrors, noAnswer, seconds, figures, violations };
  }
}

/** mulberry32: a small seeded PRNG, so a failing fuzz case comes back on the next run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
export type Prng = ReturnType<typeof prng>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export interface Answer {
  /** undefined: no answer (connection refused or reset, timeout). */
  status: number | undefined;
  body: unknown;
  text: string;
  error?: string;
}

/** A signed-in API client: session cookie (with the Origin a browser sends) or API key. */
export class ApiClient {
  constructor(
    readonly base: string,
    readonly auth: { cookie?: string; bearer?: string },
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { ...extra };
    if (this.auth.cookie) Object.assign(headers, { Cookie: this.auth.cookie, Origin: this.base });
    if (this.auth.bearer) headers.Authorization = `Bearer ${this.auth.bearer}`;
    return headers;
  }

  async call(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<Answer> {
    const init: RequestInit = {
      method,
      redirect: "manual",
      headers: this.headers(body === undefined ? {} : { "Content-Type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    };
    return answerOf(() => fetch(this.base + path, init));
  }

  async json<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call(method, path, body);
    if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status ?? answer.error} ${answer.text.slice(0, 300)}`);
    return answer.body as T;
  }
}

/** Sends a request and reads the answer; a failure to connect or a reset is `status: undefined`. */
export async function answerOf(send: () => Promise<Response>): Promise<Answer> {
  try {
    const response = await send();
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: response.status, body, text };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: undefined, body: null, text: "", error: cause?.code ?? (error as Error).message };
  }
}

/** Signs a demo user in through the API and returns a client with the session cookie. */
export async function signedIn(base: string, username: string, password = "kunming2026"): Promise<ApiClient> {
  const response = await fetch(`${base}/api/v1/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${username} answered ${response.status}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("idi_session="));
  if (!cookie) throw new Error("no session cookie set");
  return new ApiClient(base, { cookie: cookie.split(";")[0] });
}

// ---------------------------------------------------------------------------------------------
// The demo-approval flow: request (insurer) → review (regulator, with a non-interrupting reminder
// timer) → approve: done, or return: back to request.

export const REQUEST = { subject: "证明测试", amount: 100 };
export const APPROVE = { decision: "approve" };
export const RETURN = { decision: "return", reason: "请补充材料" };

interface InstanceAnswer {
  id: string;
  status: string;
  openTasks: { id: string; name: string }[];
}

/** Starts a demo-approval instance; returns it with its first (request) task. */
export async function startDemo(insurer: ApiClient, title: string): Promise<{ instanceId: string; taskId: string }> {
  const instance = await insurer.json<InstanceAnswer>("POST", "/api/v1/processes/demo-approval/instances", { title });
  return { instanceId: instance.id, taskId: instance.openTasks[0].id };
}

/** Starts an instance and completes its request: it waits at review, with its reminder timer armed. */
export async function startDemoAtReview(insurer: ApiClient, title: string): Promise<{ instanceId: string; reviewTaskId: string }> {
  const { instanceId, taskId } = await startDemo(insurer, title);
  await insurer.json("POST", `/api/v1/tasks/${taskId}/complete`, { submission: REQUEST });
  const instance = await insurer.json<InstanceAnswer>("GET", `/api/v1/instances/${instanceId}`);
  if (instance.openTasks.length !== 1) throw new Error(`instance ${instanceId} has ${instance.openTasks.length} open tasks`);
  return { instanceId, reviewTaskId: instance.openTasks[0].id };
}

/** Runs `work` over `items` with `concurrency` workers. */
export async function inParallel<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Consistency of demo-approval instances, from what is stored

interface TaskRow {
  instance_id: string;
  id: string;
  element_id: string;
  execution_id: string;
  status: string;
  decision: string | null;
}

/** The user tasks the stored engine state waits on: postponed (entered, not left) UserTask activities. */
export function waitingUserTasks(state: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const o = node as Record<string, unknown>;
    // An activity's state: {id, type, status, executionId…}; one that waits is "started" or "executing".
    if (o.type === "bpmn:UserTask" && typeof o.id === "string" && typeof o.status === "string" && o.status !== "end") found.push(o.id);
    for (const v of Object.values(o)) if (v && typeof v === "object") visit(v);
  };
  visit(state);
  return [...new Set(found)].sort();
}

/**
 * Each demo-approval instance, replayed from its completed task rows, must be where those
 * completions put it: its open task rows, its status, the user tasks its stored engine state
 * waits on and its pending reminder timer all agree. Returns one line per instance that does not.
 */
export async function inconsistentDemoInstances(sql: Sql, instanceIds: string[]): Promise<string[]> {
  if (!instanceIds.length) return [];
  const instances = await sql<{ id: string; status: string; state: unknown }>(
    `select id, status, state from process_instances where id = any($1::uuid[])`,
    [instanceIds],
  );
  const rows = await sql<TaskRow & { completed_at: string | null; created_at: string }>(
    `select instance_id, id, element_id, execution_id, status, submission->>'decision' as decision, completed_at, created_at
       from tasks where instance_id = any($1::uuid[]) order by completed_at nulls last, created_at`,
    [instanceIds],
  );
  const timers = await sql<{ instance_id: string; element_id: string; status: string }>(
    `select instance_id, element_id, status from workflow_timers where instance_id = any($1::uuid[])`,
    [instanceIds],
  );
  const problems: string[] = [];
  for (const instance of instances) {
    const mine = rows.filter((r) => r.instance_id === instance.id);
    // Replay: the flow starts at request; request leads to review; review approves (end) or returns.
    let at: string | null = "request";
    let broken = "";
    for (const done of mine.filter((r) => r.status === "completed")) {
      if (done.element_id !== at) broken ||= `completed ${done.element_id} while at ${at ?? "the end"}`;
      at = done.element_id === "request" ? "review" : done.decision === "approve" ? null : "request";
    }
    const open = mine
      .filter((r) => r.status === "open")
      .map((r) => r.element_id)
      .sort();
    const expected = at ? [at] : [];
    const engine = instance.status === "completed" ? [] : waitingUserTasks(instance.state);
    const pendingReminders = timers.filter((t) => t.instance_id === instance.id && t.status === "pending").length;
    // A non-interrupting reminder that fired is gone while its review stays open.
    const firedReminders = timers.filter((t) => t.instance_id === instance.id && t.status === "fired").length;
    const wantPending = at === "review" && !firedReminders ? [1] : at === "review" ? [0, 1] : [0];
    const mismatch = [
      broken,
      JSON.stringify(open) !== JSON.stringify(expected)
        ? `open task rows ${JSON.stringify(open)}, expected ${JSON.stringify(expected)}`
        : "",
      (instance.status === "completed") !== (at === null) ? `status ${instance.status} with the flow at ${at ?? "the end"}` : "",
      JSON.stringify(engine) !== JSON.stringify(expected) ? `engine state waits on ${JSON.stringify(engine)}` : "",
      !wantPending.includes(pendingReminders) ? `${pendingReminders} pending reminder timers at ${at ?? "the end"}` : "",
    ].filter(Boolean);
    if (mismatch.length) problems.push(`instance ${instance.id}: ${mismatch.join("; ")}`);
  }
  if (instances.length !== instanceIds.length) problems.push(`${instanceIds.length - instances.length} instances not stored`);
  return problems;
}

/** Figures common to the workflow scenarios, read in one go. */
export async function auditCount(sql: Sql, action: string, subjectIds?: string[]): Promise<number> {
  const [row] = subjectIds
    ? await sql<{ n: number }>(`select count(*)::int as n from audit_events where action = $1 and subject_id = any($2::text[])`, [
        action,
        subjectIds,
      ])
    : await sql<{ n: number }>(`select count(*)::int as n from audit_events where action = $1`, [action]);
  return row.n;
}

/** The distinct error messages the cluster's processes logged (pino, level error and above): why a 5xx happened. */
export function loggedErrors(cluster: PlatformCluster): string[] {
  const messages = new Set<string>();
  for (const p of cluster.processes)
    for (const line of p.log().split("\n")) {
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string; cause?: { message?: string } } };
        // drizzle's "Failed query: …" names the statement (its parameters vary: left out to keep one line per kind).
        const message = (entry.err?.cause?.message ?? entry.err?.message ?? "").replace(/\nparams:.*$/s, "").slice(0, 100);
        if ((entry.level ?? 0) >= 50) messages.add(`${entry.msg}: ${message}`);
      } catch {
        // not a log line of ours
      }
    }
  return [...messages];
}

export type { PlatformCluster, Sql };
