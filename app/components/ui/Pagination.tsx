import DoubleLeftOutlined from "@ant-design/icons/es/icons/DoubleLeftOutlined";
import DoubleRightOutlined from "@ant-design/icons/es/icons/DoubleRightOutlined";
import type { ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's pagination, drawn with its class names and styled by its stylesheet, without its scripts
// (decision 042): the total, the pages (with ••• between far ones), previous and next, and how many
// rows a page shows once there are more than 50.

export interface PaginationProps {
  current?: number;
  pageSize?: number;
  /** Rows in all; without it, the table pages its own rows. */
  total?: number;
  showTotal?: (total: number) => ReactNode;
  onChange?: (page: number, pageSize: number) => void;
  /** 2/5 between the arrows (a phone's). */
  simple?: boolean;
  align?: "start" | "center" | "end";
  hideOnSinglePage?: boolean;
}

const SIZES = [10, 20, 50, 100];

const Arrow = ({ left }: { left?: boolean }) => (
  <span aria-hidden="true" className={`anticon anticon-${left ? "left" : "right"}`}>
    <svg viewBox="64 64 896 896" focusable="false" width="1em" height="1em" fill="currentColor" aria-hidden="true">
      <path
        d={
          left
            ? "M724 218.3V141c0-6.7-7.7-10.4-12.9-6.3L260.3 486.8a31.86 31.86 0 000 50.3l450.8 352.1c5.3 4.1 12.9.4 12.9-6.3v-77.3c0-4.9-2.3-9.6-6.1-12.6l-360-281 360-281.1c3.8-3 6.1-7.7 6.1-12.6z"
            : "M765.7 486.8L314.9 134.7A7.97 7.97 0 00302 141v77.3c0 4.9 2.3 9.6 6.1 12.6l360 281.1-360 281.1c-3.9 3-6.1 7.7-6.1 12.6V883c0 6.7 7.7 10.4 12.9 6.3l450.8-352.1a31.96 31.96 0 000-50.4z"
        }
      />
    </svg>
  </span>
);

/** The pages to offer around `current` of `pages`: numbers, and "…" where a run is left out. */
export function pageItems(current: number, pages: number): (number | "prev-more" | "next-more")[] {
  if (pages <= 9) return Array.from({ length: pages }, (_, i) => i + 1);
  const from = Math.max(2, Math.min(current - 2, pages - 5));
  const to = Math.min(pages - 1, Math.max(current + 2, 6));
  return [
    1,
    ...(from > 2 ? ["prev-more" as const] : []),
    ...Array.from({ length: to - from + 1 }, (_, i) => from + i),
    ...(to < pages - 1 ? ["next-more" as const] : []),
    pages,
  ];
}

export function Pagination({
  current = 1,
  pageSize = 10,
  total = 0,
  showTotal,
  onChange,
  simple,
  align = "end",
  hideOnSinglePage,
  className = "",
}: PaginationProps & { className?: string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const root = useAntdClass("ant-pagination", `ant-pagination-${align}`, simple && "ant-pagination-simple", className);
  if (hideOnSinglePage && pages <= 1) return null;
  const go = (page: number) => {
    const to = Math.min(Math.max(page, 1), pages);
    if (to !== current) onChange?.(to, pageSize);
  };
  const step = (left: boolean) => {
    const disabled = left ? current <= 1 : current >= pages;
    return (
      <li
        title={left ? "上一页" : "下一页"}
        className={`ant-pagination-${left ? "prev" : "next"}${disabled ? " ant-pagination-disabled" : ""}`}
        aria-disabled={disabled}
      >
        <button
          className="ant-pagination-item-link"
          type="button"
          aria-label={left ? "上一页" : "下一页"}
          disabled={disabled}
          onClick={() => go(current + (left ? -1 : 1))}
        >
          <Arrow left={left} />
        </button>
      </li>
    );
  };
  return (
    <ul className={root}>
      {showTotal && !simple ? <li className="ant-pagination-total-text">{showTotal(total)}</li> : null}
      {step(true)}
      {simple ? (
        <li title={`${current}/${pages}`} className="ant-pagination-simple-pager">
          {current}
          <span className="ant-pagination-slash">/</span>
          {pages}
        </li>
      ) : (
        pageItems(current, pages).map((item) =>
          typeof item === "number" ? (
            <li
              key={item}
              title={String(item)}
              className={`ant-pagination-item ant-pagination-item-${item}${item === current ? " ant-pagination-item-active" : ""}`}
              tabIndex={0}
              onClick={() => go(item)}
              onKeyDown={(event) => event.key === "Enter" && go(item)}
            >
              <a rel="nofollow">{item}</a>
            </li>
          ) : (
            <li
              key={item}
              title={item === "prev-more" ? "向前 5 页" : "向后 5 页"}
              className={`ant-pagination-jump-${item === "prev-more" ? "prev" : "next"}`}
              tabIndex={0}
              onClick={() => go(current + (item === "prev-more" ? -5 : 5))}
              onKeyDown={(event) => event.key === "Enter" && go(current + (item === "prev-more" ? -5 : 5))}
            >
              <a className="ant-pagination-item-link">
                {/* antd's stylesheet shows the arrows in place of the dots on hover and focus. */}
                <div className="ant-pagination-item-container">
                  {item === "prev-more" ? (
                    <DoubleLeftOutlined className="ant-pagination-item-link-icon" aria-hidden />
                  ) : (
                    <DoubleRightOutlined className="ant-pagination-item-link-icon" aria-hidden />
                  )}
                  <span className="ant-pagination-item-ellipsis">•••</span>
                </div>
              </a>
            </li>
          ),
        )
      )}
      {step(false)}
      {!simple && total > 50 ? (
        <li className="ant-pagination-options">
          <select
            aria-label="每页条数"
            value={pageSize}
            onChange={(event) => onChange?.(1, Number(event.target.value))}
            style={{ height: 24, borderRadius: 4, border: "1px solid #d9d9d9", background: "#fff" }}
          >
            {[...new Set([...SIZES, pageSize])]
              .sort((a, b) => a - b)
              .map((n) => (
                <option key={n} value={n}>
                  {n} 条/页
                </option>
              ))}
          </select>
        </li>
      ) : null}
    </ul>
  );
}
