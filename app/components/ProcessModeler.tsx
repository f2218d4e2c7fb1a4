import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";
import { Alert } from "~/components/ui/Alert";
import { Spin } from "~/components/ui/Spin";
import type { ProcessCheckOptions } from "~/shared/process-checks";
import type { PlatformChoices } from "./modeler/platform-panel.client";

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js's services are untyped */

export interface ProcessModelerHandle {
  /** The diagram as drawn, as BPMN 2.0 XML. */
  xml(): Promise<string>;
  /**
   * Replaces the drawing (an uploaded file); the promise rejects when the file cannot be read, and
   * says whether the file had no drawing and was laid out automatically.
   */
  open(xml: string): Promise<{ laidOut: boolean }>;
  /** Shows an element (a problem's) selected in the middle of the canvas. */
  show(elementId: string): void;
  /** The user tasks drawn now, by id and name, with the form each names. */
  userTasks(): { id: string; name: string; formKey?: string }[];
  /** Marks the elements and flows a dry run went through (an empty list clears the marks). */
  markPath(ids: string[]): void;
}

export interface DiagramProblem {
  elementId?: string;
  message: string;
}

/** A lint finding on the drawing, as the page lists it. */
export interface LintIssue {
  elementId: string;
  /** The element's name, or its id when it has none. */
  name: string;
  message: string;
  category: "error" | "warn" | "info";
}

// The server's refusal, on the elements it names: red outline and a badge with its messages.
const REFUSED_CSS = [
  ".idi-refused:not(.djs-connection) .djs-visual > :nth-child(1) { stroke: #cf1322 !important; stroke-width: 3px !important; }",
  ".idi-refused.djs-connection .djs-visual > path { stroke: #cf1322 !important; stroke-width: 3px !important; }",
  ".idi-dry-path:not(.djs-connection) .djs-visual > :nth-child(1) { stroke: #1677ff !important; stroke-width: 3px !important; }",
  ".idi-dry-path.djs-connection .djs-visual > path { stroke: #1677ff !important; stroke-width: 3px !important; }",
  ".idi-refused-badge { background: #cf1322; color: #fff; border-radius: 9px; padding: 0 6px; font-size: 12px; white-space: nowrap; }",
  // Lint findings: an element with an error gets a thick dashed red outline (a deploy's refusal is
  // solid), and bpmnlint's badge is made bigger; the fitted diagram is often drawn at half size.
  ".idi-lint-error:not(.djs-connection) .djs-visual > :nth-child(1) { stroke: #cf1322 !important; stroke-width: 4px !important; stroke-dasharray: 8 4; fill: #fff1f0 !important; }",
  ".idi-lint-error.djs-connection .djs-visual > path { stroke: #cf1322 !important; stroke-width: 4px !important; stroke-dasharray: 8 4; }",
  "[data-testid=modeler-canvas] .bjsl-icon { width: 30px; height: 30px; padding: 6px; box-shadow: 0 0 0 2px #fff, 0 1px 4px rgba(0, 0, 0, 0.4); }",
  // Set on the element's corner rather than over it: the step stays clickable.
  "[data-testid=modeler-canvas] .bjsl-issues-top-right { margin: -16px 0 0 -16px; }",
].join("\n");

/** Fits the diagram to the canvas, left of it the palette's width kept free so that it covers no step. */
function fitBesidePalette(canvas: any) {
  canvas.zoom("fit-viewport", "auto");
  const box = canvas.viewbox();
  const margin = 120 / box.scale;
  canvas.viewbox({ x: box.x - margin, y: box.y, width: box.width + margin, height: box.height + margin / 2 });
}

/**
 * Marks the elements with lint errors (bpmnlint's own badge alone is small) and lists the findings,
 * errors first, their messages in Chinese as the badges show them.
 */
function markLintIssues(instance: any, issues: Record<string, { id: string; message: string; category: LintIssue["category"] }[]>) {
  const canvas = instance.get("canvas");
  const registry = instance.get("elementRegistry");
  const translate = instance.get("translate");
  for (const element of registry.getAll()) canvas.removeMarker(element, "idi-lint-error");
  const list: LintIssue[] = [];
  for (const [id, found] of Object.entries(issues)) {
    const element = registry.get(id);
    if (element?.parent && found.some((i) => i.category === "error")) canvas.addMarker(element, "idi-lint-error");
    for (const issue of found) {
      // An issue of an element not drawn (a process's) is reported on the root: named by its own id.
      const target = registry.get(issue.id) ?? element;
      list.push({
        elementId: target?.id ?? id,
        name: target?.businessObject?.name || issue.id,
        message: translate(issue.message),
        category: issue.category,
      });
    }
  }
  const rank = { error: 0, warn: 1, info: 2 };
  return list.sort((a, b) => rank[a.category] - rank[b.category]);
}

/**
 * The bpmn-js modeler with the properties panel and lint (decision 035). bpmn-js cannot run on the
 * server, so everything is imported in the browser, after hydration (modeler/modeler.client.ts).
 * `problems` are a deploy's refusal by the server, marked on the elements they name.
 */
