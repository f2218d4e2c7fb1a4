import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/server/auth/actor";
import { db } from "~/server/db.server";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import { listOrganisations } from "~/server/admin/organisations.server";
import { listUsers } from "~/server/admin/users.server";
import { listClaims } from "~/server/claims/claim-queries.server";
import { claimList } from "~/server/claims/claim-views.server";
import { findCaller } from "~/server/claims/hotline.server";
import { listUnits } from "~/server/claims/units.server";
import { findCallerProjects } from "~/server/projects/caller-lookup.server";
import { listProjects } from "~/server/projects/project-list.server";
import { listRiskEvents } from "~/server/risk/risk-event-queries.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { recordPolicy, recordRegistration } from "~/server/projects/insurance.server";
import { listReinsuredPolicies } from "~/server/projects/reinsured-policies.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { policy, registration } from "../support/insurance";

// What the homes of the reinsurer (再保业务) and the hotline (来电查询) read.

useTestDatabase();

const REINSURED = crypto.randomUUID();
const NOT_REINSURED = crypto.randomUUID();

async function register(actor: Actor, id: string, permitNo: string, name: string, reinsured: boolean) {
  await db().transaction(async (tx) => {
    await recordRegistration(tx, actor, id, registration({ permitNo, name, communityName: `${name}小区`, address: `${name}路8号` }));
    await recordPolicy(tx, actor, id, policy({ policyNo: `POL-${permitNo}`, ...(reinsured ? {} : { reinsurers: [] }) }));
  });
}

beforeAll(async () => {
  const insurer = await demoActor("insurer");
  await register(insurer, REINSURED, "KM-HOME-1", "滇池50%花园", true);
  await register(insurer, NOT_REINSURED, "KM-HOME-2", "翠湖雅居", false);
});

describe("the reinsurer's home", () => {
  it("lists the policies its organisation reinsures, with its share and the lead insurer, and no other", async () => {
    const page = await listReinsuredPolicies(await demoActor("reinsurer"), {});
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({
      projectId: REINSURED,
      policyNo: "POL-KM-HOME-1",
      share: "30.00",
      leadInsurerName: "中国人民财产保险股份有限公司昆明市分公司",
    });
  });

  it("is refused to a role without it", async () => {
    await expect(listReinsuredPolicies(await demoActor("insurer"), {})).rejects.toMatchObject({ status: 403 });
  });
});

describe("the hotline's caller search", () => {
  it("finds a project by its address, 报建号 or community, with the insurer's phone and contact and the coverage", async () => {
    const hotline = await demoActor("hotline");
    for (const q of ["翠湖雅居路", "km-home-2", "翠湖雅居小区"]) {
      const [found, ...more] = await findCallerProjects(hotline, { q });
      expect(more, q).toEqual([]);
      expect(found, q).toMatchObject({
        id: NOT_REINSURED,
        insurerName: "中国人民财产保险股份有限公司昆明市分公司",
        insurerPhone: "0871-65101234",
        insurerContact: "王海燕",
        policyNo: "POL-KM-HOME-2",
      });
      expect(found.coverage?.[0]).toEqual({ part: "地基基础和主体结构", years: 10 });
    }
  });

  it("takes wildcards literally, searches nothing for nothing, and bounds the query", async () => {
    const hotline = await demoActor("hotline");
    expect((await findCallerProjects(hotline, { q: "50%" })).map((p) => p.id)).toEqual([REINSURED]);
    expect(await findCallerProjects(hotline, { q: "_" })).toEqual([]);
    expect(await findCallerProjects(hotline, { q: "  " })).toEqual([]);
    await expect(findCallerProjects(hotline, { q: "翠".repeat(101) })).rejects.toMatchObject({ status: 422 });
  });

  it("is refused to a role without it", async () => {
    await expect(findCallerProjects(await demoActor("developer"), { q: "翠湖" })).rejects.toMatchObject({ status: 403 });
  });
});

describe("a search too long for a list", () => {
  const refused = (field: string, message: string) => ({ status: 422, fields: { [field]: message } });
  const tooLong = "翠".repeat(101);

  it("is refused on its field in every list, never dropped to list everything", async () => {
    const admin = await demoActor("admin");
    const regulator = await demoActor("regulator");
    const hotline = await demoActor("hotline");
    // Each called in turn: a refusal not yet awaited would be an unhandled rejection.
    const searches: [string, () => Promise<unknown>][] = [
      ["待办", () => listTasks(regulator, { q: tooLong })],
      ["项目", () => listProjects(regulator, { q: tooLong })],
      ["理赔", () => listClaims(regulator, { q: tooLong })],
      ["理赔页", () => claimList(regulator, { q: tooLong })],
      ["风险", () => listRiskEvents(regulator, { q: tooLong })],
      ["用户", () => listUsers(admin, { q: tooLong })],
      ["单位", () => listOrganisations(admin, { q: tooLong })],
      ["审计日志", () => listAuditEvents(admin, { q: tooLong })],
      ["来电查询", () => findCaller(hotline, { q: tooLong })],
    ];
    for (const [list, search] of searches) await expect(search(), list).rejects.toMatchObject(refused("q", "查询内容不能超过100个字"));
    // At the limit, counted without the spaces around it, it searches.
    expect((await listProjects(regulator, { q: ` ${"翠".repeat(100)} ` })).total).toBe(0);
  });

  it("a project's homes take 50 characters and a building 20", async () => {
    const insurer = await demoActor("insurer");
    await expect(listUnits(insurer, REINSURED, { q: "1".repeat(51) })).rejects.toMatchObject(refused("q", "查询内容不能超过50个字"));
    await expect(listUnits(insurer, REINSURED, { building: "1".repeat(21) })).rejects.toMatchObject(
      refused("building", "楼栋不能超过20个字"),
    );
  });
});
