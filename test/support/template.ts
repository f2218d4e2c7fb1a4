import { constants, cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { inject } from "vitest";
import type { TestProject } from "vitest/node";
import { seedDemoCity } from "~/demo/demo-city";
import { composeApp } from "~/server/composition.server";
import { startDatabase, stopDatabase } from "~/server/db.server";
import { deployBuiltIns } from "~/server/workflow/index.server";

// Every test file gets a database of its own, for itself or for the app processes it starts. Building
// one from nothing (PGlite's initdb, every migration, the seed) took most of a short file's time, so it
// is built once per run, here (the configs' globalSetup), and each file gets a copy: a copied PGlite
// directory, or a PostgreSQL database cloned from a template database. See
// docs/decisions/016-one-database-template-per-run.md.

export const DEMO_PASSWORD = "kunming2026";

/** Where the run's migrated and seeded database is. */
type Template = { kind: "pglite"; dir: string } | { kind: "postgres"; serverUrl: string; name: string };

declare module "vitest" {
  export interface ProvidedContext {
    databaseTemplate: Template;
  }
}

export interface DatabaseCopy {
  /** postgres:// URL of the copy on TEST_DATABASE_URL's server, or undefined on PGlite. */
  url: string | undefined;
  /** The copy's PGlite data directory (PGlite only). */
  pgliteDir: string | undefined;
  /** Removes the copy. */
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/**
 * A fresh copy of the run's template: migrated, with the demo city's organisations and users and the
 * platform's diagrams and forms, nothing else.
 */
export async function copyOfTemplate(): Promise<DatabaseCopy> {
  const template = inject("databaseTemplate");
  if (!template) throw new Error("no database template: run the tests through a config whose globalSetup is test/support/template.ts");
  if (template.kind === "pglite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "idi-db-"));
    const pgliteDir = path.join(dir, "pglite");
    // A reflink where the filesystem has them, else a plain copy.
    cpSync(template.dir, pgliteDir, { recursive: true, mode: constants.COPYFILE_FICLONE });
    return { url: undefined, pgliteDir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = uniqueName("idi_test");
  // Nothing may be connected to the template while it is cloned: nothing is after the set-up below.
  await onServer(template.serverUrl, `create database ${name} template ${template.name}`);
  return {
    url: databaseUrl(template.serverUrl, name),
    pgliteDir: undefined,
    drop: () => onServer(template.serverUrl, `drop database if exists ${name} with (force)`),
  };
}

/** globalSetup: migrates and seeds the template once, before any test file; removes it after the run. */
export default async function makeTemplate(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let template: Template;
  let remove: () => Promise<void>;
  let where: { url?: string; dataDir?: string };
  if (serverUrl) {
    const name = uniqueName("idi_template");
    // A trigram index serves Chinese only with a UTF-8 ctype (docs/decisions/021); template0 lets the locale differ from the server's.
    await onServer(serverUrl, `create database ${name} locale 'C.utf8' template template0`);
    template = { kind: "postgres", serverUrl, name };
    where = { url: databaseUrl(serverUrl, name) };
    remove = () => onServer(serverUrl, `drop database if exists ${name} with (force)`);
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), "idi-template-"));
    template = { kind: "pglite", dir: path.join(dir, "pglite") };
    where = { dataDir: template.dir };
    remove = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    // The app's own start-up, as each file used to run it on a database of its own, with the
    // platform's diagrams and forms deployed (every app start looks for them; the deploy's check
    // needs the services the app composes); then closed.
    composeApp();
    await startDatabase({ ...where, startupTasks: [(db) => seedDemoCity(db, { password: DEMO_PASSWORD }), deployBuiltIns] });
    await stopDatabase();
  } catch (error) {
    await remove();
    throw error;
  }
  project.provide("databaseTemplate", template);
  return remove;
}
