import { database, startDatabase, stopDatabase } from "~/server/db.server";
import { completeTask, deployBuiltIns } from "~/server/workflow/index.server";
import { demoActor } from "../../support/actors";
import { copyOfTemplate } from "../../support/template";
import { startDemoTask } from "../../support/workflow";

// Statements per completion, counted as the database receives them (BEGIN and COMMIT included) over
// `count` completions of the demo flow's first task in this process, after one that reads the
// flow's definition; test/flows/completion-statements.test.ts holds the common path to 6.

export async function statementsPerCompletion(count = 50): Promise<{ mean: number; max: number }> {
  const copy = await copyOfTemplate();
  await startDatabase({ url: copy.url, dataDir: copy.pgliteDir, startupTasks: [deployBuiltIns] });
  try {
    const insurer = await demoActor("insurer");
    const submission = { subject: "计数", amount: 100 };
    const tasks = [];
    for (let i = 0; i <= count; i++) tasks.push((await startDemoTask(`计数 ${i}`)).task);
    await completeTask(insurer, tasks[0].id, { submission });
    const counts: number[] = [];
    for (const task of tasks.slice(1)) {
      let n = 0;
      const stop = database().watchStatements(() => n++);
      await completeTask(insurer, task.id, { submission }).finally(stop);
      counts.push(n);
    }
    return { mean: Math.round((counts.reduce((a, b) => a + b, 0) / counts.length) * 10) / 10, max: Math.max(...counts) };
  } finally {
    await stopDatabase();
    await copy.drop();
  }
}
