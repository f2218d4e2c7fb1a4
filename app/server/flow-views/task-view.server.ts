import { eq } from "drizzle-orm";
import { users } from "@db/schema";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { formSchema, type FormSchema } from "../forms/registry.server";
import { commentsOnTask } from "../tasks/comments.server";
import { loadDraft } from "../tasks/drafts.server";
import { urgesOf } from "../tasks/urge.server";
import { stepWaitingOn } from "../tasks/open-steps.server";
import { copyTargets } from "../tasks/copy.server";
import { recallOffer } from "../tasks/recall.server";
import { transferCandidates } from "../tasks/transfer.server";
import { returnedSign, signHold, signTargets, signsOfTask, type SignTarget } from "../tasks/sign.server";
import { canAct, flowFacts, getTask } from "../workflow/index.server";
import { loadInstanceView, sentBack } from "./instance-view.server";
import { prefilledValues } from "./prefill.server";

/** A task page: the task, its form, what the actor may do with it, and its instance. */
export async function taskView(actor: Actor, taskId: string) {
  const task = await getTask(actor, taskId);
  // What the page reads of the task, its flow and its people, at once: each is a query of its own.
  const [{ view, taskRows }, [assignee], schema, remarks, urges, draft, signs, transferTo, copyTo, recall, waitingOn] = await Promise.all([
    loadInstanceView(actor, task.instanceId),
    task.assigneeId ? db().select({ name: users.displayName }).from(users).where(eq(users.id, task.assigneeId)) : [],
    formSchema(task.formKey, task.formVersion) as Promise<FormSchema | undefined>,
    commentsOnTask(task.id),
    urgesOf({ taskId: task.id }),
    // What the actor typed here and has not submitted: the page opens with it instead of the stored values.
    loadDraft(actor, task),
    // 加签: the task's signs; an open 后加签 shows the kept submission, a returned one opens the form with it.
    signsOfTask(task.id),
    transferCandidates(actor, task),
    copyTargets(actor, task),
    recallOffer(actor, task),
    task.status === "open" ? stepWaitingOn(actor, task) : null,
  ]);
  // The instance's completed steps, oldest first.
  const done =
    task.status === "open"
      ? taskRows.filter((t) => t.status === "completed").sort((a, b) => a.completedAt!.getTime() - b.completedAt!.getTime())
      : [];
  // A step sent back opens with what was submitted there last time (to correct it), and with who
  // sent it back and why. A step reached again going forwards (the review of a corrected request)
  // or one that simply repeats opens empty: its last decision is not this round's.
  const returnedBy = task.status === "open" ? sentBack(taskRows).get(task.elementId) : undefined;
  const previous = returnedBy ? done.filter((t) => t.elementId === task.elementId).at(-1) : undefined;
  const keptForSign = task.status === "open" ? signs.find((s) => s.kind === "after" && s.status === "open") : undefined;
  const [facts, signReturned, signTo, returnedSchema] = await Promise.all([
    // What the flow's business object holds that the form's rules compare with (the claim's report date).
    task.status === "open" ? flowFacts(db(), view.instance.businessType, view.instance.businessKey) : {},
    task.status === "open" && !keptForSign ? returnedSign(task.id) : null,
    keptForSign ? ([] as SignTarget[]) : signTargets(actor, task),
    returnedBy ? formSchema(returnedBy.formKey, returnedBy.formVersion) : undefined,
  ]);
  // Otherwise it opens with what earlier steps hold of the fields that ask for it (drafts still win, on the page).
  const prefilled = task.status === "open" && !previous && schema ? await prefilledValues(schema, done, facts) : null;
  const hold = task.status === "open" ? signHold(signs) : null;
  return {
    returned: returnedBy
      ? {
          name: returnedBy.name,
          by: returnedBy.completedByName,
          at: returnedBy.completedAt,
          comment: returnedBy.comment,
          submission: returnedBy.submission as Record<string, unknown> | null,
          schema: returnedSchema ?? null,
        }
      : null,
    task: {
      id: task.id,
      name: task.name,
      status: task.status,
      formKey: task.formKey,
      createdAt: task.createdAt,
      dueAt: task.dueAt,
      // On the platform's clock, as the inbox and the API tell it.
      overdue: task.status === "open" && !!task.dueAt && task.dueAt < clock.now(),
      completedAt: task.completedAt,
      completedByName: task.completedByName,
      submission: (task.submission ?? keptForSign?.submission ?? signReturned?.submission ?? previous?.submission ?? prefilled) as Record<
        string,
        unknown
      > | null,
      comment: task.comment,
      assigneeName: assignee?.name ?? null,
      claimedByMe: !!task.assigneeId && task.assigneeId === actor.userId,
    },
    schema: schema ?? null,
    facts,
    draft,
    comments: remarks,
    /** Who urged this task, when, and what they said: the urged party reads it here. */
    urges,
    canComplete: task.status === "open" && canAct(actor, task),
    /** 加签: the task's signs (who was asked, how, their opinion). */
    signs: signs.map(({ submission: _kept, ...s }) => s),
    /** Why the holder cannot submit now (an open sign), or null. */
    signHold: hold,
    /** A 后加签 waits: no further 加签 (前加签 stay possible while only 前加签 are open). */
    signAfterWaits: !!keptForSign,
    /** A returned 后加签: who returned it and why (the form opens with the kept submission). */
    signReturned: signReturned ? { by: signReturned.answeredByName, opinion: signReturned.opinion, comment: signReturned.comment } : null,
    /** Whom the actor may ask to sign (none when they may not do the task, or while a 后加签 waits). */
    signTo,
    canClaim: task.status === "open" && !task.assigneeId && canAct(actor, task),
    canUrge: task.status === "open" && !canAct(actor, task),
    /** 转办: the colleagues the actor may hand the task to (none when they may not do it). */
    transferTo,
    /** 抄送: the organisations the actor may copy the flow to (none when they may not do the task). */
    copyTo,
    /** 撤回: offered to whoever completed the task (refusal null), or why it is too late. */
    recall,
    /** Whom the open task waits on, and when the viewer's organisation last urged it. */
    waitingOn,
    ...view,
    // The steps before this one: the task's own submission is its form.
    completedSteps: view.completedSteps.filter((s) => s.taskId !== task.id),
  };
}
