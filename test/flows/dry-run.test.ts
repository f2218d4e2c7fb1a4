import { readFileSync } from "node:fs";
import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, processInstances, tasks, workflowTimers } from "@db/schema";
import { setClock, resetClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { deployBuiltIns, dryRun, DryRunRefused } from "~/server/workflow/index.server";
import { loopDiagram, smallDiagram } from "../support/diagrams";
import { useTestDatabase } from "../support/database";

useTestDatabase();
beforeAll(() => deployBuiltIns());

const demo = readFileSync("processes/demo-approval.bpmn", "utf8");
const request = { subject: "采购", amount: 100 };

/** Rows of every table a real run writes: a dry run must leave them all as they were. */
async function written() {
  const rows = await Promise.all(
    [processInstances, tasks, workflowTimers, notifications, auditEvents].map(
      async (t) => (await db().select({ n: count() }).from(t))[0].n,
    ),
  );
  return rows;
}

describe("a dry run of a diagram not deployed", () => {
  it("follows the samples through the gateway to the end, and writes nothing", async () => {
    const before = await written();
    const result = await dryRun({
      xml: demo,
      submissions: {
        request: [request, { ...request, subject: "采购（改）" }],
        review: [{ decision: "return", reason: "金额不清" }, { decision: "approve" }],
      },
    });
    expect(result.outcome).toEqual({ kind: "ended", end: "done" });
    // Sent back once: the request opened twice, and the path took the 退回 flow.
    expect(result.steps.filter((s) => s.kind === "task").map((s) => s.elementId)).toEqual(["request", "review", "request", "review"]);
    expect(result.path.flows).toEqual(expect.arrayContaining(["toRequest", "toReview", "returned", "approved"]));
    expect(result.path.elements).toEqual(expect.arrayContaining(["start", "request", "review", "decision", "done"]));
    expect(result.steps.find((s) => s.kind === "submit" && s.elementId === "review")).toMatchObject({
      name: "住建局审核",
      submission: { decision: "return", reason: "金额不清" },
    });
    expect(await written()).toEqual(before);
  });

  it("says where it waits, with the tasks and timers it would create and their due times", async () => {
    setClock(() => new Date("2026-12-01T02:00:00Z"));
    try {
      const result = await dryRun({ xml: demo, submissions: { request: [request] } });
      expect(result.outcome).toEqual({ kind: "waiting", tasks: ["review"], timers: ["reviewReminder"] });
      expect(result.steps).toContainEqual({
        kind: "task",
        elementId: "review",
        name: "住建局审核",
        formKey: "demo-review",
        candidateRoles: ["regulator"],
        // Its boundary timer (not marked as a reminder) is its limit, five days on.
        dueAt: "2026-12-06T02:00:00.000Z",
      });
      expect(result.steps).toContainEqual({ kind: "timer", elementId: "reviewReminder", dueAt: "2026-12-06T02:00:00.000Z" });
    } finally {
      resetClock();
    }
  });

  it("fires a timer it is told to, and a service task answers with its sample instead of running", async () => {
    const before = await written();
    const result = await dryRun({
      xml: demo,
      submissions: { request: [request] },
      fireTimers: ["reviewReminder"],
      serviceResults: { remind: { notified: 3 } },
    });
    expect(result.steps).toContainEqual({ kind: "timerFired", elementId: "reviewReminder" });
    expect(result.steps).toContainEqual({
      kind: "service",
      elementId: "remind",
      service: "notify",
      label: "通知角色",
      answer: { notified: 3 },
    });
    // The reminder does not interrupt the review: the run still waits there.
    expect(result.outcome).toMatchObject({ kind: "waiting", tasks: ["review"] });
    expect(result.path.elements).toEqual(expect.arrayContaining(["reviewReminder", "remind", "remindEnd"]));
    expect(await written()).toEqual(before);
  });

  it("checks each sample against its form, as a real submission is, and stops there", async () => {
    const result = await dryRun({ xml: demo, submissions: { request: [{ subject: "", amount: -1 }] } });
    expect(result.outcome).toEqual({ kind: "refused", elementId: "request" });
    const refused = result.steps.find((s) => s.kind === "refused");
    expect(refused).toMatchObject({ name: "提交申请", fields: { subject: expect.any(String), amount: "金额不能为负数" } });
  });

  it("ends a loop the samples never leave at its step limit", async () => {
    const result = await dryRun({
      xml: demo,
      submissions: {
        request: Array.from({ length: 300 }, () => request),
        review: Array.from({ length: 300 }, () => ({ decision: "return", reason: "再改" })),
      },
    });
    expect(result.outcome).toEqual({ kind: "stepLimit" });
  });

  it("runs only what could be deployed: the deploy check's problems come back", async () => {
    const scripted = demo.replace(
      '<bpmn:serviceTask id="remind" name="提醒审核人" implementation="${environment.services.notify}">',
      '<bpmn:serviceTask id="remind" name="提醒审核人" implementation="${environment.services.launchMissiles}">',
    );
    const refusal = await dryRun({ xml: scripted }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DryRunRefused);
    expect((refusal as DryRunRefused).problems).toContainEqual({ elementId: "remind", message: expect.stringContaining("launchMissiles") });
  });
});

describe("timers a run could never work out", () => {
  const withTimer = (kind: string, value: string) =>
    smallDiagram(`<bpmn:userTask id="task" name="填写" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
    <bpmn:boundaryEvent id="limit" cancelActivity="false" attachedToRef="task"><bpmn:timerEventDefinition><bpmn:${kind} xsi:type="bpmn:tFormalExpression">${value}</bpmn:${kind}></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f9" sourceRef="limit" targetRef="limitEnd" /><bpmn:endEvent id="limitEnd" name="超时" />`);

  it("are refused at deploy: a repetition of a zero interval, a zero duration, a date past a century", async () => {
    for (const [kind, value, says] of [
      ["timeCycle", "R/PT0S", "重复间隔为0"],
      ["timeDuration", "P0D", "时长“P0D”为0"],
      ["timeDuration", "PT0S", "时长“PT0S”为0"],
      ["timeCycle", "R/P0D", "重复间隔为0"],
      ["timeDuration", "P999999999Y", "超出100年"],
      ["timeDate", "2999-01-01T00:00:00+08:00", "超出100年"],
    ]) {
      const refusal = await dryRun({ xml: withTimer(kind, value) }).catch((error: unknown) => error);
      expect(refusal, value).toBeInstanceOf(DryRunRefused);
      expect((refusal as DryRunRefused).problems, value).toContainEqual({ elementId: "limit", message: expect.stringContaining(says) });
    }
  });

  it("taken from the flow's data, fail the step with the reason instead of holding the server", async () => {
    const result = await dryRun({ xml: withTimer("timeCycle", "${environment.variables.every}"), variables: { every: "R/PT0S" } });
    expect(result.outcome).toEqual({ kind: "failed", message: expect.stringContaining("重复间隔为0") });
    const fine = await dryRun({ xml: withTimer("timeCycle", "${environment.variables.every}"), variables: { every: "R3/PT1H" } });
    expect(fine.outcome).toMatchObject({ kind: "waiting", tasks: ["task"], timers: ["limit"] });
  });
});

describe("a loop with nothing to wait on", () => {
  const looping = loopDiagram(
    "service-loop",
    "tell",
    `<bpmn:serviceTask id="tell" name="通知" implementation="\${environment.services.notify}" />`,
  );

  it("fails its step with the reason instead of running for ever", async () => {
    const result = await dryRun({ xml: looping, variables: { stop: false } });
    expect(result.outcome).toEqual({ kind: "failed", message: expect.stringContaining("不经过任何等待环节的循环") });
    expect((await dryRun({ xml: looping, variables: { stop: true } })).outcome).toEqual({ kind: "ended", end: "end" });
  });
  it("is refused when the loop runs through gateways only (the engine would recurse out of stack)", async () => {
    const gateways = loopDiagram("service-loop", "tell", `<bpmn:exclusiveGateway id="tell" default="back" />`);
    await expect(dryRun({ xml: gateways, variables: { stop: false } })).rejects.toMatchObject({
      problems: expect.arrayContaining([{ elementId: "again", message: expect.stringContaining("只由网关组成的循环") }]),
    });
  });
});
