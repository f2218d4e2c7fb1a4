import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@db/client";
import { formDefinitions, processDefinitions, processInstances, users } from "@db/schema";
import { DEMO_USERS } from "~/demo/demo-organisations";
import { resultRows } from "../support/database";
import { appArguments, currentBuild } from "../support/platform";
import { copyOfTemplate, type DatabaseCopy } from "../support/template";

// What the suite's own machinery promises the tests: a database per file that is the app's start-up
// state and no other file's business, and a built app no older than its sources.

describe("a copy of the run's database template", () => {
  const copies: DatabaseCopy[] = [];
  const opened: Database[] = [];
  async function open(): Promise<Database> {
    const copy = await copyOfTemplate();
    copies.push(copy);
    const database = await openDatabase({ url: copy.url, dataDir: copy.pgliteDir, pgliteSharedBuffers: process.env.PGLITE_SHARED_BUFFERS });
    opened.push(database);
    return database;
  }
  const adminName = async (database: Database) =>
    (await database.db.select({ name: users.displayName }).from(users).where(eq(users.username, "admin")))[0].name;
  afterAll(async () => {
    for (const database of opened) await database.close();
    for (const copy of copies) await copy.drop();
  });

  it("comes migrated, with the demo city's users and the platform's own diagrams and forms, nothing started", async () => {
    const database = await open();
    expect(await database.db.select({ n: count() }).from(users)).toEqual([{ n: DEMO_USERS.length }]);
    const diagrams = readdirSync("processes").filter((f) => f.endsWith(".bpmn"));
    const deployed = await database.db
      .select({ key: processDefinitions.key, version: processDefinitions.version, by: processDefinitions.deployedByName })
      .from(processDefinitions);
    expect(deployed).toHaveLength(diagrams.length);
    expect(new Set(deployed.map((d) => `${d.version} ${d.by}`))).toEqual(new Set(["1 平台系统"]));
    const forms = readdirSync("forms").filter((f) => f.endsWith(".json"));
    expect(await database.db.select({ n: count() }).from(formDefinitions)).toEqual([{ n: forms.length }]);
    expect(await database.db.select({ n: count() }).from(processInstances)).toEqual([{ n: 0 }]);
  });

  it("keeps a change to itself: neither a copy made beside it nor a later one sees it", async () => {
    // Two at once, as two test files may ask: a clone on PostgreSQL must not trip over the other.
    const [beside, changed] = await Promise.all([open(), open()]);
    await changed.db.update(users).set({ displayName: "改过的名字" }).where(eq(users.username, "admin"));
    const later = await open();
    expect(await adminName(changed)).toBe("改过的名字");
    expect(await adminName(beside)).not.toBe("改过的名字");
    expect(await adminName(later)).not.toBe("改过的名字");
  });
});

describe.skipIf(!!process.env.TEST_DATABASE_URL)("the embedded database of a test", () => {
  it("opens with the shared buffers the tests ask for, and PostgreSQL's default without them", async () => {
    const copy = await copyOfTemplate();
    const buffers = async (sharedBuffers?: string) => {
      const database = await openDatabase({ dataDir: copy.pgliteDir, pgliteSharedBuffers: sharedBuffers });
      try {
        return resultRows(await database.db.execute(sql`select current_setting('shared_buffers') as size`));
      } finally {
        await database.close();
      }
    };
    try {
      expect(process.env.PGLITE_SHARED_BUFFERS).toBe("16MB");
      expect(await buffers(process.env.PGLITE_SHARED_BUFFERS)).toEqual([{ size: "16MB" }]);
      expect(await buffers()).toEqual([{ size: "128MB" }]);
    } finally {
      await copy.drop();
    }
  });
});

describe("the app processes of the HTTP and browser tests", () => {
  it("run the current build with npm start's node flags, and PostgreSQL's WebAssembly compiled by V8's baseline compiler only", () => {
    const service = JSON.parse(readFileSync("package.json", "utf8")).config.nodeFlags.split(" ");
    expect(appArguments()).toEqual([...service, "--liftoff-only", currentBuild()]);
  });
});

describe("the build the HTTP and browser tests start", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "idi-build-check-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, secondsAgo: number) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), "");
    const at = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path.join(root, file), at, at);
  };
  for (const dir of ["app", "bots", "db"]) mkdirSync(path.join(root, dir), { recursive: true });

  it("is refused when it was never built", () => {
    expect(() => currentBuild(root)).toThrow("build/index.js is missing: run `npm run build` first");
  });

  it("is refused when a source it is built from changed after it", () => {
    write("app/routes/page.tsx", 60);
    write("build/index.js", 30);
    write("bots/dialogue/report.ts", 10);
    expect(() => currentBuild(root)).toThrow(`is older than ${path.join(root, "bots/dialogue/report.ts")}: run \`npm run build\` again`);
  });

  it("is used when it is newer than every source, whatever the diagrams and forms read at run time", () => {
    write("build/index.js", 5);
    write("processes/claim.bpmn", 1);
    write("forms/claim-accept.json", 1);
    expect(currentBuild(root)).toBe(path.join(root, "build/index.js"));
  });
});
