import { describe, expect, it } from "vitest";
import { returnedElements } from "~/server/workflow/views.server";

// The diagram's 被退回 marker: which steps' latest work was sent back, from the instance's task rows.

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
