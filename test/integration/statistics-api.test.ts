import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeApiKeyOverHttp, signInOverHttp, useCluster } from "../support/platform";
import { linkMismatches, loadStatisticsCity } from "../support/statistics";

// GET /api/v1/statistics/{area} and a chart's Excel over HTTP, on the small city of
// test/support/statistics.ts: the bureau's and an insurer's figures (its share of a co-insured
// policy), and every refusal as a Chinese JSON answer that changes nothing.

const cluster = useCluster();
const url = () => cluster().url;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  await cluster().withSql(async (sql) => {
    await loadStatisticsCity((statement) => sql(statement));
    for (const row of await sql<{ name: string; id: string }>("select name, id from organisations where type in ('insurer', 'tis')"))
      ids[row.name] = row.id;
  });
  for (const username of ["regulator", "insurer-cpic", "insurer-pingan", "developer", "contractor", "tis", "reinsurer", "financial-regulator"])
    cookies[username] = await signInOverHttp(url(), username);
}, 120_000);

const CPIC = "中国太平洋财产保险股份有限公司云南分公司";

async function get(path: string, as?: string) {
  const response = await fetch(url() + path, { headers: as ? { Cookie: cookies[as], Origin: url() } : {} });
  const type = response.headers.get("Content-Type") ?? "";
  return { status: response.status, type, body: type.includes("json") ? await response.json() : Buffer.from(await response.arrayBuffer()) };
}

const kpis = (body: { kpis: { key: string; value: number | null }[] }) => Object.fromEntries(body.kpis.map((k) => [k.key, k.value]));

