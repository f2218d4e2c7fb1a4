import { useEffect, useRef, useState } from "react";
import { Alert } from "~/components/ui/Alert";
import { Space } from "~/components/ui/Space";
import { Spin } from "~/components/ui/Spin";

interface Canvas {
  zoom(v: string, center?: string): void;
  resized(): void;
  addMarker(id: string, cls: string): void;
}

/** A figure drawn on an element (the heatmap's): the element filled in `fill`, a badge below it with `text`. */
export interface DiagramBadge {
  elementId: string;
  text: string;
  fill: string;
  stroke: string;
}

/** A legend entry: a colour swatch and what it means. */
export interface LegendEntry {
  label: string;
  fill: string;
  stroke: string;
}

// Where an administrator sees a flow's incident (流程运维): drawn over the other markers.
const INCIDENT_MARKER = { cls: "idi-incident", label: "异常环节", fill: "#fff1f0", stroke: "#a8071a" } as const;

// The marker colours, shared by the diagram and its legend so they cannot drift apart.
const MARKERS = [
  { cls: "idi-done", label: "已完成", fill: "#e6f4ea", stroke: "#389e0d" },
  { cls: "idi-current", label: "当前环节", fill: "#fff7e6", stroke: "#d46b08" },
  { cls: "idi-returned", label: "被退回", fill: "#fff1f0", stroke: "#cf1322" },
] as const;

// Narrower, a flow of a dozen steps fitted to the box would be too small to read.
const DIAGRAM_MIN_WIDTH = 720;

// One string: React's server rendering would separate several text children with comments.
const MARKER_CSS = [
  ...MARKERS.map(
    (m) => `.${m.cls}:not(.djs-connection) .djs-visual > :nth-child(1) { fill: ${m.fill} !important; stroke: ${m.stroke} !important; }`,
  ),
  ".idi-current:not(.djs-connection) .djs-visual > :nth-child(1) { stroke-width: 3px !important; }",
  `.${INCIDENT_MARKER.cls}:not(.djs-connection) .djs-visual > :nth-child(1) { fill: ${INCIDENT_MARKER.fill} !important; stroke: ${INCIDENT_MARKER.stroke} !important; stroke-width: 4px !important; stroke-dasharray: 6 3; }`,
  ".idi-badge { font-size: 11px; line-height: 1.3; padding: 1px 4px; border-radius: 3px; background: #fff; border: 1px solid #d9d9d9; white-space: pre; }",
].join("\n");

/** Markers of another page's own (the comparison of two versions: added, removed, changed), with their legend. */
export interface ExtraMarks {
  cls: string;
  label: string;
  fill: string;
  stroke: string;
  ids: string[];
}

const extraCss = (extra: ExtraMarks[]) =>
  extra
    .flatMap((m) => [
      `.${m.cls}:not(.djs-connection) .djs-visual > :nth-child(1) { fill: ${m.fill} !important; stroke: ${m.stroke} !important; stroke-width: 3px !important; }`,
      `.${m.cls}.djs-connection .djs-visual > path { stroke: ${m.stroke} !important; stroke-width: 3px !important; }`,
    ])
    .join("\n");

/**
 * The process diagram with the completed steps, the current ones and those sent back highlighted;
 * for administrators also the step of an incident (`incident`), and figures drawn on steps
 * (`badges`, the heatmap) with their own `legend`; or another page's own markers instead (`extra`,
 * the comparison of two versions). bpmn-js touches the DOM, so it is loaded only in
 * the browser, after the page has hydrated.
 */
