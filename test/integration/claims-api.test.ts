import { beforeAll, describe, expect, it } from "vitest";
import { callAs, closeClaimOverHttp, insuredHomesOverHttp, kunmingToday, photoAs } from "../support/claims-http";
import { makeApiKeyOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// 理赔 over HTTP as an insurer's core system drives it: the report through POST /api/v1/claims, the
// claim's steps through the task API (the repairer repairs, the hotline confirms for the owner),
// the claim read back closed; another insurer never sees it; bad input is a Chinese 422, a repeat a 409.

const { url } = usePlatform();
const who: Record<string, string> = {};
let piccKey: string;
let unitId: string;
let unitIdOther: string;

const call = (path: string, as: string, init?: Parameters<typeof callAs>[3]) => callAs(url(), as, path, init);
const report = (json: unknown, as = piccKey) => call("/api/v1/claims", as, { method: "POST", json });

const validReport = (overrides: Record<string, unknown> = {}) => ({
  unitId,
  part: "waterproofing",
  description: "卫生间顶棚渗水，墙面起皮",
  reporterName: "张先生",
  reporterPhone: "13966660001",
  estimate: 8000,
  ...overrides,
});

beforeAll(async () => {
  for (const username of ["regulator", "insurer", "insurer-cpic", "repairer", "hotline"])
    who[username] = await signInOverHttp(url(), username);
  piccKey = await makeApiKeyOverHttp(url(), "中国人民财产保险股份有限公司昆明市分公司", ["insurer"]);
  const { unitIds } = await insuredHomesOverHttp(
    url(),
    { insurer: piccKey, regulator: who.regulator },
    { permitNo: "KM-CLAIMS-API-1", name: "理赔接口花园", homes: 2, phonePrefix: "1396666" },
  );
  [unitId, unitIdOther] = unitIds;
}, 90_000);

describe("a claim reported by an insurer's core system, run to closing through the API", () => {
  let claimId: string;
  let instanceId: string;

  it("the report is taken on the insurer's channel and waits for acceptance", async () => {
    const answer = await report(validReport());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "reported", channel: "insurer", unitLabel: "1栋1单元101", reporterPhone: "13966660001" });
    expect(answer.body.number).toMatch(/^LP\d{6}$/);
    expect(answer.body.openTask.name).toBeTruthy();
    claimId = answer.body.id;
    instanceId = answer.body.instanceId;
  });

  it("the same report again within minutes is a 409 naming the first claim", async () => {
    const again = await report(validReport());
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/LP\d{6}/);
  });

  it("accept, survey, decide, assess (insurer), repair (repairer), confirm (hotline for the owner), settle: closed with the amount", async () => {
    await closeClaimOverHttp(url(), { insurer: who.insurer, repairer: who.repairer, hotline: who.hotline }, instanceId);
    const closed = await call(`/api/v1/claims/${claimId}`, piccKey);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: "closed",
      paidAmount: 6200,
      repairerName: "昆明利家物业服务有限公司",
      settlement: { paidAmount: 6200, cost: 6200, repairerName: "昆明利家物业服务有限公司" },
      openTask: null,
    });
    expect(closed.body.survey.cause).toBe("卫生间防水层破损");
    const steps = closed.body.timeline.map((t: { what: string }) => t.what);
    expect(steps).toEqual(expect.arrayContaining(["报案", "受理报案", "提交查勘报告", "立案", "定损", "提交维修情况", "业主验收", "结案"]));
    expect(closed.body.timeline.find((t: { what: string }) => t.what === "业主验收").who).toBe("热线坐席小杨");
    const listed = await call(`/api/v1/claims?status=closed&q=${closed.body.number}`, who.regulator);
    expect(listed.body.rows.map((r: { id: string }) => r.id)).toEqual([claimId]);
  });

  it("another insurer gets 404 for it, does not find it in its list, and cannot report on the home", async () => {
    const other = who["insurer-cpic"];
    expect((await call(`/api/v1/claims/${claimId}`, other)).status).toBe(404);
    const list = await call("/api/v1/claims?pageSize=100", other);
    expect(list.status).toBe(200);
    expect(list.body.rows.map((r: { id: string }) => r.id)).not.toContain(claimId);
    expect((await report(validReport({ description: "别家的房屋" }), other)).status).toBe(404);
  });

  it("the repairer sees the claim it repaired, with the reporter's contact in full", async () => {
    const seen = await call(`/api/v1/claims/${claimId}`, who.repairer);
    expect(seen.status).toBe(200);
    expect(seen.body.reporterPhone).toBe("13966660001");
  });
});

