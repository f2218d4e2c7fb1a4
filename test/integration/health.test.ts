import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentBuild } from "../support/platform";
import { copyOfTemplate, type DatabaseCopy } from "../support/template";

// In-process, so the test can take the database away from under the running server.
let running: { url: string; close(): Promise<void>; closeDatabase(): Promise<void> };
let database: DatabaseCopy;

beforeAll(async () => {
  database = await copyOfTemplate();
  const built = await import(pathToFileURL(path.resolve(currentBuild())).href);
  running = await built.startPlatform({ port: 0, url: database.url, dataDir: database.pgliteDir, seed: false });
});
afterAll(async () => {
  await running?.close();
  await database?.drop();
});

describe("GET /healthz", () => {
  it("answers 200 with the database kind while the database answers", async () => {
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      database: { kind: process.env.TEST_DATABASE_URL ? "postgres" : "pglite", status: "up" },
    });
  });

  it("answers 503 when the database does not", async () => {
    await running.closeDatabase();
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable", database: { status: "down" } });
  });
});
