import { describe, expect, it } from "vitest";
import { STAFF_ROLES, type Role } from "@db/schema/roles";
import { homePathFor, navFor, rolesAllowedFor } from "~/shared/permissions";

// What each role's navigation shows and where it lands: the table users will see.
const EXPECTED: Record<Exclude<Role, "owner">, { nav: string[]; home: string }> = {
  admin: { nav: ["待办", "项目", "风险", "理赔", "统计", "地图", "报告", "管理"], home: "/admin" },
  regulator: { nav: ["待办", "项目", "风险", "理赔", "统计", "地图", "报告", "管理"], home: "/inbox" },
  "financial-regulator": { nav: ["统计", "报告"], home: "/reports" },
  insurer: { nav: ["待办", "项目", "风险", "理赔", "统计", "地图"], home: "/inbox" },
  reinsurer: { nav: ["待办", "再保业务", "项目", "风险", "理赔", "统计", "地图"], home: "/reinsurance" },
  tis: { nav: ["待办", "项目", "风险", "统计", "地图"], home: "/inbox" },
  developer: { nav: ["待办", "项目", "风险", "理赔", "统计"], home: "/inbox" },
  contractor: { nav: ["待办", "项目", "风险"], home: "/inbox" },
  supervisor: { nav: ["待办", "项目", "风险"], home: "/inbox" },
  designer: { nav: ["待办", "项目", "风险"], home: "/projects" },
  repairer: { nav: ["待办", "项目", "理赔", "统计"], home: "/inbox" },
  hotline: { nav: ["待办", "来电查询", "项目", "理赔"], home: "/hotline" },
};

describe("role navigation", () => {
  for (const role of STAFF_ROLES) {
    it(`${role}: ${EXPECTED[role].nav.join(" ")}, home ${EXPECTED[role].home}`, () => {
      expect(navFor([role]).map((n) => n.label)).toEqual(EXPECTED[role].nav);
      expect(homePathFor([role])).toBe(EXPECTED[role].home);
      // The home page is always one the role may open.
      expect(navFor([role]).some((n) => EXPECTED[role].home.startsWith(n.path))).toBe(true);
    });
  }

  it("owners have no staff navigation: their page is the public owners' page", () => {
    expect(navFor(["owner"])).toEqual([]);
    expect(homePathFor(["owner"])).toBe("/owner");
  });

  it("the platform's staff can be admins or hotline agents; other organisations hold their own role", () => {
    expect(rolesAllowedFor("platform")).toEqual(["admin", "hotline"]);
    expect(rolesAllowedFor("insurer")).toEqual(["insurer"]);
  });
});
