import { beforeAll, describe, expect, it } from "vitest";
import { policy, registration } from "../support/insurance";
import { makeApiKeyOverHttp, signInOverHttp, usePlatform } from "../support/platform";
import { inspectionSubmission, planSubmission, riskEventInput } from "../support/risk";
import { demoCreditCode } from "../support/workflow";
import { todayHere } from "~/shared/time";

// Risk management as an insurer's or a TIS's system drives it: the plan, an inspection with its
// events and their rectification through the task API, the events and the project's risk read back
// with their filters, the insurer's urge, and every refusal as a Chinese JSON answer.

const { url } = usePlatform();

interface Call {
  method?: string;
  body?: unknown;
  as: string;
}

/** `as`: a session cookie (idi_session=…), or an API key. */
async function api(path: string, { method = "GET", body, as }: Call) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (as.startsWith("idi_session=")) Object.assign(headers, { Cookie: as, Origin: url() });
  else if (as) headers.Authorization = `Bearer ${as}`;
  const response = await fetch(url() + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

async function ok<T = Record<string, any>>(path: string, call: Call): Promise<T> {
  const answer = await api(path, call);
  if (answer.status !== 200) throw new Error(`${call.method ?? "GET"} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

interface OpenTask {
  id: string;
  name: string;
}

async function openTask(instanceId: string, name: string, as: string): Promise<string> {
  const { openTasks } = await ok<{ openTasks: OpenTask[] }>(`/api/v1/instances/${instanceId}`, { as });
  const task = openTasks.find((t) => t.name === name);
  if (!task) throw new Error(`no open task ${name}; open: ${openTasks.map((t) => t.name).join("、")}`);
  return task.id;
}

const completeTask = (taskId: string, submission: unknown, as: string) =>
  api(`/api/v1/tasks/${taskId}/complete`, { method: "POST", body: { submission }, as });

/** A photo uploaded as a form's file field refers to it. */
async function upload(as: string, name: string) {
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  const form = new FormData();
  form.append("file", new Blob([png], { type: "image/png" }), name);
  const response = await fetch(url() + "/attachments", { method: "POST", headers: { Cookie: as, Origin: url() }, body: form });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; name: string; size: number };
}

const who: Record<string, string> = {};
let insurerKey: string;
let projectId: string;
let riskFlowId: string;

/** The insurance review of a PICC project through the API, confirmed by the regulator: its risk flow waits for the TIS's plan. */
async function insuredProject(permitNo: string) {
  const started = await ok("/api/v1/processes/insurance-review/instances", {
    method: "POST",
    body: { title: `接口风险 ${permitNo}` },
    as: insurerKey,
  });
  const next = async (as: string) => (await ok(`/api/v1/instances/${started.id}`, { as })).openTasks[0].id;
  const submissions: [string, unknown][] = [
    [insurerKey, registration({ permitNo, name: `风险接口花园${permitNo}`, communityName: "风险接口花园" })],
    [
      insurerKey,
      policy({ policyNo: `POL-${permitNo}`, leadShare: 100, coinsurers: [], reinsurers: [], tisCreditCode: demoCreditCode("tis-yjk") }),
    ],
    [who.regulator, { decision: "confirm" }],
  ];
  for (const [as, submission] of submissions) expect((await completeTask(await next(as), submission, as)).status).toBe(200);
  const status = await ok(`/api/v1/projects/${started.businessKey}`, { as: insurerKey });
  return {
    projectId: started.businessKey as string,
    riskFlowId: status.flows.find((f: { processName: string }) => f.processName === "风险管理").id,
  };
}

beforeAll(async () => {
  for (const username of ["insurer", "insurer-cpic", "tis", "contractor", "developer", "regulator", "reinsurer", "hotline", "supervisor"])
    who[username] = await signInOverHttp(url(), username);
  insurerKey = await makeApiKeyOverHttp(url(), "中国人民财产保险股份有限公司昆明市分公司", ["insurer"]);
  ({ projectId, riskFlowId } = await insuredProject("KM-RISK-API-1"));
}, 60_000);

interface EventRow {
  id: string;
  number: string;
  category: string;
  level: string;
  status: string;
  rectifierRole: string;
  rectifierName: string;
  tisName: string;
  openTaskId: string | null;
  openTaskName: string | null;
  overdue: boolean;
}

const eventsOf = async (query: string, as = insurerKey) =>
  ok<{ rows: EventRow[]; total: number }>(`/api/v1/risk-events?projectId=${projectId}${query}`, { as });

describe("a TIS's system records an inspection with its events through the task API", () => {
  it("files the plan, which the insurer's system approves", async () => {
    expect((await completeTask(await openTask(riskFlowId, "风险交底及检查计划", who.tis), planSubmission, who.tis)).status).toBe(200);
    const review = await openTask(riskFlowId, "审核风险检查计划", insurerKey);
    expect((await completeTask(review, { decision: "approve" }, insurerKey)).status).toBe(200);
    expect((await ok(`/api/v1/projects/${projectId}/risk`, { as: insurerKey })).project.stage).toBe("construction");
  });

  it("gets 422 naming the bad event's field, and nothing is recorded", async () => {
    const inspection = await openTask(riskFlowId, "现场风险检查", who.tis);
    const bad = await completeTask(inspection, inspectionSubmission([riskEventInput(), riskEventInput({ level: "severe" })]), who.tis);
    expect(bad.status).toBe(422);
    expect(bad.body.fields["events.1.level"]).toMatch(/[\u4e00-\u9fa5]/);
    expect((await eventsOf("")).total).toBe(0);
  });

  it("submits the inspection; the events are listed with their numbers, coded values and the task to act on", async () => {
    const photo = await upload(who.tis, "现场.png");
    const inspection = await openTask(riskFlowId, "现场风险检查", who.tis);
    const events = [
      riskEventInput({ photos: [photo] }),
      riskEventInput({
        category: "structure",
        level: "critical",
        rectifierRole: "developer",
        location: "2号楼屋面",
        description: "屋面板裂缝",
      }),
    ];
    expect((await completeTask(inspection, inspectionSubmission(events), who.tis)).status).toBe(200);
    const { rows, total } = await eventsOf("");
    expect(total).toBe(2);
    expect(rows.map((r) => [r.category, r.level, r.status, r.rectifierRole, r.openTaskName, r.overdue])).toEqual(
      expect.arrayContaining([
        ["waterproofing", "major", "open", "contractor", "风险事件整改", false],
        ["structure", "critical", "open", "developer", "风险事件整改", false],
      ]),
    );
    for (const row of rows) expect(row.number).toMatch(/^FX\d{6}$/);
    expect(rows[0].tisName).toBe("云南建科工程质量风险管理有限公司");
  });

  it("filters by category, level, status, overdue, TIS, district and search", async () => {
    const tisId = (await ok("/api/v1/session", { as: who.tis })).organisationId;
    const count = async (query: string) => (await eventsOf(query)).total;
    expect(await count("&level=critical")).toBe(1);
    expect(await count("&category=waterproofing")).toBe(1);
    expect(await count("&status=open")).toBe(2);
    expect(await count("&status=closed")).toBe(0);
    expect(await count("&overdue=true")).toBe(0);
    expect(await count("&overdue=false")).toBe(2);
    expect(await count(`&tisId=${tisId}`)).toBe(2);
    expect(await count(`&tisId=${crypto.randomUUID()}`)).toBe(0);
    expect(await count("&district=530112")).toBe(2);
    expect(await count("&district=530111")).toBe(0);
    expect(await count(`&q=${encodeURIComponent("屋面板")}`)).toBe(1);
    expect(await count("&pageSize=1&page=2")).toBe(2);
    expect((await eventsOf("&pageSize=1&page=2")).rows).toHaveLength(1);
  });

  it("reads one event, and the project's risk with its inspection and counts", async () => {
    const [row] = (await eventsOf("&category=waterproofing")).rows;
    const event = await ok(`/api/v1/risk-events/${row.id}`, { as: who.contractor });
    expect(event).toMatchObject({
      number: row.number,
      project: { id: projectId, stage: "construction" },
      source: "inspection",
      location: "地下室B区外墙",
      rectifierName: "云南建设投资第二建筑工程有限公司",
      rectification: null,
      openTask: { id: row.openTaskId, name: "风险事件整改" },
    });
    expect(event.photos).toHaveLength(1);
    const risk = await ok(`/api/v1/projects/${projectId}/risk`, { as: insurerKey });
    expect(risk.counts).toMatchObject({ raised: 2, closed: 0, open: 2, overdue: 0, byLevel: { general: 0, major: 1, critical: 1 } });
    expect(risk.inspections).toHaveLength(1);
    expect(risk.inspections[0]).toMatchObject({ stage: "地基与基础施工", events: 2 });
    expect(risk.reports.map((r: { kind: string; decision: string }) => [r.kind, r.decision])).toEqual([["plan", "approved"]]);
  });
});

describe("the event's rectification through the task API", () => {
  let event: EventRow;

  it("a party other than the rectifier cannot do the rectification; its contractor can", async () => {
    [event] = (await eventsOf("&category=waterproofing")).rows;
    expect(
      (await completeTask(event.openTaskId!, { rectifiedOn: "2026-11-24", measures: "补设", photos: [] }, who.supervisor)).status,
    ).toBe(404);
    const missing = await completeTask(
      event.openTaskId!,
      { rectifiedOn: "2026-11-24", measures: "补设止水钢板", photos: [] },
      who.contractor,
    );
    expect(missing.status).toBe(422);
    const evidence = await upload(who.contractor, "整改后.png");
    const done = await completeTask(
      event.openTaskId!,
      { rectifiedOn: "2026-11-24", measures: "补设止水钢板", photos: [evidence] },
      who.contractor,
    );
    expect(done).toMatchObject({ status: 200, body: { status: "completed" } });
    const [row] = (await eventsOf("&category=waterproofing")).rows;
    expect([row.status, row.openTaskName]).toEqual(["awaiting_review", "整改复核"]);
  });

  it("the TIS sends it back with a reason, then closes it (销项)", async () => {
    const verify = async () => (await eventsOf("&category=waterproofing")).rows[0].openTaskId!;
    expect((await completeTask(await verify(), { decision: "return" }, who.tis)).status).toBe(422);
    expect((await completeTask(await verify(), { decision: "return", reason: "止水钢板搭接长度不足" }, who.tis)).status).toBe(200);
    const returned = await ok(`/api/v1/risk-events/${event.id}`, { as: who.tis });
    expect([returned.status, returned.returnReason, returned.returnCount, returned.openTask.name]).toEqual([
      "rectifying",
      "止水钢板搭接长度不足",
      1,
      "风险事件整改",
    ]);
    const evidence = await upload(who.contractor, "再次整改.png");
    // Redone on the day it came back (today): a redo is never dated before its return.
    const redone = await completeTask(
      returned.openTask.id,
      { rectifiedOn: todayHere(), measures: "按规范重新搭接", photos: [evidence] },
      who.contractor,
    );
    expect(redone.status).toBe(200);
    expect((await completeTask(await verify(), { decision: "close" }, who.tis)).status).toBe(200);
    const closed = await ok(`/api/v1/risk-events/${event.id}`, { as: insurerKey });
    expect(closed).toMatchObject({ status: "closed", openTask: null, rectification: { measures: "按规范重新搭接" } });
    expect(closed.closedAt).toBeTruthy();
    expect((await ok(`/api/v1/projects/${projectId}/risk`, { as: insurerKey })).counts).toMatchObject({
      closed: 1,
      open: 1,
      rectificationRate: 0.5,
    });
    expect(await eventsOf("&status=closed")).toMatchObject({ total: 1, rows: [{ id: event.id, openTaskId: null }] });
  });
});

describe("the insurer urges (催办) an event", () => {
  const urge = (id: string, as: string, body: unknown = {}) => api(`/api/v1/risk-events/${id}/urge`, { method: "POST", body, as });
  let open: EventRow;
  let closed: EventRow;

  beforeAll(async () => {
    [open] = (await eventsOf("&status=open")).rows;
    [closed] = (await eventsOf("&status=closed")).rows;
  });

  it("reminds the party that must act, once in 30 minutes", async () => {
    const first = await urge(open.id, insurerKey, { message: "请尽快整改屋面裂缝" });
    expect(first).toMatchObject({ status: 200, body: { ok: true } });
    expect(first.body.notified).toBeGreaterThan(0);
    // The insurer's key and its staff's sessions are one urger.
    for (const as of [insurerKey, who.insurer]) {
      const again = await urge(open.id, as);
      expect(again).toMatchObject({ status: 409, body: { error: "conflict" } });
      expect(again.body.message).toMatch(
        /^本单位已于 \d\d:\d\d 催办过该任务（.+（接口：.+）），同一单位30分钟内只催办一次，请于 \d\d:\d\d 后再催办$/,
      );
      // When it may urge again, as a client reads it.
      expect(Number(again.headers.get("Retry-After"))).toBeGreaterThan(1700);
      expect(Number(again.headers.get("Retry-After"))).toBeLessThanOrEqual(1800);
    }
  });

  it("refuses a closed event with 409", async () => {
    expect(await urge(closed.id, who.insurer)).toMatchObject({ status: 409, body: { message: "该风险事件已销项或已终止，无需催办" } });
  });

  it("refuses parties who see the event (403), those who do not (404), and the hotline, without the risk pages (403)", async () => {
    for (const as of [who.tis, who.developer, who.regulator])
      expect(await urge(open.id, as)).toMatchObject({ status: 403, body: { message: "只有保险公司可以催办风险事件整改" } });
    expect(await urge(open.id, who["insurer-cpic"])).toMatchObject({ status: 404, body: { error: "not_found" } });
    expect(await urge(open.id, who.supervisor)).toMatchObject({ status: 403 });
    // The reinsurer does not reinsure this project: the event is not there for it.
    expect(await urge(open.id, who.reinsurer)).toMatchObject({ status: 404, body: { error: "not_found" } });
    expect(await urge(open.id, who.hotline)).toMatchObject({ status: 403 });
  });

  it("tells who may not urge, or start risk management, so (403) whatever they sent", async () => {
    for (const body of [{ message: 42 }, { message: "催".repeat(201) }])
      expect(await urge(open.id, who.tis, body)).toMatchObject({ status: 403, body: { message: "只有保险公司可以催办风险事件整改" } });
    for (const as of [who.contractor, who.supervisor])
      for (const body of [{}, { title: "风险管理" }])
        expect(await api("/api/v1/processes/risk-management/instances", { method: "POST", body, as }), JSON.stringify(body)).toMatchObject({
          status: 403,
          body: { message: "您的角色不能发起该流程" },
        });
  });

  it("answers a bad body with 422 in Chinese", async () => {
    const long = await urge(open.id, who.insurer, { message: "催".repeat(201) });
    expect(long).toMatchObject({ status: 422, body: { error: "validation_failed", fields: { message: "催办说明不能超过200个字" } } });
    const wrongType = await urge(open.id, who.insurer, { message: 42 });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.fields.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await urge(open.id, who.insurer, "{not json")).toMatchObject({ status: 422, body: { message: "请求体不是有效的 JSON" } });
    expect(await urge(open.id, who.insurer, "[1,2]")).toMatchObject({ status: 422 });
  });
});

describe("scope: other organisations see none of the project's risk", () => {
  it("another insurer's list is empty and the event and the project's risk are 404", async () => {
    const other = who["insurer-cpic"];
    const [row] = (await eventsOf("")).rows;
    expect((await eventsOf("", other)).total).toBe(0);
    expect(await api(`/api/v1/risk-events/${row.id}`, { as: other })).toMatchObject({
      status: 404,
      body: { message: "风险事件不存在，或不在您的查看范围内" },
    });
    expect(await api(`/api/v1/projects/${projectId}/risk`, { as: other })).toMatchObject({
      status: 404,
      body: { message: "项目不存在，或不在您的查看范围内" },
    });
  });

  it("the regulator sees the city's events; a reinsurer only what it reinsures; the hotline gets 403", async () => {
    expect((await eventsOf("", who.regulator)).total).toBe(2);
    expect((await ok(`/api/v1/projects/${projectId}/risk`, { as: who.regulator })).counts.raised).toBe(2);
    // This project is reinsured by nobody.
    expect((await eventsOf("", who.reinsurer)).total).toBe(0);
    expect((await api(`/api/v1/projects/${projectId}/risk`, { as: who.reinsurer })).status).toBe(404);
    expect(await api("/api/v1/risk-events", { as: who.hotline })).toMatchObject({ status: 403, body: { message: "您没有权限执行此操作" } });
    expect((await api(`/api/v1/projects/${projectId}/risk`, { as: who.hotline })).status).toBe(403);
    expect((await api("/api/v1/risk-events", { as: "" })).status).toBe(401);
  });
});

describe("bad input: a Chinese 422 or 404, never a server error", () => {
  const list = (query: string) => api(`/api/v1/risk-events?${query}`, { as: insurerKey });

  it("refuses filters of the wrong type or with unknown values, naming the parameter, as the projects list does", async () => {
    for (const [query, field] of [
      ["status=lost", "status"],
      ["category=roof", "category"],
      ["level=1", "level"],
      ["overdue=yes", "overdue"],
      ["tisId=abc", "tisId"],
      ["projectId=1", "projectId"],
      ["page=abc", "page"],
      ["page=0", "page"],
      ["pageSize=1000", "pageSize"],
      ["district=" + "5".repeat(11), "district"],
      ["q=" + "查".repeat(101), "q"],
    ]) {
      const answer = await list(query);
      expect(answer.status, query).toBe(422);
      expect(answer.body.message, query).toBe("查询参数有误");
      expect(answer.body.fields[field], query).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await api("/api/v1/projects?status=lost", { as: insurerKey })).status).toBe(422);
  });

  it("refuses a value the list cannot read with its Chinese message: on the API, the 风险 page and its export; nothing 500s", async () => {
    // [the page's query, the API's, the field the API names, the message]
    const cases: [string, string, string, string][] = [
      ["level=9", "level=9", "level", "风险等级不存在"],
      ["status=unknown", "status=unknown", "status", "风险事件状态不存在"],
      ["type=roof", "category=roof", "category", "风险类别不存在"],
      ["overdue=yes", "overdue=yes", "overdue", "是否逾期应为 true 或 false"],
      ["from=2026-13-40", "from=2026-13-40", "from", "上报日期起应为有效日期（YYYY-MM-DD）"],
      ["from=2026-03-02&to=2026-03-01", "from=2026-03-02&to=2026-03-01", "to", "上报日期止不能早于上报日期起"],
      ["tis=not-a-uuid", "tisId=not-a-uuid", "tisId", "风险管理机构不存在"],
      ["insurer=not-a-uuid", "insurerId=not-a-uuid", "insurerId", "保险公司不存在"],
      ["district=999999", "district=999999", "district", "区县不存在"],
    ];
    for (const [pageQuery, apiQuery, field, message] of cases) {
      const answer = await list(apiQuery);
      expect([answer.status, answer.body.fields?.[field]], apiQuery).toEqual([422, message]);
      for (const path of [`/risk?${pageQuery}`, `/export/risk-events?${pageQuery}`]) {
        const page = await fetch(`${url()}${path}`, { headers: { Cookie: who.regulator } });
        expect([page.status, (await page.text()).includes(message)], path).toEqual([422, true]);
      }
    }
    // An empty filter (a form's cleared picker) is no filter on the page.
    expect((await fetch(`${url()}/risk?level=&district=&from=`, { headers: { Cookie: who.regulator } })).status).toBe(200);
  });

  it("refuses a NUL character or a huge search", async () => {
    for (const query of ["q=a%00b", "district=%00", "q=" + "a".repeat(200_000)]) {
      const answer = await list(query);
      expect(answer.status, query.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(answer.status, query.slice(0, 20)).toBeLessThan(500);
    }
    expect((await list("q=a%00b")).status).toBe(422);
  });

  it("answers 404 for an id that is no event or project, whatever its shape", async () => {
    for (const id of ["not-a-uuid", crypto.randomUUID(), "%00", "1%20or%201=1", "x".repeat(500)]) {
      for (const path of [`/api/v1/risk-events/${id}`, `/api/v1/projects/${id}/risk`]) {
        const answer = await api(path, { as: insurerKey });
        expect(answer.status, path).toBe(id === "%00" ? 422 : 404);
        expect(answer.body.message, path).toMatch(/[\u4e00-\u9fa5]/);
      }
      const urged = await api(`/api/v1/risk-events/${id}/urge`, { method: "POST", body: {}, as: insurerKey });
      expect(urged.status, id).toBe(id === "%00" ? 422 : 404);
    }
  });

  it("answers a wrong method with 405", async () => {
    expect((await api("/api/v1/risk-events", { method: "POST", body: {}, as: insurerKey })).status).toBe(405);
    const [row] = (await eventsOf("")).rows;
    expect((await api(`/api/v1/risk-events/${row.id}/urge`, { as: insurerKey })).status).toBe(405);
  });
});

describe("a rectification's deadline in the task API", () => {
  it("is the event's deadline (late from 00:00 Beijing time the day after), also for an event raised after it passed", async () => {
    const late = await insuredProject("KM-RISK-API-2");
    expect((await completeTask(await openTask(late.riskFlowId, "风险交底及检查计划", who.tis), planSubmission, who.tis)).status).toBe(200);
    expect(
      (await completeTask(await openTask(late.riskFlowId, "审核风险检查计划", insurerKey), { decision: "approve" }, insurerKey)).status,
    ).toBe(200);
    const events = [riskEventInput({ deadline: "2026-11-21", location: "逾期外墙" })];
    const inspection = await openTask(late.riskFlowId, "现场风险检查", who.tis);
    expect((await completeTask(inspection, inspectionSubmission(events, { inspectedOn: "2026-11-20" }), who.tis)).status).toBe(200);
    const q = encodeURIComponent("风险接口花园KM-RISK-API-2");
    const { rows } = await ok<{ rows: { id: string; name: string; dueAt: string | null; overdue: boolean }[] }>(`/api/v1/tasks?q=${q}`, {
      as: who.contractor,
    });
    expect(rows.map((t) => [t.name, t.dueAt, t.overdue])).toEqual([["风险事件整改", "2026-11-21T16:00:00.000Z", true]]);
    expect((await ok<{ rows: { id: string }[] }>(`/api/v1/tasks?q=${q}&overdue=1`, { as: who.contractor })).rows.map((t) => t.id)).toEqual([
      rows[0].id,
    ]);
    expect((await ok(`/api/v1/tasks/${rows[0].id}`, { as: who.contractor })).dueAt).toBe("2026-11-21T16:00:00.000Z");
  });
});

describe("a query says only what it means (decision 033)", () => {
  const page = (path: string, as = who.regulator) => fetch(`${url()}${path}`, { headers: { Cookie: as } });

  it("refuses an unknown key and a repeated key on the list API, the page and the export, each on its key", async () => {
    for (const [query, key, message] of [
      ["colour=red", "colour", "未知的查询参数“colour”"],
      ["district=530111&district=530102", "district", "查询参数“district”只能出现一次"],
    ]) {
      const answer = await api(`/api/v1/risk-events?${query}`, { as: insurerKey });
      expect([answer.status, answer.body.fields], query).toEqual([422, { [key]: message }]);
      for (const path of [`/projects?${query}`, `/risk?${query}`]) {
        const refused = await page(path);
        expect([refused.status, (await refused.text()).includes(message)], path).toEqual([422, true]);
      }
      // The export refuses as the API does: JSON naming the key.
      const exported = await api(`/export/risk-events?${query}`, { as: who.regulator });
      expect([exported.status, exported.body.fields], query).toEqual([422, { [key]: message }]);
    }
    expect((await api("/api/v1/projects?colour=red", { as: insurerKey })).body.fields).toEqual({ colour: "未知的查询参数“colour”" });
  });

  it("reads an empty value as no filter", async () => {
    const all = (await api("/api/v1/risk-events", { as: insurerKey })).body.total;
    expect((await api("/api/v1/risk-events?district=&type=&tis=", { as: insurerKey })).body.total).toBe(all);
    expect((await page("/projects?district=&stage=")).status).toBe(200);
  });

  it("reads the risk filters' old names as the new, and refuses both at once on the new name", async () => {
    const total = async (query: string) => (await api(`/api/v1/risk-events?${query}`, { as: insurerKey })).body.total;
    const tisId = (await ok("/api/v1/session", { as: who.tis })).organisationId;
    expect(await total("type=waterproofing")).toBe(await total("category=waterproofing"));
    expect(await total(`tis=${tisId}`)).toBeGreaterThan(0);
    expect(await total(`tis=${tisId}`)).toBe(await total(`tisId=${tisId}`));
    const both = await api("/api/v1/risk-events?type=waterproofing&category=waterproofing", { as: insurerKey });
    expect([both.status, Object.keys(both.body.fields)]).toEqual([422, ["type"]]);
    const refused = await page("/risk?insurer=" + crypto.randomUUID() + "&insurerId=" + crypto.randomUUID());
    expect(refused.status).toBe(422);
  });

  it("refuses page=0 and pageSize=101 on a list API and an export", async () => {
    for (const [query, key, message] of [
      ["page=0", "page", "页码应为正整数"],
      ["pageSize=101", "pageSize", "每页条数应为 1 到 100 的整数"],
    ]) {
      const answer = await api(`/api/v1/risk-events?${query}`, { as: insurerKey });
      expect([answer.status, answer.body.fields?.[key]], query).toEqual([422, message]);
      const exported = await api(`/export/risk-events?${query}`, { as: insurerKey });
      expect([exported.status, exported.headers.get("Content-Type")?.split(";")[0], exported.body.fields], query).toEqual([
        422,
        "application/json",
        { [key]: message },
      ]);
    }
  });

  it("lets an organisation's system download its export with its API key, its own rows only", async () => {
    const download = (key: string) => fetch(`${url()}/export/risk-events`, { headers: { Authorization: `Bearer ${key}` } });
    const own = await download(insurerKey);
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Type")).toContain("spreadsheetml");
    expect((await own.arrayBuffer()).byteLength).toBeGreaterThan(0);
    expect(Number(own.headers.get("X-Export-Rows"))).toBe((await api("/api/v1/risk-events", { as: insurerKey })).body.total);
    const otherKey = await makeApiKeyOverHttp(url(), "中国太平洋财产保险股份有限公司云南分公司", ["insurer"]);
    const other = await download(otherKey);
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    expect(Number(other.headers.get("X-Export-Rows"))).toBe((await api("/api/v1/risk-events", { as: otherKey })).body.total);
    expect((await fetch(`${url()}/export/risk-events`, { headers: { Authorization: "Bearer idi_nothing" } })).status).toBe(401);
  });

  it("answers HEAD on an export with its headers and no workbook, and audits no download", async () => {
    // The audit trail as its reader reads it (/admin/audit's data), its export downloads counted.
    const exportsAudited = async () =>
      (await ok("/admin/audit?action=data.export&_data=routes%2F_app.admin.audit", { as: who.regulator })).total as number;
    const before = await exportsAudited();
    const head = await fetch(`${url()}/export/risk-events`, { method: "HEAD", headers: { Cookie: who.regulator } });
    expect(head.status).toBe(200);
    expect(head.headers.get("Content-Disposition")).toContain("risk-events.xlsx");
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect(await exportsAudited()).toBe(before);
    // A GET of the same export is audited: the count above would have seen it.
    const get = await fetch(`${url()}/export/risk-events`, { headers: { Cookie: who.regulator } });
    expect((await get.arrayBuffer()).byteLength).toBeGreaterThan(0);
    expect(await exportsAudited()).toBe(before + 1);
  });

  it("marks the risk filters' old names deprecated in the OpenAPI document, and only those", async () => {
    const doc = (await api("/api/v1/openapi.json", { as: "" })).body;
    const parameters: { name: string; deprecated?: boolean }[] = doc.paths["/api/v1/risk-events"].get.parameters;
    const deprecated = Object.fromEntries(parameters.map((p) => [p.name, p.deprecated ?? false]));
    expect(deprecated).toMatchObject({ category: true, tisId: true, insurerId: true, type: false, tis: false, insurer: false });
    expect(parameters.filter((p) => p.deprecated).map((p) => p.name)).toEqual(["category", "tisId", "insurerId"]);
  });

  it("shows /stats' refused query keys in an alert above its filters, with status 422", async () => {
    for (const [query, message] of [
      ["colour=red", "未知的查询参数“colour”"],
      ["tab=risk&tab=claims", "查询参数“tab”只能出现一次"],
    ]) {
      const refused = await page(`/stats?${query}`);
      const html = await refused.text();
      expect([refused.status, html.includes(message), html.includes("请修改查询条件后重试")], query).toEqual([422, true, false]);
      // The alert comes before the filter bar's form.
      expect(html.indexOf("查询条件有误"), query).toBeGreaterThan(-1);
      expect(html.indexOf("查询条件有误"), query).toBeLessThan(html.indexOf("统计周期"));
    }
    // A key the bar has a field for is refused under that field.
    const twice = await page("/stats?district=530111&district=530102");
    const html = await twice.text();
    expect([twice.status, html.includes("查询参数“district”只能出现一次"), html.includes("ant-form-item-has-error")]).toEqual([
      422,
      true,
      true,
    ]);
    expect((await page("/stats?district=")).status).toBe(200);
  });

  it("shows a refused query on the audit log, the process incidents and 再保业务 as their pages, with status 422", async () => {
    const admin = await signInOverHttp(url(), "admin");
    for (const [path, as, message, ofThePage] of [
      ["/admin/audit?colour=red", who.regulator, "未知的查询参数“colour”", "操作人"],
      ["/admin/audit?from=2026-13-40", who.regulator, "开始日期应为有效日期（YYYY-MM-DD）", "操作人"],
      ["/admin/processes?page=0", admin, "页码应为正整数", "已发布流程"],
      ["/reinsurance?pageSize=101", who.reinsurer, "每页条数应为 1 到 100 的整数", "再保业务：本公司分入的保单"],
    ]) {
      const refused = await page(path, as);
      const html = await refused.text();
      expect([refused.status, html.includes(message)], path).toEqual([422, true]);
      // The page itself, not the error page (请修改查询条件后重试).
      expect([html.includes(ofThePage), html.includes("请修改查询条件后重试")], path).toEqual([true, false]);
    }
  });

  it("shows a refused filter of /projects under its field, with status 422", async () => {
    const refused = await page("/projects?stage=nowhere");
    const html = await refused.text();
    expect(refused.status).toBe(422);
    expect(html).toContain("项目阶段不正确");
    expect(html).toContain("ant-form-item-has-error");
  });
});
