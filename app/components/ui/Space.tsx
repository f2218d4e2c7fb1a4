import { Children, isValidElement, type CSSProperties, type ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's space (its children in a row or a column, evenly apart), as its stylesheet draws it,
// without its scripts (decision 042).

type Size = "small" | "middle" | "large" | number;
const PX = { small: 8, middle: 16, large: 24 } as const;

export function Space({
  direction = "horizontal",
  size = "small",
  wrap,
  align,
  style,
  className,
  children,
  "data-testid": testId,
  "aria-label": label,
}: {
  direction?: "horizontal" | "vertical";
  size?: Size | [Size, Size];
  wrap?: boolean;
  align?: "start" | "end" | "center" | "baseline";
  style?: CSSProperties;
  className?: string;
  children?: ReactNode;
  "data-testid"?: string;
  "aria-label"?: string;
}) {
  const [column, row] = Array.isArray(size) ? size : [size, size];
  const named = (s: Size) => (typeof s === "string" ? s : null);
  const gap = (s: Size) => (typeof s === "number" ? s : PX[s]);
  const alignment = align ?? (direction === "horizontal" ? "center" : undefined);
  const root = useAntdClass(
    "ant-space",
    `ant-space-${direction}`,
    alignment && `ant-space-align-${alignment}`,
    named(row) && `ant-space-gap-row-${named(row)}`,
    named(column) && `ant-space-gap-col-${named(column)}`,
    className,
  );
  const own: CSSProperties = {
    ...(wrap ? { flexWrap: "wrap" } : {}),
    ...(named(column) ? {} : { columnGap: gap(column) }),
    ...(named(row) ? {} : { rowGap: gap(row) }),
  };
  // As antd: an empty child (null, false) takes no place, but keeps its position, so that the
  // children after it keep theirs (and their state) when it comes and goes.
  const items: ReactNode[] = [];
  Children.forEach(children, (child) => void items.push(child));
  return (
    <div className={root} style={{ ...own, ...style }} data-testid={testId} aria-label={label}>
      {items.map((child, i) =>
        child === null || child === undefined || typeof child === "boolean" ? null : (
          <div key={isValidElement(child) && child.key !== null ? `k${child.key}` : `i${i}`} className="ant-space-item">
            {child}
          </div>
        ),
      )}
    </div>
  );
}
