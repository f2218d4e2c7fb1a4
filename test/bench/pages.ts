import { readFileSync } from "node:fs";
import os from "node:os";
import { startDatabase, stopDatabase } from "~/server/db.server";
import { seedScaleCity } from "~/demo/scale-city";
import { claimList } from "~/server/claims/claim-views.server";
import type { Actor } from "~/server/auth/actor";
import { listProjects, projectFilterOptions } from "~/server/projects/project-list.server";
import { riskEventList } from "~/server/risk/risk-views.server";
import { bureauAlerts } from "~/server/statistics/alerts.server";
import { inboxCount, listTasks } from "~/server/tasks/inbox.server";
import { deployBuiltIns, startableDefinitions } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { PlatformCluster, signInOverHttp, type Sql } from "../support/platform";
import { slowestQueryOf } from "../support/query-plans";
import { copyOfTemplate, type DatabaseCopy } from "../support/template";
import { quantile } from "./support/load";

// The pages at city scale (issue 27): the built platform on a seeded city, signed-in users of mixed
// roles opening, over and over, the pages their work is done on (their inbox, a task, the project,
// risk-event and claim lists with filters, a project, a risk event, a claim, the hotline's search),
// and owners reporting a defect in the web chat. Every answer's server time is read from its
// Server-Timing header (app;dur, from the request's arrival to its headers: loaders and render),
// beside the wall time the client saw; then the three slowest lists' queries are explained.
//
// A user's walk starts with their home page opened anew (a document: loaders and render, as after
// signing in, a reload or a link from elsewhere); every other page is reached the way the browser
// does it once the app runs: the page's data (`?_data=<route>`), with the frame's (待办 count,
// unread) beside it when the address's query changes, as Remix revalidates it. A detail page is one
// the list just shown links to, as a user clicks it. A user pauses between pages (thinkMs).
// With documents: true every page is opened anew instead (the most a page can cost the server).

export interface PagesOptions {
  /** A city seeded before by `npm run seed:scale` (postgres://…): measured where it is (the platform migrates it). */
  cityUrl?: string;
  /** Without cityUrl: a city of this many projects seeded into a copy of the run's template (dropped afterwards). */
  projects?: number;
  /** Signed-in staff at once (the roles in USERS, in turn). */
  users?: number;
  /** Owners reporting a defect in the web chat at the same time. */
  owners?: number;
  /** Each user's walks through their pages (after one walk of warming up, not counted). */
  rounds?: number;
  /** A user's mean pause between two pages, ms (each pause between half and one and a half of it). */
  thinkMs?: number;
  /** A server time (ms) a page must not pass: counted. */
  limitMs?: number;
  /** How many of the slowest lists to explain. */
  explain?: number;
  /** Every page opened as a document (loaders and render) instead of the app's data requests. */
  documents?: boolean;
}

/** Server time (Server-Timing) and wall time of one kind of page, ms. */
export interface PageFigures {
  page: string;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  /** Answers whose server time passed limitMs. */
  over: number;
  wallP50: number;
  wallP95: number;
  wallMax: number;
  /** Answers that were not 200. */
  failed: number;
}

export interface ListPlan {
  page: string;
  who: string;
  path: string;
  serverMs: number;
  queries: number;
  ms: number;
  plan: string;
}

export interface PagesResult {
  database: "PostgreSQL" | "PGlite";
  size: string;
  users: number;
  owners: number;
  seconds: number;
  /** CPU the app process spent while the pages were measured (s), and the machine's load average then. */
  appCpuSeconds: number | null;
  loadAverage: number;
  rows: PageFigures[];
  /** The owners' messages, by what they said. */
  chat: PageFigures[];
  /** The slowest answers, with who asked what. */
  slowest: { page: string; who: string; path: string; serverMs: number; wallMs: number }[];
  plans: ListPlan[];
  failures: string[];
}

/** Who signs in, in turn (16 by default): the bureau, the insurers, the TIS, contractors, the hotline, developers. */
const USERS = [
  "regulator",
  "insurer",
  "tis",
  "contractor",
  "hotline",
  "developer",
  "insurer-cpic",
  "insurer-pingan",
  "tis-at",
  "regulator",
  "insurer2",
  "contractor-km3",
  "hotline",
  "developer-cc",
  "tis-hx",
  "insurer",
];

