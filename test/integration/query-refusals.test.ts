import { beforeAll, describe, expect, it } from "vitest";
import { signInOverHttp, usePlatform } from "../support/platform";

// What an attacker tried on the lists', exports', statistics' and API's queries (issue 25): each
// refused with 422 on the key it names, in Chinese, on a page (in the HTML a user sees), an export
// and the API alike.

const { url } = usePlatform();
const cookies: Record<string, string> = {};

beforeAll(async () => {
  for (const username of ["regulator", "insurer-cpic"]) cookies[username] = await signInOverHttp(url(), username);
}, 120_000);

const SOME_ID = "3f1c2b4a-8d5e-4f6a-9b7c-0d1e2f3a4b5c";

async function get(path: string, as = "regulator", init: RequestInit = {}) {
  const response = await fetch(url() + path, { ...init, headers: { Cookie: cookies[as], Origin: url(), ...init.headers } });
  const type = response.headers.get("Content-Type") ?? "";
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: type.includes("json") ? JSON.parse(text) : null };
}

/** The refusals of a JSON answer (an export or the API), by key, and its status. */
async function refusal(path: string, as?: string) {
  const answer = await get(path, as);
  return [answer.status, answer.body?.fields];
}

/**
 * What a page shows: its HTML without its scripts (the loader's data, the refusals included, is in
 * a script whether or not the page shows it), quotes as React escapes them read back.
 */
const inHtml = (text: string) =>
  text
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "")
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'");

describe("__proto__ as a query key", () => {
  // Computed keys: `{ __proto__: … }` would set the literal's prototype.
  const once = { ["__proto__"]: "未知的查询参数“__proto__”" };
  const twice = { ["__proto__"]: "查询参数“__proto__”只能出现一次" };

  it("is refused on the API, given once or twice, and named in the answer's fields", async () => {
    for (const path of ["/api/v1/projects", "/api/v1/claims", "/api/v1/risk-events", "/api/v1/statistics/risk"]) {
      const answer = await get(path + "?__proto__=1");
      expect([answer.status, answer.text.includes('"__proto__":"未知的查询参数“__proto__”"')], path).toEqual([422, true]);
      expect(Object.entries(answer.body.fields), path).toEqual(Object.entries(once));
      const repeated = await get(path + "?__proto__=1&__proto__=2");
      expect([repeated.status, Object.entries(repeated.body.fields)], path).toEqual([422, Object.entries(twice)]);
    }
  });

  it("is refused by an export", async () => {
    for (const list of ["projects", "claims", "risk-events"]) {
      const answer = await get(`/export/${list}?__proto__=1`);
      expect([answer.status, Object.entries(answer.body.fields)], list).toEqual([422, Object.entries(once)]);
      const repeated = await get(`/export/${list}?__proto__=1&__proto__=2`);
      expect([repeated.status, Object.entries(repeated.body.fields)], list).toEqual([422, Object.entries(twice)]);
    }
  });

  it("is refused on a list page, said in its alert", async () => {
    for (const path of ["/projects", "/claims", "/risk"]) {
      const answer = await get(path + "?__proto__=1");
      expect([answer.status, inHtml(answer.text).includes(once.__proto__)], path).toEqual([422, true]);
      const repeated = await get(path + "?__proto__=1&__proto__=2");
      expect([repeated.status, inHtml(repeated.text).includes(twice.__proto__)], path).toEqual([422, true]);
    }
  });
});

describe("a filter's former name", () => {
  it("claims: insurer and insurerId together are refused on insurer; insurerId alone is read", async () => {
    const both = "“insurer”与旧名称“insurerId”不能同时使用";
    expect(await refusal(`/api/v1/claims?insurer=${SOME_ID}&insurerId=${SOME_ID}`)).toEqual([422, { insurer: both }]);
    expect(await refusal(`/export/claims?insurer=${SOME_ID}&insurerId=${SOME_ID}`)).toEqual([422, { insurer: both }]);
    const old = await get(`/api/v1/claims?insurerId=${SOME_ID}`);
    expect([old.status, old.body.total]).toEqual([200, 0]);
    // A value refused under the old name is refused under it.
    expect(await refusal("/api/v1/claims?insurerId=abc")).toEqual([422, { insurerId: "承保公司不存在" }]);
    const page = await get(`/claims?insurer=${SOME_ID}&insurerId=${SOME_ID}`);
    expect([page.status, inHtml(page.text).includes(both)]).toEqual([422, true]);
  });

  it("the OpenAPI document marks claims' insurerId deprecated", async () => {
    const document = (await get("/api/v1/openapi.json")).body;
    const parameters = document.paths["/api/v1/claims"].get.parameters as { name: string; deprecated?: boolean }[];
    expect(parameters.find((p) => p.name === "insurerId")?.deprecated).toBe(true);
    expect(parameters.find((p) => p.name === "insurer")?.deprecated).toBeUndefined();
  });

  it("risk list: constructor, toString, hasOwnProperty are unknown keys under their own names", async () => {
    for (const key of ["constructor", "toString", "hasOwnProperty"]) {
      expect(await refusal(`/api/v1/risk-events?${key}=1`), key).toEqual([422, { [key]: `未知的查询参数“${key}”` }]);
      expect(await refusal(`/export/risk-events?${key}=1`), key).toEqual([422, { [key]: `未知的查询参数“${key}”` }]);
      expect(await refusal(`/api/v1/claims?${key}=1`), key).toEqual([422, { [key]: `未知的查询参数“${key}”` }]);
    }
    // With a refused former name beside it, each keeps its own name.
    expect(await refusal("/api/v1/risk-events?constructor=1&tisId=x")).toEqual([422, { constructor: "未知的查询参数“constructor”" }]);
  });
});

