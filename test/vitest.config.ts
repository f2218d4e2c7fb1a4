import path from "node:path";
import { defineConfig } from "vitest/config";
import LongestFirst from "./support/longest-first";

const root = path.resolve(import.meta.dirname, "..");

// The project's root and import aliases, for this config and the benchmarks'.
export const project = {
  root,
  resolve: {
    alias: {
      "~": path.join(root, "app"),
      "@db": path.join(root, "db"),
    },
  },
};

export default defineConfig({
  ...project,
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Generous: a browser step on a shared two-core machine can take many seconds; a test that
    // hangs still fails, only later.
    testTimeout: 60_000,
    // expect.poll waits like a browser step does (its default, 1 s, is too short on a loaded machine).
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    // Each file gets its own database, a copy of one made before the run; two cores, so two at a time.
    globalSetup: ["test/support/template.ts"],
    maxWorkers: 2,
    // A worker keeps the modules it loaded from one file to the next (docs/decisions/047): the
    // app's server modules are loaded once per worker, not once per file.
    isolate: false,
    // The longest files first, also on a fresh checkout with no durations from a run before.
    sequence: { sequencer: LongestFirst },
    // What the app's entry sets up once: Chinese zod messages, the app's composition (composeApp).
    setupFiles: ["test/support/setup.ts"],
    // The usual output, then the ten slowest files.
    reporters: ["default", "test/support/slowest-files.ts"],
    // PGlite's shared buffers are zeroed at each open: a file's database of a few megabytes needs
    // little of PostgreSQL's default 128MB (about 0.4 s of a core less per database opened, in the
    // file's worker and in each app process it starts).
    // The app processes of a file compile PGlite's WebAssembly with V8's baseline compiler only: its
    // optimising one spent more of a core on them than it saved in a file's minute (decision 048).
    env: { NODE_ENV: "test", PGLITE_SHARED_BUFFERS: "16MB", TEST_APP_NODE_FLAGS: "--liftoff-only" },
    // The form editor's completion (test/unit/form-editor-completion.test.ts) runs the browser's
    // ESM builds of these, whose imports name no file extension: vite resolves them, Node does not.
    server: { deps: { inline: [/codemirror-json-schema/, /json-schema-library/] } },
  },
});
