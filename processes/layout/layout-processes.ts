import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { layoutProcess } from "bpmn-auto-layout";
import { BpmnModdle } from "bpmn-moddle";
import { xmlProblem } from "../../app/server/workflow/index.server";
import { layoutInput } from "../../app/shared/process-layout";

/**
 * Redraws the built-in diagrams (processes/*.bpmn) left to right, and writes each flow node's
 * `<bpmn:incoming>`/`<bpmn:outgoing>`: `npm run layout:processes`.
 *
 * The diagram interchange (bpmndi) is generated, and the flow references are written in from the
 * flows' sourceRef/targetRef (bpmnlint's rules read them, as strict BPMN tools do; the engine reads
 * the flows); the rest of the process part is kept as it is, text for text, comments included,
 * because it is what the engine runs. bpmn-auto-layout re-serialises the whole document, so its
 * drawing is spliced into the original text rather than its output written back. A file whose
 * references change is deployed as a new version at the next start, as any changed file is.
 */

const dir = path.resolve(import.meta.dirname, "..");
/** The prefixes a drawing uses, each declared on the root when it is not already. */
const DRAWING_NAMESPACES = [
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"',
  'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"',
  'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"',
];
const DIAGRAM = /(\n[ \t]*)?<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/;

/**
 * The original text with its drawing replaced by `drawn`'s, and the drawing's prefixes declared:
 * bpmn-moddle reads an undeclared prefix without a word, strict parsers refuse the whole file.
 */
function splice(original: string, drawn: string): string {
  const diagram = drawn.match(DIAGRAM);
  if (!diagram) throw new Error("bpmn-auto-layout produced no diagram");
  const block = diagram[0].replace(/^\n[ \t]*/, "");
  const text = DIAGRAM.test(original)
    ? original.replace(DIAGRAM, (_m, lead: string | undefined) => `${lead ?? ""}${block}`)
    : original.replace(/\n?<\/bpmn:definitions>/, `\n  ${block}\n</bpmn:definitions>`);
  const missing = DRAWING_NAMESPACES.filter((ns) => !text.includes(ns));
  return missing.length ? text.replace(/<bpmn:definitions /, `<bpmn:definitions ${missing.join(" ")} `) : text;
}

const num = (n: number) => String(Math.round(n * 100) / 100);

/**
 * bpmn-auto-layout puts every boundary event of a task near the same spot: where a task has
 * several (a reminder and a deadline), they are spread along its bottom edge, and the first
 * leg of each one's outgoing flow moves with it.
 */
function spreadBoundaryEvents(text: string): string {
  const hosts = new Map<string, string[]>();
  for (const m of text.matchAll(/<bpmn:boundaryEvent id="([\w-]+)"[^>]*attachedToRef="([\w-]+)"/g))
    hosts.set(m[2], [...(hosts.get(m[2]) ?? []), m[1]]);
  const bounds = (id: string) =>
    text.match(new RegExp(`bpmnElement="${id}"[^>]*>\\s*<dc:Bounds x="([\\d.]+)" y="([\\d.]+)" width="([\\d.]+)" height="([\\d.]+)"`));
  for (const [host, events] of hosts) {
    const box = bounds(host);
    if (events.length < 2 || !box) continue;
    const [x, width] = [Number(box[1]), Number(box[3])];
    events.forEach((event, i) => {
      const own = bounds(event);
      if (!own) return;
      const oldCentre = Number(own[1]) + Number(own[3]) / 2;
      // Evenly along the edge, but never closer than an event's width plus a gap.
      const step = Math.max(width / (events.length + 1), Number(own[3]) + 10);
      const centre = x + width / 2 + (i - (events.length - 1) / 2) * step;
      text = text.replace(own[0], own[0].replace(`x="${own[1]}"`, `x="${num(centre - Number(own[3]) / 2)}"`));
      for (const flow of text.matchAll(new RegExp(`<bpmn:sequenceFlow id="([\\w-]+)" sourceRef="${event}"`, "g"))) {
        const edge = text.match(new RegExp(`<bpmndi:BPMNEdge id="[\\w-]+" bpmnElement="${flow[1]}">[\\s\\S]*?</bpmndi:BPMNEdge>`));
        if (!edge) continue;
        // The legs that leave the event straight down keep leaving it straight down.
        const moved = edge[0].replace(/<di:waypoint x="([\d.]+)"/g, (w, wx: string) =>
          Math.abs(Number(wx) - oldCentre) < 0.5 ? `<di:waypoint x="${num(centre)}"` : w,
        );
        text = text.replace(edge[0], moved);
      }
    });
  }
  return text;
}