describe("page and pageSize", () => {
  const page = { page: "页码应为正整数" };
  const size = { pageSize: "每页条数应为 1 到 100 的整数" };

  it("take only digits without a leading zero", async () => {
    for (const value of ["0x10", "%2B3", "%201", "1e9", "1.0", "0", "01", "-1", "1%20"])
      expect(await refusal(`/api/v1/projects?page=${value}`), value).toEqual([422, page]);
    for (const value of ["1e2", "0x10", "%2B3", "10.0", "101", "0"])
      expect(await refusal(`/api/v1/claims?pageSize=${value}`), value).toEqual([422, size]);
    expect(await refusal("/export/risk-events?page=0x10")).toEqual([422, page]);
    const fine = await get("/api/v1/projects?page=2&pageSize=100");
    expect([fine.status, fine.body.page, fine.body.pageSize]).toEqual([200, 2, 100]);
    const list = await get("/projects?page=1e9");
    expect([list.status, inHtml(list.text).includes(page.page)]).toEqual([422, true]);
  });

  it("the notifications stay forgiving", async () => {
    expect((await get("/notifications?page=0x10")).status).toBe(200);
  });
});

describe("a refused filter with no field on the page", () => {
  it("is said in the list's alert, the page answered 422", async () => {
    const cases: [string, string, string?][] = [
      ["/claims?tis=abc", "风险管理机构不存在"],
      ["/claims?developer=abc", "建设单位不存在"],
      ["/claims?contractor=abc", "施工单位不存在"],
      ["/claims?projectId=abc", "项目不存在"],
      ["/claims?from=2026-13-01", "报案日期起应为有效日期（YYYY-MM-DD）"],
      // An insurer has no 承保公司 field: the refusal is said all the same.
      ["/claims?insurer=abc", "承保公司不存在", "insurer-cpic"],
      ["/projects?sort=x", "排序字段不正确"],
    ];
    for (const [path, message, as] of cases) {
      const page = await get(path, as);
      expect([page.status, inHtml(page.text).includes(message)], path).toEqual([422, true]);
      expect(inHtml(page.text), path).toContain("查询条件有误，未显示结果");
    }
  });

  it("a refusal under a field it has is marked there, not in the alert", async () => {
    // The message under the field is drawn by antd in the browser (test/e2e); the document marks the field.
    const page = await get("/claims?status=x");
    expect([page.status, inHtml(page.text).includes("ant-form-item-has-error")]).toEqual([422, true]);
    expect(inHtml(page.text)).not.toContain("查询条件有误，未显示结果");
    const fine = await get("/claims?status=closed");
    expect([fine.status, inHtml(fine.text).includes("ant-form-item-has-error")]).toEqual([200, false]);
  });
});