describe("GET /api/v1/statistics/{area}", () => {
  it("answers the bureau the city's figures and an insurer its share", async () => {
    const city = await get("/api/v1/statistics/underwriting?period=year&from=2026-03-01", "regulator");
    expect(city.status).toBe(200);
    expect(city.body.filters).toEqual({ period: "year", from: "2026-01-01", to: "2026-12-31" });
    expect(kpis(city.body)).toEqual({ costPerM2: 3166.67, rate: 1.5, premium: 1410000, area: 35000 });
    const own = await get("/api/v1/statistics/underwriting?from=2026-01-01", "insurer-cpic");
    expect(kpis(own.body)).toEqual({ costPerM2: 3000, rate: 1.5, premium: 180000, area: 4000 });
    const risk = await get(`/api/v1/statistics/risk?period=custom&from=2026-01-01&to=2026-12-31&insurer=${ids[CPIC]}`, "regulator");
    expect(kpis(risk.body)).toEqual({ constructionProjects: 2, assessmentReports: 1, riskEvents: 3, severeRiskEvents: 1 });
    // The filters said back in the query's names.
    expect(risk.body.filters).toEqual({ period: "custom", from: "2026-01-01", to: "2026-12-31", insurer: ids[CPIC] });
  });

  it("refuses wrong values and types with 422 naming each field, NUL included", async () => {
    const answer = await get("/api/v1/statistics/risk?period=week&from=2026-13-01&district=abc&insurer=1&tis=x", "regulator");
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      error: "validation_failed",
      message: "查询参数有误",
      fields: {
        period: "统计周期应为 month（月）、quarter（季）、year（年）或 custom（自定义）",
        from: "开始日期应为有效日期（年-月-日，如 2026-03-01）",
        district: "区县代码无效，应为昆明市的行政区划代码，如 530111",
        insurer: "保险公司标识格式不正确",
        tis: "风险管理机构标识格式不正确",
      },
    });
    // NUL is refused at the edge, on its field, before any route reads it.
    const nul = await get("/api/v1/statistics/risk?insurer=1%00", "regulator");
    expect([nul.status, nul.body.fields]).toEqual([422, { insurer: "内容含有不允许的字符（NUL 控制字符或残缺的 Unicode 编码）" }]);
    const custom = await get("/api/v1/statistics/underwriting?period=custom&from=2026-05-01&to=2026-04-01", "regulator");
    expect([custom.status, custom.body.fields]).toEqual([422, { to: "结束日期不能早于开始日期" }]);
  });

  it("refuses years no record has, on every figure and list, instead of walking to year 9999", async () => {
    const years = { from: "开始日期应在2000年至2099年之间", to: "结束日期应在2000年至2099年之间" };
    for (const area of ["underwriting", "risk", "claims", "service"]) {
      const far = await get(`/api/v1/statistics/${area}?period=custom&from=0000-01-01&to=9999-12-31`, "regulator");
      expect([far.status, far.body.fields], area).toEqual([422, years]);
      const year = await get(`/api/v1/statistics/${area}?period=year&from=9999-06-01`, "insurer-cpic");
      expect([year.status, year.body.fields], area).toEqual([422, { from: years.from }]);
    }
    const lists = {
      "/api/v1/projects": years,
      "/api/v1/risk-events": { from: "上报日期起应在2000年至2099年之间", to: "上报日期止应在2000年至2099年之间" },
      "/api/v1/claims": { from: "报案日期起应在2000年至2099年之间", to: "报案日期止应在2000年至2099年之间" },
    };
    for (const [path, fields] of Object.entries(lists)) {
      const far = await get(`${path}?from=0000-01-01&to=9999-12-31`, "regulator");
      expect([far.status, far.body.fields], path).toEqual([422, fields]);
    }
    for (const path of [
      "/map.xlsx?period=custom&from=0000-01-01&to=2026-12-31",
      "/stats/chart.xlsx?area=risk&chart=eventsByTis&period=year&from=9999-06-01",
    ])
      expect((await get(path, "regulator")).status, path).toBe(422);
    // The widest period there is still answers, month by month.
    const century = await get("/api/v1/statistics/underwriting?period=custom&from=2000-01-01&to=2099-12-31", "regulator");
    expect(century.status).toBe(200);
    const months = century.body.charts.find((c: { key: string }) => c.key === "projectsByIssueMonth").series[0].points;
    expect([months.length, months[0].key, months.at(-1).key]).toEqual([1200, "2000-01", "2099-12"]);
  });

  it("reads an end day as a custom period, and refuses one beside a calendar period", async () => {
    const march = await get("/api/v1/statistics/risk?from=2026-03-01&to=2026-03-31", "regulator");
    expect([march.status, march.body.filters]).toEqual([200, { period: "custom", from: "2026-03-01", to: "2026-03-31" }]);
    const mixed = await get("/api/v1/statistics/risk?period=year&from=2026-03-01&to=2026-03-31", "regulator");
    expect([mixed.status, mixed.body.fields]).toEqual([422, { to: "按月、季、年统计时不填结束日期（取开始日期所在的期间）" }]);
    const doc = (await get("/api/v1/openapi.json")).body;
    const to = doc.paths["/api/v1/statistics/{area}"].get.parameters.find((p: { name: string }) => p.name === "to");
    expect(to.description).toContain("仅用于 custom");
  });

  it("answers 404 for another organisation's insurer and an area without a dashboard, 401 and 403 as the page", async () => {
    const leak = await get(`/api/v1/statistics/underwriting?insurer=${ids[CPIC]}`, "insurer-pingan");
    expect([leak.status, leak.body]).toEqual([404, { error: "not_found", message: "该保险公司不存在，或不在您的查看范围内" }]);
    expect((await get("/api/v1/statistics/claims", "regulator")).status).toBe(200);
    expect((await get("/api/v1/statistics/nothing", "regulator")).status).toBe(404);
    expect((await get("/api/v1/statistics/underwriting")).status).toBe(401);
    // A contractor has no 统计; a developer the figures of its own projects.
    expect((await get("/api/v1/statistics/underwriting", "contractor")).status).toBe(403);
    expect((await get("/api/v1/statistics/underwriting", "developer")).status).toBe(200);
  });

  it("has the risk-event list the API answers take the dashboards' insurer and days", async () => {
    const events = async (query: string) => (await get(`/api/v1/risk-events?${query}`, "regulator")).body.total;
    expect(await events(`insurerId=${ids[CPIC]}&from=2026-01-01&to=2026-12-31`)).toBe(3);
    expect(await events(`insurerId=${ids[CPIC]}`)).toBe(4);
    expect(await events("from=2026-04-01&to=2026-04-30")).toBe(1);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await get("/api/v1/openapi.json")).body;
    const operation = doc.paths["/api/v1/statistics/{area}"].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["area", "period", "from", "to", "district", "insurer", "tis"]),
    );
  });
});

/** The route module a list's page data (`?_data=`) comes from, by the list's path. */
const LIST_ROUTES: Record<string, string> = {
  "/projects": "routes/_app.projects._index",
  "/risk": "routes/_app.risk._index",
  "/claims": "routes/_app.claims._index",
};

