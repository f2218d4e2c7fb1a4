import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Engine } from "bpmn-engine";
import postgres from "postgres";
import { createEngine, settle, sourceContextOf, storableState } from "~/server/workflow/engine.server";
import { APP_NODE_FLAGS } from "../../support/node-flags";
import { measure, quantile, type Figures } from "./load";

// The floors a completion stands on, measured there and then on the same machine: what bpmn-engine
// alone needs for the demo flow's step, the same step as the platform runs its engine, and what the
// database answers to transactions of three statements. The platform's figures are read against them.
// The engine's floors run in a node of their own with the flags the app runs with (enginesAsTheAppRuns):
// without them (allocation-site pretenuring on) the same cycle costs node about 1.6 times the CPU.

const DEMO = readFileSync("processes/demo-approval.bpmn", "utf8");
// What the demo's diagram may call; the step measured (提交申请 → 住建局审核) calls none of them.
const SERVICES = { eq: (a: unknown, b: unknown) => a === b, notify: () => undefined };
const SUBMISSION = { subject: "压测", amount: 100 };

export interface EngineFloor {
  what: string;
  cycles: number;
  msPerCycle: number;
  /** CPU per cycle, ms: the main thread and the garbage collector's helper threads, as the app's CPU is read. */
  cpuMsPerCycle: number;
  p99: number;
  perSecondOneCore: number;
  stateKb: number;
}

const WARM_UP_CYCLES = 500;
/** Cycles measured of each engine floor, after the warm-up. */
export const ENGINE_CYCLES = 2000;

async function cycles(what: string, count: number, cycle: () => Promise<unknown>): Promise<EngineFloor> {
  // Warm V8 up first: after 50 cycles a step still cost 1.4 times what it costs after 500 (the
  // app's processes have run for minutes when they are measured).
  for (let i = 0; i < WARM_UP_CYCLES; i++) await cycle();
  const times: number[] = [];
  let state: unknown;
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    state = await cycle();
    times.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return {
    what,
    cycles: count,
    msPerCycle: Math.round(mean * 100) / 100,
    cpuMsPerCycle: Math.round((used.user + used.system) / 10 / count) / 100,
    p99: quantile(times, 0.99),
    perSecondOneCore: Math.round(1000 / mean),
    stateKb: Math.round(JSON.stringify(state).length / 100) / 10,
  };
}

/** Waits until the engine waits on the activity `id` (bpmn-engine runs a signal on in later ticks). */
async function waitingOn(engine: Engine, id: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (engine.execution?.getPostponed().some((a) => a.id === id)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`the engine never waited on ${id}`);
}

/**
 * bpmn-engine alone: the demo flow's saved state (waiting on 提交申请) recovered, resumed, signalled
 * with a submission and serialised again, as in the floor; its real timer (the review's
 * reminder) is stopped with the engine.
 */
export async function engineFloor(count: number): Promise<EngineFloor> {
  const first = new Engine({ name: "floor", source: DEMO, services: SERVICES });
  await first.execute();
  await waitingOn(first, "request");
  const saved = await first.getState();
  await first.stop();
  return cycles("bpmn-engine alone", count, async () => {
    const engine = new Engine({ name: "floor", services: SERVICES });
    engine.recover(JSON.parse(JSON.stringify(saved)));
    const execution = await engine.resume();
    execution.signal({ id: "request", ...SUBMISSION });
    await waitingOn(engine, "review");
    const state = await engine.getState();
    await engine.stop();
    return state;
  });
}

/**
 * The same step as the platform runs its engine (engine.server.ts): the shared parsed diagram, no
 * real timers, the state stored without the diagram; no database.
 */
export async function platformEngineCycle(count: number): Promise<EngineFloor> {
  const source = await sourceContextOf(`bench-${Date.now()}`, DEMO);
  const services = Object.keys(SERVICES);
  const invoke = async () => undefined;
  const first = createEngine("demo-approval", invoke, services, source);
  await first.engine.execute();
  await settle(first);
  const saved = storableState(await first.engine.getState());
  return cycles("the platform's engine step", count, async () => {
    const step = createEngine("demo-approval", invoke, services, source);
    step.engine.recover(JSON.parse(JSON.stringify(saved)));
    const execution = await step.engine.resume();
    execution.signal({ id: "request", ...SUBMISSION });
    await settle(step);
    return storableState(await step.engine.getState());
  });
}

/**
 * Both engine floors measured in a node started with the app's flags (package.json's
 * config.nodeFlags), one after the other, as test/bench/support/engine-floors.ts prints them.
 */
export function enginesAsTheAppRuns(count = ENGINE_CYCLES): EngineFloor[] {
  const out = execFileSync(process.execPath, [...APP_NODE_FLAGS, "--import", "tsx", "test/bench/support/engine-floors.ts", String(count)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as EngineFloor[];
}

/**
 * The database alone: `count` transactions of three statements (lock a row, update it, insert one),
 * `clients` at once, on a scratch table: on PostgreSQL through its own pool, on PGlite in this process.
 */
export async function databaseFloor(url: string | undefined, count = 5000, clients = 16): Promise<Figures> {
  const table = `bench_floor_${process.pid}`;
  const setup = [
    `create table ${table} (id int primary key, n int not null, payload text)`,
    `insert into ${table} select g, 0, repeat('x', 200) from generate_series(1, 10000) g`,
  ];
  // Transaction i locks and updates row i (of 10,000, round) and inserts a row of its own.
  const statements = (i: number): [string, number[]][] => [
    [`select n from ${table} where id = $1 for update`, [(i % 10000) + 1]],
    [`update ${table} set n = n + 1 where id = $1`, [(i % 10000) + 1]],
    [`insert into ${table} (id, n, payload) values ($1, 0, repeat('y', 200))`, [100000 + i]],
  ];
  const items = Array.from({ length: count }, (_, i) => i);
  if (url) {
    const sql = postgres(url, { max: clients, onnotice: () => {} });
    try {
      for (const s of setup) await sql.unsafe(s);
      return await measure("database floor (PostgreSQL)", items, clients, (i) =>
        sql.begin(async (tx) => {
          for (const [text, params] of statements(i)) await tx.unsafe(text, params);
        }),
      );
    } finally {
      await sql.unsafe(`drop table if exists ${table}`);
      await sql.end({ timeout: 5 });
    }
  }
  const db = await PGlite.create("memory://");
  try {
    for (const s of setup) await db.exec(s);
    return await measure("database floor (PGlite)", items, clients, (i) =>
      db.transaction(async (tx) => {
        for (const [text, params] of statements(i)) await tx.query(text, params);
      }),
    );
  } finally {
    await db.close();
  }
}
