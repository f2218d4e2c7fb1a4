import { and, eq, inArray } from "drizzle-orm";
import { comments, taskDrafts, taskSigns, type Task } from "@db/schema";
import type { Executor } from "@db/client";
import type { Actor } from "../auth/actor";
import { db } from "../db.server";
import { recallRefusal, recallTask, type TouchedCheck } from "../workflow/index.server";

// 撤回 of a completed step, as users reach it: the runtime restores the flow (workflow/recall.server.ts);
// this module says what people did with the next step's tasks that would be lost (docs/decisions/038).

/** A draft typed into a task the completion opened, a comment or a 加签 on it: someone has begun on it. */
const touchedByPeople: TouchedCheck = async (ex: Executor, opened: Task[]) => {
  if (!opened.length) return null;
  const ids = opened.map((t) => t.id);
  const [draft] = await ex.select({ taskId: taskDrafts.taskId }).from(taskDrafts).where(inArray(taskDrafts.taskId, ids)).limit(1);
  if (draft) return `下一步“${opened.find((t) => t.id === draft.taskId)!.name}”已有人开始填写，不能撤回`;
  const [remark] = await ex
    .select({ taskId: comments.subjectId })
    .from(comments)
    .where(and(eq(comments.subjectType, "task"), inArray(comments.subjectId, ids)))
    .limit(1);
  if (remark) return `下一步“${opened.find((t) => t.id === remark.taskId)!.name}”已有评论，不能撤回`;
  const [sign] = await ex.select({ taskId: taskSigns.taskId }).from(taskSigns).where(inArray(taskSigns.taskId, ids)).limit(1);
  if (sign) return `下一步“${opened.find((t) => t.id === sign.taskId)!.name}”已有加签，不能撤回`;
  return null;
};

/** 撤回: the completer takes back their completed step (404 outside scope, 403 someone else's, 409 too late). */
export function recallStep(actor: Actor, taskId: string): Promise<Task> {
  return recallTask(actor, taskId, touchedByPeople);
}

/**
 * What the task page offers its completer: 撤回 (refusal null), or why not. Nothing for anyone else
 * or a task that is not completed.
 */
export async function recallOffer(actor: Actor, task: Task): Promise<{ refusal: string | null } | null> {
  if (task.status !== "completed" || !actor.userId || task.completedBy !== actor.userId) return null;
  return { refusal: await recallRefusal(db(), actor, task, touchedByPeople) };
}
