import { useEffect, useRef, useState } from "react";
import { Alert, Spin } from "antd";

/**
 * The process diagram with the completed steps and the current ones highlighted. bpmn-js touches
 * the DOM, so it is loaded only in the browser, after the page has hydrated.
 */
export function DiagramViewer({ xml, completed, current }: { xml: string; completed: string[]; current: string[] }) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  useEffect(() => {
    let viewer: { destroy(): void } | undefined;
    let cancelled = false;
    (async () => {
      try {
        const { default: NavigatedViewer } = await import("bpmn-js/lib/NavigatedViewer");
        if (cancelled || !container.current) return;
        const instance = new NavigatedViewer({ container: container.current });
        viewer = instance;
        await instance.importXML(xml);
        const canvas = instance.get("canvas") as { zoom(v: string): void; addMarker(id: string, cls: string): void };
        canvas.zoom("fit-viewport");
        for (const id of completed) canvas.addMarker(id, "idi-done");
        for (const id of current) canvas.addMarker(id, "idi-current");
        setState("ready");
      } catch {
        if (!cancelled) setState("failed");
      }
    })();
    return () => {
      cancelled = true;
      viewer?.destroy();
    };
  }, [xml, completed, current]);
  return (
    <div>
      <style>{`
        .idi-done:not(.djs-connection) .djs-visual > :nth-child(1) { fill: #e6f4ea !important; stroke: #389e0d !important; }
        .idi-current:not(.djs-connection) .djs-visual > :nth-child(1) { fill: #fff7e6 !important; stroke: #d46b08 !important; stroke-width: 3px !important; }
      `}</style>
      {state === "loading" ? <Spin tip="正在加载流程图" /> : null}
      {state === "failed" ? <Alert type="warning" message="流程图无法显示" /> : null}
      <div ref={container} data-testid="diagram" style={{ height: 360, border: "1px solid #f0f0f0" }} />
    </div>
  );
}
