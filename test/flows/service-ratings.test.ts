import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { claimRatings, claims, organisations, tisRatings } from "@db/schema";
import { serviceRatings } from "~/server/claims/service-ratings.server";
import { db } from "~/server/db.server";
import { ForbiddenError } from "~/server/errors.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { projectClaimsTab } from "~/server/claims/project-claims.server";
import { deliveredProject, ownerReports, type DeliveredProject } from "../support/claims";
import { useTestDatabase } from "../support/database";
import { PINGAN_PARTIES } from "../support/risk";
import { demoCreditCode } from "../support/workflow";

// 服务评价: the rankings per insurer, repairer and TIS, and who sees which. PICC's project is
// co-insured by CPIC and reinsured by China Re (the default policy); Ping An's is its own alone.
// Ratings are written as rateClaim and the TIS's final report write them (those have their tests).

useTestDatabase();

const PICC = "中国人民财产保险股份有限公司昆明市分公司";
const PINGAN = "中国平安财产保险股份有限公司云南分公司";
const LIJIA = "昆明利家物业服务有限公司";
const ANXIN = "云南安心房屋维修工程有限公司";

let picc: DeliveredProject;
let pingan: DeliveredProject;

async function organisationId(key: string): Promise<string> {
  const [row] = await db()
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.creditCode, demoCreditCode(key)));
  return row.id;
}

/** A claim on the project's home `home`, repaired by `repairer`, rated by its owner. */
async function rated(p: DeliveredProject, home: number, repairer: string, stars: number, reasons: string[], comment: string | null) {
  const claim = await ownerReports(p.homes[home].phone, p.homes[home].id);
  const repairerId = await organisationId(repairer);
  await db().update(claims).set({ repairerId }).where(eq(claims.id, claim.id));
  await db()
    .insert(claimRatings)
    .values({ claimId: claim.id, insurerId: claim.insurerId, repairerId, stars, reasons, comment, channel: "web" });
}

beforeAll(async () => {
  await deployBuiltIns();
  picc = await deliveredProject(["13911110001", "13911110002"]);
  pingan = await deliveredProject(["13922220001"], PINGAN_PARTIES);
  await rated(picc, 0, "rep-lj", 4, ["duration"], "工期偏长");
  await rated(picc, 1, "rep-lj", 2, ["duration", "attitude"], "态度不好");
  await rated(pingan, 0, "rep-ax", 5, [], "很满意");
  for (const [p, tis, stars, comment] of [
    [picc, "tis-yjk", 4, "报告及时"],
    [pingan, "tis-at", 2, "检查走过场"],
  ] as const)
    await db()
      .insert(tisRatings)
      .values({ projectId: p.projectId, tisId: await organisationId(tis), insurerId: p.insurer.organisationId!, stars, comment });
});

const names = (ranks: { name: string }[]) => ranks.map((r) => r.name);

describe("服务评价", () => {
  it("the regulator sees every insurer, repairer and TIS ranked best first, with the share of each complaint", async () => {
    const all = await serviceRatings(await demoActor("regulator"));
    // The city's rankings: their order is a rank.
    expect(all.cityWide).toBe(true);
    expect(names(all.insurers)).toEqual([PINGAN, PICC]);
    expect(all.insurers[1]).toMatchObject({ average: 3, count: 2, reasons: { duration: 1, attitude: 0.5, quality: 0 } });
    expect(names(all.repairers)).toEqual([ANXIN, LIJIA]);
    expect(all.tis.map((t) => [t.name, t.average])).toEqual([
      ["云南建科工程质量风险管理有限公司", 4],
      ["昆明安泰建设工程技术咨询有限公司", 2],
    ]);
    expect(all.claimComments.map((c) => c.comment).sort()).toEqual(["工期偏长", "很满意", "态度不好"].sort());
    expect(all.tisComments).toHaveLength(2);
  });

  it("an insurer sees its own figures, its repairers' and its ratings of TIS, nobody else's", async () => {
    const own = await serviceRatings(await demoActor("insurer"));
    expect(own.cityWide).toBe(false);
    expect(names(own.insurers)).toEqual([PICC]);
    expect(names(own.repairers)).toEqual([LIJIA]);
    expect(own.tis.map((t) => t.count)).toEqual([1]);
    expect(own.claimComments.map((c) => c.comment)).not.toContain("很满意");
    expect(own.tisComments.map((c) => c.comment)).toEqual(["报告及时"]);
  });

  it("a co-insurer does not see the lead insurer's ratings; a reinsurer sees those of the policies it reinsures", async () => {
    const cpic = await serviceRatings(await demoActor("insurer-cpic"));
    expect(cpic.insurers).toEqual([]);
    expect(cpic.claimComments).toEqual([]);
    const chinare = await serviceRatings(await demoActor("reinsurer"));
    expect(names(chinare.insurers)).toEqual([PICC]);
    expect(chinare.tisComments.map((c) => c.comment)).toEqual(["报告及时"]);
  });

  it("shows a repairer the ratings of its own repairs, never another repairer's", async () => {
    const lijia = await serviceRatings(await demoActor("repairer"));
    // Its own row only: first of one is no rank (its place in the city is on 统计 · 服务评价).
    expect(lijia.cityWide).toBe(false);
    expect(names(lijia.repairers)).toEqual([LIJIA]);
    expect(lijia.claimComments.map((c) => c.comment).sort()).toEqual(["工期偏长", "态度不好"].sort());
    expect(JSON.stringify(lijia)).not.toContain(ANXIN);
    expect(JSON.stringify(lijia)).not.toContain("很满意");
  });

  it("is refused to those it is not for", async () => {
    await expect(serviceRatings(await demoActor("developer"))).rejects.toThrow(ForbiddenError);
    await expect(serviceRatings(await demoActor("contractor"))).rejects.toThrow(ForbiddenError);
  });
});

describe("a project's 理赔与投诉 (the bureau's view of one project)", () => {
  it("counts the project's claims and lists the complaints: two stars or fewer, or a named reason", async () => {
    const tab = await projectClaimsTab(await demoActor("regulator"), picc.projectId);
    expect(tab.figures).toEqual({ total: 2, open: 2, closed: 0, declined: 0, paid: "0.00" });
    expect(tab.latest.rows).toHaveLength(2);
    expect(tab.complaints!.map((c) => [c.stars, c.reasons, c.comment, c.channel])).toEqual(
      expect.arrayContaining([
        [4, ["duration"], "工期偏长", "web"],
        [2, ["duration", "attitude"], "态度不好", "web"],
      ]),
    );
    expect(tab.complaints).toHaveLength(2);
    // 5 stars and nothing named: no complaint.
    expect((await projectClaimsTab(await demoActor("regulator"), pingan.projectId)).complaints).toEqual([]);
  });

  it("is the project's scope: another insurer's project is not found", async () => {
    await expect(projectClaimsTab(await demoActor("insurer"), pingan.projectId)).rejects.toMatchObject({ status: 404 });
    await expect(projectClaimsTab(await demoActor("insurer-pingan"), picc.projectId)).rejects.toMatchObject({ status: 404 });
    expect((await projectClaimsTab(await demoActor("insurer-pingan"), pingan.projectId)).figures.total).toBe(1);
  });
});
