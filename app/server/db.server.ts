import { openDatabase, type Database, type Db } from "@db/client";
import { env } from "./env.server";
import { logger } from "./logger.server";

// The process's one database handle. Opened once by startDatabase(); every service reads it
// through db(). Nothing else about the business is kept in memory.
let current: Database | undefined;

export function db(): Db {
  if (!current) throw new Error("Database not started: call startDatabase() first");
  return current.db;
}

export function database(): Database {
  if (!current) throw new Error("Database not started: call startDatabase() first");
  return current;
}

export interface StartOptions {
  url?: string;
  dataDir?: string;
  /**
   * Start-up work that must not race with other processes, in order: deploying the built-in
   * diagrams, and the demo city where the process entry (or a test) asks for it.
   */
  startupTasks?: ((db: Db) => Promise<unknown>)[];
}

/** Opens the database, applies migrations and runs the start-up tasks, under the start-up lock. */
export async function startDatabase(options: StartOptions = {}): Promise<Database> {
  if (current) return current;
  const e = env();
  const url = options.url ?? e.DATABASE_URL;
  const opened = await openDatabase({
    url,
    dataDir: options.dataDir ?? e.PGLITE_DIR,
    poolSize: e.DATABASE_POOL_SIZE,
    pgliteSharedBuffers: e.PGLITE_SHARED_BUFFERS,
  });
  await opened.withStartupLock(async () => {
    await opened.migrate();
    // Start-up tasks run the platform's own services, which read the process's database handle.
    current = opened;
    for (const task of options.startupTasks ?? []) await task(opened.db);
  });
  logger.info({ kind: opened.kind }, "database ready");
  return opened;
}

/**
 * A value kept with the open database, such as a cache of rows that never change once written: a
 * process that opens another database (each test file opens its own) starts that value afresh.
 */
export function perDatabase<T>(make: () => T): () => T {
  const kept = new WeakMap<object, T>();
  const noDatabase = {};
  return () => {
    const key = current ?? noDatabase;
    if (!kept.has(key)) kept.set(key, make());
    return kept.get(key)!;
  };
}

export async function stopDatabase(): Promise<void> {
  const c = current;
  current = undefined;
  await c?.close().catch(() => {});
}
