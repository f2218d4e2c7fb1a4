import { statSync } from "node:fs";
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// The order the files start in, on two workers: the longest first, so the run does not end with
// one worker on a long file while the other has nothing left. Vitest orders by the last run's
// durations where it has them, but a fresh checkout (CI) has none and got the largest files
// first: the proof file, small and over a minute long, started last and ran alone.

/**
 * Files that take a minute or more (the slowest-files report after a run lists them): first, in
 * this order. A file missing here only starts a little later.
 */
const LONGEST = [
  "test/flows/demo-city.test.ts",
  "test/e2e/role-navigation.test.ts",
  "test/e2e/risk-management.test.ts",
  "test/integration/authorization-matrix.test.ts",
  "test/e2e/owner-page.test.ts",
  "test/e2e/insurance-review.test.ts",
  "test/e2e/risk-pages.test.ts",
  "test/integration/owner-chat-http.test.ts",
  "test/e2e/statistics-dashboards.test.ts",
  "test/e2e/claim-flow.test.ts",
  "test/integration/proof.test.ts",
];

/** Then a browser file before a file of HTTP requests, before a flow, before a unit; the larger first within each. */
const KINDS = ["e2e", "integration", "flows", "unit"];

export default class LongestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification) => {
      const file = path.relative(root, spec.moduleId).split(path.sep).join("/");
      const listed = LONGEST.indexOf(file);
      const kind = KINDS.indexOf(file.split("/")[1]);
      return { listed: listed < 0 ? LONGEST.length : listed, kind: kind < 0 ? KINDS.length : kind, size: statSync(spec.moduleId).size };
    };
    const ranked = files.map((spec) => ({ spec, ...rank(spec) }));
    ranked.sort((a, b) => a.listed - b.listed || a.kind - b.kind || b.size - a.size);
    return ranked.map((r) => r.spec);
  }
}