type PageKind =
  | "home (document)"
  | "frame"
  | "inbox"
  | "task"
  | "project list"
  | "risk list"
  | "claim list"
  | "project"
  | "risk event"
  | "claim"
  | "hotline search"
  | "owner chat";

const LISTS: PageKind[] = ["inbox", "project list", "risk list", "claim list"];

/** The route whose loader answers each page's data. */
const ROUTES: Partial<Record<PageKind, string>> = {
  inbox: "routes/_app.inbox",
  task: "routes/_app.tasks.$id",
  "project list": "routes/_app.projects._index",
  project: "routes/_app.projects.$id",
  "risk list": "routes/_app.risk._index",
  "risk event": "routes/_app.risk.events.$id",
  "claim list": "routes/_app.claims._index",
  claim: "routes/_app.claims.$id",
  "hotline search": "routes/_app.hotline",
};

interface Sample {
  page: PageKind;
  who: string;
  path: string;
  status: number;
  serverMs: number;
  wallMs: number;
}

/** Filters people set on each list (a dashboard's link, a district, a status, a search, a period), in turn. */
function listFilters(today: string) {
  const monthsAgo = (n: number) => {
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - n);
    return d.toISOString().slice(0, 10);
  };
  return {
    inbox: ["", "?view=done", "?overdue=1", "", "?q=整改"],
    projects: [
      "",
      "?district=530111",
      "?status=insured&stage=construction",
      "?q=滇池",
      "?q=建设投资&stage=use",
      `?dateBy=issue&from=${monthsAgo(12)}&to=${today}`,
      "?sort=name&page=3",
      "?risk=major",
      "?openClaims=1&district=530102",
      "?uninspected=1",
    ],
    risk: [
      "",
      "?status=open",
      "?district=530102&level=major",
      "?overdue=true",
      `?from=${monthsAgo(3)}&to=${today}`,
      "?q=脚手架",
      "?type=structure&status=closed",
      "?page=3",
      "?level=critical&cancelled=false",
      `?status=rectifying&from=${monthsAgo(1)}`,
    ],
    claims: [
      "",
      "?status=repairing",
      "?district=530112",
      "?overdue=waiting",
      `?from=${monthsAgo(1)}&to=${today}`,
      "?q=花园",
      "?part=waterproofing&status=closed",
      "?channel=hotline",
      "?page=2",
      "?overdue=true&district=530103",
    ],
  };
}

function figures(page: string, samples: Sample[], limitMs: number): PageFigures {
  const server = samples.map((s) => s.serverMs).sort((a, b) => a - b);
  const wall = samples.map((s) => s.wallMs).sort((a, b) => a - b);
  return {
    page,
    requests: samples.length,
    p50: quantile(server, 0.5),
    p95: quantile(server, 0.95),
    max: quantile(server, 1),
    over: server.filter((ms) => ms > limitMs).length,
    wallP50: quantile(wall, 0.5),
    wallP95: quantile(wall, 0.95),
    wallMax: quantile(wall, 1),
    failed: samples.filter((s) => s.status !== 200).length,
  };
}

/** The ids of the rows a page's data lists (what its links open). */
type Rows = { rows?: { id: string; kind?: string; taskId?: string }[]; page?: { rows?: { id: string; kind?: string; taskId?: string }[] } };
const idsIn = (data: unknown) =>
  ((data as Rows | null)?.page?.rows ?? (data as Rows | null)?.rows ?? []).flatMap((r) => (r.kind === "sign" ? [] : [r.taskId ?? r.id]));

