import { readFileSync } from "node:fs";
import madge from "madge";
import { beforeAll, expect, it } from "vitest";

// The modules form no import cycle (a cycle meant a module half-initialised at import time, and
// registries that had to be filled by side-effect imports), and every import points down the house
// (docs/decisions/018): the domain (app/server/) never imports the channels (bots/) or the demo city
// (seed/); db/ imports nothing of the app. Type-only imports do not count. The options are the
// project's madge settings (package.json "madge"), so `npx madge --circular app bots db seed` sees
// the same graph.

/** Each part of the house, by path, and the parts it may import besides itself. */
const MAY_IMPORT: Record<string, string[]> = {
  "db/": [],
  "app/shared/": ["db/"],
  "app/server/": ["app/shared/", "db/"],
  "bots/": ["app/server/", "app/shared/", "db/"],
  "seed/": ["app/server/", "app/shared/", "db/"],
  "app/components/": ["app/shared/", "db/"],
  // The web chat's routes are a channel: they hand its messages to bots/.
  "app/routes/": ["app/components/", "app/server/", "app/shared/", "bots/", "db/"],
  "app/root.tsx": ["app/components/", "app/shared/"],
  "app/entry.client.tsx": [],
  "app/entry.server.tsx": [],
  // The process entry puts the platform together: the server, its channels and the demo city.
  "app/main.server.ts": ["app/server/", "bots/", "seed/", "db/"],
};

const partOf = (file: string) => Object.keys(MAY_IMPORT).find((part) => file.startsWith(part));

let graph: Record<string, string[]>;
let circular: string[][];

beforeAll(async () => {
  const settings = JSON.parse(readFileSync("package.json", "utf8")).madge;
  const read = await madge(["app", "bots", "db", "seed"], { ...settings, baseDir: "." });
  graph = read.obj();
  circular = read.circular();
});

it("has no import cycle in app/, bots/, db/ or seed/", () => {
  expect(circular).toEqual([]);
  // It did read them all: the workflow runtime, a channel, the schema and the demo city are in the graph.
  expect(Object.keys(graph)).toEqual(
    expect.arrayContaining(["app/server/workflow/start.server.ts", "bots/telegram.ts", "db/schema/index.ts", "seed/demo-city.ts"]),
  );
});

it("imports only down the house: the domain imports no channel nor the demo city, db/ nothing of the app", () => {
  expect(Object.keys(graph).filter((file) => !partOf(file))).toEqual([]);
  const upward = Object.entries(graph).flatMap(([file, imports]) => {
    const part = partOf(file)!;
    return imports
      .filter((imported) => partOf(imported) !== part && !MAY_IMPORT[part].includes(partOf(imported)!))
      .map((imported) => `${file} → ${imported}`);
  });
  expect(upward).toEqual([]);
});
