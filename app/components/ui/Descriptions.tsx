import { Children, isValidElement, useEffect, useState, type CSSProperties, type Key, type ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's descriptions (labelled facts in rows of columns), as its stylesheet draws them, without
// their scripts (decision 042). Columns may follow the screen's width (DESCRIPTION_COLUMNS), as
// antd's: the server lays them out for a wide screen, the browser for its own once it is drawn.

type Breakpoint = "xs" | "sm" | "md" | "lg" | "xl" | "xxl";
type Columns = number | Partial<Record<Breakpoint, number>>;

export interface DescriptionItem {
  key?: Key;
  label?: ReactNode;
  children?: ReactNode;
  /** Columns it takes; "filled": the rest of its row. */
  span?: number | "filled";
}

// antd's breakpoints, widest first.
const WIDTHS: [Breakpoint, number][] = [
  ["xxl", 1600],
  ["xl", 1200],
  ["lg", 992],
  ["md", 768],
  ["sm", 576],
  ["xs", 0],
];

function columnsAt(column: Columns, width: number | null): number {
  if (typeof column === "number") return column;
  // The server (no width): antd's layout there, the widest given.
  const fitting = WIDTHS.filter(([, min]) => width === null || width >= min);
  for (const [name] of fitting) if (column[name] !== undefined) return column[name]!;
  return 3;
}

function useColumns(column: Columns): number {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    if (typeof column === "number") return;
    const measure = () => setWidth(window.innerWidth);
    measure();
    window.addEventListener("resize", measure);
    return () => window.removeEventListener("resize", measure);
  }, [column]);
  return columnsAt(column, width);
}

/** The items in rows of `columns`: one too wide for what is left of a row starts the next; the last item fills its row. */
function rowsOf(items: DescriptionItem[], columns: number): (DescriptionItem & { span: number })[][] {
  const rows: (DescriptionItem & { span: number })[][] = [];
  let row: (DescriptionItem & { span: number })[] = [];
  let left = columns;
  for (const item of items) {
    let span = item.span === "filled" ? left : Math.min(item.span ?? 1, columns);
    if (span > left && row.length) {
      rows.push(row);
      row = [];
      left = columns;
      span = item.span === "filled" ? columns : span;
    }
    row.push({ ...item, span });
    left -= span;
    if (left <= 0) {
      rows.push(row);
      row = [];
      left = columns;
    }
  }
  if (row.length) {
    row[row.length - 1].span += left;
    rows.push(row);
  }
  return rows;
}

/** Marks a fact among Descriptions' children (antd's older way of giving them). */
function Item(_: DescriptionItem & { children?: ReactNode }): ReactNode {
  return null;
}

function Descriptions({
  items,
  children,
  column = 3,
  size,
  bordered,
  title,
  style,
  "data-testid": testId,
}: {
  items?: DescriptionItem[];
  children?: ReactNode;
  column?: Columns;
  size?: "small" | "middle" | "default";
  bordered?: boolean;
  title?: ReactNode;
  style?: CSSProperties;
  "data-testid"?: string;
}) {
  const columns = useColumns(column);
  const root = useAntdClass(
    "ant-descriptions",
    size && size !== "default" && `ant-descriptions-${size}`,
    bordered && "ant-descriptions-bordered",
  );
  const all =
    items ??
    Children.toArray(children)
      .filter(isValidElement)
      .map((child, i) => ({ key: child.key ?? i, ...(child.props as DescriptionItem) }));
  return (
    <div className={root} style={style} data-testid={testId}>
      {title ? (
        <div className="ant-descriptions-header">
          <div className="ant-descriptions-title">{title}</div>
        </div>
      ) : null}
      <div className="ant-descriptions-view">
        <table>
          <tbody>
            {rowsOf(all, columns).map((row, r) => (
              <tr key={r} className="ant-descriptions-row">
                {row.map((item, i) =>
                  bordered ? (
                    [
                      <th key={`${item.key ?? i}-label`} colSpan={1} className="ant-descriptions-item-label">
                        <span>{item.label}</span>
                      </th>,
                      <td key={`${item.key ?? i}-content`} colSpan={item.span * 2 - 1} className="ant-descriptions-item-content">
                        <span>{item.children}</span>
                      </td>,
                    ]
                  ) : (
                    <td key={item.key ?? i} colSpan={item.span} className="ant-descriptions-item">
                      <div className="ant-descriptions-item-container">
                        <span className="ant-descriptions-item-label">{item.label}</span>
                        <span className="ant-descriptions-item-content">{item.children}</span>
                      </div>
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const DescriptionsWithItem = Object.assign(Descriptions, { Item });
export { DescriptionsWithItem as Descriptions };
