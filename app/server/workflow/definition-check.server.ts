import { ISOInterval, getDate } from "@0dep/piso";
import { ROLES } from "@db/schema/roles";
import {
  describeElement,
  readDiagram,
  splitList,
  UnreadableDiagramError,
  type DiagramModel,
  type ModdleElement,
} from "./bpmn-model.server";
import { conditionProblem, serviceNameOf } from "./expressions.server";
import { workflowService } from "./services.server";

export interface DeployCheckOptions {
  /** The latest version of each deployed form, by key. */
  formVersions: Map<string, number>;
}

export type CheckResult = { ok: true; model: DiagramModel } | { ok: false; problems: string[] };

const ROLE_SET = new Set<string>(ROLES);
const SAFE_PATH_EXPRESSION = /^\$\{[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\}$/;
const FORBIDDEN_TYPES: Record<string, string> = {
  "bpmn:ScriptTask": "不允许使用脚本任务",
};

/**
 * Everything a deploy refuses, each problem naming the element and the reason in Chinese:
 * unreadable XML, unknown forms or roles, unknown services, scripts, bad timers, unreachable elements.
 */
export async function checkDiagram(xml: string, options: DeployCheckOptions): Promise<CheckResult> {
  let model: DiagramModel;
  try {
    model = await readDiagram(xml);
  } catch (error) {
    if (error instanceof UnreadableDiagramError) return { ok: false, problems: [error.message] };
    throw error;
  }
  const problems: string[] = [];
  for (const group of model.starterGroups) {
    if (!ROLE_SET.has(group)) problems.push(`流程的发起角色“${group}”不是已知角色`);
  }
  for (const e of model.elements) {
    const where = describeElement(e);
    if (FORBIDDEN_TYPES[e.$type]) problems.push(`${where}：${FORBIDDEN_TYPES[e.$type]}`);
    if (e.$type === "bpmn:UserTask") problems.push(...userTaskProblems(e, where, options));
    if (e.$type === "bpmn:ServiceTask" || e.$type === "bpmn:SendTask" || e.$type === "bpmn:BusinessRuleTask") {
      problems.push(...serviceTaskProblems(e, where));
    }
    if (e.$type === "bpmn:SequenceFlow" && e.conditionExpression) problems.push(...conditionProblems(e, where));
    for (const definition of (e.eventDefinitions as ModdleElement[] | undefined) ?? []) {
      if (definition.$type === "bpmn:TimerEventDefinition") problems.push(...timerProblems(definition, where));
      if (definition.$type === "bpmn:ConditionalEventDefinition") problems.push(`${where}：不允许使用条件事件`);
    }
    const listeners = ((e.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? []).filter(
      (v) => v.$type === "camunda:ExecutionListener" || v.$type === "camunda:TaskListener",
    );
    if (listeners.length) problems.push(`${where}：不允许使用执行监听器（脚本）`);
  }
  problems.push(...unreachable(model).map((e) => `${describeElement(e)}：从开始事件无法到达该元素`));
  return problems.length ? { ok: false, problems } : { ok: true, model };
}

function userTaskProblems(e: ModdleElement, where: string, options: DeployCheckOptions): string[] {
  const problems: string[] = [];
  const formKey = typeof e.formKey === "string" ? e.formKey : "";
  if (!formKey) problems.push(`${where}：用户任务必须指定表单（camunda:formKey）`);
  else if (!options.formVersions.has(formKey)) problems.push(`${where}：表单“${formKey}”不存在`);
  const groups = splitList(e.candidateGroups);
  if (groups.length === 0) problems.push(`${where}：用户任务必须指定办理角色（camunda:candidateGroups）`);
  for (const g of groups) if (!ROLE_SET.has(g)) problems.push(`${where}：办理角色“${g}”不是已知角色`);
  return problems;
}

function serviceTaskProblems(e: ModdleElement, where: string): string[] {
  if (e.script || e.scriptFormat) return [`${where}：不允许使用脚本`];
  const name = serviceNameOf(e.implementation ?? e.expression);
  if (!name) return [`${where}：服务任务必须以 \${environment.services.服务名} 指定平台服务`];
  return workflowService(name) ? [] : [`${where}：服务“${name}”不在平台服务目录中`];
}

function conditionProblems(e: ModdleElement, where: string): string[] {
  const condition = e.conditionExpression as ModdleElement & { body?: string; language?: string };
  if (condition.language) return [`${where}：不允许使用脚本条件（${condition.language}）`];
  const problem = conditionProblem(condition.body ?? "");
  return problem ? [`${where}：${problem}`] : [];
}

function timerProblems(definition: ModdleElement, where: string): string[] {
  const parts: [string, ModdleElement | undefined][] = [
    ["timeDuration", definition.timeDuration as ModdleElement | undefined],
    ["timeCycle", definition.timeCycle as ModdleElement | undefined],
    ["timeDate", definition.timeDate as ModdleElement | undefined],
  ];
  const present = parts.filter(([, v]) => v);
  if (present.length === 0) return [`${where}：定时器缺少时间设置`];
  const problems: string[] = [];
  for (const [kind, value] of present) {
    const text = String((value as { body?: string }).body ?? "").trim();
    // A date or duration taken from the flow's data (e.g. two years after completion acceptance).
    if (SAFE_PATH_EXPRESSION.test(text)) continue;
    try {
      if (kind === "timeDate") getDate(text);
      else new ISOInterval(text).parse();
    } catch {
      problems.push(
        `${where}：定时器时间“${text}”无法解析（应为 ISO 8601，例如 P2D、R/P1M、2027-01-01T00:00:00+08:00，或 \${environment.variables.字段}）`,
      );
    }
  }
  return problems;
}

/** Flow elements no path from a start event leads to (boundary events count when their activity is reached). */
function unreachable(model: DiagramModel): ModdleElement[] {
  const nodes = model.elements.filter((e) => e.$type !== "bpmn:SequenceFlow");
  const outgoing = new Map<string, string[]>();
  for (const f of model.elements.filter((e) => e.$type === "bpmn:SequenceFlow")) {
    const source = (f.sourceRef as ModdleElement).id;
    outgoing.set(source, [...(outgoing.get(source) ?? []), (f.targetRef as ModdleElement).id]);
  }
  for (const [boundary, attached] of model.boundaryOf) outgoing.set(attached, [...(outgoing.get(attached) ?? []), boundary]);
  const reached = new Set<string>();
  const queue = nodes
    .filter((n) => n.$type === "bpmn:StartEvent" || (n.$type === "bpmn:SubProcess" && n.triggeredByEvent))
    .map((n) => n.id);
  // Elements inside a reached subprocess start from its own start events.
  const children = new Map<string, string[]>();
  for (const n of nodes) {
    const parent = (n.$parent as ModdleElement | undefined)?.id;
    if (parent) children.set(parent, [...(children.get(parent) ?? []), n.id]);
  }
  while (queue.length) {
    const id = queue.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    queue.push(...(outgoing.get(id) ?? []));
    for (const child of children.get(id) ?? []) {
      const node = nodes.find((n) => n.id === child);
      if (node?.$type === "bpmn:StartEvent") queue.push(child);
    }
  }
  return nodes.filter((n) => !reached.has(n.id));
}
