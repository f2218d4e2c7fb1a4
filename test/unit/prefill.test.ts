import { describe, expect, it } from "vitest";
import type { FormSchema } from "~/server/forms/registry.server";
import { prefilledValues } from "~/server/flow-views/prefill.server";

// A form opens with what earlier steps of its flow hold, for the fields that ask for it (x-prefill).

const schema: FormSchema = {
  type: "object",
  properties: {
    grid: {
      type: "void",
      properties: {
        part: { type: "string", title: "缺陷部位", "x-prefill": "part", enum: [{ label: "防水渗漏", value: "waterproofing" }] },
      },
    },
    cause: { type: "string", title: "缺陷原因", "x-prefill": "cause", "x-validator": [{ max: 10, message: "缺陷原因不能超过10个字" }] },
    cost: { type: "number", title: "维修费用", "x-prefill": "estimatedCost" },
    decision: { type: "string", title: "结论", enum: ["accept", "refuse"] },
  },
};

const steps = (...submissions: Record<string, unknown>[]) => submissions.map((submission) => ({ submission }));

describe("prefilled values", () => {
  it("take the latest value an earlier step gave under the named key, through layout containers", async () => {
    expect(
      await prefilledValues(schema, steps({ part: "waterproofing", cause: "防水层破损" }, { estimatedCost: 6500, cause: "防水层老化" })),
    ).toEqual({ part: "waterproofing", cause: "防水层老化", cost: 6500 });
  });

  it("fill only the fields that ask, and skip what is empty or what the field would refuse", async () => {
    expect(await prefilledValues(schema, steps({ decision: "accept", part: "roof" }))).toBeNull();
    expect(await prefilledValues(schema, steps({ cause: "防水层破损" }, { cause: "  " }, { cause: "原因".repeat(10) }))).toBeNull();
    expect(await prefilledValues(schema, steps({ estimatedCost: "6500" }))).toBeNull();
    expect(await prefilledValues(schema, [])).toBeNull();
  });
});
