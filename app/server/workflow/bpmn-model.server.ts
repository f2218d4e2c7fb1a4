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
}

export interface DiagramModel {
  processId: string;
  processName: string;
  starterGroups: string[];
  elements: ModdleElement[];
  userTasks: Map<string, UserTaskInfo>;
  /** Boundary event id -> the activity it is attached to. */
  boundaryOf: Map<string, string>;
  /** camunda:properties of each element that has them (service parameters). */
  properties: Map<string, Record<string, string>>;
  /** camunda:properties of the process itself (e.g. businessType). */
  processProperties: Record<string, string>;
}

export class UnreadableDiagramError extends Error {}

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
    throw new UnreadableDiagramError(`无法解析流程图 XML：${(error as Error).message}`);
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
  return {
    processId: process.id,
    processName: process.name || process.id,
    starterGroups: splitList(process.candidateStarterGroups),
    elements,
    userTasks,
    boundaryOf,
    properties,
    processProperties: propertiesOf(process),
  };
}