/** A pseudo-random sequence of its own per user, so that two runs walk the same pages. */
function randomOf(seed: number) {
  let s = seed * 2654435761;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

interface Walker {
  who: string;
  cookie: string;
  round: number;
  random: () => number;
  /** The address the browser shows (the frame's data is fetched again when its query changes). */
  at: string;
}

/** Opens a page (its data, or a document) and answers its data (null for a document). */
type Opener = (walker: Walker, page: PageKind, path: string) => Promise<unknown>;

/** One walk of a user's pages, as their role works: home, the inbox and a task, the lists with a filter, a row of each. */
async function walk(walker: Walker, open: Opener, filters: ReturnType<typeof listFilters>, hotlineSearches: string[]) {
  const pick = <T>(items: T[]) => items[Math.floor(walker.random() * items.length)];
  const nth = <T>(items: T[]) => items[walker.round % items.length];
  const role = walker.who.replace(/-.*|\d+$/, "");
  const openOne = async (data: unknown, prefix: string, page: PageKind, tail = "") => {
    const ids = idsIn(data);
    if (ids.length) await open(walker, page, `${prefix}${pick(ids)}${tail}`);
  };
  await open(walker, "home (document)", role === "hotline" ? "/hotline" : "/inbox");
  if (role !== "hotline") {
    const inbox = await open(walker, "inbox", `/inbox${nth(filters.inbox)}`);
    await openOne(inbox, "/tasks/", "task");
  } else {
    await open(walker, "hotline search", `/hotline?q=${encodeURIComponent(nth(hotlineSearches))}`);
  }
  const projects = await open(walker, "project list", `/projects${nth(filters.projects)}`);
  await openOne(projects, "/projects/", "project", role === "tis" ? "?tab=risk" : "");
  if (role !== "hotline") {
    const risk = await open(walker, "risk list", `/risk${nth(filters.risk)}`);
    await openOne(risk, "/risk/events/", "risk event");
  }
  if (role !== "tis" && role !== "contractor") {
    const claims = await open(walker, "claim list", `/claims${nth(filters.claims)}`);
    await openOne(claims, "/claims/", "claim");
  }
}

/** The owners' web chat over HTTP, as the page's panel sends it. */
class OwnerChat {
  private cookie = "";
  private shown: { value: string; label: string }[][] = [];
  /** The owner's own address, as the proxy in front says it (owners do not share one: a day's codes are counted per address). */
  private readonly address = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  constructor(
    private readonly base: string,
    private readonly record: (path: string, status: number, serverMs: number, wallMs: number) => void,
  ) {}

  /** Sends a message; `said` names it in the figures (a button's label). */
  async send(message: Record<string, unknown>, said = String(message.text ?? (message.start ? "start" : ""))): Promise<string[]> {
    const started = performance.now();
    const response = await fetch(`${this.base}/owner/chat`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Origin: this.base,
        "X-Forwarded-For": this.address,
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      body: JSON.stringify(message),
    });
    const body = await response.text();
    this.record(said, response.status, serverTimeOf(response), performance.now() - started);
    const set = response.headers.getSetCookie().find((c) => c.startsWith("idi_owner_chat="));
    if (set) this.cookie = set.split(";")[0];
    if (response.status !== 200) throw new Error(`owner chat answered ${response.status}: ${body.slice(0, 200)}`);
    const replies: { text: string; choices?: { value: string; label: string }[] }[] = JSON.parse(body).replies;
    this.shown.push(replies.at(-1)?.choices ?? []);
    return replies.map((r) => r.text);
  }

  /** Types a text; `said` names it in the figures when the text itself would not (a phone, a code, a description). */
  type = (text: string, said = text) => this.send({ text }, said);

  press(label: string) {
    const choice = this.shown.findLast((choices) => choices.some((c) => c.label === label))?.find((c) => c.label === label);
    if (!choice) throw new Error(`no button ${label} in the owner chat`);
    return this.send({ choice: choice.value }, label);
  }
}

/** CPU seconds a process has used (Linux /proc), or null where there is none. */
function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime, the 14th and 15th fields, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const serverTimeOf = (response: Response) => Number(/app;dur=([\d.]+)/.exec(response.headers.get("Server-Timing") ?? "")?.[1] ?? NaN);

/** The database the platform runs on: the seeded city where it is, or a city seeded into a copy of the template. */
async function cityDatabase(options: PagesOptions): Promise<DatabaseCopy> {
  if (options.cityUrl) return { url: options.cityUrl, pgliteDir: undefined, drop: async () => {} };
  const copy = await copyOfTemplate();
  try {
    await startDatabase({ url: copy.url, dataDir: copy.pgliteDir, startupTasks: [deployBuiltIns] });
    await seedScaleCity({ projects: options.projects ?? 2000 });
  } catch (error) {
    await stopDatabase();
    await copy.drop();
    throw error;
  } finally {
    await stopDatabase();
  }
  return copy;
}

