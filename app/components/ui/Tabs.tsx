import { useEffect, useLayoutEffect, useRef, useState, type Key, type ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's tabs (a bar of tabs, the chosen one's panel), as its stylesheet draws them, without their
// scripts, which bring a dropdown menu for tabs that do not fit (decision 042): here the bar scrolls
// sideways instead. A panel once shown stays mounted, hidden, as antd keeps it.

export interface TabItem {
  key: string;
  label: ReactNode;
  children?: ReactNode;
  disabled?: boolean;
}

// Before paint in the browser; on the server an effect that never runs (no warning).
const useBrowserLayoutEffect = typeof document === "undefined" ? () => {} : useLayoutEffect;

export function Tabs({
  items,
  activeKey,
  defaultActiveKey,
  onChange,
  className,
}: {
  items: TabItem[];
  activeKey?: string;
  defaultActiveKey?: string;
  onChange?: (key: string) => void;
  className?: string;
}) {
  const [own, setOwn] = useState(defaultActiveKey ?? items[0]?.key);
  const active = activeKey ?? own;
  const [shown, setShown] = useState<Key[]>([]);
  const list = useRef<HTMLDivElement>(null);
  const [ink, setInk] = useState<{ left: number; width: number } | null>(null);
  const root = useAntdClass("ant-tabs", "ant-tabs-top", className);
  // The bar slides from tab to tab, but is first drawn where it stands (not grown from nothing).
  const placed = useRef(false);
  useEffect(() => {
    if (ink) placed.current = true;
  }, [ink]);

  useBrowserLayoutEffect(() => {
    const tab = list.current?.querySelector<HTMLElement>(".ant-tabs-tab-active");
    setInk(tab ? { left: tab.offsetLeft, width: tab.offsetWidth } : null);
    if (active !== undefined && !shown.includes(active)) setShown((all) => [...all, active]);
  }, [active, items.length]);

  const choose = (item: TabItem) => {
    if (item.disabled || item.key === active) return;
    setOwn(item.key);
    onChange?.(item.key);
  };
  const panels = items.filter((item) => item.children !== undefined && (item.key === active || shown.includes(item.key)));
  return (
    <div className={root}>
      <div role="tablist" aria-orientation="horizontal" className="ant-tabs-nav">
        <div className="ant-tabs-nav-wrap" style={{ overflowX: "auto", scrollbarWidth: "none" }}>
          <div className="ant-tabs-nav-list" ref={list}>
            {items.map((item) => {
              const selected = item.key === active;
              return (
                <div
                  key={item.key}
                  data-node-key={item.key}
                  className={`ant-tabs-tab${selected ? " ant-tabs-tab-active" : ""}${item.disabled ? " ant-tabs-tab-disabled" : ""}`}
                  onClick={() => choose(item)}
                >
                  <div
                    role="tab"
                    aria-selected={selected}
                    aria-disabled={item.disabled || undefined}
                    className="ant-tabs-tab-btn"
                    tabIndex={selected ? 0 : -1}
                    onKeyDown={(event) => (event.key === "Enter" || event.key === " ") && choose(item)}
                  >
                    {item.label}
                  </div>
                </div>
              );
            })}
            <div
              className={`ant-tabs-ink-bar${placed.current ? " ant-tabs-ink-bar-animated" : ""}`}
              style={ink ? { left: ink.left, width: ink.width } : { width: 0 }}
            />
          </div>
        </div>
      </div>
      {panels.length ? (
        <div className="ant-tabs-content-holder">
          <div className="ant-tabs-content ant-tabs-content-top">
            {panels.map((item) => {
              const selected = item.key === active;
              return (
                <div
                  key={item.key}
                  role="tabpanel"
                  tabIndex={selected ? 0 : -1}
                  aria-hidden={!selected}
                  className={`ant-tabs-tabpane${selected ? " ant-tabs-tabpane-active" : " ant-tabs-tabpane-hidden"}`}
                >
                  {item.children}
                </div>
              );
            })}
          </div>
        </div>
      ) : null}
    </div>
  );
}
