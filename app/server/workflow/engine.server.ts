import { ISOInterval, getDate } from "@0dep/piso";
import type { Engine } from "bpmn-engine";
import {
  armedTimers,
  newEngine,
  onTimerStarted,
  runCamundaExpression,
  serializeSource,
  type SourceContext,
  type StartedTimer,
} from "./bpmn-engine-adapter.server";
import { CONDITION_HELPERS } from "~/shared/safe-expressions";

/** The state as a step stores it (what the bench's engine floor measures too). */
export { storableState } from "./bpmn-engine-adapter.server";
import { versionCache } from "./version-cache.server";

// One engine per step: created or recovered from the instance row, run to its next waits,
// serialised, dropped. It never arms a real timer (the durable timer rows do that) and it cannot
// run scripts.

export interface EngineStep {
  engine: Engine;
  /** Service calls still running; the step is over when none is left and the engine waits. */
  pending: Promise<unknown>[];
  failure: Error | null;
  /** The end events reached during this step, in order (their names tell how a flow ended). */
  endsReached: { id: string; name: string | null }[];
  /**
   * Every timer started during this step, by its executionId, with those the engine fired at once
   * because their date had passed (no row is armed for those): a new task's due comes from them.
   */
  timersStarted: Map<string, PendingTimer>;
  /** The service tasks called during this step, in order (a step that ran one cannot be taken back: 撤回). */
  servicesRun: string[];
  /** While an engine call (`drive`) runs, until its promise settles: what the engine throws comes back to it. */
  inEngineCall: boolean;
}

/** Runs a named service for a service task; `output` is the flow's submissions so far, by task id. */
export type ServiceInvoker = (name: string, elementId: string, output: Record<string, unknown>) => Promise<unknown>;

// Each user task's submission becomes environment.output[<task id>], for gateway conditions and
// services (a service task's result is recorded by its call, below); a 会签/或签 task's is the list
// of its iterations' submissions, in the order of its collection (null for an iteration the flow
// closed unanswered). A message a catch event received is environment.output[<event id>]: the
// variables it was sent with (POST /api/v1/instances/{id}/messages/{name}).
function recordUserTaskOutput(activity: {
  type: string;
  id: string;
  eventDefinitions?: { type: string }[];
  environment: { output: Record<string, unknown> };
  on: (e: string, fn: (api: { content: { output?: unknown } }) => void) => void;
}) {
  const catches = activity.type === "bpmn:IntermediateCatchEvent" || activity.type === "bpmn:BoundaryEvent";
  if (catches && activity.eventDefinitions?.some((d) => d.type === "bpmn:MessageEventDefinition")) {
    activity.on("end", (api) => {
      const { id: _message, ...variables } = (api.content.output ?? {}) as Record<string, unknown>;
      activity.environment.output[activity.id] = variables;
    });
    return;
  }
  if (activity.type !== "bpmn:UserTask") return;
  activity.on("end", (api) => {
    activity.environment.output[activity.id] = api.content.output ?? {};
  });
}

const sourceContexts = versionCache<SourceContext>();

/**
 * The parsed diagram of a definition version. Versions never change, so every step of every
 * instance shares one; the instance's saved state leaves it out (see `storableState`) and a step
 * hands it back to the engine, instead of parsing XML or a 6–20 kB copy inside each state.
 */
export function sourceContextOf(definitionId: string, xml: string): Promise<SourceContext> {
  return sourceContexts(definitionId, () => serializeSource(xml));
}

export function createEngine(name: string, invoke: ServiceInvoker, services: readonly string[], source: SourceContext): EngineStep {
  const step: EngineStep = {
    engine: undefined as never,
    pending: [],
    failure: null,
    endsReached: [],
    timersStarted: new Map(),
    servicesRun: [],
    inEngineCall: false,
  };
  const callable: Record<string, unknown> = { ...CONDITION_HELPERS };
  for (const service of services) {
    // Called with the service task's execution scope (its environment holds the flow's output) and a callback.
    callable[service] = (
      scope: { environment: { output: Record<string, unknown> }; content: { id: string } },
      next: (err: Error | null, out?: unknown) => void,
    ) => {
      const output = scope.environment.output;
      step.servicesRun.push(scope.content.id);
      const call = invoke(service, scope.content.id, output).then(
        (out) => {
          // A service's result is the flow's data too, before the flow moves on: a later timer or
          // gateway reads it as environment.output.<service task id> (e.g. the re-inspection date).
          if (out && typeof out === "object") output[scope.content.id] = out;
          next(null, out);
        },
        (err: Error) => {
          step.failure ??= err;
          next(err);
        },
      );
      step.pending.push(call);
    };
  }
  const camunda = (activity: Parameters<typeof recordUserTaskOutput>[0] & { behaviour?: Record<string, unknown> }) => {
    recordUserTaskOutput(activity);
    runCamundaExpression(activity);
  };
  step.engine = newEngine({ name, sourceContext: source, extensions: { camunda }, services: callable });
  step.engine.on("error", (err: Error) => {
    step.failure ??= err;
  });
  onTimerStarted(step.engine, (timer) => {
    step.timersStarted.set(timer.executionId, {
      elementId: timer.id,
      executionId: timer.executionId,
      dueAt: (now: Date) => timerDue(timer, timer.timeout ?? 0, now),
    });
  });
  step.engine.broker.subscribeTmp(
    "event",
    "activity.end",
    (_route, message) => {
      const { type, id, name } = (message.content ?? {}) as { type?: string; id?: string; name?: string };
      if (type === "bpmn:EndEvent" && id) step.endsReached.push({ id, name: name?.trim() || null });
    },
    { noAck: true },
  );
  // A loop with nothing to wait on (a gateway back to a service task, its way out never taken) would
  // run for ever inside one step, holding its transaction and the process: the step fails instead.
  // A loop of activities that pass at once (a timer already due, a throw event) recurses: each one
  // starts the next on the same stack. It is thrown out of the engine call there and then, long
  // before the stack runs out: V8 may then be compiling a regular expression (smqp makes one for
  // each routing key it binds), and running out of stack there ends the whole process ("RegExpCompiler
  // Allocation failed", seen in CI and reproduced by test/flows/gateway-loop-start.test.ts). `atOnce`
  // counts the activities started since the stack last unwound (a microtask runs only then).
  let started = 0;
  let atOnce = 0;
  step.engine.broker.subscribeTmp(
    "event",
    "activity.start",
    () => {
      if (atOnce++ === 0) queueMicrotask(() => (atOnce = 0));
      if (++started <= MAX_ACTIVITIES_PER_STEP && atOnce <= MAX_ACTIVITIES_AT_ONCE) return;
      step.failure ??= new Error(started > MAX_ACTIVITIES_PER_STEP ? TOO_MANY_FAILURE : AT_ONCE_FAILURE);
      // Stopping the engine from inside the loop could leave it neither running nor stopped, and
      // does not stop a loop run in execute()'s continuation. Outside an engine call (a service's
      // answer moves the flow on) it does stop it (test/flows/gateway-loop-start.test.ts).
      if (step.inEngineCall) throw new LoopStopped();
      void step.engine.stop();
    },
    { noAck: true },
  );

  return step;
}

