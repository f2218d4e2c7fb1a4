import {
  Fragment,
  useEffect,
  useRef,
  useState,
  type CSSProperties,
  type HTMLAttributes,
  type Key,
  type ReactNode,
  type RefObject,
} from "react";
import { useAntdClass } from "./antd-class";
import { EmptyState } from "./EmptyState";
import { Pagination, type PaginationProps } from "./Pagination";

// The platform's tables: antd's table as it draws it (its class names, styled by its stylesheet),
// without its scripts, which bring most of antd with them (filters, trees, menus, virtual lists:
// decision 042). The part of antd's API the pages use: columns with render, width, alignment,
// ellipsis, a fixed first column, server-side sorting, cell attributes; rows with a key, a click
// and a check box; an expandable row; the server's pages or its own; the empty text; sideways
// scrolling with the scrollbar kept at the window's bottom (sticky).

export type SortOrder = "ascend" | "descend" | null;

export interface ColumnType<T> {
  title?: ReactNode;
  /** The record's field the cell shows (and its render gets). */
  dataIndex?: string;
  key?: Key;
  /** A method, so a render may name the type its column's values have (name: string). */
  render?(value: unknown, record: T, index: number): ReactNode;
  width?: number | string;
  align?: "left" | "right" | "center";
  /** Stays in view as the table scrolls sideways (the first columns only). */
  fixed?: "left";
  ellipsis?: boolean;
  onCell?(record: T, index: number): HTMLAttributes<HTMLTableCellElement>;
  /** Sorted by the server: the header's arrows ask for it (onSort), `sortOrder` says how it is now. */
  sorter?: boolean;
  sortOrder?: SortOrder;
  className?: string;
}

export type ColumnsType<T> = ColumnType<T>[];

export interface TableProps<T> {
  columns: ColumnsType<T>;
  dataSource: readonly T[] | undefined;
  /** The record's field that keys its row ("key" unless named), or how to key it. */
  rowKey?: string | ((record: T) => Key);
  size?: "small" | "middle" | "large";
  /** false: every row; without `total`: the table pages its own rows. */
  pagination?: false | PaginationProps;
  locale?: { emptyText?: ReactNode };
  scroll?: { x?: number | string | true; y?: number | string };
  /** The sideways scrollbar kept at the window's bottom while the table is taller than the window. */
  sticky?: boolean | { offsetHeader?: number };
  className?: string;
  style?: CSSProperties;
  "aria-label"?: string;
  "data-testid"?: string;
  onRow?: (record: T, index: number) => HTMLAttributes<HTMLTableRowElement>;
  rowSelection?: {
    selectedRowKeys: Key[];
    onChange: (keys: Key[], rows: T[]) => void;
    columnTitle?: ReactNode;
    getCheckboxProps?: (record: T) => { disabled?: boolean; "aria-label"?: string };
  };
  expandable?: { rowExpandable?: (record: T) => boolean; expandedRowRender: (record: T) => ReactNode };
  /** A sortable column's header was clicked: the field and the order asked for (null: unsorted). */
  onSort?: (field: string, order: SortOrder) => void;
}

/** antd's check box, as its stylesheet draws it. */
function CheckBox({
  checked,
  indeterminate,
  disabled,
  label,
  onChange,
}: {
  checked: boolean;
  indeterminate?: boolean;
  disabled?: boolean;
  label?: string;
  onChange: (checked: boolean) => void;
}) {
  const state = `${checked ? " ant-checkbox-checked" : ""}${indeterminate ? " ant-checkbox-indeterminate" : ""}${disabled ? " ant-checkbox-disabled" : ""}`;
  const wrapper = useAntdClass(
    "ant-checkbox-wrapper",
    checked && "ant-checkbox-wrapper-checked",
    disabled && "ant-checkbox-wrapper-disabled",
  );
  return (
    <label className={wrapper}>
      <span className={`ant-checkbox ant-wave-target${state}`}>
        <input
          type="checkbox"
          className="ant-checkbox-input"
          checked={checked}
          disabled={disabled}
          aria-label={label}
          onChange={(event) => onChange(event.target.checked)}
        />
        <span className="ant-checkbox-inner" />
      </span>
    </label>
  );
}

const CARET = {
  up: "M858.9 689L530.5 308.2c-9.4-10.9-27.5-10.9-37 0L165.1 689c-12.2 14.2-1.2 35 18.5 35h656.8c19.7 0 30.7-20.8 18.5-35z",
  down: "M840.4 300H183.6c-19.7 0-30.7 20.8-18.5 35l328.4 380.8c9.4 10.9 27.5 10.9 37 0L858.9 335c12.2-14.2 1.2-35-18.5-35z",
};

