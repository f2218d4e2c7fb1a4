import { readFileSync } from "node:fs";
import madge from "madge";
import { beforeAll, expect, it } from "vitest";

// The modules form no import cycle (a cycle meant a module half-initialised at import time, and
// registries that had to be filled by side-effect imports), and every import points down the house
// (docs/decisions/018): the domain (app/server/) never imports the channels (bots/) or the demo city
// (app/demo/); db/ imports nothing of the app. A cycle counts type-only imports too (a type shared
// both ways is two modules that cannot be understood one without the other); the direction does not (a
// page may name the type of what its loader returns). The options are the project's madge settings
// (.madgerc), so `npx madge --circular app bots db` sees the same graph.

/** Each part of the house, by path, and the parts it may import besides itself. */
const MAY_IMPORT: Record<string, string[]> = {
  // The demo city walks the flows through the platform's services: it stands above the domain.
  "app/demo/": ["app/server/", "app/shared/", "db/"],
  "db/": [],
  "app/shared/": ["db/"],
  "app/server/": ["app/shared/", "db/"],
  "bots/": ["app/server/", "app/shared/", "db/"],
  // Reference data shipped with the code (the Kunming district shapes): it imports nothing.
  "app/assets/": [],
  // And the stylesheets of what they draw (app/styles/*.css, see STYLESHEET below).
  "app/components/": ["app/assets/", "app/shared/", "db/"],
  // antd's stylesheet, built from the components the pages draw under the platform's theme, and
  // the page styles beyond it.
  "app/styles/": ["app/components/"],
  // What the build does after `remix build` (docs/decisions/046): it reads the build, not the app.
  "app/build/": [],
  // The web chat's routes are a channel: they hand its messages to bots/.
  "app/routes/": ["app/components/", "app/server/", "app/shared/", "bots/", "db/"],
  "app/root.tsx": ["app/components/", "app/shared/", "app/styles/"],
  "app/entry.client.tsx": [],
  // Renders each page with its script nonce and the Content-Security-Policy that names it.
  "app/entry.server.tsx": ["app/components/", "app/server/", "app/styles/"],
  // The process entry puts the platform together: the server, its channels and the demo city.
  "app/main.server.ts": ["app/server/", "bots/", "app/demo/", "db/"],
};

const partOf = (file: string) => Object.keys(MAY_IMPORT).find((part) => file.startsWith(part));
/**
 * A stylesheet imports nothing: the components and routes that draw with one link it themselves
 * (antd's with the frames that draw antd, the owners' page its own: decision 042).
 */
const STYLESHEET = /^app\/styles\/[^/]+\.css$/;
const mayLink = (file: string, imported: string) => STYLESHEET.test(imported) && /^app\/(components|routes)\//.test(file);

let graph: Record<string, string[]>;
let circular: string[][];

beforeAll(async () => {
  const settings = JSON.parse(readFileSync(".madgerc", "utf8"));
  const withTypes = await madge(["app", "bots", "db"], { ...settings, baseDir: "." });
  circular = withTypes.circular();
  const skipTypeImports = { skipTypeImports: true };
  const withoutTypes = await madge(["app", "bots", "db"], {
    ...settings,
    baseDir: ".",
    detectiveOptions: { ts: skipTypeImports, tsx: skipTypeImports },
  });
  graph = withoutTypes.obj();
});

it("has no import cycle in app/, bots/ or db/, type imports included", () => {
  expect(circular).toEqual([]);
  // It did read them all: the workflow runtime, a channel, the schema and the demo city are in the graph.
  expect(Object.keys(graph)).toEqual(
    expect.arrayContaining(["app/server/workflow/start.server.ts", "bots/telegram.ts", "db/schema/index.ts", "app/demo/demo-city.ts"]),
  );
});

it("imports only down the house: the domain imports no channel nor the demo city, db/ nothing of the app", () => {
  expect(Object.keys(graph).filter((file) => !partOf(file))).toEqual([]);
  const upward = Object.entries(graph).flatMap(([file, imports]) => {
    const part = partOf(file)!;
    return imports
      .filter((imported) => partOf(imported) !== part && !MAY_IMPORT[part].includes(partOf(imported)!) && !mayLink(file, imported))
      .map((imported) => `${file} → ${imported}`);
  });
  expect(upward).toEqual([]);
});

const RUNTIME = "app/server/workflow/";
const ENTRY = `${RUNTIME}index.server.ts`;
/** Tests of the runtime's internals, each with the one internal it tests. */
const TESTS_OF_INTERNALS: Record<string, string> = {
  "test/unit/bpmn-engine-adapter.test.ts": `${RUNTIME}bpmn-engine-adapter.server.ts`,
  "test/flows/runtime-guarantees.test.ts": `${RUNTIME}engine.server.ts`,
  // How an engine call that ran out of stack fails its step (drive), whatever V8 calls the error.
  "test/unit/engine-drive.test.ts": `${RUNTIME}engine.server.ts`,
  // The bench's engine floor: the step as the platform runs its engine, without the database.
  "test/bench/support/floors.ts": `${RUNTIME}engine.server.ts`,
};

// The workflow runtime has one public face: the rest of the app, the bots, the seeds, the scripts
// and the tests use its entry, so its files can be rearranged without touching anyone else.
it("nothing outside app/server/workflow/ imports a file of it but its entry", async () => {
  const graph = await madge(["app", "bots", "db", "processes", "test"], {
    baseDir: ".",
    fileExtensions: ["ts", "tsx"],
    tsConfig: "tsconfig.json",
  });
  const reachingIn = Object.entries(graph.obj()).flatMap(([file, imports]) =>
    file.startsWith(RUNTIME)
      ? []
      : imports.filter((i) => i.startsWith(RUNTIME) && i !== ENTRY && i !== TESTS_OF_INTERNALS[file]).map((i) => `${file} -> ${i}`),
  );
  expect(reachingIn).toEqual([]);
  // It did read the importers: the routes use the entry.
  expect(graph.obj()["app/routes/_app.inbox.tsx"]).toContain(ENTRY);
});
