import { ISOInterval, getDate } from "@0dep/piso";
import { ROLES } from "@db/schema/roles";
import { conditionProblem, conditionValueProblem, serviceNameOf } from "./safe-expressions";

// The platform's deploy checks, one source for the server and the browser (docs/decisions/035):
// each check reads one element of a parsed diagram (bpmn-moddle's objects, as the server parses a
// file and as bpmn-js holds the diagram being drawn) and names what the runtime would refuse. The
// bpmnlint rules in process-lint.ts run them while an administrator draws, and the server's deploy
// (app/server/workflow/deploy-check.server.ts) runs the same rules on the XML it is given. What only
// the server knows (the deployed forms, the registered services) comes in as options.

/** A parsed element as bpmn-moddle gives it; its own types are loose, so this names what we use. */
export interface ModdleElement {
  $type: string;
  id: string;
  name?: string;
  $parent?: ModdleElement;
  [key: string]: unknown;
}

/** What the checks need to know that only the server knows. */
export interface ProcessCheckOptions {
  /** The keys of the deployed forms: a user task must name one. */
  forms: string[];
  /** The names of the services a service task may call (the runtime's registry). */
  services: string[];
  /** Every deployed version of each form, when a diagram may pin one (camunda:formRefVersion). */
  formVersions?: Record<string, number[]>;
}

/** One thing a deploy refuses: the element it is about (none for the document itself) and why, in Chinese. */
export interface DiagramProblem {
  elementId?: string;
  message: string;
}