export const ProcessModeler = forwardRef<
  ProcessModelerHandle,
  {
    xml: string;
    choices: PlatformChoices;
    checks: ProcessCheckOptions;
    problems: DiagramProblem[];
    onLint?: (issues: LintIssue[]) => void;
    /** Called when the drawing changes (an edit, an undo, a file opened), not when it is first shown. */
    onChange?: () => void;
  }
>(function ProcessModeler({ xml, choices, checks, problems, onLint, onChange }, ref) {
  const canvasBox = useRef<HTMLDivElement>(null);
  const panelBox = useRef<HTMLDivElement>(null);
  const modeler = useRef<any>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  const onLintRef = useRef(onLint);
  onLintRef.current = onLint;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    let cancelled = false;
    let instance: any;
    (async () => {
      try {
        const { createModeler } = await import("./modeler/modeler.client");
        if (cancelled || !canvasBox.current || !panelBox.current) return;
        instance = createModeler(canvasBox.current, panelBox.current, choices, checks);
        modeler.current = instance;
        instance
          .get("eventBus")
          .on(
            "linting.completed",
            ({ issues }: { issues: Record<string, { id: string; message: string; category: LintIssue["category"] }[]> }) =>
              onLintRef.current?.(markLintIssues(instance, issues)),
          );
        // An import clears the command stack ("clear"): an edit is any other change.
        instance.get("eventBus").on("commandStack.changed", ({ trigger }: { trigger?: string }) => {
          if (trigger !== "clear") onChangeRef.current?.();
        });
        await instance.importXML(xml);
        if (cancelled) return;
        fitBesidePalette(instance.get("canvas"));
        setState("ready");
      } catch {
        if (!cancelled) setState("failed");
      }
    })();
    return () => {
      cancelled = true;
      instance?.destroy();
      modeler.current = null;
    };
    // The modeler is made once per page: the drawing is its state from then on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The server's problems, on their elements; the previous ones go first.
  useEffect(() => {
    const instance = modeler.current;
    if (state !== "ready" || !instance) return;
    const canvas = instance.get("canvas");
    const overlays = instance.get("overlays");
    const registry = instance.get("elementRegistry");
    overlays.remove({ type: "idi-refused" });
    for (const element of registry.getAll()) canvas.removeMarker(element, "idi-refused");
    const byElement = new Map<string, string[]>();
    for (const p of problems)
      if (p.elementId && registry.get(p.elementId)) byElement.set(p.elementId, [...(byElement.get(p.elementId) ?? []), p.message]);
    for (const [id, messages] of byElement) {
      canvas.addMarker(id, "idi-refused");
      const badge = document.createElement("div");
      badge.className = "idi-refused-badge";
      badge.dataset.testid = `refused-${id}`;
      badge.title = messages.join("\n");
      badge.textContent = `发布被拒 ${messages.length}`;
      overlays.add(id, "idi-refused", { position: { top: -18, left: 0 }, html: badge });
    }
  }, [problems, state]);

  useImperativeHandle(ref, () => ({
    async xml() {
      const { xml: text } = await modeler.current.saveXML({ format: true });
      return text as string;
    },
    async open(text: string) {
      const { drawable } = await import("./modeler/modeler.client");
      const file = await drawable(text);
      await modeler.current.importXML(file.xml);
      fitBesidePalette(modeler.current.get("canvas"));
      onChangeRef.current?.();
      return { laidOut: file.laidOut };
    },
    userTasks() {
      const registry = modeler.current?.get("elementRegistry");
      return ((registry?.filter((e: any) => e.type === "bpmn:UserTask") ?? []) as any[]).map((e) => ({
        id: e.id as string,
        name: (e.businessObject?.name as string | undefined) ?? e.id,
        formKey: e.businessObject?.formKey as string | undefined,
      }));
    },
    markPath(ids: string[]) {
      const instance = modeler.current;
      if (!instance) return;
      const canvas = instance.get("canvas");
      const registry = instance.get("elementRegistry");
      for (const element of registry.getAll()) canvas.removeMarker(element, "idi-dry-path");
      for (const id of ids) if (registry.get(id)) canvas.addMarker(id, "idi-dry-path");
    },
    show(elementId: string) {
      const instance = modeler.current;
      const element = instance?.get("elementRegistry").get(elementId);
      if (!element) return;
      instance.get("selection").select(element);
      // The process itself (a problem of the whole drawing) is the canvas: nothing to scroll to.
      if (element.parent) instance.get("canvas").scrollToElement(element);
    },
  }));

  return (
    <div>
      {/* As HTML: React's server rendering would escape the ">" of a text child, which a style element does not decode. */}
      <style dangerouslySetInnerHTML={{ __html: REFUSED_CSS }} />
      {state === "loading" ? <Spin tip="正在加载流程建模器" /> : null}
      {state === "failed" ? <Alert type="error" message="流程图无法打开（文件不是可读的 BPMN 2.0 流程图）" /> : null}
      <div style={{ display: "flex", border: "1px solid #f0f0f0", height: 620 }}>
        <div ref={canvasBox} data-testid="modeler-canvas" style={{ flex: 1, minWidth: 0, position: "relative" }} />
        <div ref={panelBox} data-testid="modeler-panel" style={{ width: 340, borderLeft: "1px solid #f0f0f0", overflowY: "auto" }} />
      </div>
    </div>
  );
});
