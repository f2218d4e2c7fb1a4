import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/server/auth/actor";
import { deployBuiltIns, deployDefinition, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";

// A loop with nothing to wait on makes the engine recurse until the stack runs out, synchronously.
// A loop of gateways only is refused at deploy; one through a timer due at once (a date from the
// flow's data already past) deploys, and its start fails as a step that did not stop (503, nothing
// created), never as a 500.

useTestDatabase();

const LOOP = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="gateway-loop-defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="test-gateway-loop" name="网关循环" isExecutable="true" camunda:candidateStarterGroups="insurer">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again" />
    <bpmn:exclusiveGateway id="again" default="round" />
    <bpmn:sequenceFlow id="round" sourceRef="again" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait" name="等待">
      <bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">\${environment.variables.due}</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="return" sourceRef="wait" targetRef="again" />
    <bpmn:sequenceFlow id="out" sourceRef="again" targetRef="end">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${environment.variables.stop}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:endEvent id="end" name="结束" />
  </bpmn:process>
</bpmn:definitions>`;

let insurer: Actor;
beforeAll(async () => {
  await deployBuiltIns();
  await deployDefinition(await demoActor("admin"), LOOP);
  insurer = await demoActor("insurer");
});

describe("starting a flow that loops with nothing to wait on", () => {
  it("is refused at deploy when the loop is made of gateways only", async () => {
    const gateways = LOOP.replace(
      /<bpmn:intermediateCatchEvent[\s\S]*?<\/bpmn:intermediateCatchEvent>/,
      '<bpmn:exclusiveGateway id="wait" default="return" />',
    );
    await expect(
      deployDefinition(await demoActor("admin"), gateways.replace('id="test-gateway-loop"', 'id="test-gateway-only"')),
    ).rejects.toMatchObject({
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
