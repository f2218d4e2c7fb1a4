import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organisations, tisRatings } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { rateClaim } from "~/server/claims/owner-claims.server";
import { ownerActor } from "~/server/claims/owner-claims.server";
import { resetClock, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { bureauAlerts } from "~/server/statistics/alerts.server";
import { claimList } from "~/server/claims/claim-views.server";
import { listClaims } from "~/server/claims/claim-queries.server";
import { claimsDashboard } from "~/server/statistics/claims.server";
import { filterOptions, parseStatisticsFilters } from "~/server/statistics/filters.server";
import { dashboardAreas, statisticsDashboard } from "~/server/statistics/index.server";
import { serviceDashboard } from "~/server/statistics/service.server";
import { deployBuiltIns, fireDueTimers } from "~/server/workflow/index.server";
import type { Dashboard, StatisticsFilters } from "~/shared/statistics";
import { demoActor } from "../support/actors";
import { claimAwaitingConfirmation, closedClaim } from "../support/claim-progress";
import {
  acceptance,
  claimRow,
  complete,
  deliveredProject,
  ownerReports,
  repairerActor,
  repairSubmission,
  surveySubmission,
  type DeliveredProject,
} from "../support/claims";
import { useTestDatabase } from "../support/database";
import { PINGAN_PARTIES } from "../support/risk";
import { alertLinkMismatches, linkMismatches, listTotal } from "../support/statistics";
import { demoCreditCode } from "../support/workflow";

// 理赔 and 服务评价 statistics against figures worked out by hand. The fixed city: PICC leads 60 %
// with CPIC 40 % on project A (3 homes), Ping An alone on project B (1 home), both in 西山区. On A:
// c1 fast-tracked and closed (给排水, 给水管接头松动, cost and paid 1200); c2 surveyed (防水,
// 卫生间防水层破损) and declined; c3 reported (防水); c5 reported on c1's home and part after its
// repair (a repeat). On B: c4 fast-tracked, sent back once by the owner, repaired again, closed
// (paid 1200). A day later c3 and c5 are past the 24-hour acceptance limit.

useTestDatabase();

const T0 = new Date("2026-12-01T02:00:00Z"); // 10:00 in Kunming
const PICC = "中国人民财产保险股份有限公司昆明市分公司";
const CPIC = "中国太平洋财产保险股份有限公司云南分公司";
const PINGAN = "中国平安财产保险股份有限公司云南分公司";
const LIJIA = "昆明利家物业服务有限公司";
const PERIOD: StatisticsFilters = { period: "custom", from: "2026-12-01", to: "2026-12-02" };

let a: DeliveredProject;
let b: DeliveredProject;
let ids: Record<string, string>;

const orgId = async (key: string) =>
  (
    await db()
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.creditCode, demoCreditCode(key)))
  )[0].id;
/** Filters as a query string's values, as the page and the API send them. */
const query = (f: StatisticsFilters): Record<string, string> =>
  Object.fromEntries(
    Object.entries({ period: f.period, from: f.from, to: f.to, insurer: f.insurerId, tis: f.tisId }).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  );
const kpi = (d: Dashboard, key: string) => d.kpis.find((k) => k.key === key)!;
const chart = (d: Dashboard, key: string) => d.charts.find((c) => c.key === key)!;
const points = (d: Dashboard, key: string, series = 0) => chart(d, key).series[series].points.map((p) => [p.label, p.value]);
const step = async (actor: Actor, claimId: string, element: string, submission: unknown) =>
  complete(actor, (await claimRow(claimId)).instanceId!, element, submission);

