import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { taskDrafts, tasks } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { saveDraft } from "~/server/tasks/drafts.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { completeTask, deployBuiltIns, deployDefinition, fireDueTimers, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { instanceRow, openTasksOf, partiesOf, theOpenTask, timersOf } from "../support/workflow";

// User tasks inside an embedded subprocess: task rows for their organisations, due by their own
// limit or the subprocess's, durable timers for both, and the subprocess's limit cancelling them.

useTestDatabase();
afterEach(resetClock);

const XML = readFileSync("test/flows/diagrams/rectification-subprocess.bpmn", "utf8");
const T0 = new Date("2026-07-01T00:00:00Z");
const at = (days: number, seconds = 0) => new Date(T0.getTime() + days * 86_400_000 + seconds * 1000);
const REQUEST = { subject: "整改完成", amount: 1 };
const APPROVE = { decision: "approve" };

let insurer: Actor;
let tis: Actor;
let regulator: Actor;
beforeAll(async () => {
  await deployBuiltIns();
  await deployDefinition(await demoActor("admin"), XML);
  insurer = await demoActor("insurer");
  tis = await demoActor("tis");
  regulator = await demoActor("regulator");
});

async function started(title: string) {
  setClock(() => T0);
  return startProcess(insurer, { key: "test-rectification", title, parties: partiesOf(insurer, tis) });
}

const pending = async (instanceId: string) =>
  (await timersOf(instanceId))
    .filter((t) => t.status === "pending")
    .map((t) => [t.elementId, t.dueAt.toISOString()])
    .sort();

const fired = async (instanceId: string) => (await timersOf(instanceId)).filter((t) => t.status === "fired").map((t) => t.elementId);

describe("user tasks inside an embedded subprocess", () => {
  it("open for their parties, due by the nearer of their own limit and the subprocess's, and the flow goes on", async () => {
    const instance = await started("子流程中的任务");
    const fix = await theOpenTask(instance.id);
    expect(fix).toMatchObject({ elementId: "fix", organisationId: tis.organisationId, dueAt: at(2) });
    expect(await pending(instance.id)).toEqual([
      ["fixLimit", at(2).toISOString()],
      ["rectifyLimit", at(5).toISOString()],
    ]);
    expect((await listTasks(tis, { q: "子流程中的任务" })).rows.map((r) => r.name)).toEqual(["提交整改"]);

    setClock(() => at(1));
    await completeTask(tis, fix.id, { submission: REQUEST });
    // The next task inside is due when the subprocess's limit, set four steps ago, falls due.
    const check = await theOpenTask(instance.id);
    expect(check).toMatchObject({ elementId: "check", organisationId: insurer.organisationId, dueAt: at(5) });
    expect(await pending(instance.id)).toEqual([["rectifyLimit", at(5).toISOString()]]);
    await completeTask(insurer, check.id, { submission: APPROVE });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "completed" });
    expect(await pending(instance.id)).toEqual([]);
  });

  it("hands an inner task to the regulator when its own limit passes, still inside the subprocess", async () => {
    const instance = await started("内部期限到期");
    setClock(() => at(2, 1));
    expect(await fireDueTimers()).toBe(1);
    const escalate = await theOpenTask(instance.id);
    expect(escalate).toMatchObject({ elementId: "escalate", organisationId: null, dueAt: at(5) });
    const [fix] = await db()
      .select()
      .from(tasks)
      .where(and(eq(tasks.instanceId, instance.id), eq(tasks.elementId, "fix")));
    expect(fix.status).toBe("cancelled");
    await completeTask(regulator, escalate.id, { submission: APPROVE });
    expect((await theOpenTask(instance.id)).elementId).toBe("check");
  });

  it("is interrupted by its own limit: the inner task is cancelled with its draft, and the delay is handled outside", async () => {
    const instance = await started("整改总期限到期");
    setClock(() => at(1));
    await completeTask(tis, (await theOpenTask(instance.id)).id, { submission: REQUEST });
    const check = await theOpenTask(instance.id);
    await saveDraft(insurer, check.id, { decision: "approve" });

    setClock(() => at(4, 86_399));
    await fireDueTimers();
    expect(await fired(instance.id)).toEqual([]);
    setClock(() => at(5, 1));
    await fireDueTimers();
    expect(await fireDueTimers()).toBe(0);
    expect(await fired(instance.id)).toEqual(["rectifyLimit"]);
    const late = await theOpenTask(instance.id);
    expect(late).toMatchObject({ elementId: "late", organisationId: null, dueAt: null });
    const [closed] = await db().select().from(tasks).where(eq(tasks.id, check.id));
    expect(closed.status).toBe("cancelled");
    expect(await db().select().from(taskDrafts).where(eq(taskDrafts.taskId, check.id))).toEqual([]);
    await expect(completeTask(insurer, check.id, { submission: APPROVE })).rejects.toMatchObject({ status: 409 });
    expect((await listTasks(insurer, { q: "整改总期限到期" })).rows).toEqual([]);
    expect(await pending(instance.id)).toEqual([]);
    await completeTask(regulator, late.id, { submission: APPROVE });
    expect(await instanceRow(instance.id)).toMatchObject({ status: "completed" });
    expect(await openTasksOf(instance.id)).toEqual([]);
  });
});
