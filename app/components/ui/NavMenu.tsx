import { Link } from "@remix-run/react";
import type { CSSProperties } from "react";
import { useAntdClass } from "./antd-class";
import { CountBadge } from "./CountBadge";

// A navigation of links drawn as antd's menu (its class names, styled by its stylesheet), without
// its scripts (decision 042): the signed-in frame's and the administration's sections.

export interface NavItem {
  key: string;
  label: string;
  path: string;
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
  return (
    <ul
      className={root}
      role="menu"
      aria-label={label}
      // Sections that do not fit scroll sideways (antd would fold them into a "…" menu).
      style={horizontal ? { overflowX: "auto", overflowY: "hidden", scrollbarWidth: "none", ...style } : style}
    >
      {items.map((n) => (
        <li
          key={n.key}
          role="menuitem"
          className={`${horizontal ? "ant-menu-overflow-item " : ""}ant-menu-item ant-menu-item-only-child${n.key === selected ? " ant-menu-item-selected" : ""}`}
          style={horizontal ? undefined : { paddingLeft: 24 }}
        >
          <span className="ant-menu-title-content">
            <Link to={n.path} onClick={onFollow}>
              {n.label}
              {badges[n.key] ? <CountBadge count={badges[n.key]} offset={[4, -2]} data-testid={`badge-${n.key}`} /> : null}
            </Link>
          </span>
        </li>
      ))}
    </ul>
  );
}
