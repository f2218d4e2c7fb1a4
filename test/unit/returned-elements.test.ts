import { describe, expect, it } from "vitest";
import { returnedElements, sentBack } from "~/server/flow-views/instance-view.server";

// Which steps' latest work was sent back, and by which step, from the instance's task rows: the
// diagram's 被退回 marker and the return reason a step's page shows.

let clock = 0;
type Row = { elementId: string; status: "open" | "completed" | "cancelled"; createdAt: Date; completedAt: Date | null };
/** Runs steps one after the other, each opening when the previous one is done (the same instant, as one transaction does). */
function run(...steps: string[]): Row[] {
  clock = 0;
  return steps.map((elementId, i) => {
    const createdAt = new Date(clock);
    const last = i === steps.length - 1;
    if (!last) clock += 1000;
    return { elementId, status: last ? "open" : "completed", createdAt, completedAt: last ? null : new Date(clock) };
  });
}

describe("returnedElements", () => {
  it("marks nothing on a flow going forwards", () => {
    expect(returnedElements(run("request", "review"))).toEqual([]);
  });

  it("marks the request the review returned, not the review", () => {
    expect(returnedElements(run("request", "review", "request"))).toEqual(["request"]);
  });

  it("marks every step the return undid until it is done again", () => {
    expect(returnedElements(run("registration", "policy", "confirmation", "registration"))).toEqual(["registration", "policy"]);
    expect(returnedElements(run("registration", "policy", "confirmation", "registration", "policy"))).toEqual(["policy"]);
    expect(returnedElements(run("registration", "policy", "confirmation", "registration", "policy", "confirmation"))).toEqual([]);
  });

  it("does not mark a step that simply repeats", () => {
    expect(returnedElements(run("inspection", "inspection", "inspection"))).toEqual([]);
  });
});

describe("sentBack", () => {
  const byWhom = (rows: Row[]) => Object.fromEntries([...sentBack(rows)].map(([step, by]) => [step, by.elementId]));

  it("names the review that returned the request", () => {
    expect(byWhom(run("request", "review", "request"))).toEqual({ request: "review" });
  });

  it("names the same review on every step the return undid, while it is not done again", () => {
    expect(byWhom(run("registration", "policy", "confirmation", "registration"))).toEqual({
      registration: "confirmation",
      policy: "confirmation",
    });
    // The policy step, reached again after the registration was redone, still shows the regulator's return.
    expect(byWhom(run("registration", "policy", "confirmation", "registration", "policy"))).toEqual({ policy: "confirmation" });
  });

  it("names the later review when a corrected request is returned again", () => {
    const rows = run("request", "review", "request", "review", "request");
    const by = sentBack(rows).get("request")!;
    expect(by).toBe(rows[3]);
  });
});
