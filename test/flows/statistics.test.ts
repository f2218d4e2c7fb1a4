import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organisations } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { bureauAlerts } from "~/server/statistics/alerts.server";
import { filterOptions } from "~/server/statistics/filters.server";
import { statisticsDashboard } from "~/server/statistics/index.server";
import { listProjects } from "~/server/projects/project-list.server";
import { statisticsPage } from "~/server/statistics/statistics-page.server";
import { riskEventList } from "~/server/risk/risk-views.server";
import { riskMapData } from "~/server/statistics/map.server";
import type { Dashboard } from "~/shared/statistics";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { alertLinkMismatches, linkedFigures, linkMismatches, listTotal, loadStatisticsCity } from "../support/statistics";
import { demoCreditCode } from "../support/workflow";

// Every indicator of the 承保 and 风险 dashboards against figures computed by hand on the small
// city of test/support/statistics.ts, for the bureau and for CPIC (40 % co-insurer of 统计甲苑,
// sole insurer of 统计丁苑 issued in 2025), and the filters' refusals.

useTestDatabase();

let bureau: Actor;
let cpic: Actor;
let picc: Actor;
let pingan: Actor;
let tis: Actor;
const id: Record<string, string> = {};

beforeAll(async () => {
  setClock(() => new Date("2026-06-15T04:00:00Z"));
  await loadStatisticsCity((statement) => db().execute(sql.raw(statement)));
  [bureau, cpic, picc, pingan, tis] = await Promise.all(["regulator", "insurer-cpic", "insurer", "insurer-pingan", "tis"].map(demoActor));
  for (const key of ["picc", "cpic", "pingan", "tis-yjk", "tis-at"]) {
    const [row] = await db()
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.creditCode, demoCreditCode(key)));
    id[key] = row.id;
  }
});
afterAll(resetClock);

const PICC = "中国人民财产保险股份有限公司昆明市分公司";
const CPIC = "中国太平洋财产保险股份有限公司云南分公司";
const PINGAN = "中国平安财产保险股份有限公司云南分公司";
const YJK = "云南建科工程质量风险管理有限公司";
const AT = "昆明安泰建设工程技术咨询有限公司";

const dashboard = (actor: Actor, area: string, query: Record<string, string> = {}) => statisticsDashboard(actor, area, query);
const kpis = (d: Dashboard) => Object.fromEntries(d.kpis.map((k) => [k.key, k.value]));
const breakdown = (d: Dashboard, key: string) =>
  Object.fromEntries(d.kpis.find((k) => k.key === key)!.breakdown!.map((b) => [b.label, b.value]));
const chart = (d: Dashboard, key: string) =>
  Object.fromEntries(d.charts.find((c) => c.key === key)!.series[0].points.map((p) => [p.label, p.value]));
const link = (d: Dashboard, key: string, label: string) =>
  d.charts.find((c) => c.key === key)!.series[0].points.find((p) => p.label === label)!.link;

