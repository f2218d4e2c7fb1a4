import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { DEMO_PASSWORD, throwawayDatabase, type ThrowawayDatabase } from "./database";

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

/**
 * Runs the built platform exactly as `npm start` does (node build/index.js, production mode) on a
 * free port with its own database, for tests that go through HTTP or a browser. `npm test` builds first.
 */
export function usePlatform(options: { env?: Record<string, string> } = {}): { url: () => string } {
  let child: ChildProcess | undefined;
  let database: ThrowawayDatabase | undefined;
  let dataDir: string | undefined;
  let base = "";
  beforeAll(async () => {
    database = await throwawayDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), "idi-platform-"));
    const port = await freePort();
    base = `http://localhost:${port}`;
    let output = "";
    child = spawn(process.execPath, ["build/index.js"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: database.url ?? "",
        PGLITE_DIR: path.join(dataDir, "pglite"),
        ATTACHMENTS_DIR: path.join(dataDir, "attachments"),
        DEMO_PASSWORD,
        LOG_LEVEL: "warn",
        // Tests build the data they need; the demo projects are tested on their own.
        SEED_DEMO_PROJECTS: "false",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    await waitUntilHealthy(base, child, () => output);
  });
  afterAll(async () => {
    // Still running (neither exited nor killed by a signal): stop it and wait until it has.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return { url: () => base };
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
