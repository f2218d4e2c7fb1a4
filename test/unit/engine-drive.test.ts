import { expect, it } from "vitest";
import { drive, type EngineStep } from "~/server/workflow/engine.server";

// A loop with nothing to wait on makes the engine recurse until the stack runs out (see
// test/flows/gateway-loop-start.test.ts): drive() makes that the step's failure, however V8 reports
// the stack running out, so the start or completion is refused (503) instead of answering 500.

const LOOP = "流程在一步中执行了过多环节";
const aStep = () => ({ failure: null, inEngineCall: false }) as unknown as EngineStep;

it("takes a stack that ran out for the step's failure", async () => {
  const step = aStep();
  const deeper = (n: number): number => deeper(n + 1) + 1;
  await drive(step, () => deeper(0));
  expect(step.failure?.message).toContain(LOOP);
});

it("does so when V8 says it while compiling a regular expression (as smqp's routing keys were, in CI)", async () => {
  const step = aStep();
  await drive(step, () => {
    throw new SyntaxError("Invalid regular expression: /^activity\\..*?\\.wait_fbe8dc986a_0$/: Stack overflow");
  });
  expect(step.failure?.message).toContain(LOOP);
});

it("lets any other error through, a bad regular expression too", async () => {
  const step = aStep();
  await expect(
    drive(step, () => {
      throw new SyntaxError("Invalid regular expression: /(/: Unterminated group");
    }),
  ).rejects.toThrow("Unterminated group");
  expect(step.failure).toBeNull();
});
