import recommended from "bpmnlint/config/recommended.js";
import adHocSubProcess from "bpmnlint/rules/ad-hoc-sub-process.js";
import conditionalFlows from "bpmnlint/rules/conditional-flows.js";
import endEventRequired from "bpmnlint/rules/end-event-required.js";
import eventBasedGateway from "bpmnlint/rules/event-based-gateway.js";
import eventSubProcessTypedStartEvent from "bpmnlint/rules/event-sub-process-typed-start-event.js";
import fakeJoin from "bpmnlint/rules/fake-join.js";
import global from "bpmnlint/rules/global.js";
import labelRequired from "bpmnlint/rules/label-required.js";
import linkEvent from "bpmnlint/rules/link-event.js";
import noBpmndi from "bpmnlint/rules/no-bpmndi.js";
import noComplexGateway from "bpmnlint/rules/no-complex-gateway.js";
import noDisconnected from "bpmnlint/rules/no-disconnected.js";
import noDuplicateSequenceFlows from "bpmnlint/rules/no-duplicate-sequence-flows.js";
import noGatewayJoinFork from "bpmnlint/rules/no-gateway-join-fork.js";
import noImplicitEnd from "bpmnlint/rules/no-implicit-end.js";
import noImplicitSplit from "bpmnlint/rules/no-implicit-split.js";
import noImplicitStart from "bpmnlint/rules/no-implicit-start.js";
import noInclusiveGateway from "bpmnlint/rules/no-inclusive-gateway.js";
import noOverlappingElements from "bpmnlint/rules/no-overlapping-elements.js";
import singleBlankStartEvent from "bpmnlint/rules/single-blank-start-event.js";
import singleEventDefinition from "bpmnlint/rules/single-event-definition.js";
import startEventRequired from "bpmnlint/rules/start-event-required.js";
import subProcessBlankStartEvent from "bpmnlint/rules/sub-process-blank-start-event.js";
import superfluousGateway from "bpmnlint/rules/superfluous-gateway.js";
import superfluousLabel from "bpmnlint/rules/superfluous-label.js";
import superfluousTermination from "bpmnlint/rules/superfluous-termination.js";
import { ELEMENT_CHECKS, PROCESS_CHECKS, checkRun, describeElement, type ModdleElement, type ProcessCheckOptions } from "./process-checks";

// The bpmnlint configuration the modeler lints with while an administrator draws, and the server
// deploys with: bpmnlint's recommended rules plus the platform's own (its deploy checks,
// process-checks.ts), one packed config `{ config, resolver }` as bpmn-js-bpmnlint and bpmnlint's
// Linter both take it. The rules are imported one by one, not resolved from files, so the same
// module serves the browser bundle and the server (docs/decisions/035).

interface Reporter {
  report(id: string, message: string): void;
}
interface Rule {
  check(node: ModdleElement, reporter: Reporter): void;
}
type RuleFactory = (config?: unknown) => Rule;

/** The platform's rules: bpmnlint names them `idi/<name>` (the plugin `bpmnlint-plugin-idi`). */
export const PLATFORM_PLUGIN = "bpmnlint-plugin-idi";

function elementRule(name: string): RuleFactory {
  const check = ELEMENT_CHECKS[name];
  return (config) => {
    let run = checkRun();
    return {
      check(node, reporter) {
        // bpmnlint keeps a rule for every run of its Linter (the modeler lints on each change) and
        // visits the definitions first: what a run shares is worked out anew from there.
        if (node.$type === "bpmn:Definitions") run = checkRun();
        if (!run.isFlowElement(node)) return;
        for (const message of check(node, describeElement(node), config as ProcessCheckOptions, run)) reporter.report(node.id, message);
      },
    };
  };
}

function processRule(name: string): RuleFactory {
  const check = PROCESS_CHECKS[name];
  return () => ({
    check(node, reporter) {
      if (node.$type !== "bpmn:Process") return;
      for (const problem of check(node)) reporter.report(problem.elementId ?? node.id, problem.message);
    },
  });
}

/**
 * Advice the modeler gives while drawing, which a deploy does not refuse: a task of no type (what
 * the context pad appends) runs as nothing at all, no 待办 and no service, so a step drawn as one
 * would silently never happen.
 */
const ADVICE_RULES: Record<string, RuleFactory> = {
  "plain-task": () => ({
    check(node, reporter) {
      if (node.$type === "bpmn:Task")
        reporter.report(node.id, `${describeElement(node)}：未设置任务类型，不会生成待办或执行服务（用扳手改为用户任务或服务任务）`);
    },
  }),
};