describe("the claims list's filters, as the statistics' links write them", () => {
  const ids = (answer: { body: { rows: { id: string }[] } }) => answer.body.rows.map((r) => r.id);
  const closedId = async () => (await call("/api/v1/claims?status=closed&pageSize=100", who.regulator)).body.rows[0].id as string;

  it("select by insurer, district, part and cause as found, status and report days", async () => {
    const id = await closedId();
    const today = kunmingToday();
    const claim = (await call(`/api/v1/claims/${id}`, who.regulator)).body;
    for (const query of [
      `part=waterproofing&cause=${encodeURIComponent("防水层破损")}&status=closed`,
      `district=${claim.district}&from=${today}&to=${today}`,
      `insurer=${claim.insurerId}`,
      `insurerId=${claim.insurerId}`,
    ])
      expect(ids(await call(`/api/v1/claims?${query}&pageSize=100`, who.regulator)), query).toContain(id);
    for (const query of [
      "part=plumbing",
      `cause=${encodeURIComponent("防水层")}`,
      "from=2020-01-01&to=2020-12-31",
      "district=530181",
      `insurer=${(await call("/api/v1/session", who["insurer-cpic"])).body.organisationId}`,
    ])
      expect(ids(await call(`/api/v1/claims?${query}&pageSize=100`, who.regulator)), query).not.toContain(id);
    const page = await fetch(`${url()}/claims?part=waterproofing&status=closed`, { headers: { Cookie: who.regulator } });
    expect(page.status).toBe(200);
  });

  it("a value the list cannot read is a 422 naming the field in Chinese, on the API and on the page", async () => {
    const cases: [string, string, string][] = [
      ["status=bogus", "status", "案件状态不存在"],
      ["part=roof", "part", "缺陷部位不存在"],
      ["insurer=123", "insurer", "承保公司不存在"],
      ["district=999999", "district", "区县不存在"],
      ["from=2026-02-30", "from", "报案日期起应为有效日期（YYYY-MM-DD）"],
      ["from=2026-03-02&to=2026-03-01", "to", "报案日期止不能早于报案日期起"],
      [`cause=${"漏".repeat(1001)}`, "cause", "缺陷原因不能超过1000个字"],
    ];
    for (const [query, field, message] of cases) {
      const answer = await call(`/api/v1/claims?${query}`, who.regulator);
      expect([answer.status, answer.body.fields?.[field]], query).toEqual([422, message]);
      const page = await fetch(`${url()}/claims?${query}`, { headers: { Cookie: who.regulator } });
      expect([page.status, (await page.text()).includes(message)], query).toEqual([422, true]);
    }
    // A NUL is refused, never stored or searched for.
    expect((await call("/api/v1/claims?cause=%00", who.regulator)).status).toBe(422);
    expect((await fetch(`${url()}/claims?cause=%00`, { headers: { Cookie: who.regulator } })).status).toBe(422);
  });
});

describe("预警 on the regulator's home", () => {
  it("shows the regulator its 预警 block with the rule it judges by; an insurer's home has none", async () => {
    const regulator = await (await fetch(`${url()}/inbox`, { headers: { Cookie: who.regulator } })).text();
    expect(regulator).toContain('data-testid="bureau-alerts"');
    expect(regulator).toContain("低于全市平均10个百分点以上的列出");
    const insurer = await (await fetch(`${url()}/inbox`, { headers: { Cookie: who.insurer } })).text();
    expect(insurer).not.toContain('data-testid="bureau-alerts"');
  });
});

describe("photos sent by an insurer's core system", () => {
  it("are uploaded and read back with the API key, and go with the report; a wrong key is a 401", async () => {
    const photo = await photoAs(url(), piccKey, "顶棚渗水.png");
    expect(photo).toMatchObject({ name: "顶棚渗水.png" });
    const answer = await report(validReport({ unitId: unitIdOther, photos: [photo], description: "客厅顶棚渗水有水渍" }));
    expect(answer.status).toBe(200);
    expect(answer.body.photos).toEqual([photo]);
    const download = await fetch(`${url()}/attachments/${photo.id}`, { headers: { Authorization: `Bearer ${piccKey}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("image/png");
    const refused = await fetch(`${url()}/attachments/${photo.id}`, { headers: { Authorization: "Bearer idi_not-a-key" } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ message: "接口密钥无效或已停用" });
  });
});

describe("bad reports are refused field by field, never with a 500", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a NUL character in the description", { description: "渗水\u0000" }, "description"],
    ["a number as the description", { description: 42 }, "description"],
    ["a string as the estimate", { estimate: "八千" }, "estimate"],
    ["a description of 100 000 characters", { description: "漏".repeat(100_000) }, "description"],
    ["an unknown part", { part: "roof" }, "part"],
    ["a unit that is no id", { unitId: "1; drop table claims" }, "unitId"],
    ["a phone that is no phone", { reporterPhone: "12345" }, "reporterPhone"],
  ];
  for (const [name, overrides, field] of cases)
    it(name, async () => {
      const answer = await report(validReport({ ...overrides }));
      expect(answer.status).toBe(422);
      expect(Object.keys(answer.body.fields)).toContain(field);
      expect(answer.body.fields[field]).toMatch(/[\u4e00-\u9fa5]/);
    });

  it("a body that is not JSON: 422 when declared JSON, 415 when declared anything else", async () => {
    const answer = await call("/api/v1/claims", piccKey, { method: "POST", body: new Blob(["{not json"], { type: "application/json" }) });
    expect(answer.status).toBe(422);
    expect((await call("/api/v1/claims", piccKey, { method: "POST", body: "{not json" })).status).toBe(415);
  });

  it("a role that is not an insurer is refused the insurer's channel (403)", async () => {
    expect((await report(validReport({ description: "热线代报" }), who.hotline)).status).toBe(403);
  });
});
