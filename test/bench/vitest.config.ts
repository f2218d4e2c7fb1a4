import { defineConfig } from "vitest/config";
import { project } from "../vitest.config";

// npm run bench: benchmarks print figures; they are not part of npm test.
export default defineConfig({
  ...project,
  test: {
    include: ["test/bench/**/*.bench.ts"],
    environment: "node",
    // Each cluster's database is a copy of one made before the run (support/template.ts).
    globalSetup: ["test/support/template.ts"],
    // What the app's entry sets up once (composeApp): the statistics bench seeds through the flows.
    setupFiles: ["test/support/setup.ts"],
    maxWorkers: 1,
    testTimeout: 60 * 60_000,
    hookTimeout: 5 * 60_000,
    env: { NODE_ENV: "test" },
  },
});