function SortTitle({ title, order }: { title: ReactNode; order: SortOrder }) {
  const caret = (dir: "up" | "down", active: boolean) => (
    <span
      role="img"
      aria-label={`caret-${dir}`}
      className={`anticon anticon-caret-${dir} ant-table-column-sorter-${dir}${active ? " active" : ""}`}
    >
      <svg viewBox="0 0 1024 1024" focusable="false" width="1em" height="1em" fill="currentColor" aria-hidden="true">
        <path d={CARET[dir]} />
      </svg>
    </span>
  );
  return (
    <div className="ant-table-column-sorters">
      <span className="ant-table-column-title">{title}</span>
      <span className="ant-table-column-sorter ant-table-column-sorter-full">
        <span className="ant-table-column-sorter-inner" aria-hidden="true">
          {caret("up", order === "ascend")}
          {caret("down", order === "descend")}
        </span>
      </span>
    </div>
  );
}

/** Keeps a copy of the box's sideways scrollbar at the window's bottom while the box's own is below it. */
function StickyScrollbar({ box }: { box: RefObject<HTMLDivElement | null> }) {
  const bar = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const content = box.current;
    if (!content) return;
    const measure = () => setWidth(content.scrollWidth > content.clientWidth ? content.scrollWidth : 0);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(content);
    const follow = () => {
      if (bar.current && bar.current.scrollLeft !== content.scrollLeft) bar.current.scrollLeft = content.scrollLeft;
    };
    content.addEventListener("scroll", follow);
    return () => {
      observer.disconnect();
      content.removeEventListener("scroll", follow);
    };
  }, [box]);
  if (!width) return null;
  return (
    <div
      ref={bar}
      aria-hidden="true"
      style={{ position: "sticky", bottom: 0, overflowX: "auto", overflowY: "hidden", zIndex: 3 }}
      onScroll={(event) => {
        if (box.current) box.current.scrollLeft = event.currentTarget.scrollLeft;
      }}
    >
      <div style={{ width, height: 1 }} />
    </div>
  );
}

const cellValue = (record: unknown, dataIndex: string | undefined) =>
  dataIndex === undefined ? undefined : (record as Record<string, unknown>)[dataIndex];