interface CityFacts {
  today: string;
  size: string;
  /** Owners of one home each, on an insured project in use: the web chat's reporters. */
  owners: { phone: string }[];
  /** What callers give the hotline: an owner's phone, a community's name. */
  hotlineSearches: string[];
}

function cityFacts(owners: number) {
  return async (sql: Sql): Promise<CityFacts> => {
    const [{ today, size }] = await sql<{ today: string; size: string }>(
      `select to_char(now() at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as today,
        format('%s projects, %s risk events, %s claims', (select count(*) from projects), (select count(*) from risk_events),
          (select count(*) from claims)) as size`,
    );
    const phones = await sql<{ phone: string }>(
      `select u.owner_phone as phone from units u join projects p on p.id = u.project_id
       where p.status = 'insured' and p.stage = 'use' and u.owner_phone is not null
         and not exists (select 1 from units o where o.owner_phone = u.owner_phone and o.id <> u.id)
         -- A phone no earlier run verified: its day's codes are not used up.
         and not exists (select 1 from phone_codes c where c.phone = u.owner_phone)
       order by u.owner_phone limit $1`,
      [owners + 3],
    );
    const communities = await sql<{ name: string }>(
      `select community_name as name from projects where stage = 'use' order by permit_no limit 2`,
    );
    return {
      today,
      size,
      owners: phones.slice(0, owners),
      hotlineSearches: [...phones.slice(owners).map((p) => p.phone), ...communities.map((c) => c.name)],
    };
  };
}

/** A pause of about `mean` ms (half to one and a half of it). */
const pause = (mean: number, random: () => number) => new Promise((resolve) => setTimeout(resolve, mean * (0.5 + random())));

/**
 * An owner in the web chat: the phone verified by the texted code (read from the server's log, where
 * it goes without an SMS provider), then `rounds` reports of a defect, each followed by 我的报案.
 * Owners type slower than staff click: two seconds between messages (a chat may send 40 a minute).
 */
async function ownerWalks(
  base: string,
  owner: { phone: string },
  rounds: number,
  log: () => string,
  random: () => number,
  record: (path: string, status: number, serverMs: number, wallMs: number) => void,
) {
  const chat = new OwnerChat(base, record);
  await pause(5000, random);
  const said = async (sent: Promise<string[]>) => {
    const replies = await sent;
    await pause(2000, random);
    return replies;
  };
  await said(chat.send({ start: true }));
  await said(chat.press("验证手机号"));
  await said(chat.type(owner.phone, "（手机号）"));
  const code = [...log().matchAll(new RegExp(`"phone":"${owner.phone}","code":"(\\d{6})"`, "g"))].at(-1)?.[1];
  if (!code) throw new Error("no verification code in the log");
  const welcome = await said(chat.type(code, "（验证码）"));
  if (!welcome.some((t) => t.includes("验证成功"))) throw new Error(`not verified: ${welcome.join(" / ")}`);
  for (let round = 0; round < rounds; round++) {
    await said(chat.press("我要报修"));
    await said(chat.press("防水渗漏"));
    await said(chat.type(`卫生间地面渗水到楼下（第 ${round + 1} 次，${Date.now()}）`, "（缺陷描述）"));
    await said(chat.press("完成"));
    await said(chat.press("不清楚，跳过"));
    await said(chat.type("王先生"));
    const submitted = await said(chat.press("确认提交"));
    if (!submitted.some((t) => /LP\d{6}/.test(t))) throw new Error(`report not taken: ${submitted.join(" / ")}`);
    await said(chat.type("我的报案"));
  }
}

/** The services each list page's loader calls, as it calls them (the inbox's with the bureau's alerts, the projects' with their pickers). */
const LIST_SERVICES: Partial<Record<PageKind, (actor: Actor, query: Record<string, string>) => Promise<unknown>>> = {
  inbox: (actor, query) => Promise.all([listTasks(actor, query), inboxCount(actor), startableDefinitions(actor), bureauAlerts(actor)]),
  "project list": (actor, query) => Promise.all([listProjects(actor, query), projectFilterOptions(actor), startableDefinitions(actor)]),
  "risk list": (actor, query) => riskEventList(actor, query),
  "claim list": (actor, query) => claimList(actor, query),
};

