import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/server/auth/actor";
import { db } from "~/server/db.server";
import { recordPolicy, recordRegistration } from "~/server/projects/insurance.server";
import { listProjects, projectDetail } from "~/server/projects/projects.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { demoCreditCode, organisationIdOf } from "../support/workflow";

useTestDatabase();

/** An actor of another demo organisation in the same role (the seed has one user per role). */
async function actorOf(role: string, organisationName: string): Promise<Actor> {
  return { ...(await demoActor(role)), organisationId: await organisationIdOf(organisationName), userId: crypto.randomUUID() };
}

const A = crypto.randomUUID();
const B = crypto.randomUUID();

async function register(
  actor: Actor,
  id: string,
  permitNo: string,
  name: string,
  developerKey: string,
  share: { coinsurer?: string; reinsurer?: string; tis: string },
) {
  await db().transaction(async (tx) => {
    await recordRegistration(tx, actor, id, {
      permitNo,
      name,
      communityName: `${name}小区`,
      district: "530111",
      address: "官渡区",
      grossFloorArea: 50000,
      buildingCount: 5,
      homeCount: 400,
      constructionCost: 200000000,
      startDate: "2026-01-01",
      plannedCompletionDate: "2027-12-31",
      developer: { creditCode: demoCreditCode(developerKey) },
      contractor: { creditCode: demoCreditCode("con-yj2") },
      supervisor: { creditCode: demoCreditCode("sup-hy") },
      designer: { creditCode: demoCreditCode("des-kk") },
    });
    await recordPolicy(tx, actor, id, {
      policyNo: `POL-${permitNo}`,
      insuranceType: "住宅工程质量潜在缺陷保险",
      coverage: [{ part: "地基基础和主体结构", years: 10 }],
      periodStart: "2028-01-01",
      periodEnd: "2038-01-01",
      sumInsured: 200000000,
      ratePercent: 1.2,
      premium: 2400000,
      issueDate: "2025-12-20",
      leadShare: share.coinsurer ? 70 : 100,
      coinsurers: share.coinsurer ? [{ creditCode: demoCreditCode(share.coinsurer), share: 30 }] : [],
      reinsurers: share.reinsurer ? [{ creditCode: demoCreditCode(share.reinsurer), share: 50 }] : [],
      tisCreditCode: demoCreditCode(share.tis),
    });
  });
}

beforeAll(async () => {
  await register(await demoActor("insurer"), A, "KM-SCOPE-A", "官渡金湾", "dev-dc", {
    coinsurer: "cpic",
    reinsurer: "chinare",
    tis: "tis-yjk",
  });
  await register(await actorOf("insurer", "中国平安财产保险股份有限公司云南分公司"), B, "KM-SCOPE-B", "螺蛳湾新城", "dev-cc", {
    tis: "tis-at",
  });
});

const visible = async (actor: Actor) => (await listProjects(actor, { pageSize: 100 })).rows.map((r) => r.permitNo).sort();

describe("who sees which project", () => {
  it.each([
    ["regulator", () => demoActor("regulator"), ["KM-SCOPE-A", "KM-SCOPE-B"]],
    ["hotline", () => demoActor("hotline"), ["KM-SCOPE-A", "KM-SCOPE-B"]],
    ["the lead insurer", () => demoActor("insurer"), ["KM-SCOPE-A"]],
    ["a co-insurer", () => actorOf("insurer", "中国太平洋财产保险股份有限公司云南分公司"), ["KM-SCOPE-A"]],
    ["another insurer", () => actorOf("insurer", "中国平安财产保险股份有限公司云南分公司"), ["KM-SCOPE-B"]],
    ["the reinsurer", () => demoActor("reinsurer"), ["KM-SCOPE-A"]],
    ["the appointed TIS", () => demoActor("tis"), ["KM-SCOPE-A"]],
    ["the developer", () => demoActor("developer"), ["KM-SCOPE-A"]],
    ["another developer", () => actorOf("developer", "云南春城房地产开发有限公司"), ["KM-SCOPE-B"]],
    ["the contractor of both", () => demoActor("contractor"), ["KM-SCOPE-A", "KM-SCOPE-B"]],
    ["a designer of neither", () => demoActor("designer"), []],
    ["a repairer", () => demoActor("repairer"), []],
  ] as const)("%s", async (_who, actor, expected) => {
    expect(await visible(await actor())).toEqual(expected);
  });

  it("a project outside the scope is not found", async () => {
    await expect(projectDetail(await demoActor("insurer"), B)).rejects.toMatchObject({ status: 404 });
    const detail = await projectDetail(await demoActor("developer"), A);
    expect(detail.parties).toMatchObject({ developer: "昆明滇池湾置业有限公司", tis: "云南建科工程质量风险管理有限公司" });
    expect(detail.shares.map((s) => [s.name, s.share])).toEqual([
      ["中国人民财产保险股份有限公司昆明市分公司", "70.00"],
      ["中国太平洋财产保险股份有限公司云南分公司", "30.00"],
      ["中国财产再保险有限责任公司", "50.00"],
    ]);
  });
});

describe("searching projects", () => {
  it.each([
    ["project name", "金湾", ["KM-SCOPE-A"]],
    ["community", "螺蛳湾新城小区", ["KM-SCOPE-B"]],
    ["developer", "春城房地产", ["KM-SCOPE-B"]],
    ["insurer", "平安", ["KM-SCOPE-B"]],
    ["TIS", "安泰", ["KM-SCOPE-B"]],
    ["contractor", "建设投资第二", ["KM-SCOPE-A", "KM-SCOPE-B"]],
  ])("by %s", async (_by, q, expected) => {
    const rows = (await listProjects(await demoActor("regulator"), { q })).rows.map((r) => r.permitNo).sort();
    expect(rows).toEqual(expected);
  });
});
