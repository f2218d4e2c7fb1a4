import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetClock, runningFrom, setClock } from "~/server/clock.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { formatDue } from "~/shared/time";
import { demoActor } from "../support/actors";
import { claimAwaitingConfirmation } from "../support/claim-progress";
import { claimRow, deliveredProject, ownerReports } from "../support/claims";
import { useTestDatabase } from "../support/database";
import { complete, inspectedWith, insuredProject, photo, riskEventInput, taskAt } from "../support/risk";

// A task's 办理期限 is what its step promises: a risk event's rectification is due on the event's
// 整改期限 (a day), a claim's steps by the limits in its diagram (to the minute), reminders before
// a limit aside. The inbox, the task page and the API say the same, due and overdue alike.

useTestDatabase();
beforeAll(async () => {
  await deployBuiltIns();
});
afterAll(resetClock);

const clockAt = (iso: string) => setClock(runningFrom(new Date(iso)));

describe("a risk event's rectification", () => {
  it("is due on the event's deadline, also when that day had passed as it was raised or sent back", async () => {
    // Early January 2026: a deadline already past on the platform's clock and the machine's.
    clockAt("2026-01-10T02:00:00Z");
    const p = await insuredProject("期限项目");
    const events = await inspectedWith(
      p,
      [riskEventInput({ deadline: "2026-01-06" }), riskEventInput({ deadline: "2026-01-20", location: "屋面" })],
      { inspectedOn: "2026-01-05" },
    );
    const late = await taskAt(events[0].instanceId!, "rectify");
    const onTime = await taskAt(events[1].instanceId!, "rectify");
    // Late from 00:00 Beijing time on the day after the deadline; read as the deadline itself.
    expect(late.dueAt?.toISOString()).toBe("2026-01-06T16:00:00.000Z");
    expect(onTime.dueAt?.toISOString()).toBe("2026-01-20T16:00:00.000Z");
    expect([formatDue(late.dueAt), formatDue(onTime.dueAt)]).toEqual(["2026-01-06", "2026-01-20"]);

    const inbox = await listTasks(p.contractor, { q: "期限项目" });
    expect(inbox.rows.map((t) => [t.id, t.dueAt?.toISOString(), t.overdue])).toEqual([
      [late.id, "2026-01-06T16:00:00.000Z", true],
      [onTime.id, "2026-01-20T16:00:00.000Z", false],
    ]);
    expect((await taskView(p.contractor, late.id)).task).toMatchObject({ dueAt: late.dueAt, overdue: true });

    // Sent back after its deadline, the rectification is still due on it (and late).
    const evidence = await photo(p.contractor, "整改后.png");
    await complete(p.contractor, events[0].instanceId!, "rectify", { rectifiedOn: "2026-01-09", measures: "补设止水钢板", photos: [evidence] });
    await complete(p.tis, events[0].instanceId!, "verify", { decision: "return", reason: "搭接长度不足" });
    const again = await taskAt(events[0].instanceId!, "rectify");
    expect([again.dueAt?.toISOString(), (await listTasks(p.contractor, { q: "期限项目", overdue: "1" })).rows.map((t) => t.id)]).toEqual([
      "2026-01-06T16:00:00.000Z",
      [again.id],
    ]);
  });
});

describe("a claim's steps", () => {
  it("are due by their limits to the minute: 受理 within 24 hours (its 12-hour reminder is not its limit), 验收 within 15 days", async () => {
    clockAt("2026-03-02T01:30:00Z");
    const p = await deliveredProject(["13944440001"]);
    const claim = await ownerReports("13944440001", p.homes[0].id);
    const accept = await taskAt((await claimRow(claim.id)).instanceId!, "accept");
    expect(accept.dueAt!.getTime() - accept.createdAt.getTime()).toBe(24 * 3_600_000);
    expect(formatDue(accept.dueAt)).toMatch(/^2026-03-03 09:3\d$/);

    const waiting = await claimAwaitingConfirmation(p, "13944440001", p.homes[0].id);
    const confirm = await taskAt(waiting.instanceId!, "confirm");
    expect(confirm.dueAt!.getTime() - confirm.createdAt.getTime()).toBe(15 * 86_400_000);
  });

  it("a task without a limit is not overdue (false, never empty) and shows no deadline", async () => {
    // The TIS's standing inspections and reports have no limit.
    const page = await listTasks(await demoActor("tis"), { pageSize: 100 });
    const unlimited = page.rows.filter((t) => !t.dueAt);
    expect(unlimited.length).toBeGreaterThan(0);
    for (const row of unlimited) expect(row.overdue).toBe(false);
    expect(formatDue(null)).toBe("");
  });
});
