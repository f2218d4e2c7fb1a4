import { afterAll, beforeAll } from "vitest";
import { startDatabase, stopDatabase, type StartOptions } from "~/server/db.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { copyOfTemplate, DEMO_PASSWORD, type DatabaseCopy } from "./template";

export { DEMO_PASSWORD };

function open(database: DatabaseCopy, startupTasks?: StartOptions["startupTasks"]) {
  // Migrations and the demo city's organisations and users are in the copy already.
  return startDatabase({ url: database.url, dataDir: database.pgliteDir, startupTasks });
}

/** Gives the test file its own migrated and seeded database (a copy of the run's template), dropped afterwards. */
export function useTestDatabase(): void {
  let database: DatabaseCopy | undefined;
  beforeAll(async () => {
    database = await copyOfTemplate();
    await open(database);
  });
  afterAll(async () => {
    await stopDatabase();
    await database?.drop();
  });
}

/**
 * Like useTestDatabase, for tests that restart the platform's database (a timer due while it was
 * down). `restart(meanwhile)` stops it, runs `meanwhile` (e.g. moves the clock) and opens it again.
 */
export function useRestartableDatabase(): { restart(meanwhile?: () => void): Promise<void> } {
  let database: DatabaseCopy | undefined;
  beforeAll(async () => {
    database = await copyOfTemplate();
    await open(database, [deployBuiltIns]);
  });
  afterAll(async () => {
    await stopDatabase();
    await database?.drop();
  });
  return {
    async restart(meanwhile) {
      await stopDatabase();
      meanwhile?.();
      await open(database!, [deployBuiltIns]);
    },
  };
}

/** The rows of db().execute(…), which PGlite answers as { rows } and postgres.js as the array itself. */
export function resultRows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
