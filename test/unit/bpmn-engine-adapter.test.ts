import { afterEach, describe, expect, it } from "vitest";
import { resetClock, runningFrom, setClock } from "~/server/clock.server";
import {
  armedTimers,
  newEngine,
  onTimerStarted,
  serializeSource,
  stateOnSource,
  storableState,
  waitingActivities,
  type StartedTimer,
} from "~/server/workflow/bpmn-engine-adapter.server";

// What the runtime relies on of bpmn-engine and bpmn-elements beyond their documented API, run on the
// real engine: when an upgrade changes one of these shapes, this fails here instead of timers going
// missing or states failing to recover in production.

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="adapter-defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="adapter" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split" />
    <bpmn:parallelGateway id="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="apply" />
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="past" />
    <bpmn:userTask id="apply" />
    <bpmn:boundaryEvent id="limit" attachedToRef="apply">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:intermediateCatchEvent id="past">
      <bpmn:timerEventDefinition><bpmn:timeDate>2000-01-01T00:00:00Z</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f4" sourceRef="apply" targetRef="done" />
    <bpmn:sequenceFlow id="f5" sourceRef="limit" targetRef="late" />
    <bpmn:sequenceFlow id="f6" sourceRef="past" targetRef="passed" />
    <bpmn:endEvent id="done" />
    <bpmn:endEvent id="late" />
    <bpmn:endEvent id="passed" />
  </bpmn:process>