const PLATFORM_RULES: Record<string, RuleFactory> = Object.fromEntries([
  ...Object.keys(ELEMENT_CHECKS).map((name) => [name, elementRule(name)]),
  ...Object.keys(PROCESS_CHECKS).map((name) => [name, processRule(name)]),
]);

/** The names of the platform's rules, as a config names them (`idi/user-task`…). */
export const PLATFORM_RULE_NAMES = Object.keys(PLATFORM_RULES).map((name) => `idi/${name}`);

const RECOMMENDED_RULES: Record<string, RuleFactory> = {
  "ad-hoc-sub-process": adHocSubProcess,
  "conditional-flows": conditionalFlows,
  "end-event-required": endEventRequired,
  "event-based-gateway": eventBasedGateway,
  "event-sub-process-typed-start-event": eventSubProcessTypedStartEvent,
  "fake-join": fakeJoin,
  global,
  "label-required": labelRequired,
  "link-event": linkEvent,
  "no-bpmndi": noBpmndi,
  "no-complex-gateway": noComplexGateway,
  "no-disconnected": noDisconnected,
  "no-duplicate-sequence-flows": noDuplicateSequenceFlows,
  "no-gateway-join-fork": noGatewayJoinFork,
  "no-implicit-end": noImplicitEnd,
  "no-implicit-split": noImplicitSplit,
  "no-implicit-start": noImplicitStart,
  "no-inclusive-gateway": noInclusiveGateway,
  "no-overlapping-elements": noOverlappingElements,
  "single-blank-start-event": singleBlankStartEvent,
  "single-event-definition": singleEventDefinition,
  "start-event-required": startEventRequired,
  "sub-process-blank-start-event": subProcessBlankStartEvent,
  "superfluous-gateway": superfluousGateway,
  "superfluous-label": superfluousLabel,
  "superfluous-termination": superfluousTermination,
};

export type LintCategory = "error" | "warn" | "off";

export interface PackedLintConfig {
  config: { rules: Record<string, LintCategory | [LintCategory, unknown]> };
  resolver: { resolveRule(pkg: string, ruleName: string): RuleFactory | undefined; resolveConfig(): undefined };
}

const resolver: PackedLintConfig["resolver"] = {
  resolveRule: (pkg, ruleName) =>
    pkg === PLATFORM_PLUGIN
      ? (PLATFORM_RULES[ruleName] ?? ADVICE_RULES[ruleName])
      : pkg === "bpmnlint"
        ? RECOMMENDED_RULES[ruleName]
        : undefined,
  resolveConfig: () => undefined,
};

/**
 * The platform's rules (errors: a deploy refuses them) with what only the server knows, and with
 * `recommended` bpmnlint's recommended rules too, as warnings (提示): drawing advice the modeler
 * shows (a missing label or end event, an implicit split), which a deploy does not require.
 */
export function lintConfig(options: ProcessCheckOptions, { recommended: withRecommended }: { recommended: boolean }): PackedLintConfig {
  const rules: PackedLintConfig["config"]["rules"] = {};
  if (withRecommended) {
    // As 提示 (warnings): an error in the modeler is what a deploy refuses, nothing else, so an
    // administrator can tell what blocks a deploy (red) from drawing advice (orange).
    for (const [name, category] of Object.entries(recommended.rules as Record<string, LintCategory>))
      rules[name] = category === "off" ? "off" : "warn";
    for (const name of Object.keys(ADVICE_RULES)) rules[`idi/${name}`] = "warn";
  }
  for (const name of PLATFORM_RULE_NAMES) rules[name] = ["error", options];
  return { config: { rules }, resolver };
}

type FlowNode = { get?(side: "incoming" | "outgoing"): unknown[] } | undefined;

/**
 * Gives each flow node the <incoming>/<outgoing> its sequence flows imply, as Camunda Modeler writes
 * them: files that leave them out (the shipped diagrams, files written by hand) would otherwise be
 * "not connected" everywhere for bpmnlint's rules, which read them. The engine reads the flows.
 */
export function fillFlowReferences(flows: { sourceRef?: FlowNode; targetRef?: FlowNode }[]): void {
  for (const flow of flows) {
    const add = (node: FlowNode, side: "incoming" | "outgoing") => {
      const list = node?.get?.(side);
      if (list && !list.includes(flow)) list.push(flow);
    };
    add(flow.sourceRef, "outgoing");
    add(flow.targetRef, "incoming");
  }
}
