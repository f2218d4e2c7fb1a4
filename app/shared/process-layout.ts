import { layoutProcess } from "bpmn-auto-layout";
import { BpmnModdle } from "bpmn-moddle";
import { fillFlowReferences } from "./process-lint";

// A drawing for a process that has none (a file written by hand or by another engine has no BPMNDI):
// bpmn-auto-layout draws it left to right. Used by the modeler on upload and by
// `npm run layout:processes` for the shipped files.

interface Node {
  $type: string;
  id: string;
  [key: string]: unknown;
}

/** Whether a BPMN file draws none of its elements (no BPMNDI shapes, whatever its prefixes). */
export function lacksDrawing(xml: string): boolean {
  return !/<([\w-]+:)?BPMNShape[\s>]/.test(xml);
}

/**
 * The file as bpmn-auto-layout needs it: it walks the graph through each node's incoming/outgoing,
 * which our files leave out (the engine reads the flows' sourceRef/targetRef). Without them every
 * node is a start of its own and they end up in one column with no edges. Any drawing is dropped.
 */
export async function layoutInput(xml: string): Promise<string> {
  const moddle = new BpmnModdle();
  const { rootElement } = await moddle.fromXML(xml, "bpmn:Definitions");
  const definitions = rootElement as unknown as Node & { rootElements: Node[]; diagrams: unknown[] };
  const fill = (container: Node) => {
    const elements = (container.flowElements as Node[] | undefined) ?? [];
    fillFlowReferences(elements.filter((e) => e.$type === "bpmn:SequenceFlow") as never);
    for (const sub of elements.filter((e) => e.$type === "bpmn:SubProcess")) fill(sub);
  };
  for (const p of definitions.rootElements.filter((e) => e.$type === "bpmn:Process")) fill(p);
  definitions.diagrams = [];
  return (await moddle.toXML(rootElement, { format: true })).xml;
}

/** The file with a drawing made for its first process (the whole document re-written by bpmn-moddle). */
export async function layoutDrawing(xml: string): Promise<string> {
  return layoutProcess(await layoutInput(xml));
}
