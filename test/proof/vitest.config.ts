import { defineConfig } from "vitest/config";
import { project } from "../vitest.config";

// npm run proof: the guarantees under load, crashes, races and fuzzing, with a table of figures.
// One scenario at a time: they measure the machine as much as the platform.
export default defineConfig({
  ...project,
  test: {
    // *.proof.ts, not *.test.ts: npm test runs the short version (test/integration/proof.test.ts) only.
    include: ["test/proof/**/*.proof.ts"],
    environment: "node",
    // Each cluster's database is a copy of one made before the run (support/template.ts).
    globalSetup: ["test/support/template.ts"],
    maxWorkers: 1,
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    env: { NODE_ENV: "test" },
  },
});
