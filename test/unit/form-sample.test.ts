import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateSubmissionAgainst } from "~/server/forms/validate.server";
import { sampleSubmission } from "~/shared/form-sample";

// The dry run's samples start filled from each form (试运行 runs without typing): the server's own
// validation of a submission accepts the sample of every built-in form.

describe("a form's sample submission", () => {
  it("passes the form's own validation, for every built-in form", async () => {
    const refused: Record<string, unknown> = {};
    for (const file of readdirSync("forms").filter((f) => f.endsWith(".json"))) {
      const schema = JSON.parse(readFileSync(`forms/${file}`, "utf8"));
      const { errors } = await validateSubmissionAgainst(schema, sampleSubmission(schema, "2026-11-06"));
      if (Object.keys(errors).length) refused[file] = errors;
    }
    expect(refused).toEqual({});
  });

  it("takes an enum's first option and fills what is required", () => {
    const schema = JSON.parse(readFileSync("forms/demo-review.json", "utf8"));
    const sample = sampleSubmission(schema, "2026-11-06");
    const decision = schema.properties.decision;
    expect(sample.decision).toBe(typeof decision.enum[0] === "object" ? decision.enum[0].value : decision.enum[0]);
  });
});
