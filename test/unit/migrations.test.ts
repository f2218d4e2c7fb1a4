import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

// The migrations' snapshots form one chain that ends in the schema as it is, so that the next
// `npm run db:generate` writes only the next change. Branches that each add a migration on the same
// parent break the chain (drizzle-kit then refuses to generate), and a schema changed without its
// migration leaves the last snapshot behind: both fail here.

const root = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "idi-migrations-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const drizzleKit = (args: string[]) =>
  execFileSync(path.join(root, "node_modules/.bin/drizzle-kit"), args, { cwd: root, encoding: "utf8", stdio: "pipe" });

it("has a snapshot for every migration, each pointing to the one before", () => {
  const journal = JSON.parse(readFileSync(path.join(root, "db/migrations/meta/_journal.json"), "utf8")) as {
    entries: { idx: number; when: number; tag: string }[];
  };
  let previous: { id: string } | null = null;
  let when = 0;
  for (const entry of journal.entries) {
    const snapshot = JSON.parse(
      readFileSync(path.join(root, `db/migrations/meta/${String(entry.idx).padStart(4, "0")}_snapshot.json`), "utf8"),
    ) as { id: string; prevId: string };
    if (previous) expect(snapshot.prevId, entry.tag).toBe(previous.id);
    // The migrator applies by `when`: a migration dated before the last one applied would be skipped.
    expect(entry.when, entry.tag).toBeGreaterThan(when);
    previous = snapshot;
    when = entry.when;
  }
  expect(drizzleKit(["check", "--config", "db/drizzle.config.ts"])).toContain("Everything's fine");
});

it("ends in the schema as it is: generating now writes no migration", () => {
  cpSync(path.join(root, "db/migrations"), path.join(work, "migrations"), { recursive: true });
  const config = path.join(work, "drizzle.config.json");
  writeFileSync(
    config,
    JSON.stringify({ dialect: "postgresql", schema: "./db/schema/index.ts", out: path.relative(root, path.join(work, "migrations")) }),
  );
  expect(drizzleKit(["generate", "--config", config])).toContain("No schema changes");
}, 120_000);
