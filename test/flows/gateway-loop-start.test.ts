import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/server/auth/actor";
import { deployBuiltIns, deployDefinition, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";

// A loop through gateways only makes the engine recurse until the stack runs out, synchronously:
// the start fails as a step that did not stop (503, nothing created), never as a 500.

useTestDatabase();

const LOOP = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="gateway-loop-defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="test-gateway-loop" name="网关循环" isExecutable="true" camunda:candidateStarterGroups="insurer">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again" />
    <bpmn:exclusiveGateway id="again" default="round" />
    <bpmn:sequenceFlow id="round" sourceRef="again" targetRef="back" />
    <bpmn:exclusiveGateway id="back" default="return" />
    <bpmn:sequenceFlow id="return" sourceRef="back" targetRef="again" />
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

describe("starting a flow that loops through gateways only", () => {
  it("answers that the start failed (503), not a crash, and ends normally when the loop is left", async () => {
    const failed = await startProcess(insurer, { key: "test-gateway-loop", title: "循环", variables: { stop: false } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({ status: 503 });
    expect(failed).not.toBeInstanceOf(RangeError);
    const ended = await startProcess(insurer, { key: "test-gateway-loop", title: "结束", variables: { stop: true } });
    expect(ended.status).toBe("completed");
  });
});