export function Table<T>({
  columns,
  dataSource,
  rowKey = "key",
  size,
  pagination,
  locale,
  scroll,
  sticky,
  className,
  style,
  onRow,
  rowSelection,
  expandable,
  onSort,
  "aria-label": ariaLabel,
  "data-testid": testId,
}: TableProps<T>) {
  const rows = dataSource ?? [];
  const keyOf = (record: T): Key => (typeof rowKey === "function" ? rowKey(record) : (record as Record<string, Key>)[rowKey]);
  const [expanded, setExpanded] = useState<Key[]>([]);
  // Its own pages start at the size asked for (10 by default); 每页条数 changes it.
  const [ownPage, setOwnPage] = useState({ page: 1, size: (pagination && pagination.pageSize) || 10 });
  const content = useRef<HTMLDivElement>(null);
  const wrapper = useAntdClass("ant-table-wrapper", className);

  // The server's page, or the table's own pages of all its rows.
  const ownPaging = pagination && pagination.total === undefined;
  const pageSize = !pagination ? rows.length : ownPaging ? ownPage.size : (pagination.pageSize ?? ownPage.size);
  const shown = ownPaging ? rows.slice((ownPage.page - 1) * pageSize, ownPage.page * pageSize) : rows;
  const paging: PaginationProps | null = !pagination
    ? null
    : ownPaging
      ? { ...pagination, current: ownPage.page, pageSize, total: rows.length, onChange: (page, size) => setOwnPage({ page, size }) }
      : pagination;
  // A page past the last (an old link, a typed address): said, not shown as an empty list.
  const lastPage = paging?.total ? Math.ceil(paging.total / (paging.pageSize ?? pageSize)) : 0;
  const pastTheEnd = !ownPaging && shown.length === 0 && lastPage > 0 && (paging?.current ?? 1) > lastPage;
  const emptyText = pastTheEnd ? (
    <EmptyState simple description={`第${paging!.current}页已超出范围（共${lastPage}页），请选择页码`} />
  ) : (
    locale?.emptyText
  );

  const fixedLeft = columns.map((c, i) =>
    c.fixed === "left" ? columns.slice(0, i).reduce((at, prev) => at + (typeof prev.width === "number" ? prev.width : 0), 0) : null,
  );
  const lastFixed = fixedLeft.map((at, i) => at !== null && fixedLeft[i + 1] == null);
  const hasEllipsis = columns.some((c) => c.ellipsis);
  const scrollsX = Boolean(scroll?.x);
  const extra = (rowSelection ? 1 : 0) + (expandable ? 1 : 0);
  const cellClass = (c: ColumnType<T>, i: number) =>
    [
      "ant-table-cell",
      fixedLeft[i] !== null ? "ant-table-cell-fix-left" : "",
      lastFixed[i] ? "ant-table-cell-fix-left-last" : "",
      c.ellipsis ? "ant-table-cell-ellipsis" : "",
      c.sorter ? "ant-table-column-has-sorters" : "",
      c.sortOrder ? "ant-table-column-sort" : "",
      c.className ?? "",
    ]
      .filter(Boolean)
      .join(" ");
  const cellStyle = (c: ColumnType<T>, i: number): CSSProperties | undefined =>
    c.align || fixedLeft[i] !== null
      ? { textAlign: c.align, ...(fixedLeft[i] !== null ? { position: "sticky", left: fixedLeft[i]! } : {}) }
      : undefined;

  const selected = new Set(rowSelection?.selectedRowKeys ?? []);
  const selectable = rowSelection ? shown.filter((r) => !rowSelection.getCheckboxProps?.(r)?.disabled) : [];
  const select = (keys: Key[]) =>
    rowSelection?.onChange(
      keys,
      rows.filter((r) => keys.includes(keyOf(r))),
    );
  const allChosen = selectable.length > 0 && selectable.every((r) => selected.has(keyOf(r)));

  const header = (
    <thead className="ant-table-thead">
      <tr>
        {rowSelection ? (
          <th className="ant-table-cell ant-table-selection-column" scope="col">
            {rowSelection.columnTitle ?? (
              <div className="ant-table-selection">
                <CheckBox
                  checked={allChosen}
                  indeterminate={!allChosen && selectable.some((r) => selected.has(keyOf(r)))}
                  disabled={!selectable.length}
                  label="全选"
                  onChange={(on) =>
                    select(
                      on
                        ? [...new Set([...selected, ...selectable.map(keyOf)])]
                        : [...selected].filter((k) => !selectable.some((r) => keyOf(r) === k)),
                    )
                  }
                />
              </div>
            )}
          </th>
        ) : null}
        {expandable ? <th className="ant-table-cell ant-table-row-expand-icon-cell" scope="col" /> : null}
        {columns.map((c, i) => {
          const title = c.sorter ? (
            <SortTitle title={c.title} order={c.sortOrder ?? null} />
          ) : c.ellipsis ? (
            <span className="ant-table-cell-content">{c.title}</span>
          ) : (
            c.title
          );
          const next: SortOrder = c.sortOrder === "ascend" ? "descend" : c.sortOrder === "descend" ? null : "ascend";
          return (
            <th
              key={c.key ?? c.dataIndex ?? i}
              className={cellClass(c, i)}
              style={
                scroll?.y ? { ...cellStyle(c, i), position: "sticky", top: 0, zIndex: fixedLeft[i] !== null ? 3 : 2 } : cellStyle(c, i)
              }
              scope="col"
              aria-sort={c.sortOrder === "ascend" ? "ascending" : c.sortOrder === "descend" ? "descending" : undefined}
              tabIndex={c.sorter ? 0 : undefined}
              onClick={c.sorter && c.dataIndex ? () => onSort?.(c.dataIndex!, next) : undefined}
              onKeyDown={c.sorter && c.dataIndex ? (event) => event.key === "Enter" && onSort?.(c.dataIndex!, next) : undefined}
            >
              {title}
            </th>
          );
        })}
      </tr>
    </thead>
  );

  const body = (
    <tbody className="ant-table-tbody">
      {shown.length ? (
        shown.map((record, index) => {
          const key = keyOf(record);
          const open = expanded.includes(key);
          const row = onRow?.(record, index) ?? {};
          const check = rowSelection?.getCheckboxProps?.(record) ?? {};
          return (
            <Fragment key={key}>
              <tr
                {...row}
                data-row-key={String(key)}
                className={`ant-table-row ant-table-row-level-0${selected.has(key) ? " ant-table-row-selected" : ""}${row.className ? ` ${row.className}` : ""}`}
              >
                {rowSelection ? (
                  <td className="ant-table-cell ant-table-selection-column">
                    <CheckBox
                      checked={selected.has(key)}
                      disabled={check.disabled}
                      label={check["aria-label"]}
                      onChange={(on) => select(on ? [...selected, key] : [...selected].filter((k) => k !== key))}
                    />
                  </td>
                ) : null}
                {expandable ? (
                  <td className="ant-table-cell ant-table-row-expand-icon-cell">
                    {expandable.rowExpandable?.(record) !== false ? (
                      <button
                        type="button"
                        className={`ant-table-row-expand-icon ant-table-row-expand-icon-${open ? "expanded" : "collapsed"}`}
                        aria-label={open ? "关闭行" : "展开行"}
                        aria-expanded={open}
                        onClick={() => setExpanded((all) => (open ? all.filter((k) => k !== key) : [...all, key]))}
                      />
                    ) : (
                      <span className="ant-table-row-expand-icon ant-table-row-expand-icon-spaced" />
                    )}
                  </td>
                ) : null}
                {columns.map((c, i) => {
                  const value = cellValue(record, c.dataIndex);
                  const shownValue = c.render ? c.render(value, record, index) : (value as ReactNode);
                  const attrs = c.onCell?.(record, index) ?? {};
                  return (
                    <td
                      key={c.key ?? c.dataIndex ?? i}
                      {...attrs}
                      className={`${cellClass(c, i)}${attrs.className ? ` ${attrs.className}` : ""}`}
                      style={{ ...cellStyle(c, i), ...attrs.style }}
                      title={
                        c.ellipsis && (typeof shownValue === "string" || typeof shownValue === "number") ? String(shownValue) : undefined
                      }
                    >
                      {c.ellipsis ? <span className="ant-table-cell-content">{shownValue}</span> : shownValue}
                    </td>
                  );
                })}
              </tr>
              {expandable && open ? (
                <tr className="ant-table-expanded-row ant-table-expanded-row-level-1">
                  <td className="ant-table-cell" colSpan={columns.length + extra}>
                    {expandable.expandedRowRender(record)}
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })
      ) : (
        <tr className="ant-table-placeholder">
          <td className="ant-table-cell" colSpan={columns.length + extra}>
            {emptyText ?? <EmptyState simple description="暂无数据" />}
          </td>
        </tr>
      )}
    </tbody>
  );

  const scrollY = scroll?.y;
  const tableClass = [
    "ant-table",
    size && size !== "large" ? `ant-table-${size}` : "",
    shown.length ? "" : "ant-table-empty",
    fixedLeft.some((at) => at !== null) ? "ant-table-has-fix-left" : "",
    scrollsX ? "ant-table-scroll-horizontal" : "",
    scrollY ? "ant-table-fixed-header" : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={wrapper} style={style} data-testid={testId}>
      <div className="ant-spin-nested-loading">
        <div className="ant-spin-container">
          <div className={tableClass}>
            <div className="ant-table-container">
              <div
                ref={content}
                className={scrollY ? "ant-table-body" : "ant-table-content"}
                style={scrollsX || scrollY ? { overflow: "auto", maxHeight: scrollY } : undefined}
              >
                <table
                  aria-label={ariaLabel}
                  style={{
                    tableLayout: hasEllipsis || fixedLeft.some((at) => at !== null) ? "fixed" : "auto",
                    width: scroll?.x === "max-content" ? "max-content" : typeof scroll?.x === "number" ? scroll.x : undefined,
                    minWidth: "100%",
                  }}
                >
                  {columns.some((c) => c.width !== undefined) ? (
                    <colgroup>
                      {rowSelection ? <col className="ant-table-selection-col" /> : null}
                      {expandable ? <col className="ant-table-expand-icon-col" /> : null}
                      {columns.map((c, i) => (
                        <col key={i} style={c.width !== undefined ? { width: c.width } : undefined} />
                      ))}
                    </colgroup>
                  ) : null}
                  {header}
                  {body}
                </table>
              </div>
              {sticky && scrollsX && !scrollY ? <StickyScrollbar box={content} /> : null}
            </div>
          </div>
          {paging ? <Pagination {...paging} align={paging.align ?? "end"} className="ant-table-pagination" /> : null}
        </div>
      </div>
    </div>
  );
}
