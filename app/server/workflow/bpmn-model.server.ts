import { createRequire } from "node:module";
import { BpmnModdle } from "bpmn-moddle";
import { camundaProperties, flowElementsOf, splitList, type ModdleElement } from "~/shared/process-checks";

const require = createRequire(import.meta.url);
export const camundaModdle = require("camunda-bpmn-moddle/resources/camunda.json");

export type { ModdleElement };

export interface UserTaskInfo {
  id: string;
  name: string;
  formKey: string | undefined;
  candidateGroups: string[];
  /**
   * A parallel multi-instance task (会签/或签): one task row per iteration, each for the
   * organisation its element variable names (a list of organisation ids in the flow's data).
   */
  multiInstance?: { elementVariable: string };
}

/** A message the diagram's catch events wait for, delivered through the API (POST …/messages/{name}). */
export interface MessageInfo {
  /** The bpmn:Message element's id: what the engine is signalled with. */
  id: string;
  name: string;
  /** The intermediate and boundary catch events waiting for it. */
  catchEvents: string[];
  /** The roles whose party in the instance may send it (camunda property senderRole); admins always may. */
  senderRoles: string[];
}

export interface DiagramModel {
  processId: string;
  processName: string;
  starterGroups: string[];
  elements: ModdleElement[];
  userTasks: Map<string, UserTaskInfo>;
  /** Boundary event id -> the activity it is attached to. */
  boundaryOf: Map<string, string>;
  /** Element id -> the embedded subprocess it is inside (absent for the process's own elements). */
  parentOf: Map<string, string>;
  /** The messages catch events wait for, by the message's name. */
  messages: Map<string, MessageInfo>;
  /** camunda:properties of each element that has them (service parameters). */
  properties: Map<string, Record<string, string>>;
  /** camunda:properties of the process itself (e.g. businessType). */
  processProperties: Record<string, string>;
}

export class UnreadableDiagramError extends Error {}

/** bpmn-moddle's refusals an administrator meets, in Chinese with their line and column; others as it says them. */
function inChinese(message: string): string {
  const where = message.match(/line: (\d+)\s+column: (\d+)/);
  const at = where ? `第 ${Number(where[1]) + 1} 行第 ${where[2]} 列：` : "";
  const unknown = message.match(/nested error: unknown type <([^>]+)>/);
  if (unknown)
    return `${at}不认识的元素 <${message.match(/unparsable content <([^>\s]+)>/)?.[1] ?? unknown[1]}>（不是 BPMN 或 camunda 定义的元素）`;
  if (/non-whitespace outside of root node/.test(message)) return `${at}根元素之外有文字`;
  const root = message.match(/^failed to parse document as <([^>]+)>/);
  if (root) return `文件的根元素不是 <${root[1].replace("Definitions", "definitions")}>`;
  return message;
}

/** Reads a BPMN 2.0 XML document with the camunda extension; exactly one executable process. */
export async function readDiagram(xml: string): Promise<DiagramModel> {
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  let root: { rootElements?: ModdleElement[] };
  try {
    const parsed = await moddle.fromXML(xml, "bpmn:Definitions");
    root = parsed.rootElement as never;
    const fatal = (parsed.warnings ?? []).find((w: { message: string }) => /unparsable|unexpected|unclosed|missing/i.test(w.message));
    if (fatal) throw new Error(fatal.message);
  } catch (error) {
    throw new UnreadableDiagramError(`无法解析流程图 XML：${inChinese((error as Error).message)}`);
  }
  const processes = (root.rootElements ?? []).filter((e) => e.$type === "bpmn:Process");
  if (processes.length !== 1) throw new UnreadableDiagramError(`流程图应包含且仅包含一个流程，当前为 ${processes.length} 个`);
  const process = processes[0];
  const elements = flowElementsOf(process);
  const userTasks = new Map<string, UserTaskInfo>();
  for (const e of elements) {
    if (e.$type !== "bpmn:UserTask") continue;
    userTasks.set(e.id, {
      id: e.id,
      name: e.name || e.id,
      formKey: typeof e.formKey === "string" ? e.formKey : undefined,
      candidateGroups: splitList(e.candidateGroups),
      ...multiInstanceOf(e),
    });
  }
  const boundaryOf = new Map<string, string>();
  const properties = new Map<string, Record<string, string>>();
  const propertiesOf = camundaProperties;
  for (const e of elements) {
    if (e.$type === "bpmn:BoundaryEvent") boundaryOf.set(e.id, (e.attachedToRef as ModdleElement | undefined)?.id ?? "");
    const values = propertiesOf(e);
    if (Object.keys(values).length) properties.set(e.id, values);
  }
  const parentOf = new Map<string, string>();
  for (const e of elements) {
    const parent = e.$parent as ModdleElement | undefined;
    if (parent && parent.$type === "bpmn:SubProcess") parentOf.set(e.id, parent.id);
  }
  const messages = new Map<string, MessageInfo>();
  for (const e of elements) {
    if (e.$type !== "bpmn:IntermediateCatchEvent" && e.$type !== "bpmn:BoundaryEvent") continue;
    for (const d of (e.eventDefinitions as ModdleElement[] | undefined) ?? []) {
      const message = d.$type === "bpmn:MessageEventDefinition" ? (d.messageRef as ModdleElement | undefined) : undefined;
      const name = message?.name?.trim();
      if (!message || !name) continue;
      const info = messages.get(name) ?? { id: message.id, name, catchEvents: [], senderRoles: [] };
      info.catchEvents.push(e.id);
      for (const role of splitList(properties.get(e.id)?.senderRole)) if (!info.senderRoles.includes(role)) info.senderRoles.push(role);
      messages.set(name, info);
    }
  }
  return {
    processId: process.id,
    processName: process.name || process.id,
    starterGroups: splitList(process.candidateStarterGroups),
    elements,
    userTasks,
    boundaryOf,
    parentOf,
    messages,
    properties,
    processProperties: propertiesOf(process),
  };
}

/** The loop of a parallel multi-instance user task, when it has one with an element variable. */
function multiInstanceOf(e: ModdleElement): Pick<UserTaskInfo, "multiInstance"> {
  const loop = e.loopCharacteristics as ModdleElement | undefined;
  if (loop?.$type !== "bpmn:MultiInstanceLoopCharacteristics" || loop.isSequential) return {};
  const elementVariable = typeof loop.elementVariable === "string" && loop.elementVariable.trim() ? loop.elementVariable.trim() : "item";
  return { multiInstance: { elementVariable } };
}