/** The slowest list requests (one per user and address), their service called again in this process, its slowest query explained. */
async function explainSlowestLists(database: DatabaseCopy, samples: Sample[], count: number): Promise<ListPlan[]> {
  const seen = new Set<string>();
  const slowest = samples
    .filter((s) => LISTS.includes(s.page))
    .sort((a, b) => b.serverMs - a.serverMs)
    .filter((s) => !seen.has(`${s.who} ${s.path}`) && seen.add(`${s.who} ${s.path}`))
    .slice(0, count);
  if (!slowest.length) return [];
  await startDatabase({ url: database.url, dataDir: database.pgliteDir });
  try {
    const plans: ListPlan[] = [];
    for (const sample of slowest) {
      const actor = await demoActor(sample.who);
      const params = new URL(sample.path, "http://x").searchParams;
      params.delete("_data");
      const query = Object.fromEntries(params);
      const worst = await slowestQueryOf(() => LIST_SERVICES[sample.page]!(actor, query));
      if (worst)
        plans.push({
          page: sample.page,
          who: sample.who,
          path: sample.path,
          serverMs: sample.serverMs,
          queries: worst.queries,
          ms: worst.ms,
          plan: worst.plan,
        });
    }
    return plans;
  } finally {
    await stopDatabase();
  }
}

interface Load {
  city: CityFacts;
  samples: Sample[];
  failures: string[];
  seconds: number;
  appCpuSeconds: number | null;
  loadAverage: number;
}

/** The users' walks and the owners' chats on the running platform: what each answer took, and what failed. */
async function load(
  cluster: PlatformCluster,
  options: Required<Pick<PagesOptions, "users" | "owners" | "rounds" | "thinkMs">> & PagesOptions,
): Promise<Load> {
  const { users, rounds, thinkMs } = options;
  const city = await cluster.withSql(cityFacts(options.owners));
  const base = cluster.url;
  const filters = listFilters(city.today);
  const samples: Sample[] = [];
  const failures: string[] = [];
  const walkers: Walker[] = [];
  for (let i = 0; i < users; i++) {
    const who = USERS[i % USERS.length];
    walkers.push({ who, cookie: await signInOverHttp(base, who), round: 0, random: randomOf(i + 1), at: "/" });
  }
  let counting = false;
  const get = async (walker: Walker, page: PageKind, path: string) => {
    const t = performance.now();
    const response = await fetch(base + path, { headers: { Cookie: walker.cookie } });
    const body = await response.text();
    const wallMs = performance.now() - t;
    if (counting) samples.push({ page, who: walker.who, path, status: response.status, serverMs: serverTimeOf(response), wallMs });
    if (response.status !== 200) failures.push(`${walker.who} ${path}: ${response.status}`);
    return response.status === 200 ? body : null;
  };
  const open: Opener = async (walker, page, path) => {
    const route = ROUTES[page];
    let data: unknown = null;
    if (!route || options.documents) await get(walker, page, path);
    else {
      const url = new URL(path, base);
      const dataOf = (id: string) => `${url.pathname}?${new URLSearchParams([...url.searchParams, ["_data", id]])}`;
      // Remix reloads the frame's data when the query changes (not on a path's change alone).
      const frame = url.search !== new URL(walker.at, base).search;
      const [body] = await Promise.all([get(walker, page, dataOf(route)), frame ? get(walker, "frame", dataOf("routes/_app")) : null]);
      data = body === null ? null : JSON.parse(body);
    }
    walker.at = path;
    await pause(thinkMs, walker.random);
    return data;
  };
  /** `walks` walks of each user, each user on its own from a moment of its own within `spread` ms (people do not click in step). */
  const walkEach = (walks: number, spread: number) =>
    Promise.all(
      walkers.map(async (walker) => {
        await new Promise((resolve) => setTimeout(resolve, walker.random() * spread));
        for (let n = 0; n < walks; n++) {
          await walk(walker, open, filters, city.hotlineSearches).catch((e: Error) => failures.push(`${walker.who}: ${e.message}`));
          walker.round++;
        }
      }),
    );
  // One walk to warm up (each page's first sight, the database's caches), not counted.
  await walkEach(1, 0);
  counting = true;
  const started = performance.now();
  const app = cluster.processes[0];
  const cpuBefore = cpuSecondsOf(app.pid);
  const owners = city.owners.map((owner, i) =>
    ownerWalks(
      base,
      owner,
      rounds,
      () => app.log(),
      randomOf(100 + i),
      (path, status, serverMs, wallMs) => samples.push({ page: "owner chat", who: "owner", path, status, serverMs, wallMs }),
    ).catch((e: Error) => failures.push(`owner ${owner.phone}: ${e.message}`)),
  );
  await walkEach(rounds, 10 * thinkMs);
  await Promise.all(owners);
  const cpuAfter = cpuSecondsOf(app.pid);
  return {
    city,
    samples,
    failures,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    appCpuSeconds: cpuBefore === null || cpuAfter === null ? null : Math.round((cpuAfter - cpuBefore) * 10) / 10,
    loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
  };
}