beforeAll(async () => {
  setClock(runningFrom(T0));
  await deployBuiltIns();
  a = await deliveredProject(["13933330001", "13933330002", "13933330003"]);
  b = await deliveredProject(["13944440001"], PINGAN_PARTIES);
  const c1 = await closedClaim(a, a.homes[0].phone, a.homes[0].id);
  const c2 = await ownerReports(a.homes[1].phone, a.homes[1].id);
  await step(a.insurer, c2.id, "accept", acceptance());
  await step(a.insurer, c2.id, "survey", await surveySubmission(a.insurer));
  await step(a.insurer, c2.id, "decide", { decision: "decline", reason: "属于业主自行装修损坏" });
  const c3 = await ownerReports(a.homes[2].phone, a.homes[2].id);
  const c5 = await ownerReports(a.homes[0].phone, a.homes[0].id, { part: "plumbing", estimate: 9000 });
  const c4 = await claimAwaitingConfirmation(b, b.homes[0].phone, b.homes[0].id);
  const owner = ownerActor(b.homes[0].phone, "web");
  await step(owner, c4.id, "confirm", { decision: "refuse", reason: "仍然漏水" });
  const repairer = await repairerActor();
  await step(repairer, c4.id, "repair", await repairSubmission(repairer));
  await step(owner, c4.id, "confirm", { decision: "accept" });
  await step(b.insurer, c4.id, "settle", { part: "plumbing", cause: "给水管接头松动", cost: 1200, paidAmount: 1200 });
  await rateClaim(ownerActor(a.homes[0].phone, "web"), c1.id, { stars: 4, reasons: ["duration"] });
  await rateClaim(owner, c4.id, { stars: 2, reasons: ["quality", "duration"] });
  // The insurers' ratings of the TIS are given with the final report (its own test): written here.
  for (const [p, tis, stars] of [
    [a, "tis-yjk", 5],
    [b, "tis-at", 3],
  ] as const)
    await db()
      .insert(tisRatings)
      .values({ projectId: p.projectId, tisId: await orgId(tis), insurerId: p.insurer.organisationId!, stars, createdAt: T0 });
  setClock(runningFrom(new Date(T0.getTime() + 25 * 3600_000)));
  await fireDueTimers();
  ids = { c1: c1.id, c2: c2.id, c3: c3.id, c4: c4.id, c5: c5.id, lijia: await orgId("rep-lj") };
}, 120_000);

afterAll(resetClock);

