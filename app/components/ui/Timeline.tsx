import type { Key, ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's timeline (dots down a line, what happened beside each), as its stylesheet draws it,
// without its scripts (decision 042).

const PRESET = new Set(["blue", "red", "green", "gray"]);

export function Timeline({
  items,
  "data-testid": testId,
}: {
  items: { key?: Key; color?: string; children?: ReactNode }[];
  "data-testid"?: string;
}) {
  const root = useAntdClass("ant-timeline");
  return (
    <ol className={root} data-testid={testId}>
      {items.map((item, i) => {
        const color = item.color ?? "blue";
        const preset = PRESET.has(color);
        return (
          <li key={item.key ?? i} className={`ant-timeline-item${i === items.length - 1 ? " ant-timeline-item-last" : ""}`}>
            <div className="ant-timeline-item-tail" />
            <div
              className={`ant-timeline-item-head${preset ? ` ant-timeline-item-head-${color}` : ""}`}
              style={preset ? undefined : { borderColor: color, color }}
            />
            <div className="ant-timeline-item-content">{item.children}</div>
          </li>
        );
      })}
    </ol>
  );
}
