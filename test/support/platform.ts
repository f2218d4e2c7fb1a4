import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { pgliteOptions } from "@db/client";
import { afterAll, beforeAll } from "vitest";
import { checkAnswersAgainstContract } from "./contract";
import { APP_NODE_FLAGS } from "./node-flags";
import { copyOfTemplate, DEMO_PASSWORD, type DatabaseCopy } from "./template";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`platform did not become healthy:\n${log()}`);
}

// What the build bundles. processes/ and forms/ are read from disk at run time: they cannot make it stale.
const BUILT_FROM = ["app", "bots", "db"];

/**
 * What the test config adds to the app's flags (node-flags.ts) for the app processes of test files
 * (`TEST_APP_NODE_FLAGS`: `--liftoff-only`, docs/decisions/048). An app process on PGlite compiles
 * PostgreSQL's WebAssembly anew, and V8's optimising compiler went on doing so in the background for
 * most of a test file's life: about 1.5 s of a core to start and 5 s over a file, for a process that
 * lives a minute.
 * The bench and the proof run the app as in service.
 */
const TEST_NODE_FLAGS = (process.env.TEST_APP_NODE_FLAGS ?? "").split(/\s+/).filter(Boolean);

/** How node is told to run the app: the service's flags, the test config's, the current build. */
export const appArguments = (): string[] => [...APP_NODE_FLAGS, ...TEST_NODE_FLAGS, currentBuild()];

/**
 * The built app (build/index.js under `root`), refused when it is missing or older than a source it
 * is built from: a test would otherwise pass or fail on yesterday's code. `npm test` builds first.
 */
export function currentBuild(root = "."): string {
  const build = path.join(root, "build/index.js");
  const built = statSync(build, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) throw new Error(`${build} is missing: run \`npm run build\` first (npm test builds)`);
  for (const dir of BUILT_FROM) {
    for (const file of readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })) {
      const source = path.join(root, dir, file);
      const stat = statSync(source);
      if (stat.isFile() && stat.mtimeMs > built)
        throw new Error(`${build} is older than ${source}: run \`npm run build\` again (npm test builds)`);
    }
  }
  return build;
}

/** Plain SQL on the cluster's database, for checks the HTTP API cannot make (row counts, engine state). */
export type Sql = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/**
 * One app process (node build/index.js, production mode) of a cluster. It keeps its port across
 * restarts, so clients that lost it during a crash find it again at the same address.
 */
