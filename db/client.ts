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
   * Tells `listener` every statement this process sends, with its parameters (BEGIN and COMMIT included)
   * until the returned function is called: how a test counts what one step costs the database, or explains a statement.
   */
  watchStatements(listener: StatementListener): () => void;
}

/** A statement's text and its parameters as the driver sent them (none for BEGIN and COMMIT). */
export type StatementListener = (text: string, params: readonly unknown[]) => void;

/** The listeners of one opened database, and how its driver hooks tell them. */
function statementWatch(onWatched: (watched: boolean) => void = () => {}) {
  const listeners = new Set<StatementListener>();
  return {
    emit(text: string, params: readonly unknown[] = []) {
      for (const listener of listeners) listener(text, params);
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
 * on the socket became 7; 6 with BEGIN sent beside the first statement, decision 052). Plans stay
 * custom (plan_cache_mode), as they were for unnamed statements; the driver forgets a connection's
 * statements when it recycles it (max_lifetime).
 */
function preparing(client: postgres.Sql, savepoint?: Savepoint): postgres.Sql {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "unsafe")
        return (query: string, params?: never[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, params, { ...options, prepare: true });
      if (key === "begin")
        return (...args: unknown[]) => {
          // drizzle passes the work alone and sets a transaction's options with a statement in it
          // (setTransaction); options given here would be dropped without a word.
          if (args.length !== 1) throw new Error("begin takes the work alone: set the transaction's options inside it");
          return pipelinedTransaction(target, args[0] as Work);
        };
      if (key === "savepoint" && savepoint) return (...args: unknown[]) => savepoint(args.pop() as Work);
      return Reflect.get(target, key, receiver);
    },
  });
}

type Work = (sql: postgres.Sql) => unknown;
type Savepoint = (work: Work) => Promise<unknown>;

/**
 * A transaction whose BEGIN goes to the server with its first statement, in one write, instead of
 * a round trip of its own before it (postgres.js's `begin` waits for BEGIN's answer): a completion
 * writes six times to its connection, not seven. The driver gathers what is sent in one turn of
 * the event loop, and a statement follows BEGIN in the same turn. PostgreSQL runs them in order;
 * BEGIN fails only when the connection does, and the statements with it. Then COMMIT, or ROLLBACK
 * when the work failed, as `begin` does; savepoints (a transaction inside one) alike.
 */
async function pipelinedTransaction(client: postgres.Sql, work: Work): Promise<unknown> {
  const connection = await client.reserve();
  // The connection lost in the middle (the server ended its backend, the network dropped): every
  // statement after it fails at once, the transaction fails, and the pool, not this transaction,
  // connects again. postgres.js tells a connection's `onclose` (as its own `begin` listens).
  let lost: unknown = null;
  let tellLost: (error: unknown) => void = () => {};
  const whenLost = new Promise<never>((_, reject) => (tellLost = reject));
  whenLost.catch(() => {});
  const onexecute = (raw: { onclose: ((error: unknown) => void) | null }) => {
    raw.onclose = (error) => tellLost((lost = error ?? new Error("database connection closed")));
    return true; // and the first statement may follow BEGIN at once
  };
  const live: postgres.Sql = new Proxy(connection, {
    get(target, key, receiver) {
      if (key === "unsafe" && lost) return () => failed(lost);
      return Reflect.get(target, key, receiver);
    },
  });
  let savepoints = 0;
  const savepoint: Savepoint = async (inner) => {
    const name = `s${++savepoints}`;
    await live.unsafe(`savepoint ${name}`);
    try {
      const result = await inner(view);
      await live.unsafe(`release savepoint ${name}`);
      return result;
    } catch (error) {
      await live.unsafe(`rollback to savepoint ${name}`);
      throw error;
    }
  };
  const view = preparing(live, savepoint);
  try {
    // Its failure is held (not left unhandled while the work runs) and thrown after the work.
    const beginFailure = connection
      .unsafe("begin", [], { onexecute } as never)
      .execute()
      .then(
        () => null,
        (error: unknown) => ({ error }),
      );
    let result: unknown;
    try {
      result = await Promise.race([work(view), whenLost]);
      const failedBegin = await beginFailure;
      if (failedBegin) throw failedBegin.error;
    } catch (error) {
      await Promise.race([beginFailure, whenLost]).catch(() => {});
      await live.unsafe("rollback").catch(() => {});
      throw lost ?? error;
    }
    // A statement that failed and whose failure the work caught left the transaction aborted, and
    // PostgreSQL answers such a COMMIT with ROLLBACK: never a success that kept nothing.
    const ended = await Promise.race([live.unsafe("commit"), whenLost]);
    if (ended.command !== "COMMIT") throw new Error(`transaction ended with ${ended.command}: a statement in it failed`);
    return result;
  } finally {
    // A lost connection stays with the pool's closed ones, which it connects again when needed.
    if (!lost) connection.release();
  }
}

/** A statement that fails at once, as drizzle runs one (awaited, or its rows as arrays). */
function failed(error: unknown) {
  const rejected = Promise.reject(error);
  rejected.catch(() => {});
  return Object.assign(rejected, { values: () => rejected, execute: () => rejected });
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
    client.options.debug = watched ? (_connection: number, text: string, params: unknown[]) => statements.emit(text, params) : false;
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
  const db = drizzlePglite(client, { schema, logger: { logQuery: (text, params) => statements.emit(text, params) } }) as unknown as Db;
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
