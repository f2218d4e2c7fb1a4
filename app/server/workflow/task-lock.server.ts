import { eq } from "drizzle-orm";
import { tasks, type ProcessInstance, type Task } from "@db/schema";
import type { Tx } from "@db/client";
import { ConflictError } from "../errors.server";
import { lockInstance } from "./step.server";

/**
 * Locks a task for an operation that changes who holds it or what it waits on (转办, 加签…) in the
 * one lock order (docs/architecture.md rule 7): its instance row first (an ended flow is 409),
 * then the task row. The caller has found the task in the actor's scope; an operation on a task
 * that closed meanwhile is refused here (409).
 */
export async function lockOpenTask(tx: Tx, task: Pick<Task, "id" | "instanceId">): Promise<{ instance: ProcessInstance; task: Task }> {
  const instance = (await lockInstance(tx, task.instanceId))!;
  const [row] = await tx.select().from(tasks).where(eq(tasks.id, task.id)).for("update");
  if (row.status !== "open") throw new ConflictError("该任务已办理或已关闭，请刷新后查看");
  return { instance, task: row };
}
