import { formSchema } from "../forms/registry.server";
import { validateSubmissionAgainst } from "../forms/validate.server";
import type { DryRunResult, DryRunStep } from "~/shared/dry-run";
import { clock } from "../clock.server";
import { serializeSource } from "./bpmn-engine-adapter.server";
import type { DiagramModel } from "./bpmn-model.server";
import { checkDiagram, type DiagramProblem } from "./deploy-check.server";
import { deployCheckOptions } from "./definitions.server";
import { createEngine, drive, pendingTimers, settle, type EngineStep } from "./engine.server";
import { workflowService, workflowServiceNames } from "./services.server";
import { taskLimit, waitingUserTasks } from "./step.server";

// A dry run (试运行): a diagram not yet deployed, run on the server by the real engine with sample
// submissions, in memory only. Nothing is written: no instance, task, timer, notification or audit
// row; a service task answers with the sample given for it (or nothing) instead of running. What it
// tells is the path the flow would take, the tasks and timers it would create, and where it stops.

/** Steps a dry run takes at most: a loop the samples never leave ends here, not in a hang. */
export const DRY_RUN_STEPS = 200;

export interface DryRunInput {
  xml: string;
  /** Sample submissions by user task id: each time the task opens it takes the next one. */
  submissions?: Record<string, Record<string, unknown>[]>;
  /** What each service task answers, by its id (default: an empty answer). */
  serviceResults?: Record<string, Record<string, unknown>>;
  /** Timers to let fire, by element id, once each per listing, when no task has a sample left. */
  fireTimers?: string[];
  /** The start variables, as a service starting the flow would give them. */
  variables?: Record<string, unknown>;
}

/** The deploy check refused the diagram: a dry run only runs what could be deployed. */
export class DryRunRefused extends Error {
  constructor(readonly problems: DiagramProblem[]) {
    super("流程图未通过发布检查");
  }
}

export async function dryRun(input: DryRunInput): Promise<DryRunResult> {
  const check = await checkDiagram(input.xml, await deployCheckOptions());
  if (!check.ok) throw new DryRunRefused(check.problems);
  const model = check.model;
  const now = clock.now();
  const steps: DryRunStep[] = [];
  const path = { elements: [] as string[], flows: [] as string[] };
  const samples = new Map(Object.entries(input.submissions ?? {}).map(([id, list]) => [id, [...list]]));
  const timersToFire = [...(input.fireTimers ?? [])];

  const step = createEngine(model.processId, sampleService(input, steps), workflowServiceNames(), await serializeSource(input.xml));
  followPath(step, path, steps);
  await drive(step, () => step.engine.execute({ variables: input.variables ?? {} }));

  const opened = new Set<string>();
  const armed = new Set<string>();
  for (let round = 0; round < DRY_RUN_STEPS; round++) {
    await settle(step);
    if (step.failure) return { path, steps, outcome: { kind: "failed", message: step.failure.message } };
    if (step.engine.state === "idle") return { path, steps, outcome: { kind: "ended", end: lastEnd(steps) } };
    const waiting = waitingUserTasks(step, model);
    for (const task of waiting.filter((w) => !opened.has(w.executionId))) {
      opened.add(task.executionId);
      steps.push(openedTask(model, step, task.elementId, now));
    }
    const timers = pendingTimers(step);
    for (const timer of timers.filter((t) => !armed.has(t.executionId))) {
      armed.add(timer.executionId);
      steps.push({ kind: "timer", elementId: timer.elementId, dueAt: timer.dueAt(now).toISOString() });
    }
    const next = waiting.find((w) => samples.get(w.elementId)?.length);
    if (next) {
      const submission = samples.get(next.elementId)!.shift()!;
      const checked = await checkSample(model, next.elementId, submission);
      const name = model.userTasks.get(next.elementId)?.name ?? next.elementId;
      if ("fields" in checked) {
        steps.push({ kind: "refused", elementId: next.elementId, name, fields: checked.fields });
        return { path, steps, outcome: { kind: "refused", elementId: next.elementId } };
      }
      steps.push({ kind: "submit", elementId: next.elementId, name, submission: checked.values });
      await drive(step, () => step.engine.execution!.signal({ id: next.elementId, executionId: next.executionId, ...checked.values }));
      continue;
    }
    const timer = timers.find((t) => timersToFire.includes(t.elementId));
    if (timer) {
      timersToFire.splice(timersToFire.indexOf(timer.elementId), 1);
      steps.push({ kind: "timerFired", elementId: timer.elementId });
      // As a durable timer fires (timers.server.ts).
      await drive(step, () => step.engine.execution!.cancelActivity({ id: timer.elementId }));
      continue;
    }
    return {
      path,
      steps,
      outcome: { kind: "waiting", tasks: waiting.map((w) => w.elementId), timers: timers.map((t) => t.elementId) },
    };
  }
  return { path, steps, outcome: { kind: "stepLimit" } };
}

/** Service tasks answer from the samples: nothing runs, nothing is written. */
function sampleService(input: DryRunInput, steps: DryRunStep[]) {
  return async (name: string, elementId: string) => {
    const answer = input.serviceResults?.[elementId] ?? {};
    steps.push({ kind: "service", elementId, service: name, label: workflowService(name)?.label ?? name, answer });
    return answer;
  };
}

/** Records the elements and flows the run goes through, and the end events it reaches. */
function followPath(step: EngineStep, path: DryRunResult["path"], steps: DryRunStep[]) {
  type Content = { type?: string; id?: string; name?: string };
  const on = (route: string, listener: (content: Content) => void) =>
    step.engine.broker.subscribeTmp("event", route, (_route, message) => listener(message.content as Content), { noAck: true });
  const once = (list: string[], id: string | undefined) => id && !list.includes(id) && list.push(id);
  on("activity.start", ({ id }) => once(path.elements, id));
  on("flow.take", ({ id }) => once(path.flows, id));
  on("activity.end", ({ type, id, name }) => {
    if (type === "bpmn:EndEvent" && id) steps.push({ kind: "end", elementId: id, name: name?.trim() || null });
  });
}

const lastEnd = (steps: DryRunStep[]) => steps.findLast((s) => s.kind === "end" && s.name)?.elementId ?? null;

function openedTask(model: DiagramModel, step: EngineStep, elementId: string, now: Date): DryRunStep {
  const info = model.userTasks.get(elementId)!;
  // Its limit as persistStep sets it: every timer started in the run so far, on the platform's clock.
  const timers = [...step.timersStarted.values()].map((t) => ({ elementId: t.elementId, due: t.dueAt(now) }));
  const due = taskLimit(model, timers, elementId);
  return {
    kind: "task",
    elementId,
    name: info.name,
    formKey: info.formKey!,
    candidateRoles: info.candidateGroups,
    dueAt: due?.toISOString() ?? null,
  };
}

/**
 * The sample checked against the task's form (its latest version, as a deploy now would pin) the
 * way a real submission is, without the server checks (they read the business object): the
 * values the form declares, or the refusal by field.
 */
async function checkSample(
  model: DiagramModel,
  elementId: string,
  submission: Record<string, unknown>,
): Promise<{ values: Record<string, unknown> } | { fields: Record<string, string> }> {
  const schema = await formSchema(model.userTasks.get(elementId)!.formKey!, null);
  if (!schema) return { fields: { form: "表单不存在" } };
  const { values, errors } = await validateSubmissionAgainst(schema, submission);
  return Object.keys(errors).length ? { fields: errors } : { values };
}