/** A chart's figures by month over 2026: those given, 0 in every other month. */
const everyMonthOf2026 = (figures: Record<string, number>) =>
  Object.fromEntries(Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`).map((m) => [m, figures[m] ?? 0]));

describe("承保 dashboard", () => {
  it("gives the bureau the city's policies issued this year, co-insurance by share", async () => {
    const d = await dashboard(bureau, "underwriting");
    expect(d.filters).toEqual({ period: "year", from: "2026-01-01", to: "2026-12-31" });
    expect(d.asOf).toBe("2026-06-15T04:00:00.000Z");
    // 统计甲 3000, 统计乙 2500, 统计丙 4000 元/㎡ (统计丁 was issued in 2025, 统计戊 is a draft).
    expect(kpis(d)).toEqual({ costPerM2: 3166.67, rate: 1.5, premium: 1410000, area: 35000 });
    // PICC: 60 % of 450,000 and all of 360,000; CPIC: 40 % of 450,000.
    expect(breakdown(d, "premium")).toEqual({ [PICC]: 630000, [PINGAN]: 600000, [CPIC]: 180000 });
    expect(breakdown(d, "area")).toEqual({ [PINGAN]: 20000, [PICC]: 11000, [CPIC]: 4000 });
    expect(d.kpis.find((k) => k.key === "premium")!.breakdown!.map((b) => b.label)).toEqual([PICC, PINGAN, CPIC]);
    expect(chart(d, "costPerM2ByMonth")).toEqual({ "2026-03": 2750, "2026-05": 4000 });
    expect(chart(d, "rateByMonth")).toEqual({ "2026-03": 1.35, "2026-05": 1.8 });
    expect(chart(d, "costPerM2ByDistrict")).toEqual({ 官渡区: 3500, 西山区: 2500 });
    expect(chart(d, "rateByInsurer")).toEqual({ [PICC]: 1.65, [PINGAN]: 1.2, [CPIC]: 1.5 });
    expect(chart(d, "premiumByInsurer")).toEqual({ [PICC]: 630000, [PINGAN]: 600000, [CPIC]: 180000 });
    expect(chart(d, "sumInsuredByInsurer")).toEqual({ [PICC]: 38000000, [PINGAN]: 50000000, [CPIC]: 12000000 });
    expect(chart(d, "projectsByInsurer")).toEqual({ [PICC]: 2, [PINGAN]: 1, [CPIC]: 1 });
    expect(chart(d, "premiumByDistrict")).toEqual({ 官渡区: 810000, 西山区: 600000 });
    expect(chart(d, "sumInsuredByDistrict")).toEqual({ 官渡区: 50000000, 西山区: 50000000 });
    expect(chart(d, "projectsByStartMonth")).toEqual({ "2026-04": 1, "2026-05": 1, "2026-07": 1 });
    // Counts and sums by month: every month of the year, 0 where nothing was issued.
    expect(chart(d, "projectsByIssueMonth")).toEqual(everyMonthOf2026({ "2026-03": 2, "2026-05": 1 }));
    expect(chart(d, "premiumByIssueMonth")).toEqual(everyMonthOf2026({ "2026-03": 1050000, "2026-05": 360000 }));
    expect(d.charts.map((c) => c.series[0].unit)).toEqual(["元/㎡", "%", "元/㎡", "%", "元", "元", "个", "元", "元", "个", "个", "元"]);
    // The insured projects only: 统计己苑, returned by the bureau, has its policy issued in June.
    expect(link(d, "premiumByInsurer", CPIC)).toBe(`/projects?insurer=${id.cpic}&from=2026-01-01&to=2026-12-31&status=insured`);
    expect(link(d, "premiumByDistrict", "西山区")).toBe("/projects?district=530112&from=2026-01-01&to=2026-12-31&status=insured");
    expect(link(d, "projectsByIssueMonth", "2026-03")).toBe("/projects?from=2026-03-01&to=2026-03-31&status=insured");
  });

  it("gives CPIC its 40 % of the co-insured project only, never the whole premium", async () => {
    const d = await dashboard(cpic, "underwriting");
    expect(kpis(d)).toEqual({ costPerM2: 3000, rate: 1.5, premium: 180000, area: 4000 });
    expect(breakdown(d, "premium")).toEqual({ [CPIC]: 180000 });
    expect(chart(d, "sumInsuredByInsurer")).toEqual({ [CPIC]: 12000000 });
    expect(chart(d, "premiumByDistrict")).toEqual({ 官渡区: 180000 });
    expect(chart(d, "projectsByIssueMonth")).toEqual(everyMonthOf2026({ "2026-03": 1 }));
    // Its 2025 policy is in 2025's figures.
    expect(kpis(await dashboard(cpic, "underwriting", { period: "year", from: "2025-05-01" }))).toEqual({
      costPerM2: 2000,
      rate: 2,
      premium: 320000,
      area: 8000,
    });
    // The bureau filtering by CPIC sees the same figures.
    const filtered = await dashboard(bureau, "underwriting", { insurer: id.cpic });
    expect(kpis(filtered)).toEqual(kpis(d));
    expect(filtered.charts.map((c) => chart(filtered, c.key))).toEqual(d.charts.map((c) => chart(d, c.key)));
    // PICC: 60 % of 统计甲 and all of 统计丙.
    expect(kpis(await dashboard(picc, "underwriting"))).toEqual({ costPerM2: 3500, rate: 1.65, premium: 630000, area: 11000 });
    // PICC filtering by its co-insurer CPIC: the project they share, by PICC's own 60 %, never CPIC's money.
    const shared = await dashboard(picc, "underwriting", { insurer: id.cpic });
    expect(kpis(shared)).toEqual({ costPerM2: 3000, rate: 1.5, premium: 270000, area: 6000 });
    expect(breakdown(shared, "premium")).toEqual({ [PICC]: 270000 });
  });

  it("narrows to a month, a quarter, a custom span, a district and a TIS; an empty period shows no figure", async () => {
    expect(kpis(await dashboard(bureau, "underwriting", { period: "month", from: "2026-03-31" }))).toEqual({
      costPerM2: 2750,
      rate: 1.35,
      premium: 1050000,
      area: 30000,
    });
    const quarter = await dashboard(bureau, "underwriting", { period: "quarter", from: "2026-05-20" });
    expect([quarter.filters.from, quarter.filters.to, kpis(quarter).premium]).toEqual(["2026-04-01", "2026-06-30", 360000]);
    const custom = await dashboard(bureau, "underwriting", { period: "custom", from: "2026-03-15", to: "2026-05-05" });
    expect(kpis(custom).premium).toBe(960000);
    expect(kpis(await dashboard(bureau, "underwriting", { district: "530111" })).premium).toBe(810000);
    expect(kpis(await dashboard(bureau, "underwriting", { tis: id["tis-at"] })).premium).toBe(600000);
    const empty = await dashboard(bureau, "underwriting", { period: "month", from: "2026-01-15" });
    expect(kpis(empty)).toEqual({ costPerM2: null, rate: null, premium: null, area: null });
    expect(empty.charts.every((c) => c.series[0].points.length === 0)).toBe(true);
  });
});

describe("风险 dashboard", () => {
  it("gives the bureau the city's events of the year (Kunming days), reports and sites", async () => {
    const d = await dashboard(bureau, "risk");
    // 施工中: 统计甲, 乙, 丁 and 统计庚 in 风险交底; in force by TIS: 统计辛's policy is terminated.
    expect(kpis(d)).toEqual({ constructionProjects: 4, assessmentReports: 2, riskEvents: 6, severeRiskEvents: 2 });
    expect(chart(d, "projectsByTis")).toEqual({ [YJK]: 2, [AT]: 3 });
    expect(chart(d, "eventsByTis")).toEqual({ [AT]: 4, [YJK]: 2 });
    expect(chart(d, "eventsByType")).toEqual({ 防水: 2, 主体结构: 2, 地基基础: 1, 装饰装修: 1 });
    expect(chart(d, "eventsByLevel")).toEqual({ 一般: 3, 重大: 2, 较大: 1 });
    expect(chart(d, "eventsByStatus")).toEqual({ 已销项: 2, 待整改: 1, 整改中: 1, 待复核: 1, 已终止: 1 });
    // 安泰: 1 closed of 3 (the cancelled one left out); 建科: 1 of 2.
    expect(chart(d, "rectificationByTis")).toEqual({ [AT]: 33.33, [YJK]: 50 });
    expect(chart(d, "rectificationByMonth")).toEqual({ "2026-02": 50, "2026-03": 50, "2026-04": 0 });
    expect(d.charts.map((c) => c.series[0].unit)).toEqual(["个", "件", "件", "件", "件", "%", "%"]);
    expect(link(d, "eventsByTis", AT)).toBe(`/risk?tis=${id["tis-at"]}&from=2026-01-01&to=2026-12-31`);
    expect(link(d, "eventsByLevel", "重大")).toBe("/risk?from=2026-01-01&to=2026-12-31&level=critical");
    expect(link(d, "eventsByType", "防水")).toBe("/risk?from=2026-01-01&to=2026-12-31&type=waterproofing");
    expect(link(d, "projectsByTis", YJK)).toBe(`/projects?tis=${id["tis-yjk"]}&stage=insured`);
    expect(link(d, "rectificationByMonth", "2026-04")).toBe("/risk?from=2026-04-01&to=2026-04-30&cancelled=false");
    // 施工中 is today's, whatever the period: the card says so.
    expect(d.kpis.find((k) => k.key === "constructionProjects")!.note).toMatch(/^截至今日/);
  });

  it("gives CPIC the events and reports of its own projects only", async () => {
    const d = await dashboard(cpic, "risk");
    expect(kpis(d)).toEqual({ constructionProjects: 2, assessmentReports: 1, riskEvents: 3, severeRiskEvents: 1 });
    expect(chart(d, "eventsByTis")).toEqual({ [YJK]: 2, [AT]: 1 });
    expect(chart(d, "rectificationByTis")).toEqual({ [YJK]: 50, [AT]: 0 });
    expect(chart(d, "projectsByTis")).toEqual({ [YJK]: 1, [AT]: 1 });
  });

  it("counts an event raised at 01:00 on 1 April in Kunming in April", async () => {
    expect(kpis(await dashboard(bureau, "risk", { period: "month", from: "2026-04-01" })).riskEvents).toBe(1);
    expect(kpis(await dashboard(bureau, "risk", { period: "month", from: "2026-03-01" })).riskEvents).toBe(3);
  });

  it("opens the risk-event list with the same events a bar counts", async () => {
    const d = await dashboard(bureau, "risk");
    const query = (l: string) => Object.fromEntries(new URL(l, "http://x").searchParams);
    const total = async (q: Record<string, string>) => (await riskEventList(bureau, q)).page.total;
    expect(await total(query(link(d, "eventsByTis", AT)!))).toBe(4);
    expect(await total(query(link(d, "eventsByType", "防水")!))).toBe(2);
    expect(await total(query(link(d, "eventsByLevel", "重大")!))).toBe(2);
    expect(await total(query(link(d, "eventsByStatus", "已销项")!))).toBe(2);
    expect(await total(query(link(d, "rectificationByMonth", "2026-04")!))).toBe(1);
    expect(await total({ insurer: id.cpic, from: "2026-01-01", to: "2026-12-31" })).toBe(3);
    expect(await total({ insurer: id.cpic })).toBe(4);
    expect(await total({ district: "530112", status: "closed" })).toBe(1);
  });

  it("opens from a 整改率 bar exactly the events the rate is over, leaving out the cancelled one", async () => {
    const d = await dashboard(bureau, "risk");
    const total = listTotal(bureau);
    const rates = d.charts.filter((c) => c.key.startsWith("rectification")).flatMap((c) => c.series[0].points);
    expect(rates.length).toBe(5);
    for (const point of rates) {
      const [all, closed] = [await total(point.link!), await total(`${point.link}&status=closed`)];
      expect(Math.round((closed * 10000) / all) / 100, point.label).toBe(point.value);
    }
    // 安泰's three of the rate, not the four of its list with the cancelled one (统计乙苑, March).
    expect(await total(link(d, "rectificationByTis", AT)!)).toBe(3);
  });

  it("marks the running month of the 整改率 by month 本月至今", async () => {
    setClock(() => new Date("2026-04-10T04:00:00Z"));
    try {
      const d = await dashboard(bureau, "risk");
      expect(Object.keys(chart(d, "rectificationByMonth"))).toEqual(["2026-02", "2026-03", "2026-04（本月至今）"]);
      expect(d.charts.find((c) => c.key === "rectificationByMonth")!.note).toContain("本月至今");
    } finally {
      setClock(() => new Date("2026-06-15T04:00:00Z"));
    }
  });

  it("counts 在保 once, as the map and the project list do: insured, not terminated, not expired", async () => {
    const inForce = async () => {
      const d = await dashboard(bureau, "risk");
      const byTis = Object.values(chart(d, "projectsByTis")).reduce((n, v) => n + v, 0);
      const map = await riskMapData(bureau, {});
      return [byTis, map.total.projects, await listTotal(bureau)("/projects?stage=insured")];
    };
    // 统计甲, 乙, 丙, 丁 and 庚; 统计辛's policy is terminated, 统计戊 and 己 were never insured.
    expect(await inForce()).toEqual([5, 5, 5]);
    // Every policy of this city ends on 2036-12-31: none in force the day after.
    setClock(() => new Date("2037-01-01T04:00:00Z"));
    try {
      expect(await inForce()).toEqual([0, 0, 0]);
    } finally {
      setClock(() => new Date("2026-06-15T04:00:00Z"));
    }
  });
});

describe("the links from the figures", () => {
  const QUERIES: Record<string, string>[] = [
    {},
    { period: "year", from: "2025-01-01" },
    { tis: "tis-at" },
    { district: "530112" },
    { period: "month", from: "2026-03-01" },
  ];
  const withIds = (q: Record<string, string>) => (q.tis ? { ...q, tis: id[q.tis] } : q);

  it("open, for the bureau and an insurer, the list of exactly what each bar, slice and KPI line counts", async () => {
    const found: string[] = [];
    for (const actor of [bureau, cpic])
      for (const area of ["underwriting", "risk", "claims", "service"])
        for (const q of QUERIES) {
          if (actor === cpic && q.tis) continue;
          const d = await dashboard(actor, area, withIds(q));
          for (const wrong of await linkMismatches(d, listTotal(actor)))
            found.push(`${actor.username} ${area} ${JSON.stringify(q)} ${wrong}`);
        }
    expect(found).toEqual([]);
    // The 承保 and 风险 charts link at all.
    const year = await dashboard(bureau, "underwriting");
    expect(
      linkedFigures(year)
        .filter((f) => f.unit === "个")
        .map((f) => f.what),
    ).toEqual(expect.arrayContaining([`projectsByInsurer 项目数 ${PICC}`, "projectsByIssueMonth 项目数 2026-03"]));
    expect(linkedFigures(await dashboard(bureau, "risk")).map((f) => f.what)).toContain(`projectsByTis 项目数 ${AT}`);
  });

  it("counts 施工中 as the project list does, 风险交底 included, and 预警 opens exactly its sites", async () => {
    const d = await dashboard(bureau, "risk");
    expect(kpis(d).constructionProjects).toBe(await listTotal(bureau)("/projects?stage=construction"));
    const alerts = (await bureauAlerts(bureau))!;
    const sites = alerts.groups.find((g) => g.kind === "noInspection")!;
    expect(sites.lines.map((l) => l.text.split("：")[0]).sort()).toEqual(["统计丁苑", "统计乙苑", "统计庚苑", "统计甲苑"].sort());
    expect(sites.more).toBe("/projects?stage=construction&uninspected=1");
    expect(await alertLinkMismatches(alerts, listTotal(bureau))).toEqual([]);
    await expect(listProjects(bureau, { uninspected: "yes" })).rejects.toMatchObject({
      status: 422,
      fields: { uninspected: "“60日无现场检查”只能为 1" },
    });
    // Nothing overdue in this city: those kinds link nowhere.
    expect(alerts.groups.filter((g) => g.total === 0).map((g) => [g.kind, g.more])).toEqual([
      ["riskOverdue", undefined],
      ["claimOverdue", undefined],
      ["tisRectification", undefined],
      ["insurerRegistration", undefined],
    ]);
  });

  it("are drawn only where the viewer may open the list: none for 金融监管, the risk events' for a TIS", async () => {
    const nfra = await demoActor("financial-regulator");
    for (const area of ["underwriting", "risk", "claims", "service"]) {
      const d = await dashboard(nfra, area);
      expect(linkedFigures(d), area).toEqual([]);
      // The figures are the bureau's all the same.
      expect(kpis(d), area).toEqual(kpis(await dashboard(bureau, area)));
    }
    // A TIS has no 理赔 tab at all (below); its 风险 figures open its risk events.
    expect(linkedFigures(await dashboard(tis, "risk")).length).toBeGreaterThan(0);
    // The bureau's figures link (this city has no claims: its 理赔 charts have no points to link).
    expect(linkedFigures(await dashboard(bureau, "underwriting")).length).toBeGreaterThan(0);
  });
});

describe("the filters", () => {
  const refusal = (actor: Actor, query: Record<string, string>) =>
    statisticsDashboard(actor, "underwriting", query).then(
      () => null,
      (e: { status: number; fields?: Record<string, string>; message: string }) => ({
        status: e.status,
        fields: e.fields,
        message: e.message,
      }),
    );

  it("refuses bad values with a Chinese message on each field", async () => {
    expect(await refusal(bureau, { period: "week", from: "2026-02-30", district: "110101", insurer: "abc", tis: "1\u0000" })).toEqual({
      status: 422,
      message: "查询参数有误",
      fields: {
        period: "统计周期应为 month（月）、quarter（季）、year（年）或 custom（自定义）",
        from: "开始日期应为有效日期（年-月-日，如 2026-03-01）",
        district: "区县代码无效，应为昆明市的行政区划代码，如 530111",
        insurer: "保险公司标识格式不正确",
        tis: "风险管理机构标识格式不正确",
      },
    });
    expect((await refusal(bureau, { period: "custom" }))?.fields).toEqual({
      from: "自定义统计周期须填写开始日期",
      to: "自定义统计周期须填写结束日期",
    });
    expect((await refusal(bureau, { period: "custom", from: "2026-05-01", to: "2026-04-30" }))?.fields).toEqual({
      to: "结束日期不能早于开始日期",
    });
  });

  it("answers 404 for an insurer or TIS outside the viewer's scope, and for an area without a dashboard", async () => {
    expect(await refusal(pingan, { insurer: id.cpic })).toMatchObject({ status: 404, message: "该保险公司不存在，或不在您的查看范围内" });
    expect(await refusal(tis, { insurer: id.pingan })).toMatchObject({ status: 404 });
    expect(await refusal(tis, { tis: id["tis-at"] })).toMatchObject({ status: 404, message: "该风险管理机构不存在，或不在您的查看范围内" });
    expect(await refusal(bureau, { insurer: id["tis-at"] })).toMatchObject({ status: 404 });
    expect(await refusal(bureau, { insurer: crypto.randomUUID() })).toMatchObject({ status: 404 });
    // A co-insurer of one's own project may be filtered by; the bureau any insurer.
    expect(await refusal(picc, { insurer: id.cpic })).toBeNull();
    expect(await refusal(bureau, { insurer: id.pingan })).toBeNull();
    await expect(statisticsDashboard(bureau, "toString", {})).rejects.toMatchObject({ status: 404 });
    expect((await statisticsDashboard(bureau, "claims", {})).area).toBe("claims");
    // A TIS sees no claims, so no 理赔 figures: no tab rather than a zero it could not check.
    await expect(statisticsDashboard(tis, "claims", {})).rejects.toMatchObject({ status: 404, message: "您的查看范围内没有该统计板块的数据" });
    expect([(await statisticsPage(tis, {})).areas, (await statisticsPage(tis, { tab: "claims" })).tab]).toEqual([
      ["underwriting", "risk", "service"],
      "underwriting",
    ]);
    expect((await statisticsPage(picc, {})).areas).toEqual(["underwriting", "risk", "claims", "service"]);
  });

  it("offers each viewer only the insurers and TIS it may filter by", async () => {
    const names = async (actor: Actor) => {
      const o = await filterOptions(actor);
      return { insurers: o.insurers.map((i) => i.name), tis: o.tis.map((t) => t.name) };
    };
    expect((await names(bureau)).insurers).toEqual(expect.arrayContaining([PICC, CPIC, PINGAN]));
    expect(await names(cpic)).toEqual({ insurers: [PICC, CPIC].sort(), tis: [AT, YJK].sort() });
    expect(await names(pingan)).toEqual({ insurers: [PINGAN], tis: [AT] });
    expect(await names(tis)).toEqual({ insurers: [PICC, CPIC].sort(), tis: [YJK] });
  });
});
