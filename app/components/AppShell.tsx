import { Form as RemixForm, Link, useLocation } from "@remix-run/react";
import BellOutlined from "@ant-design/icons/es/icons/BellOutlined";
import CloseOutlined from "@ant-design/icons/es/icons/CloseOutlined";
import MenuOutlined from "@ant-design/icons/es/icons/MenuOutlined";
import { useEffect, useId, useState, type ReactNode } from "react";
import { useAntdClasses } from "./ui/antd-class";
import { CountBadge } from "./ui/CountBadge";
import { NavMenu, type NavItem } from "./ui/NavMenu";

export interface ShellUser {
  displayName: string;
  organisationName: string | null;
  roleLabels: string[];
}

export type ShellNavItem = NavItem;

// Phones (below 768 px, an inspector on site): the navigation moves into a drawer, paddings shrink,
// what is wider than the screen scrolls inside its own box instead of widening the page, and a
// task's form comes before its context, which is folded (TaskContext). CSS, not a breakpoint hook,
// so the page rendered on the server is already laid out for the phone.
const RESPONSIVE_CSS = `
.ant-layout-header.idi-header { padding-inline: 24px; display: flex; align-items: center; gap: 24px; }
.ant-layout-content.idi-content { padding: 24px; }
.idi-header .ant-menu-horizontal { flex: 1; min-width: 0; }
.idi-user { position: relative; }
.idi-user > .ant-dropdown { top: 100%; right: 0; min-width: 160px; }
.idi-task-page, .idi-task-context, .idi-task-context-body { display: flex; flex-direction: column; gap: 16px; }
@media (min-width: 768px) {
  .idi-narrow-only { display: none !important; }
}
@media (max-width: 767px) {
  .idi-wide-only { display: none !important; }
  .idi-task-page > .idi-task-context { order: 1; gap: 12px; }
  .idi-task-page > .idi-task-after { order: 2; }
  .idi-task-context:not(.idi-open) > .idi-task-context-body { display: none; }
  .ant-layout-header.idi-header { padding-inline: 12px; gap: 12px !important; }
  .ant-layout-content.idi-content { padding: 12px 8px; }
  .idi-content .ant-card-head-wrapper { flex-wrap: wrap; }
  .idi-content .ant-table-content { overflow-x: auto; }
  .idi-content .ant-table-thead > tr > th, .idi-content .ant-table-tbody > tr > td { white-space: nowrap; }
  .idi-content .ant-formily-array-items .ant-space { flex-wrap: wrap; max-width: 100%; }
  .idi-content .ant-space-item, .idi-content .ant-formily-item-control-content-component > * { max-width: 100%; }
  .idi-content .ant-form-inline { row-gap: 8px; }
  .idi-content .ant-form-inline .ant-form-item { max-width: 100%; }
  .idi-content .ant-form-inline .ant-input-affix-wrapper { max-width: 100%; }
}
`;

/**
 * The signed-in frame: title, the role's navigation, the user and sign-out. Drawn in plain markup
 * with antd's class names (its stylesheet styles it): every staff page has it, and antd's menu,
 * drawer and dropdown would bring most of antd to every first load (decision 042).
 */
