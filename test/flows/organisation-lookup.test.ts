import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { organisations } from "@db/schema";
import { SYSTEM_ACTOR } from "~/server/auth/actor";
import { db } from "~/server/db.server";
import { listOrganisations } from "~/server/admin/organisations.server";
import { listUsers } from "~/server/admin/users.server";
import { lookupOrganisations } from "~/server/organisations/lookup.server";
import { listProjects } from "~/server/projects/project-list.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { insuredProject } from "../support/risk";
import { demoCreditCode } from "../support/workflow";

useTestDatabase();
beforeAll(() => deployBuiltIns());

describe("looking organisations up in the platform's register", () => {
  it("finds the developer by its exact credit code, typed in lower case with spaces, and shows only code, name and type", async () => {
    const insurer = await demoActor("insurer");
    const code = demoCreditCode("dev-dc");
    const found = await lookupOrganisations(insurer, { code: ` ${code.toLowerCase()} ` });
    expect(found).toEqual([{ creditCode: code, name: "昆明滇池湾置业有限公司", type: "developer" }]);
  });

  it("answers nothing for a code of another type when a type is asked for, and for an unknown code", async () => {
    const insurer = await demoActor("insurer");
    expect(await lookupOrganisations(insurer, { code: demoCreditCode("dev-dc"), type: "contractor" })).toEqual([]);
    expect(await lookupOrganisations(insurer, { code: "91530100MA6K0P0018" })).toEqual([]);
  });

  it("offers the organisations whose name contains what was typed, of the type asked for", async () => {
    const developer = await demoActor("developer");
    const found = await lookupOrganisations(developer, { q: "置业", type: "developer" });
    expect(found.map((o) => o.name).sort()).toEqual(["昆明滇池湾置业有限公司", "昆明金碧坊置业有限公司"].sort());
    const contractors = await lookupOrganisations(developer, { q: "建筑", type: "contractor" });
    expect(contractors.map((o) => o.name)).toContain("昆明第三建筑工程有限公司");
    expect(contractors.every((o) => o.type === "contractor")).toBe(true);
  });

  it("finds insurers by the short names people use (太保, 人保), alone or with more of the name", async () => {
    const developer = await demoActor("developer");
    const names = async (q: string) => (await lookupOrganisations(developer, { q, type: "insurer" })).map((o) => o.name);
    expect(await names("太保")).toEqual(["中国太平洋财产保险股份有限公司云南分公司"]);
    expect(await names("人保")).toEqual(["中国人民财产保险股份有限公司昆明市分公司"]);
    expect(await names("人保 昆明")).toEqual(["中国人民财产保险股份有限公司昆明市分公司"]);
    expect(await names("人保 云南")).toEqual([]);
    expect((await lookupOrganisations(developer, { q: "中再" })).map((o) => o.name)).toEqual(["中国财产再保险有限责任公司"]);
  });

  it("the lists that search insurers' names find them by their short names too", async () => {
    const project = await insuredProject("简称搜索苑");
    const regulator = await demoActor("regulator");
    const projects = await listProjects(regulator, { q: "人保", pageSize: 100 });
    expect(projects.rows.map((r) => r.id)).toContain(project.projectId);
    expect(new Set(projects.rows.map((r) => r.insurerName))).toEqual(new Set(["中国人民财产保险股份有限公司昆明市分公司"]));
    // 太保 co-insures it: the search covers every insurer on the policy, not only the lead.
    expect((await listProjects(regulator, { q: "太保" })).rows.map((r) => r.id)).toContain(project.projectId);
    expect((await listProjects(regulator, { q: "平安产险" })).rows.map((r) => r.id)).not.toContain(project.projectId);
    const admin = await demoActor("admin");
    expect((await listOrganisations(admin, { q: "人保" })).rows.map((o) => o.name)).toEqual(["中国人民财产保险股份有限公司昆明市分公司"]);
    const staff = await listUsers(admin, { q: "太保" });
    expect(staff.rows.map((u) => u.username)).toContain("insurer-cpic");
  });

  it("offers the organisations whose code starts with what was typed", async () => {
    const tis = await demoActor("tis");
    const code = demoCreditCode("chinare");
    const found = await lookupOrganisations(tis, { q: code.slice(0, 12) });
    expect(found.map((o) => o.creditCode)).toEqual([code]);
  });

  it("takes % and _ literally: a name with a wildcard finds only what holds it", async () => {
    const admin = await demoActor("admin");
    await db()
      .insert(organisations)
      .values({ type: "designer", name: "百分之百%设计有限公司", creditCode: "91530100MA6K0P002C", status: "active" });
    expect((await lookupOrganisations(admin, { q: "%" })).map((o) => o.name)).toEqual(["百分之百%设计有限公司"]);
    expect(await lookupOrganisations(admin, { q: "_" })).toEqual([]);
    expect(await lookupOrganisations(admin, { q: "置_" })).toEqual([]);
  });

  it("gives at most ten organisations", async () => {
    const found = await lookupOrganisations(await demoActor("insurer"), { q: "公司" });
    expect(found.length).toBe(10);
  });

  it("refuses a search over 50 characters and a code over 18, with Chinese field messages", async () => {
    const insurer = await demoActor("insurer");
    await expect(lookupOrganisations(insurer, { q: "昆".repeat(51) })).rejects.toMatchObject({
      status: 422,
      fields: { q: "搜索内容不能超过50个字" },
    });
    await expect(lookupOrganisations(insurer, { code: "9".repeat(19) })).rejects.toMatchObject({
      status: 422,
      fields: { code: "统一社会信用代码不超过18位" },
    });
    await expect(lookupOrganisations(insurer, { type: "regulator", q: "住建" })).rejects.toMatchObject({ status: 422 });
  });

  it("hides organisations that are disabled or still awaiting review", async () => {
    const insurer = await demoActor("insurer");
    const code = demoCreditCode("des-kk");
    await db().update(organisations).set({ status: "disabled" }).where(eq(organisations.creditCode, code));
    expect(await lookupOrganisations(insurer, { code })).toEqual([]);
    await db().update(organisations).set({ status: "pending_review" }).where(eq(organisations.creditCode, code));
    expect(await lookupOrganisations(insurer, { q: "昆明市建筑设计研究院" })).toEqual([]);
    await db().update(organisations).set({ status: "active" }).where(eq(organisations.creditCode, code));
    expect(await lookupOrganisations(insurer, { q: "昆明市建筑设计研究院" })).toHaveLength(1);
  });

  it("refuses whoever is not signed in", async () => {
    await expect(lookupOrganisations(SYSTEM_ACTOR, { q: "置业" })).rejects.toMatchObject({ status: 401 });
  });

  it("answers nothing when nothing is asked", async () => {
    expect(await lookupOrganisations(await demoActor("insurer"), {})).toEqual([]);
  });
});
