import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FormSchema } from "~/server/forms/registry.server";
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

  it("matches a field's pattern when it is a simple one, and leaves out an optional field it cannot", async () => {
    const schema = {
      type: "object",
      properties: {
        code: { type: "string", title: "编号", required: true, pattern: "^[A-Z]{2}-\\d{4}$", "x-component": "Input" },
        plate: { type: "string", title: "车牌", "x-component": "Input", "x-validator": [{ pattern: "^(京|云)[A-Z]\\d{5}$" }] },
        note: { type: "string", title: "说明", "x-component": "Input", pattern: "^[^0-9]+(x|y)?$" },
      },
    };
    const sample = sampleSubmission(schema, "2026-11-06");
    expect(sample).toEqual({ code: "AA-0000", plate: "京A00000" });
    expect((await validateSubmissionAgainst(schema as unknown as FormSchema, sample)).errors).toEqual({});
  });
});
