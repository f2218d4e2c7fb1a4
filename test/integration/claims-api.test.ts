import { beforeAll, describe, expect, it } from "vitest";
import { policy, registration } from "../support/insurance";
import { makeApiKeyOverHttp, signInOverHttp, usePlatform } from "../support/platform";
import { goodUnitRows, unitsWorkbook } from "../support/units";
import { demoCreditCode } from "../support/workflow";

// 理赔 over HTTP as an insurer's core system drives it: the report through POST /api/v1/claims, the
// claim's steps through the task API (the repairer repairs, the hotline confirms for the owner),
// the claim read back closed; another insurer never sees it; bad input is a Chinese 422, a repeat a 409.

const { url } = usePlatform();
const who: Record<string, string> = {};
let piccKey: string;
let unitId: string;

/** `as`: a session cookie (idi_session=…), or an API key. */
async function call(path: string, as: string, init: { method?: string; json?: unknown; body?: BodyInit } = {}) {
  const headers: Record<string, string> = as.startsWith("idi_session=") ? { Cookie: as, Origin: url() } : { Authorization: `Bearer ${as}` };
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url() + path, {
    method: init.method ?? "GET",
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Completes the flow's open task (a claim waits at one step at a time) as `as`. */
async function completeNext(as: string, instanceId: string, submission: unknown) {
  const { openTasks } = (await call(`/api/v1/instances/${instanceId}`, as)).body as { openTasks: { id: string; name: string }[] };
  const done = await call(`/api/v1/tasks/${openTasks[0].id}/complete`, as, { method: "POST", json: { submission } });
  if (done.status !== 200) throw new Error(`${openTasks[0].name}: ${done.status} ${JSON.stringify(done.body)}`);
}

const report = (json: unknown, as = piccKey) => call("/api/v1/claims", as, { method: "POST", json });

async function photo(as: string, name: string) {
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  const form = new FormData();
  form.append("file", new Blob([png], { type: "image/png" }), name);
  const uploaded = await call("/attachments", as, { method: "POST", body: form });
  expect(uploaded.status).toBe(200);
  return uploaded.body as { id: string; name: string; size: number };
}

const today = () => new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());

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
  const started = await call("/api/v1/processes/insurance-review/instances", piccKey, { method: "POST", json: { title: "理赔接口项目" } });
  expect(started.status).toBe(200);
  const steps: [string, unknown][] = [
    [piccKey, registration({ permitNo: "KM-CLAIMS-API-1", name: "理赔接口花园", communityName: "理赔接口花园" })],
    [
      piccKey,
      policy({ policyNo: "POL-CLAIMS-API-1", leadShare: 100, coinsurers: [], reinsurers: [], tisCreditCode: demoCreditCode("tis-yjk") }),
    ],
    [who.regulator, { decision: "confirm" }],
  ];
  for (const [as, submission] of steps) await completeNext(as, started.body.id, submission);
  const projectId = started.body.businessKey;
  const form = new FormData();
  const bytes = await unitsWorkbook(goodUnitRows(2, "1396666"));
  form.append(
    "file",
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
    "房屋.xlsx",
  );
  expect((await call(`/api/v1/projects/${projectId}/units`, piccKey, { method: "POST", body: form })).status).toBe(200);
  unitId = (await call(`/api/v1/projects/${projectId}/units`, piccKey)).body.rows[0].id;
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
    const insurer = who.insurer;
    await completeNext(insurer, instanceId, { repairerCreditCode: demoCreditCode("rep-lj"), contactedOn: today() });
    await completeNext(insurer, instanceId, {
      surveyedOn: today(),
      part: "waterproofing",
      cause: "卫生间防水层破损",
      extent: "顶棚约2平方米渗水",
      photos: [await photo(insurer, "查勘.png")],
      recommendation: "重做防水层并修复顶棚",
    });
    await completeNext(insurer, instanceId, { decision: "register" });
    await completeNext(insurer, instanceId, { plan: "重做防水", estimatedCost: 6500 });
    const repairer = who.repairer;
    await completeNext(repairer, instanceId, {
      startedOn: today(),
      finishedOn: today(),
      description: "重做卫生间防水层，修补顶棚",
      beforePhotos: [await photo(repairer, "维修前.png")],
      afterPhotos: [await photo(repairer, "维修后.png")],
    });
    await completeNext(who.hotline, instanceId, { decision: "accept" });
    await completeNext(insurer, instanceId, { part: "waterproofing", cause: "防水层破损", cost: 6200, paidAmount: 6200 });

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
    expect(closed.body.timeline.map((t: { what: string }) => t.what).length).toBeGreaterThanOrEqual(8);
    const listed = await call(`/api/v1/claims?status=closed&q=${closed.body.number}`, who.regulator);
    expect(listed.body.rows.map((r: { id: string }) => r.id)).toEqual([claimId]);
  });

  it("another insurer gets 404 for it and does not find it in its list", async () => {
    const other = who["insurer-cpic"];
    expect((await call(`/api/v1/claims/${claimId}`, other)).status).toBe(404);
    const list = await call("/api/v1/claims?pageSize=100", other);
    expect(list.status).toBe(200);
    expect(list.body.rows.map((r: { id: string }) => r.id)).not.toContain(claimId);
    // Nor may it report on a home of a project it does not insure.
    expect((await report(validReport({ description: "别家的房屋" }), other)).status).toBe(404);
  });

  it("the repairer sees the claim it repaired, with the reporter's contact in full", async () => {
    const seen = await call(`/api/v1/claims/${claimId}`, who.repairer);
    expect(seen.status).toBe(200);
    expect(seen.body.reporterPhone).toBe("13966660001");
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

  it("a body that is not JSON", async () => {
    const answer = await call("/api/v1/claims", piccKey, { method: "POST", body: "{not json" });
    expect(answer.status).toBe(422);
  });

  it("a role that is not an insurer is refused the insurer's channel (403)", async () => {
    expect((await report(validReport({ description: "热线代报" }), who.hotline)).status).toBe(403);
  });
});
