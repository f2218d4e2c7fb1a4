import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { BpmnModdle } from "bpmn-moddle";
import { describe, expect, it } from "vitest";
import { camundaModdle, xmlProblem } from "~/server/workflow/index.server";

// The built-in diagrams are what users see on every task and instance page (bpmn-js draws the
// BPMNDI, not the process). A step without a shape is invisible, a flow without an edge leaves the
// reader guessing where the flow goes, and shapes drawn on top of each other are unreadable.

const dir = path.resolve(import.meta.dirname, "../../processes");
const files = readdirSync(dir).filter((f) => f.endsWith(".bpmn"));

interface Element {
  $type: string;
  id: string;
  $instanceOf(type: string): boolean;
  [key: string]: unknown;
}
interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Point {
  x: number;
  y: number;
}

async function read(file: string) {
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  const { rootElement } = await moddle.fromXML(readFileSync(path.join(dir, file), "utf8"), "bpmn:Definitions");
  const root = rootElement as unknown as { rootElements: Element[]; diagrams?: { plane: { planeElement?: Element[] } }[] };
  const nodes: Element[] = [];
  const flows: Element[] = [];
  const collect = (container: Element) => {
    for (const e of (container.flowElements as Element[] | undefined) ?? []) {
      if (e.$instanceOf("bpmn:SequenceFlow")) flows.push(e);
      else if (e.$instanceOf("bpmn:FlowNode")) nodes.push(e);
      if (e.$instanceOf("bpmn:SubProcess")) collect(e);
    }
  };
  for (const p of root.rootElements.filter((e) => e.$type === "bpmn:Process")) collect(p);
  const drawn = (root.diagrams ?? []).flatMap((d) => d.plane.planeElement ?? []);
  const shapes = new Map<string, Bounds>();
  const edges = new Map<string, Point[]>();
  for (const d of drawn) {
    const target = d.bpmnElement as Element | undefined;
    if (!target) continue;
    if (d.$type === "bpmndi:BPMNShape") shapes.set(target.id, d.bounds as Bounds);
    if (d.$type === "bpmndi:BPMNEdge") edges.set(target.id, (d.waypoint as Point[] | undefined) ?? []);
  }
  return { nodes, flows, shapes, edges };
}

const overlap = (a: Bounds, b: Bounds) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
// A flow's ends touch its source and target (within a pixel: the layout rounds).
const touches = (p: Point, b: Bounds) => p.x >= b.x - 1 && p.x <= b.x + b.width + 1 && p.y >= b.y - 1 && p.y <= b.y + b.height + 1;

it("finds the built-in diagrams", () => {
  expect(files).toEqual(
    expect.arrayContaining(["demo-approval.bpmn", "insurance-review.bpmn", "risk-management.bpmn", "underwriting-report.bpmn"]),
  );
});

describe.each(files)("%s", (file) => {
  it("is namespace-well-formed XML for a strict parser (every prefix declared)", () => {
    expect(xmlProblem(readFileSync(path.join(dir, file), "utf8"))).toBeNull();
  });

  it("draws every step", async () => {
    const { nodes, shapes } = await read(file);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.filter((n) => !shapes.has(n.id)).map((n) => n.id)).toEqual([]);
  });

  it("draws every sequence flow from its source to its target", async () => {
    const { flows, shapes, edges } = await read(file);
    const faults: string[] = [];
    for (const f of flows) {
      const points = edges.get(f.id);
      if (!points || points.length < 2) {
        faults.push(`${f.id}: no edge`);
        continue;
      }
      const source = shapes.get((f.sourceRef as Element).id);
      const target = shapes.get((f.targetRef as Element).id);
      if (source && !touches(points[0], source)) faults.push(`${f.id}: starts away from its source`);
      if (target && !touches(points.at(-1)!, target)) faults.push(`${f.id}: ends away from its target`);
    }
    expect(faults).toEqual([]);
  });

  it("draws no step on top of another (a boundary event sits on its own task)", async () => {
    const { nodes, shapes } = await read(file);
    const hostOf = new Map(nodes.filter((n) => n.attachedToRef).map((n) => [n.id, (n.attachedToRef as Element).id]));
    const faults: string[] = [];
    const drawn = nodes.filter((n) => shapes.has(n.id));
    for (const [i, a] of drawn.entries()) {
      for (const b of drawn.slice(i + 1)) {
        if (hostOf.get(a.id) === b.id || hostOf.get(b.id) === a.id) continue;
        if (overlap(shapes.get(a.id)!, shapes.get(b.id)!)) faults.push(`${a.id} / ${b.id}`);
      }
    }
    for (const [event, host] of hostOf) {
      if (shapes.has(event) && shapes.has(host) && !overlap(shapes.get(event)!, shapes.get(host)!)) faults.push(`${event} is off its task`);
    }
    expect(faults).toEqual([]);
  });
});

// The tests' own diagrams (no drawing: they are read by the runtime only) are held to the same XML.
const testDiagrams = readdirSync(path.resolve(import.meta.dirname, ".."), { recursive: true, encoding: "utf8" }).filter((f) =>
  f.endsWith(".bpmn"),
);
describe("the tests' diagrams", () => {
  it.each(testDiagrams)("%s is namespace-well-formed XML for a strict parser", (file) => {
    expect(xmlProblem(readFileSync(path.resolve(import.meta.dirname, "..", file), "utf8"))).toBeNull();
  });
});
