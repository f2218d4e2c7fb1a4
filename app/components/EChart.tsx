import { Alert } from "~/components/ui/Alert";
import { Spin } from "~/components/ui/Spin";
import type * as EChartsLibrary from "echarts";
import type { EChartsOption, ECharts } from "echarts";
import { useEffect, useRef, useState } from "react";

type EChartsModule = typeof EChartsLibrary;

/** ECharts, loaded once per page and only in the browser: the pages that draw no chart never ship it. */
let loading: Promise<EChartsModule> | undefined;
function loadECharts(): Promise<EChartsModule> {
  loading ??= import("echarts");
  return loading;
}

/**
 * One ECharts chart in a box of the given height. Drawn after hydration (ECharts needs the DOM),
 * redrawn when `option` changes, resized with its box. `onReady` gets the instance (to register a
 * map before the option that uses it, or to listen to clicks); `onClick` gets the clicked item's
 * data (`name`, `value` and whatever the series' data carried, such as a `link`).
 */
export function EChart({
  option,
  height = 320,
  ariaLabel,
  onClick,
  prepare,
}: {
  option: EChartsOption;
  height?: number;
  /** What the chart shows, for screen readers and tests (the canvas itself says nothing). */
  ariaLabel: string;
  onClick?: (data: Record<string, unknown>) => void;
  /** Runs once ECharts is loaded and before the option is set (e.g. echarts.registerMap). */
  prepare?: (echarts: EChartsModule) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | undefined>(undefined);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  const clicked = useRef(onClick);
  clicked.current = onClick;

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    loadECharts()
      .then((echarts) => {
        const element = box.current;
        if (cancelled || !element) return;
        prepare?.(echarts);
        const instance = echarts.init(element, undefined, { renderer: "canvas" });
        chart.current = instance;
        instance.on("click", (params) => clicked.current?.((params.data ?? {}) as Record<string, unknown>));
        observer = new ResizeObserver(() => instance.resize());
        observer.observe(element);
        setState("ready");
      })
      .catch(() => !cancelled && setState("failed"));
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = undefined;
    };
    // prepare runs once per mount: a chart's map is registered when it is first drawn.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (state === "ready") chart.current?.setOption(option, { notMerge: true });
  }, [option, state]);

  if (state === "failed") return <Alert type="error" showIcon message="图表加载失败，请刷新页面重试" />;
  return (
    <div style={{ position: "relative", height }}>
      <div ref={box} role="img" aria-label={ariaLabel} data-chart-state={state} style={{ width: "100%", height: "100%" }} />
      {state === "loading" ? (
        <Spin style={{ position: "absolute", inset: 0, display: "flex", alignItems: "center", justifyContent: "center" }} />
      ) : null}
    </div>
  );
}
