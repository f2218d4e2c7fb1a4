import { createRequire } from "node:module";
import { BpmnModdle } from "bpmn-moddle";
import type { DiagramProblem, ModdleElement, ProcessCheckOptions } from "~/shared/process-checks";
import { lintConfig } from "~/shared/process-lint";
import { camundaModdle, readDiagram, UnreadableDiagramError, type DiagramModel } from "./bpmn-model.server";
import { xmlProblem } from "./xml-check.server";

const require = createRequire(import.meta.url);
const { Linter } = require("bpmnlint") as {
  Linter: new (options: ReturnType<typeof lintConfig>) => {
    lint(root: unknown): Promise<Record<string, { id?: string; message: string; category: string }[]>>;
  };
};

export type { DiagramProblem };

/**
 * The most XML elements a diagram may have: the largest shipped flow (claim) has about 400 with its
 * drawing. Checking and reading grow with the size; a limit keeps one request from holding a core.
 */
export const MAX_DIAGRAM_TAGS = 10_000;

export type CheckResult = { ok: true; model: DiagramModel } | { ok: false; problems: DiagramProblem[] };

/**
 * Everything a deploy refuses, each problem naming its element and the reason in Chinese: XML
 * that is unreadable or not namespace-well-formed, not exactly one process, and then whatever the
 * platform's bpmnlint rules report (app/shared/process-checks.ts: starter roles, forms, roles,
 * services, scripts, timers, conditions, what the runtime cannot drive, unreachable elements), the
 * very rules the modeler runs while the diagram is drawn.
 */
export async function checkDiagram(xml: string, options: ProcessCheckOptions): Promise<CheckResult> {
  // Checked here, at deploy, and not where diagrams are read: versions already deployed stay readable.
  const notXml = xmlProblem(xml);
  if (notXml) return { ok: false, problems: [{ message: `无法解析流程图 XML：${notXml}` }] };
  // Before anything reads it element by element: a flow no one could read on screen either.
  const tags = xml.match(/<[A-Za-z]/g)?.length ?? 0;
  if (tags > MAX_DIAGRAM_TAGS) {
    return { ok: false, problems: [{ message: `流程图过大（${tags}个 XML 元素，最多${MAX_DIAGRAM_TAGS}个）` }] };
  }
  let model: DiagramModel;
  try {
    model = await readDiagram(xml);
  } catch (error) {
    if (error instanceof UnreadableDiagramError) return { ok: false, problems: [{ message: error.message }] };
    throw error;
  }
  const problems = await lintProblems(xml, options);
  return problems.length ? { ok: false, problems } : { ok: true, model };
}

/** The platform's lint rules on a diagram, as problems in document order of the rules. */
async function lintProblems(xml: string, options: ProcessCheckOptions): Promise<DiagramProblem[]> {
  const { rootElement } = await new BpmnModdle({ camunda: camundaModdle }).fromXML(xml, "bpmn:Definitions");
  const reports = await new Linter(lintConfig(options, { recommended: false })).lint(rootElement as ModdleElement);
  const problems: DiagramProblem[] = [];
  for (const list of Object.values(reports)) {
    for (const report of list) {
      // A rule that throws is reported without an element: never let that pass as a clean diagram.
      problems.push(report.id ? { elementId: report.id, message: report.message } : { message: `检查规则出错：${report.message}` });
    }
  }
  return problems;
}