describe("pages and downloads refused as what they are", () => {
  it("/map and /claims/ratings with a refused query are the page with its alert, 422", async () => {
    for (const path of ["/map?colour=1", "/claims/ratings?colour=1"]) {
      const page = await get(path);
      expect([page.status, inHtml(page.text).includes("未知的查询参数“colour”")], path).toEqual([422, true]);
      expect(inHtml(page.text), path).not.toContain("返回首页");
    }
    const map = await get("/map?district=abc");
    expect([map.status, inHtml(map.text).includes("ant-form-item-has-error")]).toEqual([422, true]);
    const data = await get("/claims/ratings?colour=1&_data=routes%2F_app.claims.ratings");
    expect([data.status, data.body.refused]).toEqual([422, { colour: "未知的查询参数“colour”" }]);
    // Refused or not, the bureau's rankings are the city's: no note that they are its own only.
    expect(data.body.cityWide).toBe(true);
  });

  it("names twenty refused keys of a thousand, and counts the rest", async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}=1`).join("&");
    const api = await get(`/api/v1/claims?${keys}`);
    expect([api.status, Object.keys(api.body.fields).length, api.body.message]).toEqual([422, 20, "查询参数有误（另有 980 个参数未列出）"]);
    expect(api.body.fields.k0).toBe("未知的查询参数“k0”");
    const repeated = Array.from({ length: 30 }, (_, i) => `r${i}=1&r${i}=2`).join("&");
    const twice = await get(`/api/v1/claims?${repeated}`);
    expect([twice.status, Object.keys(twice.body.fields).length, twice.body.message]).toEqual([
      422,
      20,
      "查询参数有误（另有 10 个参数未列出）",
    ]);
    const page = await get(`/claims?${keys}`);
    expect([page.status, inHtml(page.text).split("未知的查询参数").length - 1]).toEqual([422, 20]);
  });

  it("a chart's workbook refuses as the exports do: {error, message, fields}", async () => {
    const answer = await get("/stats/chart.xlsx?area=risk&chart=x&colour=1");
    expect([answer.status, answer.body]).toEqual([
      422,
      { error: "validation_failed", message: "查询参数有误", fields: { colour: "未知的查询参数“colour”" } },
    ]);
  });

  it("a report's workbook answers a key: 401 JSON for a bad one, 404 JSON for no such report", async () => {
    const bad = await get(`/reports/${SOME_ID}/workbook`, undefined, { headers: { Authorization: "Bearer idi_nonsense" } });
    expect([bad.status, bad.body?.error]).toEqual([401, "unauthenticated"]);
    const none = await get(`/reports/${SOME_ID}/workbook`);
    expect([none.status, none.body?.error]).toEqual([404, "not_found"]);
    // A browser without a session is still sent to sign in.
    const browser = await fetch(url() + `/reports/${SOME_ID}/workbook`, { redirect: "manual" });
    expect([browser.status, browser.headers.get("Location")?.startsWith("/login")]).toEqual([302, true]);
  });

  it("405 names the methods an address takes: downloads GET and HEAD, a page without forms too", async () => {
    for (const [method, path] of [
      ["PUT", "/export/projects"],
      ["POST", "/export/claims"],
      ["DELETE", "/stats/chart.xlsx"],
      ["POST", "/map.xlsx"],
      ["PATCH", `/reports/${SOME_ID}/workbook`],
      ["POST", "/stats"],
      ["POST", "/map"],
    ]) {
      const answer = await get(path, "regulator", { method, headers: { "Content-Type": "application/json" }, body: "{}" });
      expect([answer.status, answer.headers.get("Allow")], `${method} ${path}`).toEqual([405, "GET, HEAD"]);
    }
  });
});

describe("POST /reports (生成报告)", () => {
  async function make(body: unknown) {
    const answer = await get("/reports?index&_data=routes%2F_app.reports._index", "regulator", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return [answer.status, answer.body?.fields];
  }

  it("refuses a field it does not send, a date that is no text, a period before any record", async () => {
    expect(await make({ period: "month", date: "2026-01-01", notifyAll: true })).toEqual([422, { notifyAll: "不接受的字段“notifyAll”" }]);
    expect(await make({ period: "month", date: 20260101 })).toEqual([
      422,
      { date: "统计期间应为文字形式的日期 YYYY-MM-DD（如 2026-03-01）" },
    ]);
    expect(await make({ period: "month" })).toEqual([422, { date: "请选择统计期间" }]);
    // This platform holds nothing yet: no period has data to report (test/flows has one with records).
    expect(await make({ period: "year", date: "2001-06-01", intent: "make" })).toEqual([422, { date: "平台尚无数据，不能生成报告" }]);
    expect(await make({ period: "month", date: "2026-01-01", intent: "make" })).toEqual([422, { date: "平台尚无数据，不能生成报告" }]);
  });
});

describe("the audit log names what an export was", () => {
  it("an export's row says which list and how many rows", async () => {
    const exported = await get("/export/projects");
    expect([exported.status, exported.headers.get("X-Export-Rows")]).toEqual([200, "0"]);
    const admin = await signInOverHttp(url(), "admin");
    const audit = await fetch(url() + "/admin/audit?action=data.export&_data=routes%2F_app.admin.audit", { headers: { Cookie: admin } });
    const { rows } = (await audit.json()) as { rows: { action: string; subject: { type: string; title: string; href: string | null } }[] };
    expect(rows.map((r) => [r.action, r.subject])).toContainEqual(["导出数据", { type: "导出", title: "项目（0 行）", href: null }]);
  });
});

describe("a form's field named __proto__", () => {
  it("is a field like any other: 生成报告 refuses it on its name", async () => {
    const answer = await get("/reports?index&_data=routes%2F_app.reports._index", "regulator", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "period=month&date=2026-01-01&__proto__=1&__proto__=2",
    });
    expect([answer.status, Object.entries(answer.body.fields)]).toEqual([422, [["__proto__", "不接受的字段“__proto__”"]]]);
  });
});
