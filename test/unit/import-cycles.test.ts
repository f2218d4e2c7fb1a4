import madge from "madge";
import { expect, it } from "vitest";

// How the server's modules may import each other, read from the code itself.

// No import cycle (a cycle meant a module half-initialised at import time, and registries that had
// to be filled by side-effect imports). Type-only imports count too: a type shared both ways is two
// modules that cannot be understood one without the other.
it("app/ has no import cycle, type imports included", async () => {
  const graph = await madge("app", { fileExtensions: ["ts", "tsx"], tsConfig: "tsconfig.json" });
  expect(graph.circular()).toEqual([]);
  // It did read the server: the workflow runtime is in the graph.
  expect(Object.keys(graph.obj())).toContain("server/workflow/start.server.ts");
});

const RUNTIME = "app/server/workflow/";
const ENTRY = `${RUNTIME}index.server.ts`;
/** Tests of the runtime's internals, each with the one internal it tests. */
const TESTS_OF_INTERNALS: Record<string, string> = {
  "test/unit/bpmn-engine-adapter.test.ts": `${RUNTIME}bpmn-engine-adapter.server.ts`,
  "test/flows/runtime-guarantees.test.ts": `${RUNTIME}engine.server.ts`,
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