/** Runs the load and answers its figures; prints nothing (printPages does). */
export async function measurePages(options: PagesOptions = {}): Promise<PagesResult> {
  const settings = {
    ...options,
    users: options.users ?? 16,
    owners: options.owners ?? 2,
    rounds: options.rounds ?? 4,
    thinkMs: options.thinkMs ?? 500,
  };
  const limitMs = options.limitMs ?? 1000;
  const database = await cityDatabase(options);
  try {
    // The platform's copy of the database handle does not drop it: the plans are read after it stopped.
    const cluster = await PlatformCluster.start({
      database: { ...database, drop: async () => {} },
      env: { LOG_LEVEL: "info", TRUST_PROXY: "1" },
    });
    const { city, samples, failures, seconds, appCpuSeconds, loadAverage } = await load(cluster, settings).finally(() => cluster.destroy());
    const kinds = [...new Set(samples.map((s) => s.page))];
    const chat = samples.filter((s) => s.page === "owner chat");
    return {
      database: database.url ? "PostgreSQL" : "PGlite",
      size: city.size,
      users: settings.users,
      owners: settings.owners,
      seconds,
      appCpuSeconds,
      loadAverage,
      rows: [
        ...kinds.map((k) =>
          figures(
            k,
            samples.filter((s) => s.page === k),
            limitMs,
          ),
        ),
        figures(
          "all staff pages",
          samples.filter((s) => s.page !== "owner chat"),
          limitMs,
        ),
      ],
      chat: [...new Set(chat.map((s) => s.path))].map((said) =>
        figures(
          said,
          chat.filter((s) => s.path === said),
          limitMs,
        ),
      ),
      slowest: [...samples]
        .sort((a, b) => b.serverMs - a.serverMs)
        .slice(0, 10)
        .map(({ page, who, path, serverMs, wallMs }) => ({ page, who, path: path.slice(0, 90), serverMs, wallMs: Math.round(wallMs) })),
      plans: await explainSlowestLists(database, samples, options.explain ?? 3),
      failures,
    };
  } finally {
    await database.drop();
  }
}

/** The figures as a table, the failures, and the plans of the slowest lists. */
export function printPages(result: PagesResult, limitMs = 1000): void {
  console.log(
    `\npages at city scale on ${result.database}: ${result.size}; ${result.users} staff and ${result.owners} owners for ${result.seconds} s, ` +
      `app CPU ${result.appCpuSeconds ?? "?"} s, load average ${result.loadAverage} (server time from Server-Timing, ms; over = above ${limitMs} ms)`,
  );
  console.table(result.rows);
  console.log("the owners' web chat, by message (server ms):");
  console.table(result.chat.map(({ page, requests, p50, p95, max }) => ({ message: page, requests, p50, p95, max })));
  console.log("slowest answers (server ms):");
  console.table(result.slowest);
  if (result.failures.length) console.log(`${result.failures.length} failures, e.g.:\n${result.failures.slice(0, 10).join("\n")}`);
  for (const plan of result.plans)
    console.log(
      `\nEXPLAIN (ANALYZE, BUFFERS), slowest query of ${plan.page} ${plan.path} (${plan.who}; page ${plan.serverMs} ms; ${plan.queries} queries):\n${plan.plan}`,
    );
}
