import { Form as RemixForm, Link, useLocation } from "@remix-run/react";
import { BellOutlined } from "@ant-design/icons";
import { Avatar, Badge, Button, Dropdown, Layout, Menu, Space, Typography } from "antd";
import type { ReactNode } from "react";

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
  const selected = nav.find((n) => pathname === n.path || pathname.startsWith(n.path + "/"))?.key;
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header style={{ display: "flex", alignItems: "center", gap: 24, paddingInline: 24 }}>
        <Link to="/" style={{ color: "#fff", fontSize: 16, fontWeight: 600, whiteSpace: "nowrap" }}>
          昆明市住宅工程质量潜在缺陷保险信息平台
        </Link>
        <Menu
          theme="dark"
          mode="horizontal"
          aria-label="主导航"
          selectedKeys={selected ? [selected] : []}
          style={{ flex: 1, minWidth: 0 }}
          items={nav.map((n) => ({
            key: n.key,
            label: (
              <Link to={n.path}>
                {n.label}
                {badges[n.key] ? <Badge count={badges[n.key]} size="small" offset={[4, -2]} data-testid={`badge-${n.key}`} /> : null}
              </Link>
            ),
          }))}
        />
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
            <span>{user.displayName}</span>
          </Space>
        </Dropdown>
        <RemixForm method="post" action="/logout">
          <Button type="link" htmlType="submit" style={{ color: "#fff" }}>
            退出登录
          </Button>
        </RemixForm>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
      <Layout.Footer style={{ textAlign: "center" }}>
        <Typography.Text type="secondary">昆明市住房和城乡建设局 监管 · 住宅工程质量潜在缺陷保险信息平台</Typography.Text>
      </Layout.Footer>
    </Layout>
  );
}