export function splitList(value: unknown): string[] {
  return typeof value === "string"
    ? value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

export function describeElement(e: Pick<ModdleElement, "id" | "name">): string {
  return e.name ? `“${e.name}”(${e.id})` : e.id;
}

/** The flow elements of a process, those inside every container (subprocess, transaction, ad-hoc subprocess) included. */
export function flowElementsOf(container: ModdleElement): ModdleElement[] {
  const elements: ModdleElement[] = [];
  for (const e of (container.flowElements as ModdleElement[] | undefined) ?? []) {
    elements.push(e);
    if (e.flowElements) elements.push(...flowElementsOf(e));
  }
  return elements;
}

/** An element's camunda:properties (a service's parameters, a timer's `reminder`…), by name. */
export function camundaProperties(e: ModdleElement): Record<string, string> {
  return Object.fromEntries(
    ((e.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? [])
      .filter((v) => v.$type === "camunda:Properties")
      .flatMap((v) => (v.values as { name: string; value: string }[] | undefined) ?? [])
      .map((v) => [v.name, v.value]),
  );
}

/** The process an element belongs to, or undefined outside one (a collaboration's participant). */
export function processOf(e: ModdleElement): ModdleElement | undefined {
  let at: ModdleElement | undefined = e;
  while (at && at.$type !== "bpmn:Process") at = at.$parent;
  return at;
}

const ROLE_SET = new Set<string>(ROLES);
const SAFE_PATH_EXPRESSION = /^\$\{[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\}$/;
const FORBIDDEN_TYPES: Record<string, string> = {
  "bpmn:ScriptTask": "不允许使用脚本任务",
};

// What the runtime cannot drive yet. It runs one step per transaction and resumes an instance only
// when a user completes a user task (in the process or an embedded subprocess, or one iteration of
// a parallel 会签/或签), a timer row falls due, or a named message arrives through the API; anything
// else the engine waits on is never resumed and the instance hangs. Each table maps the BPMN type to the Chinese
// word the problem uses; when the runtime learns to drive one, delete its row.

/** Activities and gateways the engine would wait on forever (or cannot build at all). */
const UNSUPPORTED_TYPES: Record<string, string> = {
  "bpmn:CallActivity": "调用活动",
  "bpmn:ReceiveTask": "接收任务",
  // bpmn-elements runs a manual task like a user task, but only user tasks become task rows.
  "bpmn:ManualTask": "手工任务",
  // Not implemented by bpmn-elements: the first start of an instance would fail.
  "bpmn:ComplexGateway": "复杂网关",
  // Containers whose steps nothing finds or signals (only embedded subprocesses are driven).
  "bpmn:Transaction": "事务子流程",
  "bpmn:AdHocSubProcess": "自由子流程（ad-hoc）",
};

/**
 * Catch events nothing can deliver to: the platform sends no signals into an instance.
 * A signal the diagram throws itself (one branch ending another's loop, e.g. 施工阶段结束) is
 * delivered within the step that throws it, so its catch events are allowed. A message is
 * delivered through the API (POST /api/v1/instances/{id}/messages/{name}) when it has a name
 * (messageProblems). Event-based gateways stay allowed: their timer and message branches run.
 */
const UNSUPPORTED_CATCH_DEFINITIONS: Record<string, string> = {
  "bpmn:SignalEventDefinition": "信号",
};

/** A message's name as the API's path names it. */
const MESSAGE_NAME = /^[\p{L}\p{N}_-]{1,64}$/u;

/** The kinds of start event, for naming one: only a none start event begins an instance. */
const START_EVENT_KINDS: Record<string, string> = {
  "bpmn:MessageEventDefinition": "消息",
  "bpmn:SignalEventDefinition": "信号",
  "bpmn:TimerEventDefinition": "定时",
  "bpmn:ErrorEventDefinition": "错误",
  "bpmn:EscalationEventDefinition": "升级",
  "bpmn:CompensateEventDefinition": "补偿",
  "bpmn:ConditionalEventDefinition": "条件",
};

/**
 * Loops on a user task the runtime cannot drive: a parallel multi-instance task (会签/或签) runs,
 * one task row per organisation in its collection (loopProblems); these do not.
 */
const USER_TASK_LOOPS: Record<string, string> = {
  "bpmn:StandardLoopCharacteristics": "循环",
};

const CATCH_EVENT_TYPES = new Set(["bpmn:IntermediateCatchEvent", "bpmn:BoundaryEvent"]);

/**
 * What one lint run works out once and its element checks share: the signals each process throws
 * (asked by every catch event, worked out over the whole process).
 */
export interface CheckRun {
  thrownSignals(process: ModdleElement | undefined): Set<string>;
  /** Whether the element is one the element checks judge: a flow element of a process or of its subprocesses. */
  isFlowElement(e: ModdleElement): boolean;
}

/** A lint run's shared results, each worked out when first asked. */
export function checkRun(): CheckRun {
  const thrown = new Map<ModdleElement | undefined, Set<string>>();
  const contents = new Map<ModdleElement, Set<unknown>>();
  const contentsOf = (parent: ModdleElement) =>
    contents.get(parent) ?? contents.set(parent, new Set((parent.flowElements as unknown[] | undefined) ?? [])).get(parent)!;
  return {
    thrownSignals: (process) => thrown.get(process) ?? thrown.set(process, thrownSignals(process)).get(process)!,
    isFlowElement: (e) => !!e.$parent && contentsOf(e.$parent).has(e),
  };
}

type ElementCheck = (e: ModdleElement, where: string, options: ProcessCheckOptions, run: CheckRun) => string[];

/**
 * Everything a deploy refuses in one flow element, each problem naming the element and the reason
 * in Chinese, by the bpmnlint rule that reports it (process-lint.ts): scripts, elements the runtime
 * cannot drive, unknown forms or roles, unknown services, unsafe conditions, bad timers. The
 * document itself (unreadable or not namespace-well-formed XML, not exactly one process) is the
 * server's check; the process's starter roles and unreachable elements are in PROCESS_CHECKS.
 */
export const ELEMENT_CHECKS: Record<string, ElementCheck> = {
  "no-script": (e, where) => {
    const problems: string[] = [];
    if (FORBIDDEN_TYPES[e.$type]) problems.push(`${where}：${FORBIDDEN_TYPES[e.$type]}`);
    for (const definition of (e.eventDefinitions as ModdleElement[] | undefined) ?? []) {
      if (definition.$type === "bpmn:ConditionalEventDefinition") problems.push(`${where}：不允许使用条件事件`);
    }
    const listeners = ((e.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? []).filter(
      (v) => v.$type === "camunda:ExecutionListener" || v.$type === "camunda:TaskListener",
    );
    if (listeners.length) problems.push(`${where}：不允许使用执行监听器（脚本）`);
    // camunda:inputOutput may hold a script (camunda:script) at any depth: refused as scripts are.
    const extensions = (e.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? [];
    if (extensions.some((v) => v.$type === "camunda:InputOutput" && holdsScript(v))) {
      problems.push(`${where}：不允许在输入输出映射中使用脚本（camunda:script）`);
    }
    return problems;
  },
  "runtime-support": (e, where, _options, run) => unsupportedProblems(e, where, run.thrownSignals(processOf(e))),
  "user-task": (e, where, options) => (e.$type === "bpmn:UserTask" ? userTaskProblems(e, where, options) : []),
  "service-task": (e, where, options) =>
    e.$type === "bpmn:ServiceTask" || e.$type === "bpmn:SendTask" || e.$type === "bpmn:BusinessRuleTask"
      ? serviceTaskProblems(e, where, options)
      : [],
  condition: (e, where) => (e.$type === "bpmn:SequenceFlow" && e.conditionExpression ? conditionProblems(e, where) : []),
  "message-sender": (e, where) =>
    splitList(camundaProperties(e).senderRole)
      .filter((role) => !ROLE_SET.has(role))
      .map((role) => `${where}：可发送消息的角色（senderRole）“${role}”不是已知角色`),
  "form-version": (e, where, options) => (e.$type === "bpmn:UserTask" ? formVersionProblems(e, where, options) : []),
  timer: (e, where) =>
    ((e.eventDefinitions as ModdleElement[] | undefined) ?? [])
      .filter((d) => d.$type === "bpmn:TimerEventDefinition")
      .flatMap((d) => timerProblems(d, where)),
};

/** The checks of a whole process, by the bpmnlint rule that reports each: its starter roles, what no path reaches. */
export const PROCESS_CHECKS: Record<string, (process: ModdleElement) => DiagramProblem[]> = {
  // The runtime lets any user start a process that names no starter roles.
  "starter-roles": (process) => {
    const where = { elementId: process.id };
    const groups = splitList(process.candidateStarterGroups);
    const problems: DiagramProblem[] = [];
    if (groups.length === 0) {
      problems.push({
        ...where,
        message: `流程${describeElement(process)}：未指定可发起的角色（camunda:candidateStarterGroups），否则任何用户都可以发起`,
      });
    }
    for (const group of groups) {
      if (!ROLE_SET.has(group)) problems.push({ ...where, message: `流程的发起角色“${group}”不是已知角色` });
    }
    return problems;
  },
  reachable: (process) =>
    unreachable(flowElementsOf(process)).map((e) => ({ elementId: e.id, message: `${describeElement(e)}：从开始事件无法到达该元素` })),
  // The engine passes gateways within one step, recursing: a loop of gateways only (nothing in it
  // can change what its conditions read) would recurse until the stack runs out.
  "gateway-loop": (process) =>
    gatewayLoops(flowElementsOf(process)).map((e) => ({
      elementId: e.id,
      message: `${describeElement(e)}：处于只由网关组成的循环中，流程会在此无限循环（循环中应有任务或等待事件）`,
    })),
};

const PASSING_GATEWAYS = new Set(["bpmn:ExclusiveGateway", "bpmn:InclusiveGateway", "bpmn:ParallelGateway", "bpmn:ComplexGateway"]);

/**
 * The gateways on (or between) loops made of gateways only: what is left of the gateway-to-gateway
 * graph once every gateway without an incoming or an outgoing edge in it is peeled off, repeatedly.
 */
function gatewayLoops(elements: ModdleElement[]): ModdleElement[] {
  const gateways = new Map(elements.filter((e) => PASSING_GATEWAYS.has(e.$type)).map((g) => [g.id, g]));
  const into = new Map<string, Set<string>>();
  const out = new Map<string, Set<string>>();
  for (const id of gateways.keys()) {
    into.set(id, new Set());
    out.set(id, new Set());
  }
  for (const f of elements.filter((e) => e.$type === "bpmn:SequenceFlow")) {
    const from = (f.sourceRef as ModdleElement | undefined)?.id;
    const to = (f.targetRef as ModdleElement | undefined)?.id;
    if (!from || !to || !gateways.has(from) || !gateways.has(to)) continue;
    out.get(from)!.add(to);
    into.get(to)!.add(from);
  }
  const peel = [...gateways.keys()].filter((id) => into.get(id)!.size === 0 || out.get(id)!.size === 0);
  const gone = new Set<string>();
  while (peel.length) {
    const id = peel.pop()!;
    if (gone.has(id)) continue;
    gone.add(id);
    for (const next of out.get(id)!) {
      into.get(next)!.delete(id);
      if (!gone.has(next) && into.get(next)!.size === 0) peel.push(next);
    }
    for (const prev of into.get(id)!) {
      out.get(prev)!.delete(id);
      if (!gone.has(prev) && out.get(prev)!.size === 0) peel.push(prev);
    }
  }
  return [...gateways.values()].filter((g) => !gone.has(g.id));
}

/** Whether a moddle element holds a camunda:script anywhere below it. */
function holdsScript(node: unknown, depth = 0): boolean {
  if (!node || typeof node !== "object" || depth > 20) return false;
  if ((node as ModdleElement).$type === "camunda:Script") return true;
  return Object.entries(node as Record<string, unknown>).some(
    ([key, value]) =>
      key !== "$parent" && (Array.isArray(value) ? value.some((v) => holdsScript(v, depth + 1)) : holdsScript(value, depth + 1)),
  );
}

/** The signals the diagram's own throw and end events send. */
function thrownSignals(process: ModdleElement | undefined): Set<string> {
  const thrown = new Set<string>();
  if (!process) return thrown;
  for (const e of flowElementsOf(process)) {
    if (e.$type !== "bpmn:IntermediateThrowEvent" && e.$type !== "bpmn:EndEvent") continue;
    for (const d of (e.eventDefinitions as ModdleElement[] | undefined) ?? []) {
      const signal = (d.signalRef as ModdleElement | undefined)?.id;
      if (d.$type === "bpmn:SignalEventDefinition" && signal) thrown.add(signal);
    }
  }
  return thrown;
}

/** What the runtime cannot drive in this element (see the tables above). */
function unsupportedProblems(e: ModdleElement, where: string, thrown: Set<string>): string[] {
  const problems: string[] = [];
  const type = UNSUPPORTED_TYPES[e.$type];
  if (type) problems.push(`${where}：平台暂不支持${type}，流程运行到此将无法继续`);
  const definitions = (e.eventDefinitions as ModdleElement[] | undefined) ?? [];
  if (e.$type === "bpmn:StartEvent" && definitions.length) {
    const kinds = definitions.map((d) => START_EVENT_KINDS[d.$type] ?? d.$type).join("、");
    problems.push(`${where}：平台暂不支持${kinds}开始事件，只能使用无触发条件的开始事件`);
  }
  if (CATCH_EVENT_TYPES.has(e.$type)) {
    for (const d of definitions) {
      if (d.$type === "bpmn:MessageEventDefinition") problems.push(...messageProblems(d, where));
      const signal = (d.signalRef as ModdleElement | undefined)?.id;
      if (d.$type === "bpmn:SignalEventDefinition" && signal && thrown.has(signal)) continue;
      const kind = UNSUPPORTED_CATCH_DEFINITIONS[d.$type];
      if (kind) problems.push(`${where}：平台暂不支持${kind}捕获事件，流程会在此一直等待`);
    }
  }
  // A catch event with no trigger waits for a signal that nothing sends.
  if (e.$type === "bpmn:IntermediateCatchEvent" && definitions.length === 0) {
    problems.push(`${where}：中间捕获事件未指定触发条件，流程会在此一直等待`);
  }
  if (e.$type === "bpmn:UserTask") {
    const loop = e.loopCharacteristics as ModdleElement | undefined;
    if (loop && USER_TASK_LOOPS[loop.$type]) problems.push(`${where}：平台暂不支持${USER_TASK_LOOPS[loop.$type]}用户任务`);
    if (loop?.$type === "bpmn:MultiInstanceLoopCharacteristics") problems.push(...loopProblems(loop, where));
    // Task rows are made for the user tasks inside embedded subprocesses, not inside an event
    // subprocess, a transaction or a multi-instance subprocess (nothing finds or signals those).
    for (
      let parent = e.$parent as ModdleElement | undefined;
      parent && parent.$type !== "bpmn:Process";
      parent = parent.$parent as ModdleElement
    ) {
      if (parent.$type === "bpmn:SubProcess" && !parent.triggeredByEvent && !parent.loopCharacteristics) continue;
      problems.push(`${where}：平台暂不支持${describeElement(parent)}这类子流程（事件子流程、事务或多实例子流程）中的用户任务`);
      break;
    }
  }
  return problems;
}

/**
 * A 会签/或签 task: parallel, one iteration per organisation id in a list of the flow's data
 * (camunda:collection, a safe path; camunda:elementVariable names each one), ended early only by a
 * completion condition in the safe expression form (`${true}`: the first completion ends the others).
 */
function loopProblems(loop: ModdleElement, where: string): string[] {
  const problems: string[] = [];
  if (loop.isSequential) return [`${where}：平台暂不支持串行多实例用户任务，请使用并行多实例（会签/或签）`];
  const collection = typeof loop.collection === "string" ? loop.collection.trim() : "";
  if (!SAFE_PATH_EXPRESSION.test(collection)) {
    problems.push(
      `${where}：会签/或签任务必须以 camunda:collection 指定办理单位列表，写成 \${environment.output.步骤.字段} 或 \${environment.variables.字段}`,
    );
  }
  const variable = typeof loop.elementVariable === "string" ? loop.elementVariable.trim() : "";
  if (!/^[A-Za-z_]\w{0,63}$/.test(variable))
    problems.push(`${where}：会签/或签任务必须以 camunda:elementVariable 指定每个办理单位的变量名`);
  if (loop.loopCardinality) problems.push(`${where}：会签/或签任务的份数由办理单位列表决定，不能另设 loopCardinality`);
  const condition = (loop.completionCondition as { body?: string; language?: string } | undefined) ?? undefined;
  if (condition) {
    if (condition.language) problems.push(`${where}：不允许使用脚本完成条件（${condition.language}）`);
    else {
      const problem = conditionProblem(condition.body ?? "");
      if (problem) problems.push(`${where}：完成条件${problem.replace(/^条件/, "")}`);
    }
  }
  return problems;
}

/** A message catch event: the API delivers a message by its name, from the roles the event names. */
function messageProblems(definition: ModdleElement, where: string): string[] {
  const message = definition.messageRef as ModdleElement | undefined;
  const name = message?.name?.trim() ?? "";
  if (!message) return [`${where}：消息捕获事件必须引用一条消息（bpmn:message），否则没有任何途径能送达`];
  if (!MESSAGE_NAME.test(name)) {
    return [`${where}：消息${describeElement(message)}必须有名称（1–64个汉字、字母、数字、下划线或连字符），接口按名称送达消息`];
  }
  return [];
}

function userTaskProblems(e: ModdleElement, where: string, options: ProcessCheckOptions): string[] {
  const problems: string[] = [];
  const formKey = typeof e.formKey === "string" ? e.formKey : "";
  if (!formKey) problems.push(`${where}：用户任务必须指定表单（camunda:formKey）`);
  else if (!options.forms.includes(formKey)) problems.push(`${where}：表单“${formKey}”不存在`);
  const groups = splitList(e.candidateGroups);
  if (groups.length === 0) problems.push(`${where}：用户任务必须指定办理角色（camunda:candidateGroups）`);
  for (const g of groups) if (!ROLE_SET.has(g)) problems.push(`${where}：办理角色“${g}”不是已知角色`);
  // The runtime makes task rows for roles (and a party rule's organisation), never for a person:
  // a named user would be read by no one, and the task offered to the whole role.
  for (const attribute of ["assignee", "candidateUsers"] as const)
    if (typeof e[attribute] === "string" && e[attribute].trim() !== "")
      problems.push(`${where}：平台按角色和参与单位分派，不支持指定个人（camunda:${attribute}），请删去并用办理角色`);
  return problems;
}

function serviceTaskProblems(e: ModdleElement, where: string, options: ProcessCheckOptions): string[] {
  if (e.script || e.scriptFormat) return [`${where}：不允许使用脚本`];
  const name = serviceNameOf(e.implementation ?? e.expression);
  if (!name) return [`${where}：服务任务必须以 \${environment.services.服务名} 指定平台服务`];
  return options.services.includes(name) ? [] : [`${where}：服务“${name}”不在平台服务目录中`];
}

function conditionProblems(e: ModdleElement, where: string): string[] {
  const condition = e.conditionExpression as ModdleElement & { body?: string; language?: string };
  if (condition.language) return [`${where}：不允许使用脚本条件（${condition.language}）`];
  const problem = conditionProblem(condition.body ?? "") ?? conditionValueProblem(condition.body ?? "");
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
    const problem = timerSettingProblem(kind as TimerKind, text);
    if (problem) problems.push(`${where}：${problem}`);
  }
  return problems;
}

export type TimerKind = "timeDuration" | "timeCycle" | "timeDate";

/** The latest a timer may fall due: a limit of a century is no limit, and later dates are not real ones. */
const TIMER_HORIZON_YEARS = 100;

/** What a timer's value that is no ISO 8601 at all is told. */
export function timerUnreadable(text: string): string {
  return `定时器时间“${String(text).slice(0, 60)}”无法解析（应为 ISO 8601，例如 P2D、R/P1M、2027-01-01T00:00:00+08:00，或 \${environment.variables.字段}）`;
}

/** A date (and time) with no zone: "2027-01-01T09:00" is read as UTC by the engine. */
const DATE_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/;

/**
 * Why a timer's value cannot be used, in Chinese, or null: for the deploy check (values written in
 * the diagram) and for the runtime (values a flow's data gives, `${environment.variables.…}`),
 * before the value is worked out. A repetition without end of a zero interval (R/PT0S) would never
 * finish being worked out, and a due date past the horizon is none.
 */
export function timerValueProblem(kind: TimerKind, text: string, now = new Date()): string | null {
  const unreadable = timerUnreadable(text);
  if (typeof text !== "string" || !text || text.length > 100) return unreadable;
  // The engine fires a cycle without its repetitions (PT1H) or with none (R0/PT1H) once: written
  // so, it is a duration or a mistake.
  const repeats = kind === "timeCycle" ? text.match(/^R(\d*)\//) : null;
  if (kind === "timeCycle" && !repeats)
    return `定时器周期“${text.slice(0, 60)}”应以 R 开头写明重复次数，如 R3/PT1H（每1小时、共3次）或 R/PT1H（不限次数）`;
  if (repeats?.[1] && Number(repeats[1]) === 0) return `定时器周期“${text}”的重复次数为0，应至少为1`;
  // The interval's duration part (P…), when it has one: a repetition of nothing never ends.
  const duration = text.split("/").find((part) => part.startsWith("P"));
  if (/^R/.test(text) && duration && !/[1-9]/.test(duration)) return `定时器“${text}”的重复间隔为0，会无限重复`;
  const cycle = kind === "timeCycle" ? cycleProblem(text, now) : null;
  if (cycle) return cycle;
  let interval: ISOInterval | null = null;
  let due: Date | null = null;
  try {
    if (kind === "timeDate") due = getDate(text);
    else interval = new ISOInterval(text).parse();
  } catch {
    return unreadable;
  }
  const tooFar = `定时器时间“${text}”超出${TIMER_HORIZON_YEARS}年`;
  try {
    due ??= interval!.getExpireAt(now, now);
  } catch {
    // Read, but with no date it could fall due on (P999999999Y).
    return tooFar;
  }
  const horizon = new Date(now);
  horizon.setFullYear(horizon.getFullYear() + TIMER_HORIZON_YEARS);
  return due instanceof Date && Number.isFinite(due.getTime()) && due <= horizon ? null : tooFar;
}

/** The shortest interval between a cycle's firings, and a duration written in a diagram. */
const MIN_TIMER_INTERVAL_MS = 60_000;
/** The most repetitions a cycle may name (R1000/…): more is a mistake, not a schedule. */
const MAX_TIMER_REPEATS = 1000;

/** A duration's length from `now` in milliseconds, or null when it is not one. */
function durationMs(duration: string, now: Date): number | null {
  try {
    return new ISOInterval(duration).parse().getExpireAt(now, now).getTime() - now.getTime();
  } catch {
    return null;
  }
}

/** Why a cycle repeats a malformed or too great number of times, or too often (under a minute), or null. */
function cycleProblem(text: string, now: Date): string | null {
  const repeats = text.match(/^R([^/]*)\//)?.[1];
  if (repeats !== undefined && (!/^\d{0,4}$/.test(repeats) || Number(repeats) > MAX_TIMER_REPEATS))
    return `定时器“${text}”的重复次数应为不超过${MAX_TIMER_REPEATS}的正整数`;
  const duration = text.split("/").find((part) => part.startsWith("P"));
  const ms = duration ? durationMs(duration, now) : null;
  return ms !== null && ms < MIN_TIMER_INTERVAL_MS ? `定时器“${text}”的重复间隔过短，最短间隔为1分钟` : null;
}

/**
 * Why a timer's value written in a diagram cannot be used, or null: what `timerValueProblem` refuses,
 * and a duration of zero (P0D, PT0S), a deadline that has passed as the step opens. A zero duration
 * a flow's data gives at run time is left to fire at once (a period's end just reached).
 */
export function timerSettingProblem(kind: TimerKind, text: string, now = new Date()): string | null {
  if (kind === "timeDuration" && /^P[\dYMWDTHS.]*$/.test(text) && !/[1-9]/.test(text)) return `定时器时长“${text}”为0，应大于0`;
  // A duration a flow's data gives at run time may be shorter (a period's end soon reached).
  const ms = kind === "timeDuration" ? durationMs(text, now) : null;
  if (ms !== null && ms < MIN_TIMER_INTERVAL_MS) return `定时器时长“${text}”过短，最短间隔为1分钟`;
  // A date written without its zone would fall due in UTC, 8 hours after the platform's (Asia/Shanghai)
  // clock reads it; a date a flow's data gives at run time is the flow's to get right.
  const date = kind === "timeDate" ? text : kind === "timeCycle" ? text.split("/").find((part) => /^\d{4}-/.test(part)) : undefined;
  if (date && DATE_WITHOUT_ZONE.test(date)) return `定时器时间“${date}”请注明时区，如 2027-01-01T09:00+08:00`;
  return timerValueProblem(kind, text, now);
}

/** Flow elements no path from a start event leads to (boundary events count when their activity is reached). */
function unreachable(elements: ModdleElement[]): ModdleElement[] {
  const nodes = elements.filter((e) => e.$type !== "bpmn:SequenceFlow");
  const outgoing = new Map<string, string[]>();
  const link = (from: string | undefined, to: string | undefined) => {
    if (!from || !to) return;
    const list = outgoing.get(from);
    if (list) list.push(to);
    else outgoing.set(from, [to]);
  };
  // A flow being drawn in the modeler may not have both ends yet.
  for (const f of elements.filter((e) => e.$type === "bpmn:SequenceFlow")) {
    link((f.sourceRef as ModdleElement | undefined)?.id, (f.targetRef as ModdleElement | undefined)?.id);
  }
  for (const b of nodes.filter((e) => e.$type === "bpmn:BoundaryEvent")) link((b.attachedToRef as ModdleElement | undefined)?.id, b.id);
  const reached = new Set<string>();
  const queue = nodes
    .filter((n) => n.$type === "bpmn:StartEvent" || (n.$type === "bpmn:SubProcess" && n.triggeredByEvent))
    .map((n) => n.id);
  // Elements inside a reached subprocess start from its own start events.
  const startsInside = new Map<string, string[]>();
  for (const n of nodes) {
    const parent = (n.$parent as ModdleElement | undefined)?.id;
    if (!parent || n.$type !== "bpmn:StartEvent") continue;
    const list = startsInside.get(parent);
    if (list) list.push(n.id);
    else startsInside.set(parent, [n.id]);
  }
  while (queue.length) {
    const id = queue.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const next of outgoing.get(id) ?? []) queue.push(next);
    for (const start of startsInside.get(id) ?? []) queue.push(start);
  }
  return nodes.filter((n) => !reached.has(n.id));
}

/**
 * A user task may pin an older version of its form (`camunda:formRefVersion`; without it the deploy
 * pins the latest): the version must exist, and every task of the process using that form must
 * pin the same one (a process version pins one version per form).
 */
function formVersionProblems(e: ModdleElement, where: string, options: ProcessCheckOptions): string[] {
  const formKey = typeof e.formKey === "string" ? e.formKey : "";
  const pinned = pinnedFormVersion(e);
  if (pinned === undefined || !formKey || !options.forms.includes(formKey)) return [];
  if (pinned === null || (options.formVersions && !(options.formVersions[formKey] ?? []).includes(pinned))) {
    return [`${where}：表单“${formKey}”没有第${String(e.formRefVersion)}版`];
  }
  const others = flowElementsOf(processOf(e) ?? e).filter((o) => o !== e && o.$type === "bpmn:UserTask" && o.formKey === formKey);
  return others.some((o) => pinnedFormVersion(o) !== pinned)
    ? [`${where}：同一流程中使用表单“${formKey}”的任务须固定同一版本（其他任务为最新版或另一版本）`]
    : [];
}

/** The form version a user task pins: undefined for none (the latest), null for one that is not a version number. */
export function pinnedFormVersion(e: ModdleElement): number | null | undefined {
  const value = e.formRefVersion;
  if (value === undefined || value === null || String(value).trim() === "") return undefined;
  return /^[1-9]\d{0,8}$/.test(String(value).trim()) ? Number(String(value).trim()) : null;
}
