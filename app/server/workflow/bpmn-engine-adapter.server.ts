import { Engine } from "bpmn-engine";
import * as bpmnElements from "bpmn-elements";
import { Timers, TimerEventDefinition } from "bpmn-elements";
import { timerValueProblem, type TimerKind } from "~/shared/process-checks";
import { clock } from "../clock.server";
import { camundaModdle } from "./bpmn-model.server";

// The one module that builds bpmn-engine engines and the only one that leans on what bpmn-engine and
// bpmn-elements do not document: a private method, the timer registry's contents, fields of the
// timer event beyond the documented subset, how `recover` finds a diagram left out of a state, and
// how a timer event works out its delay (`_getTimers`), and how the activities an engine waits on
// are found inside embedded subprocesses and multi-instance loops (`waitingActivities`).
// Their versions are pinned in package.json; test/unit/bpmn-engine-adapter.test.ts runs the real
// engine and fails when any of these changes shape.

/** A diagram parsed and serialised the way bpmn-engine runs it (moddle-context-serializer's context). */
export type SourceContext = { readonly id: string };

/** A timer event as it starts: the activity's ids and how its due time was set in the diagram. */
export interface StartedTimer {
  id: string;
  executionId: string;
  timerType?: "timeDuration" | "timeDate" | "timeCycle";
  timeDuration?: string;
  timeDate?: string;
  timeCycle?: string;
  /**
   * Milliseconds until it expires, zero or less firing it at once: a date (timeDate) on the
   * platform's clock, a duration as the engine counts it.
   */
  timeout?: number;
}

/** A timer the engine armed and has neither fired nor cleared. */
export interface ArmedTimer {
  owner: StartedTimer;
  delay: number;
}

const NO_SCRIPTS = {
  register() {},
  getScript() {
    return undefined;
  },
};

// bpmn-engine logs through `debug`, which asks the terminal about colours for every element of every
// engine; the platform logs with pino at its own level, so the engine's logger is silent.
const SILENT = { debug() {}, error() {}, warn() {} };
const silentLogger = () => SILENT;

type TimerDelay = { timerType?: string; expireAt?: Date; timeout?: number };
type TimerMessage = { content?: { timerType?: string } };
type TimerEvent = { _getTimers(message: TimerMessage): TimerDelay };

/**
 * The timer event judged on the platform's clock. bpmn-elements counts a date's delay from the
 * machine's clock, so on a moved clock (the demo's history, tests) a deadline still ahead on the
 * platform's clock fired at once, and its overdue notice was dated before the deadline. A duration
 * counts the same on either clock, and the durable timer rows decide when anything armed fires.
 */
function PlatformTimerEventDefinition(this: TimerEvent, ...args: unknown[]) {
  (TimerEventDefinition as unknown as (...a: unknown[]) => void).apply(this, args);
}
PlatformTimerEventDefinition.prototype = Object.create(TimerEventDefinition.prototype);
/**
 * A value a flow's data gives a timer (`${environment.variables.limit}`) is judged before the engine
 * works it out: a repetition of a zero interval (R/PT0S) would never finish being worked out and
 * hold the process. The step fails with the reason (at a start: refused; later: an incident).
 */
(PlatformTimerEventDefinition.prototype as unknown as { parse: (kind: string, text: string) => unknown }).parse = function parse(
  this: { constructor: unknown },
  kind: string,
  text: string,
) {
  const problem = timerValueProblem(kind as TimerKind, String(text), clock.now());
  if (problem) throw new Error(problem);
  return (TimerEventDefinition.prototype as unknown as { parse: (k: string, t: string) => unknown }).parse.call(this, kind, text);
};
PlatformTimerEventDefinition.prototype._getTimers = function getTimers(this: TimerEvent, message: TimerMessage): TimerDelay {
  const resolved = (TimerEventDefinition.prototype as unknown as TimerEvent)._getTimers.call(this, message);
  // Resumed, the timer keeps the due time it started with and the engine leaves `timerType` out of
  // its answer: the type is the one the timer started with.
  const timerType = resolved.timerType ?? message.content?.timerType;
  if (timerType === "timeDate" && resolved.expireAt) resolved.timeout = resolved.expireAt.getTime() - clock.now().getTime();
  return resolved;
};

const ENGINE_OPTIONS = {
  moddleOptions: { camunda: camundaModdle },
  Logger: silentLogger,
  scripts: NO_SCRIPTS,
  elements: { TimerEventDefinition: PlatformTimerEventDefinition },
};

export interface EngineOptions {
  name: string;
  sourceContext: SourceContext;
  extensions: Record<string, unknown>;
  services: Record<string, unknown>;
}

/**
 * An engine for one step. It never arms a real timer (the durable timer rows do that: the timer
 * registry only records what was armed) and it cannot run scripts.
 */
