import type { ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's small count badge (a number in a red bubble), drawn with its class names and styled by its
// stylesheet, without its scripts (decision 042). Nothing is shown for 0.

export function CountBadge({
  count,
  offset,
  children,
  "data-testid": testId,
}: {
  count: number;
  /** [right, top] in pixels, as antd's offset. */
  offset?: [number, number];
  children?: ReactNode;
  "data-testid"?: string;
}) {
  const text = count > 99 ? "99+" : String(count);
  const root = useAntdClass("ant-badge", !children && "ant-badge-not-a-wrapper");
  const bubble =
    count > 0 ? (
      <sup
        data-show="true"
        className={`ant-scroll-number ant-badge-count ant-badge-count-sm${text.length > 1 ? " ant-badge-multiple-words" : ""}`}
        title={String(count)}
        style={offset ? { right: -offset[0], marginTop: offset[1] } : undefined}
      >
        <bdi>
          <span className="ant-scroll-number-only">
            <span className="ant-scroll-number-only-unit current">{text}</span>
          </span>
        </bdi>
      </sup>
    ) : null;
  return (
    <span className={root} data-testid={testId}>
      {children}
      {bubble}
    </span>
  );
}
