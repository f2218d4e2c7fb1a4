import { Form as RemixForm, Link, useLocation } from "@remix-run/react";
import BellOutlined from "@ant-design/icons/es/icons/BellOutlined";
import MenuOutlined from "@ant-design/icons/es/icons/MenuOutlined";
import Avatar from "antd/es/avatar";
import Badge from "antd/es/badge";
import Button from "antd/es/button";
import Drawer from "antd/es/drawer";
import Dropdown from "antd/es/dropdown";
import Layout from "antd/es/layout";
import Menu from "antd/es/menu";
import Space from "antd/es/space";
import Typography from "antd/es/typography";
import { useEffect, useState, type ReactNode } from "react";

export interface ShellUser {
  displayName: string;
  organisationName: string | null;
  roleLabels: string[];
}

export interface ShellNavItem {
  key: string;
  label: string;
  path: string;
}

// Phones (below 768 px, an inspector on site): the navigation moves into a drawer, paddings shrink,
// what is wider than the screen scrolls inside its own box instead of widening the page, and a
// task's form comes before its context, which is folded (TaskContext). CSS, not a breakpoint hook,
// so the page rendered on the server is already laid out for the phone.
const RESPONSIVE_CSS = `
.ant-layout-header.idi-header { padding-inline: 24px; }
.ant-layout-content.idi-content { padding: 24px; }
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

/** The signed-in frame: title, the role's navigation, the user and sign-out. */
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
  // Following a link in the drawer closes it.
  useEffect(() => setDrawerOpen(false), [pathname]);
  const selected = nav.find((n) => pathname === n.path || pathname.startsWith(n.path + "/"))?.key;
  const navItems = nav.map((n) => ({
    key: n.key,
    label: (
      <Link to={n.path}>
        {n.label}
        {badges[n.key] ? <Badge count={badges[n.key]} size="small" offset={[4, -2]} data-testid={`badge-${n.key}`} /> : null}
      </Link>
    ),
  }));
  const signOut = (
    <RemixForm method="post" action="/logout">
      <Button type="link" htmlType="submit" style={{ color: "inherit", paddingInline: 0 }}>
        退出登录
      </Button>
    </RemixForm>
  );
  return (
    <Layout style={{ minHeight: "100vh" }}>
      {/* As markup, not text: server rendering would escape its ">" and the page would not hydrate. */}
      <style dangerouslySetInnerHTML={{ __html: RESPONSIVE_CSS }} />
      <Layout.Header className="idi-header" style={{ display: "flex", alignItems: "center", gap: 24 }}>
        <Button
          className="idi-narrow-only"
          type="text"
          aria-label="菜单"
          icon={<MenuOutlined style={{ color: "#fff", fontSize: 18 }} />}
          onClick={() => setDrawerOpen(true)}
        />
        <Link to="/" style={{ color: "#fff", fontSize: 16, fontWeight: 600, whiteSpace: "nowrap" }}>
          <span className="idi-wide-only">昆明市住宅工程质量潜在缺陷保险信息平台</span>
          <span className="idi-narrow-only">昆明潜在缺陷保险平台</span>
        </Link>
        <Menu
          className="idi-wide-only"
          theme="dark"
          mode="horizontal"
          aria-label="主导航"
          selectedKeys={selected ? [selected] : []}
          style={{ flex: 1, minWidth: 0 }}
          items={navItems}
        />
        <span className="idi-narrow-only" style={{ flex: 1 }} />
        <Link to="/notifications" aria-label="消息通知" style={{ color: "#fff" }}>
          <Badge count={unread} size="small">
            <BellOutlined style={{ color: "#fff", fontSize: 18 }} />
          </Badge>
        </Link>
        <Dropdown
          trigger={["click"]}
          menu={{
            items: [
              { key: "org", label: user.organisationName ?? "", disabled: true },
              { key: "roles", label: user.roleLabels.join("、"), disabled: true },
            ],
          }}
        >
          <Space style={{ color: "#fff", cursor: "pointer" }} data-testid="current-user">
            <Avatar style={{ backgroundColor: "#3b7dd8" }}>{user.displayName.slice(0, 1)}</Avatar>
            <span className="idi-wide-only">{user.displayName}</span>
          </Space>
        </Dropdown>
        <div className="idi-wide-only" style={{ color: "#fff" }}>
          {signOut}
        </div>
      </Layout.Header>
      <Drawer
        placement="left"
        width={260}
        open={drawerOpen}
        onClose={() => setDrawerOpen(false)}
        title={user.displayName}
        styles={{ body: { padding: 0 } }}
        footer={signOut}
      >
        <Typography.Paragraph type="secondary" style={{ padding: "12px 24px 0", marginBottom: 8 }}>
          {[user.organisationName, user.roleLabels.join("、")].filter(Boolean).join(" · ")}
        </Typography.Paragraph>
        <Menu
          mode="inline"
          aria-label="主导航"
          selectedKeys={selected ? [selected] : []}
          items={navItems}
          onClick={() => setDrawerOpen(false)}
          style={{ borderInlineEnd: "none" }}
        />
      </Drawer>
      <Layout.Content className="idi-content">{children}</Layout.Content>
      <Layout.Footer style={{ textAlign: "center" }}>
        <Typography.Text type="secondary">昆明市住房和城乡建设局 监管 · 住宅工程质量潜在缺陷保险信息平台</Typography.Text>
      </Layout.Footer>
    </Layout>
  );
}
