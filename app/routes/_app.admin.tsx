import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { NavMenu } from "~/components/ui/NavMenu";
import { requireActor } from "~/server/auth/session.server";
import { can, type Permission } from "~/shared/permissions";

const SECTIONS: { key: string; label: string; path: string; permission: Permission }[] = [
  { key: "organisations", label: "单位管理", path: "/admin/organisations", permission: "manage:organisations" },
  { key: "users", label: "用户管理", path: "/admin/users", permission: "manage:users" },
  { key: "processes", label: "流程与异常", path: "/admin/processes", permission: "manage:processes" },
  { key: "forms", label: "表单", path: "/admin/forms", permission: "manage:processes" },
  { key: "operate", label: "流程运维", path: "/admin/operate", permission: "manage:processes" },
  { key: "heatmap", label: "流程热力图", path: "/admin/heatmap", permission: "view:process-heatmap" },
  { key: "api-keys", label: "接口密钥", path: "/admin/api-keys", permission: "manage:organisations" },
  { key: "audit", label: "审计日志", path: "/admin/audit", permission: "read:audit" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const sections = SECTIONS.filter((s) => can(actor.roles, s.permission)).map(({ key, label, path }) => ({ key, label, path }));
  if (sections.length === 0) throw new Response("无权访问", { status: 403 });
  return json({ sections });
}

export default function Admin() {
  const { sections } = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  const selected = sections.find((s) => pathname.startsWith(s.path))?.key;
  return (
    <>
      <NavMenu items={sections} selected={selected} label="管理" mode="horizontal" style={{ marginBottom: 16 }} />
      <Outlet />
    </>
  );
}
