import path from "node:path";
import { mkdirSync } from "node:fs";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

// One type for both drivers: services never know which one they run on.
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Serialises start-up work (migrations, seed) across app processes sharing one database. */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * Tells `listener` the text of every statement this process sends (BEGIN and COMMIT included)
   * until the returned function is called: how a test counts what one step costs the database.
   */
  watchStatements(listener: StatementListener): () => void;
}

export type StatementListener = (text: string) => void;

/** The listeners of one opened database, and how its driver hooks tell them. */
function statementWatch(onWatched: (watched: boolean) => void = () => {}) {
  const listeners = new Set<StatementListener>();
  return {
    emit(text: string) {
      for (const listener of listeners) listener(text);
    },
    watch(listener: StatementListener) {
      listeners.add(listener);
      onWatched(true);
      return () => {
        listeners.delete(listener);
        onWatched(listeners.size > 0);
      };
    },
  };
}

/**
 * The client as drizzle sees it, with every statement prepared (named) on its connection. drizzle
 * sends its queries unnamed, and postgres.js then asks the server for an unnamed statement's
 * parameter types before it binds: two round trips per statement, and a parse each time. A named
 * statement is parsed once per connection and then bound in one round trip (a completion: 12 writes
 * on the socket became 7). Plans stay custom (plan_cache_mode), as they were for unnamed
 * statements; the driver forgets a connection's statements when it recycles it (max_lifetime).
 */
function preparing(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "unsafe")
        return (query: string, params?: never[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, params, { ...options, prepare: true });
      if (key === "begin" || key === "savepoint")
        return (...args: unknown[]) => {
          const work = args.pop() as (sql: postgres.Sql) => unknown;
          return (target as unknown as Record<string, (...a: unknown[]) => unknown>)[key](...args, (sql: postgres.Sql) =>
            work(preparing(sql)),
          );
        };
      return Reflect.get(target, key, receiver);
    },
  });
}

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "db/migrations");
const STARTUP_LOCK_KEY = 2026_1125; // any constant shared by all app processes

export interface OpenOptions {
  /** postgres://… to use a PostgreSQL server; otherwise PGlite. */
  url?: string;
  /** PGlite data directory, or "memory://" for a throwaway database. */
  dataDir?: string;
  /** Connections in the postgres.js pool. */
  poolSize?: number;
  /** PGlite's shared_buffers (PostgreSQL's own default, 128MB, unless given). */
  pgliteSharedBuffers?: string;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.url
    ? openPostgres(options.url, options.poolSize ?? 10)
    : openPglite(options.dataDir ?? "memory://", options.pgliteSharedBuffers);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // No JIT: compiling a dashboard's query took one to two seconds of a query that runs in
  // milliseconds (docs/decisions/028); the platform's queries are short and planned for indexes.
  // No parallel workers: a page's queries already run at once on the pool's connections, and
  // workers on top of them only crowd the same cores (a dashboard 25-40 % slower; decision 029).
  // Custom plans as before, with each statement parsed once per connection (`preparing`, above).
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connection: { jit: "off", max_parallel_workers_per_gather: "0", plan_cache_mode: "force_custom_plan" },
  });
  // Every statement on the wire, the driver's own BEGIN and COMMIT too, while someone watches: the
  // driver's debug hook also records a stack trace per query, which nobody needs otherwise.
  const statements = statementWatch((watched) => {
    client.options.debug = watched ? (_connection: number, text: string) => statements.emit(text) : false;
  });
  const db = drizzlePostgres(preparing(client), { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    async withStartupLock(fn) {
      const conn = await client.reserve();
      try {
        await conn`select pg_advisory_lock(${STARTUP_LOCK_KEY})`;
        return await fn();
      } finally {
        await conn`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`.catch(() => {});
        conn.release();
      }
    },
    migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS_DIR }),
    close: () => client.end({ timeout: 5 }),
    watchStatements: statements.watch,
  };
}

/** The extensions the migrations create, which PGlite loads with each database it opens (pg_trgm: docs/decisions/021). */
const PGLITE_EXTENSIONS = { pg_trgm };

/**
 * What PGlite is opened with: its extensions, and the size of its shared buffers, which it zeroes
 * at every open (128MB: 0.4 s of a core; a test's database of a few megabytes needs 16MB).
 */
export function pgliteOptions(sharedBuffers?: string): PGliteOptions {
  const startParams = sharedBuffers ? [...PGlite.defaultStartParams, "-c", `shared_buffers=${sharedBuffers}`] : undefined;
  return { extensions: PGLITE_EXTENSIONS, ...(startParams && { startParams }) };
}

async function openPglite(dataDir: string, sharedBuffers?: string): Promise<Database> {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, pgliteOptions(sharedBuffers));
  // PGlite has no wire: drizzle's log sees every query, and the transaction its BEGIN and COMMIT.
  const statements = statementWatch();
  const transaction = client.transaction.bind(client);
  client.transaction = async (work) => {
    statements.emit("BEGIN");
    try {
      const result = await transaction(work);
      statements.emit("COMMIT");
      return result;
    } catch (error) {
      statements.emit("ROLLBACK");
      throw error;
    }
  };
  const db = drizzlePglite(client, { schema, logger: { logQuery: (text) => statements.emit(text) } }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    // PGlite lives inside this one process: nothing else can start against it.
    withStartupLock: (fn) => fn(),
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR }),
    close: () => client.close(),
    watchStatements: statements.watch,
  };
}

export async function ping(db: Executor): Promise<void> {
  await db.execute(sql`select 1`);
}
