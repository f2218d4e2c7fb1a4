import { and, asc, eq, isNull, lte, notInArray, or, sql } from "drizzle-orm";
import { processInstances, workflowTimers } from "@db/schema";
import type { Tx } from "@db/client";
import { SYSTEM_ACTOR } from "../auth/actor";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { isTransientConflict } from "../db-errors.server";
import { DomainError } from "../errors.server";
import { logger } from "../logger.server";
import { flowStarterIn } from "./start.server";
import {
  finishSignalledStep,
  incidentMessage,
  lockInstance,
  markIncident,
  recoverEngine,
  stepContext,
  stepTransaction,
} from "./step.server";
import { drive } from "./engine.server";

// Durable timers: rows fired by whichever app process gets to them first. A timer whose step fails
// (for any reason: a service, a refusal, an engine error, the database) waits and is tried again
// later; after its last attempt its instance becomes an incident. Meanwhile it is out of the queue,
// so one bad timer never holds up the others.

/** How often a timer's step is tried before its instance becomes an incident. */
export const TIMER_ATTEMPTS = 3;
/** Wait before the next attempt, after the first and the second failure. */
const BACKOFF_MS = [60_000, 10 * 60_000];
/** Due timers looked at per round; those whose instance another step holds are passed over. */
const CANDIDATES = 20;

type Outcome = "fired" | "failed" | "none";

/**
 * Fires one due timer, if any is left that no other process holds. The instance is locked first
 * (SKIP LOCKED: a busy instance is passed over, never waited for), then the timer: the same order
 * as every other step, so a completion and its own boundary timer cannot deadlock. `passedOver`
 * holds the timers of this round whose transaction failed as a whole: they wait for the next poll.
 */
async function fireNextDueTimer(passedOver: Set<string>): Promise<Outcome> {
  const now = clock.now();
  const candidates = await db()
    .select({ id: workflowTimers.id, instanceId: workflowTimers.instanceId })
    .from(workflowTimers)
    .innerJoin(processInstances, eq(processInstances.id, workflowTimers.instanceId))
    .where(
      and(
        eq(workflowTimers.status, "pending"),
        lte(workflowTimers.dueAt, now),
        or(isNull(workflowTimers.nextAttemptAt), lte(workflowTimers.nextAttemptAt, now)),
        eq(processInstances.status, "running"),
        passedOver.size ? notInArray(workflowTimers.id, [...passedOver]) : undefined,
      ),
    )
    .orderBy(asc(workflowTimers.dueAt))
    .limit(CANDIDATES);
  for (const candidate of candidates) {
    try {
      const outcome = await fireTimer(candidate.id, candidate.instanceId, now);
      if (outcome !== "skipped") return outcome;
    } catch (error) {
      // The transaction failed as a whole (the database aborted it twice, or failed outside the
      // step): the attempt is counted in a transaction of its own, and the round goes on without it.
      passedOver.add(candidate.id);
      await countFailedAttempt(candidate.id, candidate.instanceId, now, error).catch((failure) =>
        logger.error({ err: failure, timerId: candidate.id }, "failed workflow timer attempt not counted"),
      );
      return "failed";
    }
  }
  return "none";
}

/** The instance (locked first) and the timer, while the timer is still pending and due; null when another process has them. */
async function lockDueTimer(tx: Tx, timerId: string, instanceId: string, now: Date) {
  const instance = await lockInstance(tx, instanceId, { skipLocked: true });
  if (!instance || instance.status !== "running") return null;
  const [timer] = await tx
    .select()
    .from(workflowTimers)
    .where(and(eq(workflowTimers.id, timerId), eq(workflowTimers.status, "pending")))
    .for("update");
  if (!timer || timer.dueAt > now || (timer.nextAttemptAt && timer.nextAttemptAt > now)) return null;
  return { instance, timer };
}

async function fireTimer(timerId: string, instanceId: string, now: Date): Promise<Outcome | "skipped"> {
  return stepTransaction(async (tx) => {
    const locked = await lockDueTimer(tx, timerId, instanceId, now);
    if (!locked) return "skipped";
    const { instance, timer } = locked;
    // The step, from loading its diagram on, runs in a savepoint: when it fails, its writes are
    // undone but the instance stays locked while the failed attempt is counted, so no other process
    // tries it again meanwhile.
    try {
      await tx.transaction(async (sp) => {
        const ctx = await stepContext(sp, SYSTEM_ACTOR, instance, flowStarterIn);
        const { step, execution } = await recoverEngine(ctx, instance.state);
        await sp.update(workflowTimers).set({ status: "fired", firedAt: now }).where(eq(workflowTimers.id, timer.id));
        await drive(step, () => execution.cancelActivity({ id: timer.elementId }));
        await finishSignalledStep(ctx, step, instance, {
          action: "timer.fire",
          after: { elementId: timer.elementId, dueAt: timer.dueAt.toISOString(), attempt: timer.attempts + 1 },
        });
      });
      return "fired";
    } catch (error) {
      // A deadlock or serialization abort poisons the whole transaction: retried as a whole.
      if (isTransientConflict(error)) throw error;
      await recordTimerFailure(tx, timer.id, instanceId, error);
      return "failed";
    }
  });
}

async function countFailedAttempt(timerId: string, instanceId: string, now: Date, error: unknown): Promise<void> {
  await stepTransaction(async (tx) => {
    if (await lockDueTimer(tx, timerId, instanceId, now)) await recordTimerFailure(tx, timerId, instanceId, error);
  });
}

/** Counts a failed attempt: the timer waits (backoff), or after its last attempt its instance becomes an incident. */
async function recordTimerFailure(tx: Tx, timerId: string, instanceId: string, error: unknown): Promise<void> {
  // A refusal says what was wrong in its fields; anything else in its (administrators') message.
  const message =
    error instanceof DomainError ? (error.fields ? Object.values(error.fields).join("；") : error.message) : incidentMessage(error);
  logger.warn({ err: error, timerId, instanceId }, "workflow timer failed");
  const [timer] = await tx
    .update(workflowTimers)
    .set({ attempts: sql`${workflowTimers.attempts} + 1`, lastError: message })
    .where(eq(workflowTimers.id, timerId))
    .returning({ attempts: workflowTimers.attempts });
  if (timer.attempts >= TIMER_ATTEMPTS) {
    await markIncident(tx, instanceId, `定时事件执行失败（已尝试${timer.attempts}次）：${message}`, { kind: "timer", timerId });
    return;
  }
  const wait = BACKOFF_MS[Math.min(timer.attempts, BACKOFF_MS.length) - 1];
  await tx
    .update(workflowTimers)
    .set({ nextAttemptAt: new Date(clock.now().getTime() + wait) })
    .where(eq(workflowTimers.id, timerId));
}

/** Fires every due timer, one transaction each. Returns how many fired. */
export async function fireDueTimers(limit = 500): Promise<number> {
  let fired = 0;
  const passedOver = new Set<string>();
  for (let round = 0; round < limit; round++) {
    const outcome = await fireNextDueTimer(passedOver);
    if (outcome === "none") break;
    if (outcome === "fired") fired++;
  }
  return fired;
}