describe("the 理赔 dashboard", () => {
  it("gives the regulator the city's figures, co-insured claims counted for each insurer and paid by share", async () => {
    const d = await claimsDashboard(await demoActor("regulator"), PERIOD);
    expect(kpi(d, "claimCount").value).toBe(5);
    expect(kpi(d, "claimCount").breakdown!.map((r) => [r.label, r.value])).toEqual([
      [PICC, 4],
      [CPIC, 4],
      [PINGAN, 1],
    ]);
    expect(kpi(d, "claimAmount").value).toBe(2400);
    expect(kpi(d, "claimAmount").breakdown!.map((r) => [r.label, r.value])).toEqual([
      [PINGAN, 1200],
      [PICC, 720],
      [CPIC, 480],
    ]);
    expect(kpi(d, "registrationRate").value).toBe(40);
    expect(kpi(d, "overdueShare").value).toBe(40);
    // Not the list's 已逾期 (open claims late now): the card and the chart say which claims they count.
    for (const note of [kpi(d, "overdueShare").note, chart(d, "timeLimits").note])
      expect(note).toContain("本期报案的案件中曾有任一环节超过时限的（含已结案的）；理赔列表的“已逾期”只列当前未结案且已超时限的案件");
    expect(points(d, "claimsByDistrict")).toEqual([["西山区", 5]]);
    expect(chart(d, "claimsByDistrict").series[0].points[0].link).toBe("/claims?district=530112&from=2026-12-01&to=2026-12-02");
    expect(points(d, "claimsByMonth")).toEqual([["2026-12", 5]]);
    expect(points(d, "closedAmountByMonth")).toEqual([["2026-12", 2400]]);
    expect(points(d, "registrationRate")).toEqual([
      [PINGAN, 100],
      [PICC, 25],
    ]);
    // 受理 late on c3 and c5 of PICC's four; its one surveyed claim (c2) kept every limit.
    const limits = chart(d, "timeLimits").series.map((s) => [s.name, s.points.map((p) => [p.label, p.value])]);
    expect(limits).toEqual([
      [
        "受理超过24小时",
        [
          [PINGAN, 0],
          [PICC, 50],
        ],
      ],
      ["查勘超过2日", [[PICC, 0]]],
      ["立案决定超过7日", [[PICC, 0]]],
      [
        "维修超过7日",
        [
          [PINGAN, 0],
          [PICC, 0],
        ],
      ],
      [
        "结案超过10日",
        [
          [PINGAN, 0],
          [PICC, 0],
        ],
      ],
      [
        "上报住建局",
        [
          [PINGAN, 0],
          [PICC, 50],
        ],
      ],
    ]);
    expect(points(d, "failuresByPart", 0)).toEqual([
      ["防水渗漏", 2],
      ["给排水", 3],
    ]);
    expect(points(d, "failuresByPart", 1)).toEqual([
      ["防水渗漏", 0],
      ["给排水", 2400],
    ]);
    expect(points(d, "failuresByCause", 0)).toEqual([
      ["给水管接头松动", 2],
      ["卫生间防水层破损", 1],
    ]);
    expect(chart(d, "failuresByCause").note).toContain("另有2件尚未查勘");
    expect(chart(d, "failuresByProject").series[0].points.map((p) => p.value)).toEqual([4, 1]);
    expect(points(d, "failuresByProject", 1).map(([, v]) => v)).toEqual([1200, 1200]);
    expect(chart(d, "failuresByDeveloper").series[0].points.map((p) => p.value)).toEqual([4, 1]);
    expect(chart(d, "failuresByContractor").series[0].points.map((p) => p.value)).toEqual([4, 1]);
  });

  it("gives an insurer its own figures only: its claims, its share of the money, never another insurer", async () => {
    const cpic = await claimsDashboard(await demoActor("insurer-cpic"), PERIOD);
    expect(kpi(cpic, "claimCount")).toMatchObject({ value: 4, breakdown: [{ label: CPIC, value: 4 }] });
    expect(kpi(cpic, "claimAmount")).toMatchObject({ value: 480, breakdown: [{ label: CPIC, value: 480 }] });
    expect(kpi(cpic, "registrationRate").value).toBe(25);
    // CPIC handles none of them: the lead's registration and time limits are not its figures.
    expect(points(cpic, "registrationRate")).toEqual([]);
    expect(JSON.stringify(cpic)).not.toContain(PICC);
    expect(JSON.stringify(cpic)).not.toContain(PINGAN);

    const pingan = await claimsDashboard(await demoActor("insurer-pingan"), PERIOD);
    expect([kpi(pingan, "claimCount").value, kpi(pingan, "claimAmount").value]).toEqual([1, 1200]);
    expect(points(pingan, "failuresByPart", 0)).toEqual([["给排水", 1]]);
    expect(JSON.stringify(pingan)).not.toContain(PICC);
    expect(JSON.stringify(pingan)).not.toContain(CPIC);
  });

  it("gives a developer its projects' claims and a repairer the claims it repairs, nothing else", async () => {
    // Project B's developer (春城): c4 only, on Ping An's project; never project A's claims or insurers.
    expect(dashboardAreas(b.developer)).toEqual(["underwriting", "risk", "claims", "service"]);
    const developer = await statisticsDashboard(b.developer, "claims", query(PERIOD));
    expect(kpi(developer, "claimCount")).toMatchObject({ value: 1, breakdown: [{ label: PINGAN, value: 1 }] });
    expect(kpi(developer, "claimAmount").value).toBe(1200);
    expect(JSON.stringify(developer)).not.toContain(PICC);
    expect(JSON.stringify(developer)).not.toContain(CPIC);
    // Project A's developer: its four claims.
    expect(kpi(await statisticsDashboard(a.developer, "claims", query(PERIOD)), "claimCount").value).toBe(4);

    // 利家 is entrusted with c1 and c2 (project A) and c4 (project B), not the unaccepted c3 and c5;
    // no 风险 (it sees no risk events), no 承保 (no party to the policies, even as a property company).
    const repairer = await repairerActor();
    expect(dashboardAreas(repairer)).toEqual(["claims", "service"]);
    const repairs = await statisticsDashboard(repairer, "claims", query(PERIOD));
    expect([kpi(repairs, "claimCount").value, kpi(repairs, "claimAmount").value]).toEqual([3, 2400]);
    expect(points(repairs, "failuresByPart", 0)).toEqual([
      ["防水渗漏", 1],
      ["给排水", 2],
    ]);
    // Each bar opens the claims list, which the repairer may open, scoped to the same claims.
    expect(chart(repairs, "failuresByPart").series[0].points[0].link).toMatch(/^\/claims\?/);
    // It may narrow them to an insurer it repairs for, though it sees none of their projects.
    expect((await filterOptions(repairer)).insurers.map((o) => o.name).sort()).toEqual([PICC, PINGAN].sort());
    const pinganId = (await demoActor("insurer-pingan")).organisationId!;
    expect(kpi(await statisticsDashboard(repairer, "claims", { ...query(PERIOD), insurer: pinganId }), "claimCount").value).toBe(1);
    await expect(
      parseStatisticsFilters(repairer, { ...query(PERIOD), insurer: (await demoActor("insurer-cpic")).organisationId! }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(statisticsDashboard(repairer, "risk", query(PERIOD))).rejects.toMatchObject({ status: 404 });
    await expect(statisticsDashboard(repairer, "underwriting", query(PERIOD))).rejects.toMatchObject({ status: 404 });
  });

  it("narrows to the filters, and shows nothing as nothing for an empty period", async () => {
    const regulator = await demoActor("regulator");
    const pingan = await claimsDashboard(regulator, { ...PERIOD, insurerId: (await demoActor("insurer-pingan")).organisationId! });
    expect([kpi(pingan, "claimCount").value, kpi(pingan, "claimAmount").value]).toEqual([1, 1200]);
    const empty = await claimsDashboard(regulator, { period: "month", from: "2026-11-01", to: "2026-11-30" });
    expect([kpi(empty, "claimCount").value, kpi(empty, "claimAmount").value, kpi(empty, "registrationRate").value]).toEqual([
      0,
      null,
      null,
    ]);
    // 本期无数据, not a flat line at 0.
    expect([points(empty, "claimsByMonth"), points(empty, "closedAmountByMonth")]).toEqual([[], []]);
  });
});

describe("the 理赔 dashboard's links", () => {
  it("open, for the regulator and an insurer, exactly the claims each figure counts: by developer and contractor too", async () => {
    const regulator = await demoActor("regulator");
    const found: string[] = [];
    for (const [actor, filters] of [
      [regulator, PERIOD],
      [regulator, { ...PERIOD, tisId: a.tis.organisationId! }],
      [regulator, { ...PERIOD, insurerId: a.insurer.organisationId! }],
      [await demoActor("insurer-cpic"), PERIOD],
      [await demoActor("insurer-pingan"), PERIOD],
    ] as const) {
      const d = await statisticsDashboard(actor, "claims", query(filters));
      for (const wrong of await linkMismatches(d, listTotal(actor))) found.push(`${actor.username} ${JSON.stringify(filters)} ${wrong}`);
    }
    expect(found).toEqual([]);
    const d = await claimsDashboard(regulator, PERIOD);
    const developer = chart(d, "failuresByDeveloper").series[0].points[0];
    expect([developer.value, developer.link]).toEqual([4, `/claims?from=2026-12-01&to=2026-12-02&developer=${a.developer.organisationId}`]);
    expect(chart(d, "failuresByContractor").series[0].points[0].link).toBe(
      `/claims?from=2026-12-01&to=2026-12-02&contractor=${a.contractor.organisationId}`,
    );
    // The list names what it is narrowed to, and the claims are those of the developer's project.
    const list = await claimList(regulator, { developer: a.developer.organisationId!, from: "2026-12-01", to: "2026-12-02" });
    expect(list.narrowedTo).toEqual([{ key: "developer", label: "建设单位", name: a.developer.organisationName }]);
    expect(list.page.rows.map((r) => r.projectId)).toEqual(Array(4).fill(a.projectId));
  });

  it("refuses a developer, contractor or TIS that is not an id, in Chinese, and narrows within the viewer's claims only", async () => {
    await expect(listClaims(await demoActor("regulator"), { developer: "春城", contractor: "1", tis: "x" })).rejects.toMatchObject({
      status: 422,
      fields: { developer: "建设单位不存在", contractor: "施工单位不存在", tis: "风险管理机构不存在" },
    });
    // Ping An sees its own claim only, whoever's developer it names.
    const pingan = await demoActor("insurer-pingan");
    expect((await listClaims(pingan, { developer: a.developer.organisationId! })).total).toBe(0);
    expect((await listClaims(pingan, { developer: b.developer.organisationId! })).total).toBe(1);
  });
});

describe("the 服务评价 dashboard", () => {
  it("ranks insurers, repairers and TIS for the regulator, with complaint reasons and the repairers' work quality", async () => {
    const d = await serviceDashboard(await demoActor("regulator"), PERIOD);
    expect(points(d, "insurerRanking")).toEqual([
      [PICC, 4],
      [PINGAN, 2],
    ]);
    expect(points(d, "repairerRanking", 1)).toEqual([[LIJIA, 2]]);
    expect(points(d, "repairerRanking")).toEqual([[LIJIA, 3]]);
    expect(points(d, "tisRanking")).toEqual([
      ["云南建科工程质量风险管理有限公司", 5],
      [expect.any(String), 3],
    ]);
    const complaints = Object.fromEntries(chart(d, "insurerComplaints").series.map((s) => [s.name, s.points.map((p) => p.value)]));
    expect(complaints).toMatchObject({ 工期: [100, 100], 维修质量: [0, 100], 服务态度: [0, 0] });
    expect(kpi(d, "insurerStars").value).toBe(3);
    // 利家 repaired c1 and c4: c4 sent back once, c1's home reported the same part again (c5).
    const quality = Object.fromEntries(
      chart(d, "repairQuality").series.map((s) => [s.name, points(d, "repairQuality", chart(d, "repairQuality").series.indexOf(s))]),
    );
    expect(quality).toEqual({
      维修案件数: [[LIJIA, 2]],
      业主退回重修率: [[LIJIA, 50]],
      一年内同部位重复报修率: [[LIJIA, 50]],
      平均维修时长: [[LIJIA, 0]],
    });
  });

  it("shows an organisation its own place and nobody else's name", async () => {
    const pingan = await serviceDashboard(await demoActor("insurer-pingan"), PERIOD);
    expect(points(pingan, "insurerRanking")).toEqual([["本单位（第2名/共2家）", 2]]);
    expect(kpi(pingan, "insurerRank")).toMatchObject({ value: 2, unit: "名", label: "本单位排名（共2家）" });
    expect(JSON.stringify(pingan)).not.toContain(PICC);
    const repairer = await serviceDashboard(await repairerActor(), PERIOD);
    expect(points(repairer, "repairerRanking")).toEqual([["本单位（第1名/共1家）", 3]]);
    // Only the rankings it is rated in: no insurers' or TIS's, which would always be empty for it.
    expect(repairer.charts.map((c) => c.key)).toEqual(["repairerRanking", "repairerComplaints", "repairQuality"]);
    expect(chart(repairer, "repairQuality").series[0].points.map((p) => p.key)).toEqual([ids.lijia]);
    expect(JSON.stringify(repairer)).not.toContain(PICC);
    expect(JSON.stringify(repairer)).not.toContain(PINGAN);
  });

  it("shows an organisation nobody rated its own cards with no figure", async () => {
    // CPIC co-insures project A, but the owners rated the handling insurer, PICC.
    const cpic = await serviceDashboard(await demoActor("insurer-cpic"), PERIOD);
    expect(cpic.kpis).toEqual([
      { key: "ownStars", label: "本单位平均星级", value: null, unit: "星" },
      { key: "insurerRank", label: "本单位排名", value: null, unit: "名" },
    ]);
    expect(points(cpic, "insurerRanking")).toEqual([]);
  });
});

describe("预警 from these claims", () => {
  it("lists the claims waiting past a limit and the insurer registering fewer claims than the city", async () => {
    const alerts = (await bureauAlerts(await demoActor("regulator")))!;
    const group = (kind: string) => alerts.groups.find((g) => g.kind === kind)!;
    expect(
      group("claimOverdue")
        .lines.map((l) => l.link)
        .sort(),
    ).toEqual([`/claims/${ids.c3}`, `/claims/${ids.c5}`].sort());
    expect(group("claimOverdue").lines[0].step).toMatchObject({ name: "受理报案", party: PICC });
    expect(group("insurerRegistration").lines.map((l) => l.text)).toEqual([
      `${PICC}：立案率 25.00%（全市 40.00%），近12个月报案 4 件，立案 1 件`,
    ]);
    // It opens the claims PICC handles (the rate's), not those it co-insures; alertLinkMismatches counts them below.
    expect(group("insurerRegistration").lines[0].link).toMatch(
      /^\/claims\?handler=[0-9a-f-]{36}&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/,
    );
    expect(await bureauAlerts(await demoActor("insurer"))).toBeNull();
  });

  it("opens from 查看全部 exactly the claims waiting late at their step, not those late at a step now done", async () => {
    const regulator = await demoActor("regulator");
    // c3 accepted late: red in the list still, but its survey is within its limit.
    await step(a.insurer, ids.c3, "accept", acceptance());
    const alerts = (await bureauAlerts(regulator))!;
    const late = alerts.groups.find((g) => g.kind === "claimOverdue")!;
    expect([late.total, late.more]).toEqual([1, "/claims?overdue=waiting"]);
    expect(await alertLinkMismatches(alerts, listTotal(regulator))).toEqual([]);
    expect((await claimList(regulator, { overdue: "true" })).page.total).toBe(2);
  });
});
