import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/server/auth/actor";
import { deployBuiltIns, deployDefinition, dryRun, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { loopDiagram } from "../support/diagrams";

// A loop with nothing to wait on makes the engine recurse until the stack runs out, synchronously.
// A loop of gateways only is refused at deploy; one through a timer due at once (a date from the
// flow's data already past) deploys, and its start fails as a step that did not stop (503, nothing
// created), never as a 500. The step is stopped long before the stack runs out: run out inside V8's
// regular expression compiler, it ended the whole process (a loop through a thrown signal did so
// at its second dry run, and the timer's loop once in CI).

useTestDatabase();

const TIMER = `<bpmn:intermediateCatchEvent id="wait" name="等待">
    <bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">\${environment.variables.due}</bpmn:timeDate></bpmn:timerEventDefinition>
  </bpmn:intermediateCatchEvent>`;
const LOOP = loopDiagram("test-gateway-loop", "wait", TIMER);
const PAST = "2001-01-01T00:00:00Z";
const SIGNAL = `<bpmn:intermediateThrowEvent id="wait" name="广播"><bpmn:signalEventDefinition /></bpmn:intermediateThrowEvent>`;
const SIGNAL_LOOP = loopDiagram("test-signal-loop", "wait", SIGNAL);
const AT_ONCE = "流程在一步中执行了过多环节（连续超过200个）仍未停下";

/** The loop reached from the start through a service task (notify the insurer), answered asynchronously. */
const afterService = (xml: string) =>
  xml.replace(
    '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again" />',
    `<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="tell" />
     <bpmn:serviceTask id="tell" name="通知" implementation="\${environment.services.notify}">
       <bpmn:extensionElements><camunda:properties><camunda:property name="role" value="insurer" /></camunda:properties></bpmn:extensionElements>
     </bpmn:serviceTask>
     <bpmn:sequenceFlow id="f1" sourceRef="tell" targetRef="again" />`,
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
      variables: { stop: false, due: PAST },
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({ status: 503 });
    expect(failed).not.toBeInstanceOf(RangeError);
    const ended = await startProcess(insurer, {
      key: "test-gateway-loop",
      title: "结束",
      variables: { stop: true, due: PAST },
    });
    expect(ended.status).toBe("completed");
  });
});

describe("a loop through activities that pass at once", () => {
  it("fails its step at the 200th activity in a row, dry run after dry run, and the process goes on", async () => {
    for (let run = 0; run < 4; run++) {
      const result = await dryRun({ xml: SIGNAL_LOOP, variables: { stop: false } });
      expect(result.outcome).toEqual({ kind: "failed", message: expect.stringContaining(AT_ONCE) });
    }
    expect((await dryRun({ xml: SIGNAL_LOOP, variables: { stop: true } })).outcome).toEqual({ kind: "ended", end: "end" });
  });

  it("refuses the start (503), also when the flow runs into it on a service's answer", async () => {
    const admin = await demoActor("admin");
    await deployDefinition(admin, SIGNAL_LOOP);
    const keys = ["test-signal-loop"];
    // start → notify (a service that writes, answered after the engine call has returned) → the loop.
    for (const [name, step] of [
      ["signal", SIGNAL],
      ["timer", TIMER],
    ]) {
      keys.push(`test-service-${name}-loop`);
      await deployDefinition(admin, afterService(loopDiagram(keys.at(-1)!, "wait", step)));
    }
    for (const key of keys) {
      for (let run = 0; run < 3; run++) {
        const failed = await startProcess(insurer, { key, title: "循环", variables: { stop: false, due: PAST } }).then(
          () => null,
          (error: unknown) => error,
        );
        expect(failed).toMatchObject({ status: 503 });
      }
      expect((await startProcess(insurer, { key, title: "结束", variables: { stop: true, due: PAST } })).status).toBe("completed");
    }
  });
});