export function DiagramViewer({
  xml,
  completed,
  current,
  returned,
  incident = [],
  badges = [],
  legend,
  extra,
  fitWidth = false,
}: {
  xml: string;
  completed: string[];
  current: string[];
  returned: string[];
  incident?: string[];
  badges?: DiagramBadge[];
  legend?: LegendEntry[];
  /** Given, these markers and their legend instead of the flow's (done, current, returned). */
  extra?: ExtraMarks[];
  /** Drawn at its box's width, however narrow (two diagrams side by side), instead of scrolling sideways. */
  fitWidth?: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  // The lists are new arrays on every render; the diagram is redrawn only when their content changes.
  const marks = JSON.stringify([completed, current, returned, incident, extra ?? []]);
  const figures = JSON.stringify(badges);
  useEffect(() => {
    let viewer: { destroy(): void } | undefined;
    let observer: ResizeObserver | undefined;
    let cancelled = false;
    (async () => {
      try {
        const { default: NavigatedViewer } = await import("bpmn-js/lib/NavigatedViewer");
        const element = container.current;
        if (cancelled || !element) return;
        const instance = new NavigatedViewer({ container: element });
        viewer = instance;
        await instance.importXML(xml);
        if (cancelled) return;
        const canvas = instance.get("canvas") as Canvas;
        const [done, now, back, failed, more] = JSON.parse(marks) as [string[], string[], string[], string[], ExtraMarks[]];
        // "Returned" is added last so its colour wins over "done" on a step both done and sent back;
        // a current step sent back keeps the current step's thick outline.
        for (const id of done) canvas.addMarker(id, "idi-done");
        for (const id of now) canvas.addMarker(id, "idi-current");
        for (const id of back) canvas.addMarker(id, "idi-returned");
        for (const id of failed) canvas.addMarker(id, INCIDENT_MARKER.cls);
        for (const m of more) for (const id of m.ids) canvas.addMarker(id, m.cls);
        drawBadges(instance, JSON.parse(figures) as DiagramBadge[]);
        // bpmn-js measures its container when fitting: in a pane that is still hidden (a tab not yet
        // shown) that is 0×0, and the diagram stays a dot. Fit again whenever the box changes size.
        let size = "";
        const fit = () => {
          const { width, height } = element.getBoundingClientRect();
          if (!width || !height || `${width}x${height}` === size) return;
          size = `${width}x${height}`;
          canvas.resized();
          canvas.zoom("fit-viewport", "auto");
        };
        fit();
        observer = new ResizeObserver(fit);
        observer.observe(element);
        setState("ready");
      } catch {
        if (!cancelled) setState("failed");
      }
    })();
    return () => {
      cancelled = true;
      observer?.disconnect();
      viewer?.destroy();
    };
  }, [xml, marks, figures]);
  const legendEntries = legend ?? extra ?? [...MARKERS, ...(incident.length ? [INCIDENT_MARKER] : [])];
  return (
    <div>
      {/* As markup, not text: rendered on the server, a text child's ">" would be escaped to "&gt;", which a
          style element keeps as it is (a broken rule, and a hydration mismatch). The CSS is a constant. */}
      <style dangerouslySetInnerHTML={{ __html: extra ? `${MARKER_CSS}\n${extraCss(extra)}` : MARKER_CSS }} />
      {state === "loading" ? <Spin tip="正在加载流程图" /> : null}
      {state === "failed" ? <Alert type="warning" message="流程图无法显示" /> : null}
      {/* On a phone the diagram keeps a readable size and scrolls sideways inside its box. */}
      <div style={{ overflowX: "auto" }} data-testid="diagram-box">
        <div
          ref={container}
          data-testid="diagram"
          style={{ height: 360, minWidth: fitWidth ? 0 : DIAGRAM_MIN_WIDTH, border: "1px solid #f0f0f0" }}
        />
      </div>
      <Space size="large" wrap style={{ marginTop: 8 }} data-testid="diagram-legend">
        {legendEntries.map((m) => (
          <Space key={m.label} size={4}>
            <Swatch fill={m.fill} stroke={m.stroke} />
            {m.label}
          </Space>
        ))}
      </Space>
    </div>
  );
}

/** A marker's colours as a small square, as the legend and the tables beside a diagram show them. */
export function Swatch({ fill, stroke, size = 14, radius = 3 }: { fill: string; stroke: string; size?: number; radius?: number }) {
  return (
    <span
      style={{ display: "inline-block", width: size, height: size, background: fill, border: `2px solid ${stroke}`, borderRadius: radius }}
    />
  );
}

type ElementRegistry = { get(id: string): unknown; getGraphics(id: string): SVGElement | undefined };
type Overlays = {
  add(id: string, overlay: { position: { bottom: number; left: number }; html: HTMLElement; scale?: { min: number } }): void;
};

/** Fills each badge's element with its colour and writes its figures below it (text only: no HTML from data). */
function drawBadges(viewer: { get(name: string): unknown }, badges: DiagramBadge[]) {
  if (!badges.length) return;
  const registry = viewer.get("elementRegistry") as ElementRegistry;
  const overlays = viewer.get("overlays") as Overlays;
  for (const badge of badges) {
    if (!registry.get(badge.elementId)) continue;
    const shape = registry.getGraphics(badge.elementId)?.querySelector<SVGElement>(".djs-visual > :nth-child(1)");
    if (shape) {
      shape.style.fill = badge.fill;
      shape.style.stroke = badge.stroke;
    }
    const html = document.createElement("div");
    html.className = "idi-badge";
    html.dataset.testid = "heat-badge";
    html.dataset.elementId = badge.elementId;
    html.style.borderColor = badge.stroke;
    html.textContent = badge.text;
    // A wide flow fitted to a laptop's screen is drawn at half size or less: the figures keep a
    // readable size (at least 90% of theirs) rather than shrinking with the drawing.
    overlays.add(badge.elementId, { position: { bottom: -4, left: 0 }, html, scale: { min: 0.9 } });
  }
}

/**
 * The 流程图 tab of the task and instance pages, from their view (flow-views/instance-view.server.ts);
 * the administrators' page (流程运维) marks the incident's step too.
 */
export function diagramTab(
  view: {
    definition: { xml: string };
    completedElements: string[];
    currentElements: string[];
    returnedElements: string[];
  },
  more: { incident?: string[] } = {},
) {
  return {
    key: "diagram",
    label: "流程图",
    children: (
      <DiagramViewer
        xml={view.definition.xml}
        completed={view.completedElements}
        current={view.currentElements}
        returned={view.returnedElements}
        incident={more.incident}
      />
    ),
  };
}
