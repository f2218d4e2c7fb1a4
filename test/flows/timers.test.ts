import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetClock, setClock } from "~/server/clock.server";
import { deployBuiltIns, deployDefinition, fireDueTimers, onEachPoll, startProcess, startScheduler } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { openTasksOf, partiesOf, timersOf } from "../support/workflow";

useTestDatabase();
beforeAll(() => deployBuiltIns());
afterEach(resetClock);

function flow(id: string, timer: string) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="${id}" name="定时流程" isExecutable="true" camunda:candidateStarterGroups="admin">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait" name="等待到期"><bpmn:timerEventDefinition>${timer}</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="revisit" />
    <bpmn:userTask id="revisit" name="复查" camunda:formKey="demo-request" camunda:candidateGroups="tis" />
    <bpmn:sequenceFlow id="f3" sourceRef="revisit" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe("dated timers", () => {
  it("waits until a date taken from the flow's data, years ahead, and then opens the task once", async () => {
    setClock(() => new Date("2026-06-01T00:00:00Z"));
    const admin = await demoActor("admin");
    const tis = await demoActor("tis");
    await deployDefinition(admin, flow("reinspection", "<bpmn:timeDate>${environment.variables.reinspectionDue}</bpmn:timeDate>"));
    // Completion accepted 2026-05-20: re-inspection due 30 days before the second anniversary.
    const instance = await startProcess(admin, {
      key: "reinspection",
      title: "复查",
      parties: partiesOf(tis),
      variables: { reinspectionDue: "2028-04-20T00:00:00+08:00" },
    });
    expect((await timersOf(instance.id)).map((t) => t.dueAt.toISOString())).toEqual(["2028-04-19T16:00:00.000Z"]);
    expect(await openTasksOf(instance.id)).toEqual([]);

    setClock(() => new Date("2028-04-19T15:59:59Z"));
    expect(await fireDueTimers()).toBe(0);
    setClock(() => new Date("2028-04-19T16:00:01Z"));
    expect(await fireDueTimers()).toBe(1);
    expect(await fireDueTimers()).toBe(0);
    expect((await openTasksOf(instance.id)).map((t) => [t.elementId, t.organisationId])).toEqual([["revisit", tis.organisationId]]);
  });

  it("counts a duration from the platform's clock", async () => {
    setClock(() => new Date("2026-01-10T00:00:00Z"));
    const admin = await demoActor("admin");
    await deployDefinition(admin, flow("revisit-after", "<bpmn:timeDuration>P2Y</bpmn:timeDuration>"));
    const instance = await startProcess(admin, {
      key: "revisit-after",
      title: "两年后回访",
    });
    expect((await timersOf(instance.id)).map((t) => t.dueAt.toISOString())).toEqual(["2028-01-10T00:00:00.000Z"]);
  });
});

describe("the scheduler's poll", () => {
  it("fires the due timers, then does what other modules registered for it, one failing job stopping none", async () => {
    setClock(() => new Date("2026-03-01T00:00:00Z"));
    const admin = await demoActor("admin");
    const tis = await demoActor("tis");
    await deployDefinition(admin, flow("polled", "<bpmn:timeDuration>PT1H</bpmn:timeDuration>"));
    const instance = await startProcess(admin, { key: "polled", title: "轮询", parties: partiesOf(tis) });
    const seen: string[] = [];
    const removals = [
      onEachPoll("broken channel", async () => {
        seen.push("broken channel");
        throw new Error("渠道不可用");
      }),
      onEachPoll("after the timers", async () => {
        seen.push(`after the timers: ${(await openTasksOf(instance.id)).map((t) => t.elementId).join()}`);
      }),
    ];

    setClock(() => new Date("2026-03-01T01:00:01Z"));
    // Its first poll runs at once; stopping waits for it.
    await startScheduler(60_000).stop();
    for (const remove of removals) remove();
    expect(seen).toEqual(["broken channel", "after the timers: revisit"]);
  });
});
