import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import postgres from "postgres";
import type { Db } from "@db/client";
import { startDatabase, stopDatabase } from "~/server/db.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { seedDemoCity } from "@db/seed/demo-city";

export const DEMO_PASSWORD = "kunming2026";

/** The demo city's organisations and users, as the platform's first start seeds them. */
const demoCity = (db: Db) => seedDemoCity(db, { password: DEMO_PASSWORD });

export interface ThrowawayDatabase {
  /** postgres:// URL of a new empty database, or undefined for in-memory PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A new empty database on the server of TEST_DATABASE_URL, or nothing (PGlite) without it. */
export async function throwawayDatabase(): Promise<ThrowawayDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return { url: undefined, drop: async () => {} };
  const name = `idi_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = () => postgres(serverUrl, { max: 1, onnotice: () => {} });
  const a = admin();
  await a.unsafe(`create database ${name}`);
  await a.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const b = admin();
      await b.unsafe(`drop database if exists ${name} with (force)`);
      await b.end();
    },
  };
}

/** Gives the test file its own freshly migrated and seeded database, dropped afterwards. */
export function useTestDatabase(): void {
  let database: ThrowawayDatabase | undefined;
  beforeAll(async () => {
    database = await throwawayDatabase();
    await startDatabase({ url: database.url, dataDir: "memory://", startupTasks: [demoCity] });
  });
  afterAll(async () => {
    await stopDatabase();
    await database?.drop();
  });
}

/**
 * Like useTestDatabase, on a data directory that outlives a stop: for tests that restart the
 * platform's database (a timer due while it was down). `restart(meanwhile)` stops it, runs
 * `meanwhile` (e.g. moves the clock) and opens it again.
 */
export function useRestartableDatabase(): { restart(meanwhile?: () => void): Promise<void> } {
  let database: ThrowawayDatabase | undefined;
  let dataDir = "";
  const open = () =>
    startDatabase({
      url: database!.url,
      dataDir: path.join(dataDir, "pglite"),
      startupTasks: [demoCity, deployBuiltIns],
    });
  beforeAll(async () => {
    database = await throwawayDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), "idi-restart-"));
    await open();
  });
  afterAll(async () => {
    await stopDatabase();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    async restart(meanwhile) {
      await stopDatabase();
      meanwhile?.();
      await open();
    },
  };
}