/** The 共N of the list a link opens, as the page reads it for `as`; a refusal as an error naming its status. */
async function listed(link: string, as: string): Promise<number> {
  const [path, search = ""] = link.split("?");
  const answer = await get(`${path}?${search}&_data=${encodeURIComponent(LIST_ROUTES[path])}`, as);
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
  return answer.body.total ?? answer.body.page.total;
}

describe("the links from the figures", () => {
  it("open, for every role that sees the dashboards, a list it may see with exactly the figure's count", async () => {
    const found: string[] = [];
    for (const who of ["regulator", "insurer-cpic", "tis", "reinsurer", "financial-regulator"])
      for (const area of ["underwriting", "risk", "claims", "service"]) {
        const dashboard = await get(`/api/v1/statistics/${area}?period=year&from=2026-01-01`, who);
        // A TIS sees no claims: no 理赔 figures at all.
        const offered = !(who === "tis" && area === "claims");
        expect(dashboard.status, `${who} ${area}`).toBe(offered ? 200 : 404);
        if (!offered) continue;
        for (const wrong of await linkMismatches(dashboard.body, (link) => listed(link, who))) found.push(`${who} ${area} ${wrong}`);
      }
    expect(found).toEqual([]);
    // 金融监管 reads the figures, and no link: it sees no list.
    const nfra = await get("/api/v1/statistics/underwriting?period=year&from=2026-01-01", "financial-regulator");
    expect(kpis(nfra.body)).toEqual({ costPerM2: 3166.67, rate: 1.5, premium: 1410000, area: 35000 });
    expect(JSON.stringify(nfra.body)).not.toContain('"link"');
  });

  it("shows an insurer nobody rated its own 服务评价 cards with no figure", async () => {
    const own = await get("/api/v1/statistics/service?period=custom&from=2015-01-01&to=2026-12-31", "insurer-cpic");
    expect(own.body.kpis).toEqual([
      { key: "ownStars", label: "本单位平均星级", value: null, unit: "星" },
      { key: "insurerRank", label: "本单位排名", value: null, unit: "名" },
    ]);
  });

  it("has the claim list they open take developer, contractor and TIS, in the API and its export, refused in Chinese when malformed", async () => {
    const fields = { developer: "建设单位不存在", contractor: "施工单位不存在", tis: "风险管理机构不存在" };
    const wrong = await get("/api/v1/claims?developer=%E6%98%A5%E5%9F%8E&contractor=1&tis=x", "regulator");
    expect([wrong.status, wrong.body.fields]).toEqual([422, fields]);
    expect((await get("/export/claims?developer=1", "regulator")).status).toBe(422);
    const ok = await get(
      `/api/v1/claims?developer=${crypto.randomUUID()}&contractor=${crypto.randomUUID()}&tis=${ids["云南建科工程质量风险管理有限公司"]}`,
      "regulator",
    );
    expect([ok.status, ok.body.total]).toEqual([200, 0]);
    const doc = (await get("/api/v1/openapi.json")).body;
    expect(doc.paths["/api/v1/claims"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["developer", "contractor", "tis"]),
    );
  });
});