</bpmn:definitions>`;

async function started() {
  const sourceContext = await serializeSource(XML);
  const engine = newEngine({ name: "adapter", sourceContext, extensions: {}, services: {} });
  const timers: StartedTimer[] = [];
  onTimerStarted(engine, (timer) => timers.push(timer));
  await engine.execute();
  return { sourceContext, engine, timers };
}

describe("the bpmn-engine adapter", () => {
  afterEach(resetClock);

  it("parses a diagram into a source context named by the diagram's definitions id", async () => {
    const context = await serializeSource(XML);
    expect(context.id).toBe("adapter-defs");
  });

  it("tells each timer as it starts, with how it was set and how long it runs", async () => {
    const { timers } = await started();
    const byId = Object.fromEntries(timers.map((t) => [t.id, t]));
    expect(Object.keys(byId).sort()).toEqual(["limit", "past"]);
    expect(byId.limit).toEqual(
      expect.objectContaining({ executionId: expect.any(String), timerType: "timeDuration", timeDuration: "PT1H" }),
    );
    // About an hour: the engine counts it against its own reading of the clock, which a loaded
    // machine may take a moment over either way.
    expect(Math.abs((byId.limit.timeout ?? 0) - 3_600_000)).toBeLessThan(10_000);
    expect(byId.past).toEqual(
      expect.objectContaining({ executionId: expect.any(String), timerType: "timeDate", timeDate: "2000-01-01T00:00:00Z" }),
    );
    expect(byId.past.timeout).toBeLessThanOrEqual(0);
  });

  it("lists the timers still armed, each with its timer event, and not one that fired at once", async () => {
    const { engine, timers } = await started();
    const armed = armedTimers(engine);
    const limit = timers.find((t) => t.id === "limit")!;
    expect(armed).toEqual([{ owner: expect.objectContaining({ id: "limit", executionId: limit.executionId }), delay: expect.any(Number) }]);
    expect(Math.abs(armed[0].delay - 3_600_000)).toBeLessThan(10_000);
    expect(armed[0].owner.timerType).toBe("timeDuration");
  });

  it("judges a date on the platform's clock: one still ahead there is armed, though the machine's clock has passed it", async () => {
    setClock(runningFrom(new Date("1999-12-31T00:00:00Z")));
    const { engine, timers } = await started();
    const past = timers.find((t) => t.id === "past")!;
    expect(Math.abs((past.timeout ?? 0) - 86_400_000)).toBeLessThan(10_000);
    expect(
      armedTimers(engine)
        .map((t) => t.owner.id)
        .sort(),
    ).toEqual(["limit", "past"]);
  });

  it("judges a date on the platform's clock again when the engine is recovered: a deadline still ahead does not fire on resume", async () => {
    setClock(runningFrom(new Date("1999-12-31T00:00:00Z")));
    const { sourceContext, engine } = await started();
    const saved = JSON.parse(JSON.stringify(storableState(await engine.getState()))) as never;
    const next = newEngine({ name: "adapter", sourceContext, extensions: {}, services: {} });
    next.recover(saved);
    const execution = await next.resume();
    // Still waiting at the date (the machine's clock passed it long ago; the platform's has not).
    expect(
      execution
        .getPostponed()
        .map((a: { id: string }) => a.id)
        .sort(),
    ).toEqual(["apply", "limit", "past"]);
    expect(
      armedTimers(next)
        .map((t) => t.owner.id)
        .sort(),
    ).toEqual(["limit", "past"]);
  });

  it("saves a state without the diagram that a new engine given the source context recovers and runs on", async () => {
    const { sourceContext, engine } = await started();
    const full = (await engine.getState()) as unknown as { definitions: { id: string; source?: unknown }[] };
    expect(typeof full.definitions[0].source).toBe("string");
    const saved = storableState(full) as { definitions: { id: string; source?: unknown }[] };
    expect(saved.definitions).toEqual([expect.not.objectContaining({ source: expect.anything() })]);
    expect(saved.definitions[0].id).toBe("adapter-defs");

    const next = newEngine({ name: "adapter", sourceContext, extensions: {}, services: {} });
    next.recover(JSON.parse(JSON.stringify(saved)) as never);
    const execution = await next.resume();
    expect(execution.getPostponed().map((a: { id: string }) => a.id)).toContain("apply");
    // A recovered timer is armed again: the runtime keeps its row only while it is listed here.
    expect(armedTimers(next).map((t) => t.owner.id)).toEqual(["limit"]);
    execution.signal({ id: "apply" });
    expect(next.state).toBe("idle");
    expect(armedTimers(next)).toEqual([]);
  });

  it("finds what waits inside an embedded subprocess and each iteration of a parallel multi-instance task, recovered", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="nested-defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="nested" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="subStart" />
      <bpmn:sequenceFlow id="s1" sourceRef="subStart" targetRef="sign" />
      <bpmn:userTask id="sign">
        <bpmn:multiInstanceLoopCharacteristics camunda:collection="\${environment.variables.orgs}" camunda:elementVariable="org" />
      </bpmn:userTask>
      <bpmn:sequenceFlow id="s2" sourceRef="sign" targetRef="subEnd" />
      <bpmn:endEvent id="subEnd" />
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="limit" attachedToRef="sub"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="done" />
    <bpmn:sequenceFlow id="f3" sourceRef="limit" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>
</bpmn:definitions>`;
    const sourceContext = await serializeSource(xml);
    const first = newEngine({ name: "nested", sourceContext, extensions: {}, services: {} });
    await first.execute({ variables: { orgs: ["A", "B"] } });
    const engine = newEngine({ name: "nested", sourceContext, extensions: {}, services: {} });
    engine.recover(JSON.parse(JSON.stringify(storableState(await first.getState()))) as never);
    const execution = await engine.resume();
    const waiting = waitingActivities(engine);
    const iterations = waiting.filter((a) => a.id === "sign");
    expect(waiting.map((a) => a.id).sort()).toEqual(["limit", "sign", "sign"]);
    expect(iterations.map((a) => [a.index, a.content.org])).toEqual([
      [0, "A"],
      [1, "B"],
    ]);
    expect(iterations[1].executionId).toBe(`${iterations[0].executionId.slice(0, -2)}_1`);
    // Each iteration is signalled by its executionId; the loop's output keeps each one's message.
    execution.signal({ id: "sign", executionId: iterations[1].executionId, ok: "B" });
    expect(
      waitingActivities(engine)
        .filter((a) => a.id === "sign")
        .map((a) => a.content.org),
    ).toEqual(["A"]);
    execution.signal({ id: "sign", executionId: iterations[0].executionId, ok: "A" });
    expect(engine.state).toBe("idle");
  });

  it("recovers a saved state on a newer diagram with the same waiting element, which then runs the newer diagram's flows", async () => {
    const { engine } = await started();
    const saved = JSON.parse(JSON.stringify(storableState(await engine.getState())));
    // The newer version: another definitions id, and a step after apply.
    const newer = XML.replace('id="adapter-defs"', 'id="adapter-defs-2"').replace(
      '<bpmn:sequenceFlow id="f4" sourceRef="apply" targetRef="done" />',
      '<bpmn:sequenceFlow id="f4" sourceRef="apply" targetRef="check" /><bpmn:userTask id="check" /><bpmn:sequenceFlow id="f7" sourceRef="check" targetRef="done" />',
    );
    const sourceContext = await serializeSource(newer);
    expect(stateOnSource({ definitions: [] }, sourceContext)).toBeNull();
    const moved = stateOnSource(saved, sourceContext) as { definitions: { id: string }[] };
    expect(moved.definitions[0].id).toBe("adapter-defs-2");
    const next = newEngine({ name: "adapter", sourceContext, extensions: {}, services: {} });
    next.recover(moved as never);
    const execution = await next.resume();
    expect(execution.getPostponed().map((a: { id: string }) => a.id)).toContain("apply");
    execution.signal({ id: "apply" });
    expect(execution.getPostponed().map((a: { id: string }) => a.id)).toContain("check");
  });
});