export class PlatformProcess {
  readonly url: string;
  private child: ChildProcess | undefined;
  private output = "";

  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    // localhost, as a browser would be sent: it accepts the Secure session cookie there.
    this.url = `http://localhost:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Neither exited nor killed. */
  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the process wrote (stdout and stderr), since it was first started. */
  log(): string {
    return this.output;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`process on port ${this.port} is already running`);
    const child = spawn(process.execPath, appArguments(), { env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stdout!.on("data", (d) => (this.output += d));
    child.stderr!.on("data", (d) => (this.output += d));
    await waitUntilHealthy(this.url, child, () => this.output);
  }

  /** Sends a signal and waits until the process is gone: SIGKILL for a crash, SIGTERM for a clean stop. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  }

  async restart(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    await this.kill(signal);
    await this.start();
  }
}

export interface ClusterOptions {
  /** App processes on the one database (PostgreSQL only for more than one: PGlite is embedded in its process). */
  processes?: number;
  env?: Record<string, string>;
  /** The database to run on instead of a fresh copy of the template (a seeded city); `destroy` calls its `drop`. */
  database?: DatabaseCopy;
}

/**
 * Any number of app processes on one throwaway database (PostgreSQL with TEST_DATABASE_URL, else a
 * PGlite directory), each of which a test may kill and restart; `sql` reads and changes the database
 * beside them. The database and data directory are removed by `destroy`.
 */
export class PlatformCluster {
  private constructor(
    readonly processes: PlatformProcess[],
    private readonly database: DatabaseCopy,
    private readonly dataDir: string,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<PlatformCluster> {
    const count = options.processes ?? 1;
    if (!process.env.TEST_DATABASE_URL && count > 1) {
      throw new Error("several app processes need PostgreSQL (TEST_DATABASE_URL): PGlite is single-process");
    }
    const database = options.database ?? (await copyOfTemplate());
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "idi-platform-"));
    const processes: PlatformProcess[] = [];
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      processes.push(
        new PlatformProcess(port, {
          ...process.env,
          // The app silences its logger under vitest; a process of its own logs as in production
          // (LOG_LEVEL), which is how a test learns why it answered 500.
          VITEST: "",
          NODE_ENV: "production",
          HOST: "127.0.0.1",
          // The file's copy of the template: PostgreSQL's URL, else PGlite's directory.
          DATABASE_URL: database.url ?? "",
          PGLITE_DIR: database.pgliteDir ?? "",
          ATTACHMENTS_DIR: path.join(dataDir, "attachments"),
          DEMO_PASSWORD,
          LOG_LEVEL: "warn",
          // Tests build the data they need; the demo projects are tested on their own.
          SEED_DEMO_PROJECTS: "false",
          ...options.env,
          // After the caller's env: the port is the process's own, kept across restarts.
          PORT: String(port),
        }),
      );
    }
    const cluster = new PlatformCluster(processes, database, dataDir);
    try {
      // One after the other: the first deploys the built-in diagrams, the others find them deployed
      // (the copy comes migrated and seeded).
      for (const p of processes) await p.start();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  get kind(): "postgres" | "pglite" {
    return this.database.url ? "postgres" : "pglite";
  }

  /** The first process's address, for tests that use one. */
  get url(): string {
    return this.processes[0].url;
  }

  private client: postgres.Sql | undefined;

  /**
   * Runs `work` with SQL on the cluster's database. PostgreSQL: beside the running processes.
   * PGlite lives inside its one process, so that process is stopped (SIGTERM, it flushes) for the
   * work and started again afterwards: use it between phases, not while clients are running.
   */
  async withSql<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.database.url) {
      this.client ??= postgres(this.database.url, { max: 4, onnotice: () => {} });
      const client = this.client;
      return work(async (text, params = []) => (await client.unsafe(text, params as never[])) as never);
    }
    const [only] = this.processes;
    const wasRunning = only.running;
    await only.kill("SIGTERM");
    const pglite = await PGlite.create(this.database.pgliteDir!, pgliteOptions(process.env.PGLITE_SHARED_BUFFERS));
    try {
      return await work(async (text, params = []) => (await pglite.query(text, params)).rows as never);
    } finally {
      await pglite.close();
      if (wasRunning) await only.start();
    }
  }

  async destroy(): Promise<void> {
    for (const p of this.processes) await p.kill("SIGTERM");
    await this.client?.end({ timeout: 5 });
    await this.database.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * A cluster for the test file: started before its tests, destroyed after them. Every answer its API
 * gives a test's fetch is checked against the OpenAPI document (support/contract.ts).
 */
export function useCluster(options: ClusterOptions = {}): () => PlatformCluster {
  let cluster: PlatformCluster | undefined;
  let uncheck: (() => void) | undefined;
  beforeAll(async () => {
    cluster = await PlatformCluster.start(options);
    uncheck = checkAnswersAgainstContract(cluster.processes.map((p) => p.url));
  });
  afterAll(async () => {
    uncheck?.();
    await cluster?.destroy();
  });
  return () => {
    if (!cluster) throw new Error("the cluster has not started");
    return cluster;
  };
}

/**
 * Runs the built platform exactly as `npm start` does (node build/index.js, production mode) on a
 * free port with its own database, for tests that go through HTTP or a browser. `npm test` builds first.
 */
export function usePlatform(options: { env?: Record<string, string> } = {}): { url: () => string } {
  const cluster = useCluster({ env: options.env });
  return { url: () => cluster().url };
}

/** A cookie jar of one: the session cookie a sign-in set. */
export function sessionCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("idi_session="));
  if (!cookie) throw new Error("no session cookie set");
  return cookie.split(";")[0];
}

export async function signInOverHttp(base: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 302) throw new Error(`sign-in of ${username} answered ${response.status}`);
  return sessionCookieOf(response);
}

/** A call to the platform's REST API with a session cookie, as an integration makes it; anything but 200 fails with the answer. */
export async function apiOverHttp<T>(base: string, cookie: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(base + path, {
    method,
    headers: { "Content-Type": "application/json", Cookie: cookie, Origin: base },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<T>;
}

/** Completes the first open task of a flow through the REST API, to get the flow to the step under test. */
export async function completeNextOverHttp(base: string, cookie: string, instanceId: string, submission: unknown): Promise<void> {
  const { openTasks } = await apiOverHttp<{ openTasks: { id: string }[] }>(base, cookie, "GET", `/api/v1/instances/${instanceId}`);
  await apiOverHttp(base, cookie, "POST", `/api/v1/tasks/${openTasks[0].id}/complete`, { submission });
}

const API_KEYS_DATA = "/admin/api-keys?_data=routes%2F_app.admin.api-keys";

/** Makes an API key for an organisation through the admin page, as an administrator would. */
export async function makeApiKeyOverHttp(base: string, organisationName: string, roles: string[]): Promise<string> {
  const admin = await signInOverHttp(base, "admin");
  const headers = { "Content-Type": "application/json", Cookie: admin, Origin: base };
  const page = await (await fetch(base + API_KEYS_DATA, { headers })).json();
  const organisation = page.organisations.find((o: { name: string }) => o.name === organisationName);
  if (!organisation) throw new Error(`no organisation ${organisationName}`);
  const created = await fetch(base + API_KEYS_DATA, {
    method: "POST",
    headers,
    body: JSON.stringify({ intent: "create", organisationId: organisation.id, name: "核心系统", roles }),
  });
  if (created.status !== 200) throw new Error(`making an API key answered ${created.status}`);
  return (await created.json()).key;
}
