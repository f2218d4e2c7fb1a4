import { beforeAll, expect, it } from "vitest";
import { database } from "~/server/db.server";
import { completeTask, deployBuiltIns } from "~/server/workflow/index.server";
import { useTestDatabase } from "../support/database";
import { startDemoTask } from "../support/workflow";
import { demoActor } from "../support/actors";

useTestDatabase();
beforeAll(() => deployBuiltIns());

/** The statements `work` sends to the database, BEGIN and COMMIT included. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const stop = database().watchStatements((text) => seen.push(text.replace(/\s+/g, " ").slice(0, 160)));
  try {
    await work();
  } finally {
    stop();
  }
  return seen;
}

// docs/decisions/040: a completion locks the instance, reads the task with all the step needs,
// finds whom to tell, and writes everything else in one statement. The definition version and its
// forms never change once deployed: after the first completion of a flow they are not read again.
it("completes a task in 6 statements, BEGIN and COMMIT included, once its flow's definition was read", async () => {
  const insurer = await demoActor("insurer");
  const submission = { subject: "计数", amount: 100 };
  const first = await startDemoTask("语句计数一");
  await completeTask(insurer, first.task.id, { submission });
  const { task } = await startDemoTask("语句计数二");
  const sent = await statementsOf(() => completeTask(insurer, task.id, { submission }));
  expect(sent.map((s) => s.split(" ")[0].toLowerCase())).toEqual(["begin", "select", "select", "select", "with", "commit"]);
});