/** Activities one step may run before it is taken for a loop with nothing to wait on. */
export const MAX_ACTIVITIES_PER_STEP = 1000;
/**
 * Activities one step may start one after another without waiting, each on the stack of the one
 * before. The stack runs out at about 1,050 of them (a loop through a timer already due or a
 * signal thrown, cold code); a 会签 of 50 starts about 50.
 */
export const MAX_ACTIVITIES_AT_ONCE = 200;
const LOOP_CAUSE = "流程图中可能有不经过任何等待环节的循环";
const TOO_MANY_FAILURE = `流程在一步中执行了过多环节（超过${MAX_ACTIVITIES_PER_STEP}个）仍未停下：${LOOP_CAUSE}`;
const AT_ONCE_FAILURE = `流程在一步中执行了过多环节（连续超过${MAX_ACTIVITIES_AT_ONCE}个）仍未停下：${LOOP_CAUSE}`;

/** Thrown out of the engine when a step has started too many activities (see createEngine). */
class LoopStopped extends Error {}

/**
 * Runs an engine call (execute, signal, resume). A loop of activities that pass at once makes the
 * engine recurse synchronously; the counts above throw out of it (a stack that ran out all the same
 * is caught too): the step fails with the reason instead of the request.
 */
export async function drive(step: EngineStep, call: () => unknown): Promise<void> {
  // Until the call's promise settles: the engine's execute() loads the definitions first and runs
  // the flow in that promise's continuation, whose errors come back here.
  step.inEngineCall = true;
  try {
    await call();
  } catch (error) {
    if (!stackRanOut(error) && !(error instanceof LoopStopped)) throw error;
    step.failure ??= new Error(AT_ONCE_FAILURE);
  } finally {
    step.inEngineCall = false;
  }
}

/**
 * The stack ran out inside the engine: V8 says so with a RangeError, or with a SyntaxError when it
 * ran out while compiling a regular expression (smqp makes one for each routing key it binds).
 */
function stackRanOut(error: unknown): boolean {
  return error instanceof RangeError || (error instanceof SyntaxError && /Stack overflow$/.test(error.message));
}

/** Waits until every service call has finished and the engine has come to rest. */
export async function settle(step: EngineStep): Promise<void> {
  for (let turns = 0; turns < 100_000; turns++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (step.pending.length) {
      await Promise.allSettled(step.pending.splice(0));
      continue;
    }
    if (step.failure || step.engine.activityStatus !== "executing") return;
  }
  throw new Error("流程引擎未能在限定步数内停止");
}

export interface PendingTimer {
  elementId: string;
  executionId: string;
  /** When it falls due on the platform's clock (the engine computes with the machine's). */
  dueAt(now: Date): Date;
}

export function pendingTimers(step: EngineStep): PendingTimer[] {
  return armedTimers(step.engine).map(({ owner, delay }) => ({
    elementId: owner.id,
    executionId: owner.executionId,
    dueAt: (now: Date) => timerDue(owner, delay, now),
  }));
}

function timerDue(owner: StartedTimer, delayMs: number, now: Date): Date {
  const value = owner.timerType ? owner[owner.timerType] : undefined;
  // Judged already: a value reaches here only through the engine's parse, which refuses one that
  // could never be worked out (bpmn-engine-adapter's, timerValueProblem).
  if (owner.timerType === "timeDate" && value) return getDate(value);
  if (value) return new ISOInterval(value).parse().getExpireAt(now, now);
  return new Date(now.getTime() + Math.max(0, delayMs));
}
