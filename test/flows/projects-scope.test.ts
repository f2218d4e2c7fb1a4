import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { projects } from "@db/schema";
import { getOrganisation, updateOrganisation } from "~/server/admin/organisations.server";
import type { Actor } from "~/server/auth/actor";
import { db } from "~/server/db.server";
import { recordPolicy, recordRegistration } from "~/server/projects/insurance.server";
import { listProjects, projectFilterOptions } from "~/server/projects/project-list.server";
import { projectDetail } from "~/server/projects/projects.server";
import { searchTextOf } from "~/server/projects/search-text.server";
import { demoActor } from "../support/actors";
import { resultRows, useTestDatabase } from "../support/database";
import { demoCreditCode, organisationIdOf } from "../support/workflow";

useTestDatabase();

/** An actor of another demo organisation in the same role (the seed has one user per role). */
async function actorOf(role: string, organisationName: string): Promise<Actor> {
  return { ...(await demoActor(role)), organisationId: await organisationIdOf(organisationName), userId: crypto.randomUUID() };
}

const PICC = "中国人民财产保险股份有限公司昆明市分公司";
const CPIC = "中国太平洋财产保险股份有限公司云南分公司";
const PINGAN = "中国平安财产保险股份有限公司云南分公司";
const YJK = "云南建科工程质量风险管理有限公司";

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

describe("the search's trigram index (docs/decisions/021)", () => {
  it("splits Chinese into trigrams: the database's character type is UTF-8", async () => {
    const [row] = resultRows<{ splits: boolean }>(await db().execute(sql`select show_trgm('关键字') <> '{}' as splits`));
    expect(row.splits).toBe(true);
  });

  it("answers a 3-character fragment from the index, not by reading every project", async () => {
    const plan = await db().transaction(async (tx) => {
      // Two projects are cheaper to read than any index: forbid that, to see that the index serves.
      await tx.execute(sql`set local enable_seqscan = off`);
      return resultRows<Record<string, string>>(
        await tx.execute(sql`explain select id from ${projects} where ${projects.searchText} like ${"%太平洋%"}`),
      );
    });
    expect(plan.map((r) => Object.values(r)[0]).join("\n")).toContain("projects_search_text_idx");
  });

  it("keeps every project's text as its facts say, after an organisation is renamed", async () => {
    const admin = await demoActor("admin");
    const developerId = await organisationIdOf("云南春城房地产开发有限公司");
    const before = await getOrganisation(admin, developerId);
    await updateOrganisation(admin, developerId, { ...before, name: "云南春城滇韵置业有限公司" });
    expect((await listProjects(await demoActor("regulator"), { q: "滇韵置业" })).rows.map((r) => r.permitNo)).toEqual(["KM-SCOPE-B"]);
    const [stale] = resultRows<{ n: number }>(
      await db().execute(sql`select count(*)::int as n from ${projects} where ${projects.searchText} is distinct from ${searchTextOf}`),
    );
    expect(stale.n).toBe(0);
    await updateOrganisation(admin, developerId, before);
  });
});

describe("searching by the six keys, in scope", () => {
  const permits = async (actor: Actor, query: Record<string, unknown>) =>
    (await listProjects(actor, { pageSize: 100, ...query })).rows.map((r) => r.permitNo).sort();

  it.each([
    ["a co-insurer's name, 3 characters of it", "太平洋", ["KM-SCOPE-A"]],
    ["an insurer's short name", "太保", ["KM-SCOPE-A"]],
    ["the TIS, any case of Latin letters", "km-scope-b", ["KM-SCOPE-B"]],
    ["a community", "金湾小区", ["KM-SCOPE-A"]],
    ["something no project has", "不存在的名字", []],
  ])("by %s", async (_by, q, expected) => {
    expect(await permits(await demoActor("regulator"), { q })).toEqual(expected);
  });

  it("finds for an insurer only what it insures: another insurer's name finds nothing", async () => {
    const picc = await demoActor("insurer");
    expect(await permits(picc, { q: "平安" })).toEqual([]);
    expect(await permits(await actorOf("insurer", "中国太平洋财产保险股份有限公司云南分公司"), { q: "人民财产" })).toEqual(["KM-SCOPE-A"]);
  });
});

