import EllipsisOutlined from "@ant-design/icons/es/icons/EllipsisOutlined";
import { Link } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type CSSProperties } from "react";
import { useAntdClass, useAntdClasses } from "./antd-class";
import { CountBadge } from "./CountBadge";

// A navigation of links drawn as antd's menu (its class names, styled by its stylesheet), without
// its scripts (decision 042): the signed-in frame's and the administration's sections. Drawn
// across (horizontal), the sections that do not fit fold into a "…" list at its end, as antd's
// menu folds them.

export interface NavItem {
  key: string;
  label: string;
  path: string;
}

/** Kept in the layout but not seen: still measured, so a wider window shows it again. */
const FOLDED: CSSProperties = { position: "absolute", left: 0, top: 0, visibility: "hidden", pointerEvents: "none" };

/**
 * How many of the list's items fit beside its "…" item: all while they fit without it. Measured
 * after the page is drawn and whenever the list's width changes; every item shows until then
 * (the server does not know the window's width).
 */
function useItemsThatFit(count: number, enabled: boolean) {
  const list = useRef<HTMLUListElement>(null);
  const [fit, setFit] = useState(count);
  const [measured, setMeasured] = useState(false);
  useEffect(() => {
    const ul = list.current;
    if (!enabled || !ul) return;
    const measure = () => {
      const widths = [...ul.querySelectorAll<HTMLElement>(":scope > [data-nav-item]")].map((li) => li.offsetWidth);
      const room = ul.clientWidth;
      if (widths.reduce((a, b) => a + b, 0) <= room) return setFit(widths.length);
      let used = ul.querySelector<HTMLElement>(":scope > [data-nav-more]")?.offsetWidth ?? 0;
      let n = 0;
      while (n < widths.length && used + widths[n] <= room) used += widths[n++];
      setFit(n);
    };
    measure();
    setMeasured(true);
    const observer = new ResizeObserver(measure);
    observer.observe(ul);
    return () => observer.disconnect();
  }, [enabled, count]);
  return { list, fit: enabled ? fit : count, measured };
}

/** Closes what is open on a click outside `within`, or on Escape (the focus back on `opener`). */
function useDismiss(
  open: boolean,
  close: () => void,
  within: React.RefObject<HTMLElement | null>,
  opener: React.RefObject<HTMLElement | null>,
) {
  useEffect(() => {
    if (!open) return;
    const onClick = (e: MouseEvent) => within.current?.contains(e.target as Node) || close();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      close();
      if (within.current?.contains(document.activeElement)) opener.current?.focus();
    };
    document.addEventListener("mousedown", onClick);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onClick);
      document.removeEventListener("keydown", onKey);
    };
  }, [open, close, within, opener]);
}

export function NavMenu({
  items,
  selected,
  label,
  mode,
  theme = "light",
  badges = {},
  className = "",
  style,
  onFollow,
}: {
  items: NavItem[];
  selected: string | undefined;
  /** What the navigation is, for screen readers (主导航, 管理). */
  label: string;
  mode: "horizontal" | "inline";
  theme?: "dark" | "light";
  /** Counts shown beside items, by key (待办 3). */
  badges?: Record<string, number>;
  className?: string;
  style?: CSSProperties;
  onFollow?: () => void;
}) {
  const horizontal = mode === "horizontal";
  const root = useAntdClass(
    "ant-menu",
    "ant-menu-root",
    horizontal && "ant-menu-overflow",
    `ant-menu-${mode}`,
    `ant-menu-${theme}`,
    className,
  );
  const ant = useAntdClasses();
  const { list, fit, measured } = useItemsThatFit(items.length, horizontal);
  const [moreOpen, setMoreOpen] = useState(false);
  const more = useRef<HTMLLIElement>(null);
  const moreButton = useRef<HTMLButtonElement>(null);
  const closeMore = useCallback(() => setMoreOpen(false), []);
  useDismiss(moreOpen, closeMore, more, moreButton);
  const folded = items.slice(fit);

  /** An item's link; `seen` false for the folded copy kept in the bar to be measured (no test id twice). */
  const entry = (n: NavItem, follow?: () => void, seen = true) => (
    <span className="ant-menu-title-content">
      <Link to={n.path} onClick={follow} tabIndex={seen ? undefined : -1}>
        {n.label}
        {badges[n.key] ? <CountBadge count={badges[n.key]} offset={[4, -2]} data-testid={seen ? `badge-${n.key}` : undefined} /> : null}
      </Link>
    </span>
  );
  const itemClass = (n: NavItem) => `ant-menu-item ant-menu-item-only-child${n.key === selected ? " ant-menu-item-selected" : ""}`;

  return (
    <ul
      ref={list}
      className={root}
      role="menu"
      aria-label={label}
      style={
        // Until measured (the server's page, before its scripts run), what does not fit is cut off
        // rather than drawn under what follows the menu.
        horizontal ? { position: "relative", ...(measured ? {} : { overflow: "hidden" }), ...style } : style
      }
    >
      {items.map((n, i) => (
        <li
          key={n.key}
          role="menuitem"
          data-nav-item=""
          className={`${horizontal ? "ant-menu-overflow-item " : ""}${itemClass(n)}`}
          style={horizontal ? (i >= fit ? FOLDED : undefined) : { paddingLeft: 24 }}
        >
          {entry(n, onFollow, i < fit)}
        </li>
      ))}
      {horizontal ? (
        <li
          ref={more}
          data-nav-more=""
          className={`ant-menu-overflow-item ant-menu-submenu ant-menu-submenu-horizontal${folded.some((n) => n.key === selected) ? " ant-menu-submenu-selected" : ""}`}
          // The whole item answers a click: the button fills it, the item's own padding given to it.
          style={{ ...(folded.length ? { position: "relative" } : FOLDED), paddingInline: 0 }}
        >
          <button
            ref={moreButton}
            type="button"
            className="ant-menu-submenu-title"
            aria-label={`更多${label}`}
            aria-haspopup="menu"
            aria-expanded={moreOpen}
            tabIndex={folded.length ? 0 : -1}
            onClick={() => setMoreOpen((open) => !open)}
            style={{
              background: "none",
              border: 0,
              color: "inherit",
              cursor: "pointer",
              padding: "0 16px",
              height: "100%",
              font: "inherit",
            }}
          >
            <EllipsisOutlined aria-hidden />
          </button>
          {moreOpen && folded.length ? (
            <ul
              className={ant("ant-menu", "ant-menu-sub", "ant-menu-vertical", `ant-menu-${theme}`)}
              role="menu"
              aria-label={`更多${label}`}
              style={{
                position: "absolute",
                top: "100%",
                right: 0,
                minWidth: 160,
                zIndex: 1050,
                padding: 4,
                borderRadius: 8,
                boxShadow: "0 6px 16px 0 rgba(0,0,0,0.08), 0 3px 6px -4px rgba(0,0,0,0.12), 0 9px 28px 8px rgba(0,0,0,0.05)",
                lineHeight: "40px",
              }}
            >
              {folded.map((n) => (
                <li key={n.key} role="menuitem" className={itemClass(n)}>
                  {entry(n, () => {
                    closeMore();
                    onFollow?.();
                  })}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ) : null}
    </ul>
  );
}
