import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { comments } from "@db/schema";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { parseInput, requiredString } from "../validation.server";
import { getTask } from "../workflow/index.server";

const commentSchema = z.object({
  body: requiredString("请输入评论内容").trim().min(1, "请输入评论内容").max(1000, "评论不能超过1000个字"),
});

/** A remark on a task by anyone who may see it (the regulator, the parties), kept with the task. */
export async function commentOnTask(actor: Actor, taskId: string, input: unknown) {
  const { body } = parseInput(commentSchema, input);
  const task = await getTask(actor, taskId);
  return db().transaction(async (tx) => {
    const [created] = await tx
      .insert(comments)
      .values({
        subjectType: "task",
        subjectId: task.id,
        authorId: actor.userId!,
        authorName: actor.displayName,
        organisationId: actor.organisationId,
        body,
        createdAt: clock.now(),
      })
      .returning();
    await recordAudit(tx, actor, { action: "comment.create", subjectType: "task", subjectId: task.id, after: { body } });
    return created;
  });
}

export async function commentsOnTask(taskId: string) {
  return db()
    .select({ id: comments.id, authorName: comments.authorName, body: comments.body, createdAt: comments.createdAt })
    .from(comments)
    .where(and(eq(comments.subjectType, "task"), eq(comments.subjectId, taskId)))
    .orderBy(asc(comments.createdAt));
}