describe("the projects list's filters (as dashboards link to it)", () => {
  const permits = async (query: Record<string, unknown>) =>
    (await listProjects(await demoActor("regulator"), { pageSize: 100, ...query })).rows.map((r) => r.permitNo).sort();

  it("filters by insurer (a co-insurer too), TIS, district, stage and dates; empty parameters are no filter", async () => {
    const cpic = await organisationIdOf("中国太平洋财产保险股份有限公司云南分公司");
    const antai = await organisationIdOf("昆明安泰建设工程技术咨询有限公司");
    const ours = ["KM-SCOPE-A", "KM-SCOPE-B"];
    expect(await permits({ insurer: cpic })).toEqual(["KM-SCOPE-A"]);
    expect(await permits({ tis: antai })).toEqual(["KM-SCOPE-B"]);
    expect((await permits({ district: "530111", q: "KM-SCOPE" })).length).toBe(2);
    expect(await permits({ district: "530102", q: "KM-SCOPE" })).toEqual([]);
    expect(await permits({ stage: "registered", q: "KM-SCOPE" })).toEqual(ours);
    expect(await permits({ stage: "insured", q: "KM-SCOPE" })).toEqual([]);
    expect(await permits({ from: "2025-12-20", to: "2025-12-20", q: "KM-SCOPE" })).toEqual(ours);
    expect(await permits({ from: "2025-12-21", q: "KM-SCOPE" })).toEqual([]);
    expect(await permits({ dateBy: "start", from: "2028-01-01", to: "2028-01-01", q: "KM-SCOPE" })).toEqual(ours);
    expect(await permits({ risk: "critical", q: "KM-SCOPE" })).toEqual([]);
    expect(await permits({ openClaims: "1", q: "KM-SCOPE" })).toEqual([]);
    expect(await permits({ q: "KM-SCOPE", district: "", stage: "", insurer: "", tis: "", from: "", to: "" })).toEqual(ours);
  });

  it("offers in the 保险公司 picker the insurers of the viewer's projects, co-insurers too", async () => {
    const pickers = async (actor: Actor) => {
      const { insurers, tis } = await projectFilterOptions(actor);
      return { insurers: insurers.map((o) => o.label), tis: tis.map((o) => o.label) };
    };
    // 太平洋 only co-insures KM-SCOPE-A: it insures it all the same, and filters to it (above).
    expect(await pickers(await demoActor("developer"))).toEqual({ insurers: [PICC, CPIC].sort(), tis: [YJK] });
    expect((await pickers(await demoActor("tis"))).insurers).toEqual([PICC, CPIC].sort());
    expect((await pickers(await demoActor("regulator"))).insurers).toEqual(expect.arrayContaining([PICC, CPIC, PINGAN]));
  });

  it("sorts by a column either way", async () => {
    const sorted = async (order: string) =>
      (await listProjects(await demoActor("regulator"), { q: "KM-SCOPE", sort: "permitNo", order })).rows.map((r) => r.permitNo);
    expect(await sorted("asc")).toEqual(["KM-SCOPE-A", "KM-SCOPE-B"]);
    expect(await sorted("desc")).toEqual(["KM-SCOPE-B", "KM-SCOPE-A"]);
  });

  it.each([
    [{ district: "999999" }, "district", "区县不正确"],
    [{ stage: "building" }, "stage", "项目阶段不正确"],
    [{ insurer: "picc" }, "insurer", "保险公司不正确"],
    [{ tis: "1; drop table projects" }, "tis", "风险管理机构不正确"],
    [{ from: "2026-02-30" }, "from", "开始日期应为有效日期（YYYY-MM-DD）"],
    [{ from: "2026-03-01", to: "2026-02-01" }, "to", "结束日期不能早于开始日期"],
    [{ risk: "severe" }, "risk", "风险等级不正确"],
    [{ openClaims: "yes" }, "openClaims", "“有未结案理赔”只能为 1"],
    [{ sort: "premium" }, "sort", "排序字段不正确"],
    [{ q: "昆".repeat(1000) }, "q", "查询内容不能超过100个字"],
    [{ district: ["530111", "530112"] }, "district", "区县不正确"],
  ])("refuses %o on its field, in Chinese", async (query, field, message) => {
    await expect(listProjects(await demoActor("regulator"), query)).rejects.toMatchObject({ status: 422, fields: { [field]: message } });
  });
});
