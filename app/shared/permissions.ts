import type { OrganisationType, Role } from "@db/schema/roles";

// Permissions are data: a role grants a set of them, and one check answers for every route and
// service. Scope (which rows) is decided separately, by app/server/auth/scope.server.ts.
export const PERMISSIONS = [
  "view:inbox",
  "view:projects",
  "view:risk",
  "view:claims",
  "view:stats",
  "view:map",
  "manage:organisations",
  "manage:users",
  "manage:processes",
  "read:audit",
  "read:reports",
  // 生成报告: a periodic statistical report on demand (the bureau; its timer makes them anyway).
  "make:reports",
  "view:reinsurance",
  "view:hotline",
  // 服务评价: the rankings of insurers, repairers and TIS by their ratings.
  "view:service-ratings",
  // 流程热力图: where the city's flows wait, step by step (docs/decisions/037).
  "view:process-heatmap",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    "view:inbox",
    "view:projects",
    "view:risk",
    "view:claims",
    "view:service-ratings",
    "view:stats",
    "view:map",
    "manage:organisations",
    "manage:users",
    "manage:processes",
    "view:process-heatmap",
    "read:audit",
    "read:reports",
    "make:reports",
  ],
  regulator: [
    "view:inbox",
    "view:projects",
    "view:risk",
    "view:claims",
    "view:service-ratings",
    "view:stats",
    "view:map",
    "view:process-heatmap",
    "read:audit",
    "read:reports",
    "make:reports",
  ],
  // The insurance regulator reads the city's figures and the periodic reports, nothing else: no
  // tasks, no lists or pages of projects, risk events or claims (docs/decisions/027).
  "financial-regulator": ["view:stats", "read:reports"],
  // The risk map too, of the projects each insures, reinsures or is appointed to (scope decides).
  insurer: ["view:inbox", "view:projects", "view:risk", "view:claims", "view:service-ratings", "view:stats", "view:map"],
  reinsurer: [
    "view:inbox",
    "view:reinsurance",
    "view:projects",
    "view:risk",
    "view:claims",
    "view:service-ratings",
    "view:stats",
    "view:map",
  ],
  tis: ["view:inbox", "view:projects", "view:risk", "view:stats", "view:map"],
  // 统计 of its own projects (docs/guide.md): their policies, risk events and claims.
  developer: ["view:inbox", "view:projects", "view:risk", "view:claims", "view:stats"],
  contractor: ["view:inbox", "view:projects", "view:risk"],
  supervisor: ["view:inbox", "view:projects", "view:risk"],
  designer: ["view:inbox", "view:projects", "view:risk"],
  // 项目: a property company's own (the homes it looks after), empty for a repairer that is not one.
  // 统计 of the claims it repairs and its own place in 服务评价 (its rank, never another's name).
  repairer: ["view:inbox", "view:projects", "view:claims", "view:service-ratings", "view:stats"],
  hotline: ["view:inbox", "view:hotline", "view:projects", "view:claims"],
  // Owners have no account: they use the owners' page and chat, never the staff shell.
  owner: [],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []));
}

export function can(roles: readonly Role[], permission: Permission): boolean {
  return permissionsOf(roles).has(permission);
}

/**
 * The permission the pages a figure or a line may link to require, by path (the page and those
 * under it; the longest path decides): their loaders check these very entries, so a link is drawn
 * only where it opens, never to a 403.
 */
export const PAGE_PERMISSIONS = {
  "/projects": "view:projects",
  "/risk": "view:risk",
  "/claims": "view:claims",
  "/claims/ratings": "view:service-ratings",
} as const satisfies Record<string, Permission>;

/** Whether the roles may open `link` (a path with its query): false for a page PAGE_PERMISSIONS does not name. */
export function mayOpen(roles: readonly Role[], link: string): boolean {
  const path = link.split(/[?#]/)[0];
  const page = (Object.keys(PAGE_PERMISSIONS) as (keyof typeof PAGE_PERMISSIONS)[])
    .filter((p) => path === p || path.startsWith(`${p}/`))
    .sort((a, b) => b.length - a.length)[0];
  return page !== undefined && can(roles, PAGE_PERMISSIONS[page]);
}

export interface NavItem {
  key: string;
  label: string;
  path: string;
  /** Any one of these permissions shows the item. */
  anyOf: readonly Permission[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: "inbox", label: "待办", path: "/inbox", anyOf: ["view:inbox"] },
  { key: "hotline", label: "来电查询", path: "/hotline", anyOf: ["view:hotline"] },
  { key: "reinsurance", label: "再保业务", path: "/reinsurance", anyOf: ["view:reinsurance"] },
  { key: "projects", label: "项目", path: "/projects", anyOf: ["view:projects"] },
  { key: "risk", label: "风险", path: "/risk", anyOf: ["view:risk"] },
  { key: "claims", label: "理赔", path: "/claims", anyOf: ["view:claims"] },
  { key: "stats", label: "统计", path: "/stats", anyOf: ["view:stats"] },
  { key: "map", label: "地图", path: "/map", anyOf: ["view:map"] },
  { key: "reports", label: "报告", path: "/reports", anyOf: ["read:reports"] },
  { key: "admin", label: "管理", path: "/admin", anyOf: ["manage:organisations", "manage:users", "read:audit"] },
];

export function navFor(roles: readonly Role[]): NavItem[] {
  const granted = permissionsOf(roles);
  return NAV_ITEMS.filter((item) => item.anyOf.some((p) => granted.has(p)));
}

// Where each role lands after signing in: the page its daily work starts from.
const HOME_BY_ROLE: Record<Role, string> = {
  admin: "/admin",
  // Its inbox until statistics exist.
  regulator: "/inbox",
  "financial-regulator": "/reports",
  insurer: "/inbox",
  reinsurer: "/reinsurance",
  tis: "/inbox",
  developer: "/inbox",
  contractor: "/inbox",
  supervisor: "/inbox",
  designer: "/projects",
  repairer: "/inbox",
  hotline: "/hotline",
  owner: "/owner",
};

export function homePathFor(roles: readonly Role[]): string {
  return roles.length ? HOME_BY_ROLE[roles[0]] : "/login";
}

/** Roles a user of an organisation of this type may hold: its own type; the platform's staff are admins or hotline agents. */
export function rolesAllowedFor(organisationType: OrganisationType): Role[] {
  return organisationType === "platform" ? ["admin", "hotline"] : [organisationType];
}
