import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/server/auth/actor";
import { deployBuiltIns, deployDefinition, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { loopDiagram } from "../support/diagrams";

// A loop with nothing to wait on makes the engine recurse until the stack runs out, synchronously.
// A loop of gateways only is refused at deploy; one through a timer due at once (a date from the
// flow's data already past) deploys, and its start fails as a step that did not stop (503, nothing
// created), never as a 500.

useTestDatabase();

const LOOP = loopDiagram(
  "test-gateway-loop",
  "wait",
  `<bpmn:intermediateCatchEvent id="wait" name="等待">
    <bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">\${environment.variables.due}</bpmn:timeDate></bpmn:timerEventDefinition>
  </bpmn:intermediateCatchEvent>`,
);

let insurer: Actor;
beforeAll(async () => {
  await deployBuiltIns();
  await deployDefinition(await demoActor("admin"), LOOP);
  insurer = await demoActor("insurer");
});

describe("starting a flow that loops with nothing to wait on", () => {
  it("is refused at deploy when the loop is made of gateways only", async () => {
    const gateways = loopDiagram("test-gateway-only", "wait", `<bpmn:exclusiveGateway id="wait" default="back" />`);
    await expect(deployDefinition(await demoActor("admin"), gateways)).rejects.toMatchObject({
      status: 422,
      problems: expect.arrayContaining([
        expect.objectContaining({ elementId: "wait", message: expect.stringContaining("只由网关组成的循环") }),
      ]),
    });
  });

  it("answers that the start failed (503), not a crash, and ends normally when the loop is left", async () => {
    const failed = await startProcess(insurer, {
      key: "test-gateway-loop",
      title: "循环",
      variables: { stop: false, due: "2001-01-01T00:00:00Z" },
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({ status: 503 });
    expect(failed).not.toBeInstanceOf(RangeError);
    const ended = await startProcess(insurer, {
      key: "test-gateway-loop",
      title: "结束",
      variables: { stop: true, due: "2001-01-01T00:00:00Z" },
    });
    expect(ended.status).toBe("completed");
  });
});