export function AppShell({
  user,
  nav,
  badges = {},
  unread = 0,
  children,
}: {
  user: ShellUser;
  nav: ShellNavItem[];
  badges?: Record<string, number>;
  unread?: number;
  children: ReactNode;
}) {
  const { pathname } = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [userOpen, setUserOpen] = useState(false);
  const drawerTitle = useId();
  const ant = useAntdClasses();
  // Following a link closes the drawer and the user's card.
  useEffect(() => {
    setDrawerOpen(false);
    setUserOpen(false);
  }, [pathname]);
  useEffect(() => {
    if (!drawerOpen && !userOpen) return;
    const close = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setDrawerOpen(false);
        setUserOpen(false);
      }
    };
    window.addEventListener("keydown", close);
    return () => window.removeEventListener("keydown", close);
  }, [drawerOpen, userOpen]);
  const selected = nav.find((n) => pathname === n.path || pathname.startsWith(n.path + "/"))?.key;
  const signOut = (
    <RemixForm method="post" action="/logout">
      <button
        type="submit"
        className={ant("ant-btn", "ant-btn-link", "ant-btn-color-link", "ant-btn-variant-link")}
        style={{ color: "inherit", paddingInline: 0 }}
      >
        <span>退出登录</span>
      </button>
    </RemixForm>
  );
  const roles = user.roleLabels.join("、");
  return (
    <div className={ant("ant-layout")} style={{ minHeight: "100vh" }}>
      {/* As markup, not text: server rendering would escape its ">" and the page would not hydrate. */}
      <style dangerouslySetInnerHTML={{ __html: RESPONSIVE_CSS }} />
      <header className={ant("ant-layout-header", "idi-header")}>
        <button
          type="button"
          className={ant(
            "ant-btn",
            "ant-btn-text",
            "ant-btn-color-default",
            "ant-btn-variant-text",
            "ant-btn-icon-only",
            "idi-narrow-only",
          )}
          aria-label="菜单"
          onClick={() => setDrawerOpen(true)}
        >
          <MenuOutlined aria-hidden style={{ color: "#fff", fontSize: 18 }} />
        </button>
        <Link to="/" style={{ color: "#fff", fontSize: 16, fontWeight: 600, whiteSpace: "nowrap" }}>
          <span className="idi-wide-only">昆明市住宅工程质量潜在缺陷保险信息平台</span>
          <span className="idi-narrow-only">昆明潜在缺陷保险平台</span>
        </Link>
        <NavMenu items={nav} badges={badges} selected={selected} label="主导航" mode="horizontal" theme="dark" className="idi-wide-only" />
        <span className="idi-narrow-only" style={{ flex: 1 }} />
        <Link to="/notifications" aria-label="消息通知" style={{ color: "#fff", lineHeight: 1 }}>
          <CountBadge count={unread}>
            <BellOutlined aria-hidden style={{ color: "#fff", fontSize: 18 }} />
          </CountBadge>
        </Link>
        <div className="idi-user" style={{ lineHeight: 1 }}>
          <button
            type="button"
            aria-expanded={userOpen}
            onClick={() => setUserOpen((open) => !open)}
            className={ant(
              "ant-space",
              "ant-space-horizontal",
              "ant-space-align-center",
              "ant-space-gap-row-small",
              "ant-space-gap-col-small",
            )}
            style={{ color: "#fff", cursor: "pointer", background: "none", border: 0, padding: 0, font: "inherit" }}
            data-testid="current-user"
          >
            <span className="ant-space-item">
              <span className={ant("ant-avatar", "ant-avatar-circle")} style={{ backgroundColor: "#3b7dd8" }}>
                <span className="ant-avatar-string">{user.displayName.slice(0, 1)}</span>
              </span>
            </span>
            <span className="ant-space-item idi-wide-only">{user.displayName}</span>
          </button>
          {userOpen ? (
            <div className={ant("ant-dropdown", "ant-dropdown-placement-bottomRight")} style={{ position: "absolute" }}>
              <ul className="ant-dropdown-menu ant-dropdown-menu-root ant-dropdown-menu-vertical ant-dropdown-menu-light" role="menu">
                {[user.organisationName ?? "", roles].map((line, i) => (
                  <li
                    key={i}
                    role="menuitem"
                    aria-disabled="true"
                    className="ant-dropdown-menu-item ant-dropdown-menu-item-disabled ant-dropdown-menu-item-only-child"
                  >
                    <span className="ant-dropdown-menu-title-content">{line}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <div className="idi-wide-only" style={{ color: "#fff" }}>
          {signOut}
        </div>
      </header>
      {drawerOpen ? (
        <div className={ant("ant-drawer", "ant-drawer-left", "ant-drawer-open")} tabIndex={-1}>
          <div className="ant-drawer-mask" onClick={() => setDrawerOpen(false)} />
          <div className="ant-drawer-content-wrapper" style={{ width: 260 }}>
            <div className="ant-drawer-content" role="dialog" aria-modal="true" aria-labelledby={drawerTitle}>
              <div className="ant-drawer-header">
                <div className="ant-drawer-header-title">
                  <button type="button" aria-label="关闭" className="ant-drawer-close" onClick={() => setDrawerOpen(false)}>
                    <CloseOutlined aria-hidden />
                  </button>
                  <div className="ant-drawer-title" id={drawerTitle}>
                    {user.displayName}
                  </div>
                </div>
              </div>
              <div className="ant-drawer-body" style={{ padding: 0 }}>
                <div className={ant("ant-typography", "ant-typography-secondary")} style={{ padding: "12px 24px 0", marginBottom: 8 }}>
                  {[user.organisationName, roles].filter(Boolean).join(" · ")}
                </div>
                <NavMenu
                  items={nav}
                  badges={badges}
                  selected={selected}
                  label="主导航"
                  mode="inline"
                  style={{ borderInlineEnd: "none" }}
                  onFollow={() => setDrawerOpen(false)}
                />
              </div>
              <div className="ant-drawer-footer">{signOut}</div>
            </div>
          </div>
        </div>
      ) : null}
      <main className={ant("ant-layout-content", "idi-content")}>{children}</main>
      <footer className={ant("ant-layout-footer")} style={{ textAlign: "center" }}>
        <span className={ant("ant-typography", "ant-typography-secondary")}>
          昆明市住房和城乡建设局 监管 · 住宅工程质量潜在缺陷保险信息平台
        </span>
      </footer>
    </div>
  );
}
