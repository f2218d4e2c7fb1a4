import { and, eq, inArray } from "drizzle-orm";
import { taskDrafts, tasks, type Task } from "@db/schema";
import type { Tx } from "@db/client";
import type { Actor } from "../auth/actor";
import { isApiKeyActorId } from "../auth/api-keys.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.server";
import { immediateWrites, type Writes } from "../writes.server";
import { canAct, getTask } from "../workflow/index.server";

// Drafts (草稿): what a user typed into an open task's form, kept on the server per task and user
// so a reload or another device finds it again. A draft is nobody's business but its author's: it
// changes no business state, so saving one (every second while typing) writes no audit event, and
// only its author ever reads it. Drafts go when their task closes: discardDraftsOf runs in the step
// that closes it (the runtime's onTasksClosed, wired in composition.server.ts).

/** The most a draft may hold, serialized: far above the longest form, far below a runaway client. */
export const MAX_DRAFT_BYTES = 256 * 1024;

export interface Draft {
  values: Record<string, unknown>;
  savedAt: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

/**
 * Keeps what the actor has typed into a task's form, replacing their earlier draft of it. Only for
 * an open task they may do: outside their scope 404, someone else's 403 (409 once another claimed
 * it), a closed one 409.
 */
export async function saveDraft(actor: Actor, taskId: string, values: unknown): Promise<{ savedAt: string }> {
  const visible = await getTask(actor, taskId);
  if (!isPlainObject(values)) throw new ValidationError({ values: "草稿的数据格式不正确" }, "草稿的数据格式不正确");
  if (Buffer.byteLength(JSON.stringify(values), "utf8") > MAX_DRAFT_BYTES) {
    const message = `草稿内容超过 ${MAX_DRAFT_BYTES / 1024}KB，无法自动保存，请尽快提交`;
    throw new ValidationError({ values: message }, message);
  }
  const now = clock.now();
  await db().transaction(async (tx) => {
    // Shared with other drafts, exclusive with the step that closes the task: a draft saved while
    // the task is being completed waits for it, then finds it closed, so none outlives its task.
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, visible.id)).for("share");
    assertDraftable(actor, task);
    await tx
      .insert(taskDrafts)
      .values({ taskId: task.id, userId: authorOf(actor)!, values, formVersion: task.formVersion, updatedAt: now })
      .onConflictDoUpdate({
        target: [taskDrafts.taskId, taskDrafts.userId],
        set: { values, formVersion: task.formVersion, updatedAt: now },
      });
  });
  return { savedAt: now.toISOString() };
}

/** A person's own draft: an organisation's API key or the platform itself keeps none. */
function authorOf(actor: Actor): string | null {
  return actor.userId && !isApiKeyActorId(actor.userId) ? actor.userId : null;
}

function assertDraftable(actor: Actor, task: Task): void {
  if (task.status !== "open")
    throw new ConflictError(
      task.status === "completed" ? "该任务已办理，草稿不再保存" : "该任务已关闭（流程已撤回或已结束），草稿不再保存",
    );
  if (!authorOf(actor) || !canAct(actor, task)) {
    if (task.assigneeId && task.assigneeId !== actor.userId) throw new ConflictError("该任务已由他人认领，草稿不再保存");
    throw new ForbiddenError("您不是该任务的办理人");
  }
}

/** The actor's own draft of a task they may still do, if it was typed into the form version the task shows. */
export async function loadDraft(actor: Actor, task: Task): Promise<Draft | null> {
  const author = authorOf(actor);
  if (!author || task.status !== "open" || !canAct(actor, task)) return null;
  const [draft] = await db()
    .select()
    .from(taskDrafts)
    .where(and(eq(taskDrafts.taskId, task.id), eq(taskDrafts.userId, author)));
  if (!draft || draft.formVersion !== task.formVersion) return null;
  return { values: draft.values, savedAt: draft.updatedAt.toISOString() };
}

/** 放弃草稿: the actor's draft of a task they see is dropped (nothing to drop is fine too). */
export async function discardDraft(actor: Actor, taskId: string): Promise<void> {
  const task = await getTask(actor, taskId);
  const author = authorOf(actor);
  if (!author) return;
  await db()
    .delete(taskDrafts)
    .where(and(eq(taskDrafts.taskId, task.id), eq(taskDrafts.userId, author)));
}

/**
 * Drops every user's draft of tasks a step closed (completed, with its submission saved, or
 * cancelled by the flow), in that step: only those rows, not the instance's whole history.
 */
export async function discardDraftsOf(tx: Tx, taskIds: string[], writes: Writes = immediateWrites): Promise<void> {
  if (taskIds.length) await writes.add(tx.delete(taskDrafts).where(inArray(taskDrafts.taskId, taskIds)));
}