export function newEngine(options: EngineOptions): Engine {
  return new Engine({
    ...ENGINE_OPTIONS,
    ...options,
    timers: new Timers({ setTimeout: (() => null) as never, clearTimeout: () => undefined }),
  } as never);
}

/** Parses a diagram the way the engine does when given `source` (its private `_serializeSource`). */
export function serializeSource(xml: string): Promise<SourceContext> {
  const parser = new Engine(ENGINE_OPTIONS as never) as unknown as { _serializeSource(xml: string): Promise<SourceContext> };
  return parser._serializeSource(xml);
}

/**
 * The engine's state without the serialised diagram each definition carries: `recover` finds a
 * definition without one among the engine's source contexts, by the definition's id.
 */
export function storableState(state: { definitions?: { source?: unknown }[] }): Record<string, unknown> {
  return { ...state, definitions: (state.definitions ?? []).map(({ source: _source, ...rest }) => rest) };
}

/**
 * A saved state (storableState) made to recover on another diagram (a newer version of its
 * definition, docs/decisions/037): `recover` finds a definition's source by the definition's id, and
 * the state's activities are named by their element ids, so the state is kept and its one
 * definition takes the target diagram's id. Null for a state of more or fewer definitions.
 */
export function stateOnSource(state: unknown, source: SourceContext): Record<string, unknown> | null {
  const saved = state as { definitions?: { id: string }[] } | null;
  if (saved?.definitions?.length !== 1) return null;
  return { ...saved, definitions: [{ ...saved.definitions[0], id: source.id }] };
}

/** Calls `listener` for every timer event that starts (the `activity.timer` event, with its undocumented fields). */
export function onTimerStarted(engine: Engine, listener: (timer: StartedTimer) => void): void {
  engine.broker.subscribeTmp("event", "activity.timer", (_route, message) => listener(message.content as StartedTimer), { noAck: true });
}

/** The timers armed and still pending: the timer registry's `executing`, each owned by its timer event. */
export function armedTimers(engine: Engine): ArmedTimer[] {
  const timers = (engine.environment as unknown as { timers: { executing: { owner?: StartedTimer; delay: number }[] } }).timers;
  return timers.executing.flatMap((ref) => (ref.owner?.id ? [{ owner: ref.owner, delay: ref.delay }] : []));
}

/**
 * A service task whose service Camunda Modeler wrote as `camunda:expression` (its "Expression"
 * implementation, e.g. `${environment.services.notify}`) runs as one with `implementation` does:
 * the engine knows only the latter. Called by the engine's camunda extension for each activity.
 */
// Exported by bpmn-elements (what the serializer gives a task with `implementation`), not in its types.
const { ServiceImplementation } = bpmnElements as unknown as { ServiceImplementation: unknown };

export function runCamundaExpression(activity: { behaviour?: Record<string, unknown> }): void {
  const behaviour = activity.behaviour;
  if (!behaviour || behaviour.Service || typeof behaviour.expression !== "string") return;
  behaviour.implementation = behaviour.expression;
  behaviour.Service = ServiceImplementation;
}

/** An activity the engine waits on: a user task (or one iteration of a multi-instance one), a catch event. */
export interface WaitingActivity {
  id: string;
  type: string;
  executionId: string;
  /** The iteration's index in a multi-instance activity's collection (undefined for a plain activity). */
  index?: number;
  /** The execution message's content: a multi-instance iteration holds its element variable here. */
  content: Record<string, unknown>;
}

type PostponedApi = {
  id: string;
  type: string;
  executionId: string;
  content: Record<string, unknown> & { isMultiInstance?: boolean; index?: number };
  getPostponed(): PostponedApi[];
  getExecuting(): PostponedApi[];
};

/**
 * Everything the engine waits on, down to the activities inside embedded subprocesses and each
 * running iteration of a parallel multi-instance activity. bpmn-engine's `getPostponed` names only
 * the process's own children: a subprocess (whose `getPostponed` lists its children, and itself
 * among them when resumed) and a multi-instance root (whose `getExecuting` lists the iterations,
 * each with an executionId `<root>_<index>` and its element variable in its content).
 */
export function waitingActivities(engine: Engine): WaitingActivity[] {
  const found: WaitingActivity[] = [];
  const walk = (apis: PostponedApi[]) => {
    for (const api of apis) {
      const { content } = api;
      if (api.type === "bpmn:SubProcess" && !content.isMultiInstance) {
        walk(api.getPostponed().filter((child) => child.executionId !== api.executionId));
        continue;
      }
      if (content.isMultiInstance && content.index === undefined) {
        walk(api.getExecuting().filter((child) => child.content.index !== undefined));
        continue;
      }
      found.push({ id: api.id, type: api.type, executionId: api.executionId, index: content.index, content });
    }
  };
  walk((engine.execution?.getPostponed() ?? []) as unknown as PostponedApi[]);
  return found;
}