/** An element's start tag: its name, its attributes (a value may hold ">") and whether it closes itself. */
const START_TAG = /<bpmn:(\w+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g;
const FLOW_REFERENCE = /\s*<bpmn:(incoming|outgoing)>[^<]*<\/bpmn:\1>/g;
/** What may stand before an element's references (BPMN's order: documentation, extensionElements). */
const BEFORE_REFERENCES =
  /^(?:\s*(?:<!--[\s\S]*?-->|<bpmn:documentation[\s\S]*?<\/bpmn:documentation>|<bpmn:extensionElements>[\s\S]*?<\/bpmn:extensionElements>))*/;

/** Each flow node's incoming and outgoing flows by id, in the order of the flows in the file. */
async function flowReferences(xml: string): Promise<Map<string, { incoming: string[]; outgoing: string[] }>> {
  const { elementsById } = (await new BpmnModdle().fromXML(xml, "bpmn:Definitions")) as unknown as {
    elementsById: Record<string, { $type: string; id: string; sourceRef?: { id: string }; targetRef?: { id: string } }>;
  };
  const references = new Map<string, { incoming: string[]; outgoing: string[] }>();
  const of = (id: string) => references.get(id) ?? references.set(id, { incoming: [], outgoing: [] }).get(id)!;
  for (const flow of Object.values(elementsById).filter((e) => e.$type === "bpmn:SequenceFlow")) {
    if (flow.sourceRef) of(flow.sourceRef.id).outgoing.push(flow.id);
    if (flow.targetRef) of(flow.targetRef.id).incoming.push(flow.id);
  }
  return references;
}

/**
 * The text with every flow node's references written as its first children (after its
 * documentation and extensions), replacing those it had: an element that closed itself is opened.
 */
export async function withFlowReferences(xml: string): Promise<string> {
  const references = await flowReferences(xml);
  let text = xml.replace(FLOW_REFERENCE, "");
  // Elements a removal left empty close themselves again, as they were written.
  text = text.replace(/(<bpmn:(\w+)(?:\s+[\w:.-]+="[^"]*")*)\s*>\s*<\/bpmn:\2>/g, "$1 />");
  let out = "";
  let last = 0;
  for (const tag of text.matchAll(START_TAG)) {
    const id = tag[2].match(/\sid="([^"]+)"/)?.[1];
    const refs = id === undefined || tag[1] === "sequenceFlow" ? undefined : references.get(id);
    if (!refs) continue;
    const indent = text.slice(0, tag.index).match(/[ \t]*$/)![0];
    const lines = [
      ...refs.incoming.map((f) => `<bpmn:incoming>${f}</bpmn:incoming>`),
      ...refs.outgoing.map((f) => `<bpmn:outgoing>${f}</bpmn:outgoing>`),
    ]
      .map((line) => `\n${indent}  ${line}`)
      .join("");
    const end = tag.index + tag[0].length;
    if (tag[3] === "/") {
      out += `${text.slice(last, tag.index)}<bpmn:${tag[1]}${tag[2]}>${lines}\n${indent}</bpmn:${tag[1]}>`;
      last = end;
    } else {
      const skipped = text.slice(end).match(BEFORE_REFERENCES)![0];
      out += `${text.slice(last, end + skipped.length)}${lines}`;
      last = end + skipped.length;
    }
  }
  return out + text.slice(last);
}

/** The file without its drawing and its flow references: what must not change. */
const semantics = (xml: string) =>
  DRAWING_NAMESPACES.reduce((text, ns) => text.replace(` ${ns}`, ""), xml.replace(DIAGRAM, ""))
    .replace(FLOW_REFERENCE, "")
    .replace(/(<bpmn:(\w+)(?:\s+[\w:.-]+="[^"]*")*)\s*>\s*<\/bpmn:\2>/g, "$1 />");

export async function layoutFile(file: string): Promise<boolean> {
  const original = readFileSync(file, "utf8");
  const drawn = await layoutProcess(await layoutInput(original));
  const text = await withFlowReferences(spreadBoundaryEvents(splice(original, drawn)));
  if (semantics(text) !== semantics(original)) throw new Error(`${file}: the process part would change`);
  const notXml = xmlProblem(text);
  if (notXml) throw new Error(`${file}: the drawn file would not be well-formed XML: ${notXml}`);
  if (text === original) return false;
  writeFileSync(file, text);
  return true;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bpmn"))
  .map((f) => path.join(dir, f));
for (const file of files) console.log(`${(await layoutFile(file)) ? "redrawn" : "unchanged"}: ${path.relative(process.cwd(), file)}`);
