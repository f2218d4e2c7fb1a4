import madge from "madge";
import { expect, it } from "vitest";

// The server's modules form no import cycle (a cycle meant a module half-initialised at import
// time, and registries that had to be filled by side-effect imports). Type-only imports count too:
// a type shared both ways is two modules that cannot be understood one without the other.
it("app/ has no import cycle, type imports included", async () => {
  const graph = await madge("app", { fileExtensions: ["ts", "tsx"], tsConfig: "tsconfig.json" });
  expect(graph.circular()).toEqual([]);
  // It did read the server: the workflow runtime is in the graph.
  expect(Object.keys(graph.obj())).toContain("server/workflow/start.server.ts");
});