describe("a chart's Excel", () => {
  it("holds the chart's numbers for the filters, and refuses a chart or filter that is not", async () => {
    const answer = await get("/stats/chart.xlsx?area=risk&chart=eventsByLevel&period=year&from=2026-01-01", "regulator");
    expect([answer.status, answer.type]).toEqual([200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(answer.body as never);
    const rows = workbook.worksheets[0]
      .getSheetValues()
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows.slice(-4)).toEqual([
      ["风险等级", "风险事件数（件）"],
      ["一般", 3],
      ["重大", 2],
      ["较大", 1],
    ]);
    // Narrowed, the file says to what beside its period.
    const narrowed = await get(`/stats/chart.xlsx?area=risk&chart=eventsByLevel&district=530111&insurer=${ids[CPIC]}`, "regulator");
    const narrowedBook = new ExcelJS.Workbook();
    await narrowedBook.xlsx.load(narrowed.body as never);
    expect(narrowedBook.worksheets[0].getCell("A2").value).toMatch(
      new RegExp(`^统计期间 2026-01-01 至 2026-12-31；区县：官渡区；保险公司：${CPIC}，数据截至 `),
    );
    expect((await get("/stats/chart.xlsx?area=risk&chart=nothing", "regulator")).status).toBe(404);
    expect((await get("/stats/chart.xlsx?area=risk&chart=eventsByLevel&period=week", "regulator")).status).toBe(422);
    expect((await get(`/stats/chart.xlsx?area=underwriting&chart=premiumByInsurer&insurer=${ids[CPIC]}`, "insurer-pingan")).status).toBe(
      404,
    );
  });
});

describe("a chart's and the map's Excel with an API key (decision 033)", () => {
  const PINGAN = "中国平安财产保险股份有限公司云南分公司";
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    keys.cpic = await makeApiKeyOverHttp(url(), CPIC, ["insurer"]);
    keys.pingan = await makeApiKeyOverHttp(url(), PINGAN, ["insurer"]);
  }, 60_000);

  /** A workbook's rows below its title lines (the second says when it was made, to the minute). */
  async function download(path: string, by: { key?: string; cookie?: string }) {
    const headers: Record<string, string> = by.key ? { Authorization: `Bearer ${by.key}` } : { Cookie: cookies[by.cookie!] };
    const response = await fetch(url() + path, { headers });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) return { status: response.status, type: response.headers.get("Content-Type"), rows: [] };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as never);
    const rows = workbook.worksheets[0].getSheetValues().flatMap((r) => (r ? [(r as unknown[]).slice(1)] : []));
    return { status: response.status, type: response.headers.get("Content-Type"), rows: rows.slice(2) };
  }

  const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  it("downloads /stats/chart.xlsx and /map.xlsx with an insurer's key, as its own users see them", async () => {
    for (const path of ["/stats/chart.xlsx?area=risk&chart=eventsByLevel&period=year&from=2026-01-01", "/map.xlsx"]) {
      const byKey = await download(path, { key: keys.cpic });
      expect([byKey.status, byKey.type], path).toEqual([200, XLSX]);
      expect(byKey.rows.length, path).toBeGreaterThan(1);
      expect(byKey.rows, path).toEqual((await download(path, { cookie: "insurer-cpic" })).rows);
      // Another insurer's key gets its own organisation's figures, not the first's nor the city's.
      const other = await download(path, { key: keys.pingan });
      expect([other.status, other.rows], path).toEqual([200, (await download(path, { cookie: "insurer-pingan" })).rows]);
      expect(other.rows, path).not.toEqual(byKey.rows);
      expect(byKey.rows, path).not.toEqual((await download(path, { cookie: "regulator" })).rows);
    }
  });

  it("keeps a key to its scope: another insurer's figures are a 404, a bad key a 401", async () => {
    const narrowed = `/stats/chart.xlsx?area=underwriting&chart=premiumByInsurer&insurer=${ids[CPIC]}`;
    expect((await download(narrowed, { key: keys.cpic })).status).toBe(200);
    expect((await download(narrowed, { key: keys.pingan })).status).toBe(404);
    expect((await download(`/map.xlsx?insurer=${ids[CPIC]}`, { key: keys.pingan })).status).toBe(404);
    expect((await download("/map.xlsx", { key: "idi_nothing" })).status).toBe(401);
  });
});

describe("a report's workbook with an API key (issue 25)", () => {
  it("downloads with a key that may read reports, refuses another key in JSON", async () => {
    const made = await fetch(url() + "/reports?index&_data=routes%2F_app.reports._index", {
      method: "POST",
      headers: { Cookie: cookies.regulator, Origin: url(), "Content-Type": "application/json" },
      body: JSON.stringify({ period: "month", date: "2026-03-01", intent: "make" }),
    });
    expect(made.status).toBe(200);
    const { id } = (await made.json()) as { id: string };
    const [bureau] = await cluster().withSql((sql) =>
      sql<{ name: string }>("select o.name from users u join organisations o on o.id = u.organisation_id where u.username = 'regulator'"),
    );
    const bureauKey = await makeApiKeyOverHttp(url(), bureau.name, ["regulator"]);
    const byKey = await fetch(`${url()}/reports/${id}/workbook`, { headers: { Authorization: `Bearer ${bureauKey}` }, redirect: "manual" });
    expect([byKey.status, byKey.headers.get("Content-Type")]).toEqual([200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await byKey.arrayBuffer()) as never);
    expect(workbook.worksheets.length).toBeGreaterThan(1);
    const insurerKey = await makeApiKeyOverHttp(url(), CPIC, ["insurer"]);
    const refused = await fetch(`${url()}/reports/${id}/workbook`, { headers: { Authorization: `Bearer ${insurerKey}` }, redirect: "manual" });
    expect([refused.status, (await refused.json()).error]).toEqual([403, "forbidden"]);
  });
});
