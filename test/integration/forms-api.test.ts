import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeApiKeyOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// POST /api/v1/forms as an administrator's session or a system holding an admin key: 201 with the
// new version, 200 with the latest when nothing changed, 422 naming each bad field by its path in
// the schema; anyone else 403. Every answer is checked against the OpenAPI document (usePlatform).

const { url } = usePlatform();

async function api(path: string, { method = "GET", body, as }: { method?: string; body?: unknown; as?: string } = {}) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (as?.startsWith("idi_session=")) Object.assign(headers, { Cookie: as, Origin: url() });
  else if (as) headers.Authorization = `Bearer ${as}`;
  const response = await fetch(url() + path, { method, headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const PLATFORM = "昆明市住宅工程质量潜在缺陷保险信息平台运营中心";
const surveySchema = () => JSON.parse(readFileSync("forms/claim-survey.json", "utf8")) as Record<string, any>;

let adminSession: string;
let adminKey: string;
let insurerSession: string;
let insurerKey: string;

beforeAll(async () => {
  adminSession = await signInOverHttp(url(), "admin");
  insurerSession = await signInOverHttp(url(), "insurer");
  adminKey = await makeApiKeyOverHttp(url(), PLATFORM, ["admin"]);
  insurerKey = await makeApiKeyOverHttp(url(), "中国人民财产保险股份有限公司昆明市分公司", ["insurer"]);
});

describe("POST /api/v1/forms", () => {
  it("publishes a new version with its reason for an administrator's session, and lists it", async () => {
    const schema = surveySchema();
    schema.title = "现场查勘（接口）";
    const published = await api("/api/v1/forms", {
      method: "POST",
      as: adminSession,
      body: { key: "claim-survey", schema, reason: "标题加注" },
    });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ key: "claim-survey", version: 2, title: "现场查勘（接口）", reason: "标题加注", created: true });
    const again = await api("/api/v1/forms", {
      method: "POST",
      as: adminSession,
      body: { key: "claim-survey", schema, reason: "再发一次" },
    });
    expect(again).toMatchObject({ status: 200, body: { version: 2, reason: "标题加注", created: false } });

    const list = await api("/api/v1/forms", { as: adminSession });
    expect(list.body).toContainEqual(expect.objectContaining({ key: "claim-survey", version: 2, reason: "标题加注" }));
    const versions = await api("/api/v1/forms/claim-survey/versions", { as: adminSession });
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body[1].processes).toContainEqual(expect.objectContaining({ key: "claim" }));
    expect(versions.body[0].processes).toEqual([]);
    const one = await api("/api/v1/forms/claim-survey/versions/2", { as: adminSession });
    expect(one.body).toMatchObject({ version: 2, schema: { title: "现场查勘（接口）" } });
    expect((await api("/api/v1/forms/claim-survey/versions/9", { as: adminSession })).status).toBe(404);
    expect((await api("/api/v1/forms/claim-survey/versions/x", { as: adminSession })).status).toBe(404);
    expect((await api("/api/v1/forms/no-such-form/versions", { as: adminSession })).status).toBe(404);
  });

  it("publishes a new form for a system holding an admin key; a double submit takes one version", async () => {
    const schema = { type: "object", title: "接口表单", properties: { note: { type: "string", title: "备注", maxLength: 200 } } };
    const body = { key: "api-made-form", schema, reason: "对接系统新建" };
    const both = await Promise.all([1, 2].map(() => api("/api/v1/forms", { method: "POST", as: adminKey, body })));
    expect(both.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(both.map((a) => a.body.version)).toEqual([1, 1]);
    expect(both[0].body.id).toBe(both[1].body.id);
  });

  it("answers 422 naming each bad field by its path in the schema", async () => {
    const schema = surveySchema();
    schema.properties.cause["x-component"] = "IFrame";
    schema.properties.part["x-reactions"] = { fulfill: { run: "fetch('/api/v1/session')" } };
    const refused = await api("/api/v1/forms", { method: "POST", as: adminKey, body: { key: "claim-survey", schema, reason: "坏的" } });
    expect(refused.status).toBe(422);
    expect(refused.body.fields).toEqual({
      "schema.cause": "不支持的组件“IFrame”",
      "schema.part": "表单中不允许联动脚本（x-reactions），请使用平台提供的校验规则",
    });
    const badKey = await api("/api/v1/forms", {
      method: "POST",
      as: adminKey,
      body: { key: "../etc", schema: surveySchema(), reason: "" },
    });
    expect(badKey).toMatchObject({
      status: 422,
      body: { fields: { key: expect.stringMatching(/^表单标识应为/), reason: "请填写发布原因" } },
    });
  });

  it("refuses a pattern that could stall the check of a submission, on the field", async () => {
    const schema = surveySchema();
    schema.properties.cause.pattern = "(a+)+$";
    const refused = await api("/api/v1/forms", { method: "POST", as: adminKey, body: { key: "claim-survey", schema, reason: "坏的格式" } });
    expect(refused).toMatchObject({
      status: 422,
      body: { fields: { "schema.cause": "正则表达式（pattern）含嵌套的重复（如 (a+)+），校验长文字时会卡死，请改写" } },
    });
  });

  it("enforces a field's pattern on a submission through the API once a process pins the form: 422 naming the field", async () => {
    const schema = JSON.parse(readFileSync("forms/demo-request.json", "utf8"));
    schema.properties.subject.pattern = "^[\\u4e00-\\u9fa5]+$";
    const published = await api("/api/v1/forms", {
      method: "POST",
      as: adminKey,
      body: { key: "demo-request", schema, reason: "事项只写中文" },
    });
    expect(published.status).toBe(201);
    const xml = readFileSync("processes/demo-approval.bpmn", "utf8");
    expect((await api("/api/v1/processes", { method: "POST", as: adminKey, body: { xml, reason: "用新的申请表" } })).status).toBe(201);
    const started = await api("/api/v1/processes/demo-approval/instances", { method: "POST", as: insurerKey, body: { title: "格式" } });
    expect(started.status).toBe(200);
    const taskId = started.body.openTasks[0].id;
    expect((await api(`/api/v1/tasks/${taskId}/claim`, { method: "POST", as: insurerKey })).status).toBe(200);
    const complete = (subject: string) =>
      api(`/api/v1/tasks/${taskId}/complete`, { method: "POST", as: insurerKey, body: { submission: { subject, amount: 1 } } });
    expect(await complete("Repair 1")).toMatchObject({
      status: 422,
      body: { error: "validation_failed", fields: { subject: "“申请事项”格式不正确" } },
    });
    expect(await complete("屋面渗水")).toMatchObject({ status: 200, body: { status: "completed" } });
  });

  it("refuses wrong types, NUL, a huge body and a schema too large, changing nothing", async () => {
    const post = (body: unknown) => api("/api/v1/forms", { method: "POST", as: adminSession, body });
    const wrong = await post({ key: 5, schema: "表单", reason: ["x"] });
    expect(wrong.status).toBe(422);
    expect(Object.keys(wrong.body.fields).sort()).toEqual(["key", "reason", "schema"]);
    const nul = await post({ key: "claim-survey", schema: { ...surveySchema(), title: "查\u0000勘" }, reason: "NUL" });
    expect(nul.status).toBe(422);
    const huge = await post({ key: "claim-survey", schema: surveySchema(), reason: "大".repeat(600_000) });
    expect(huge.status).toBe(413);
    const large = surveySchema();
    large.description = "长".repeat(100_000);
    expect(await post({ key: "claim-survey", schema: large, reason: "过大" })).toMatchObject({
      status: 422,
      body: { fields: { schema: expect.stringMatching(/^表单定义过大/) } },
    });
    const notJson = await fetch(`${url()}/api/v1/forms`, {
      method: "POST",
      headers: { Authorization: `Bearer ${adminKey}`, "Content-Type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(422);
    expect((await api("/api/v1/forms/claim-survey/versions", { as: adminKey })).body[0].reason).toBe("标题加注");
  });

  it("is an administrator's: anyone else is refused", async () => {
    const body = { key: "claim-survey", schema: surveySchema(), reason: "越权" };
    for (const as of [insurerSession, insurerKey]) {
      expect(await api("/api/v1/forms", { method: "POST", as, body })).toMatchObject({ status: 403, body: { error: "forbidden" } });
      expect((await api("/api/v1/forms", { as })).status).toBe(403);
      expect((await api("/api/v1/forms/claim-survey/versions", { as })).status).toBe(403);
    }
    expect((await api("/api/v1/forms", { method: "POST", body })).status).toBe(401);
  });
});
