import http from "node:http";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { policy, registration } from "../support/insurance";
import { makeApiKeyOverHttp, signInOverHttp, usePlatform } from "../support/platform";
import { demoCreditCode } from "../support/workflow";

const { url } = usePlatform();

interface Call {
  method?: string;
  body?: unknown;
  cookie?: string;
  bearer?: string;
}

async function api(path: string, { method = "GET", body, cookie, bearer }: Call = {}) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (cookie) Object.assign(headers, { Cookie: cookie, Origin: url() });
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const response = await fetch(url() + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, response };
}

/** Makes an API key for an organisation through the admin page, as an administrator would. */
const makeKey = (organisationName: string, roles: string[]) => makeApiKeyOverHttp(url(), organisationName, roles);

let insurerKey: string;
let regulatorKey: string;

beforeAll(async () => {
  insurerKey = await makeKey("中国人民财产保险股份有限公司昆明市分公司", ["insurer"]);
  regulatorKey = await makeKey("昆明市住房和城乡建设局", ["regulator"]);
});

describe("the OpenAPI document", () => {
  it("describes every operation with schemas generated from the contract", async () => {
    const { status, body } = await api("/api/v1/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/session",
        "/api/v1/tasks",
        "/api/v1/tasks/{id}",
        "/api/v1/tasks/{id}/claim",
        "/api/v1/tasks/{id}/complete",
        "/api/v1/processes",
        "/api/v1/processes/{key}/instances",
        "/api/v1/instances/{id}",
      ]),
    );
    expect(body.paths["/api/v1/tasks/{id}/complete"].post.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Completion",
    });
    expect(body.components.schemas.Completion.required).toEqual(["submission"]);
    expect(body.components.schemas.Completion.additionalProperties).toBe(false);
    expect(body.components.schemas.TaskDetail.properties.form).toBeTruthy();
  });
});

describe("authentication", () => {
  it("answers 401 in JSON without a session or key, and for a wrong key", async () => {
    expect(await api("/api/v1/tasks")).toMatchObject({ status: 401, body: { error: "unauthenticated" } });
    expect(await api("/api/v1/tasks", { bearer: "idi_not-a-real-key-at-all-000000000000" })).toMatchObject({ status: 401 });
  });

  it("signs in with a password and then answers with the session cookie", async () => {
    const signIn = await api("/api/v1/session", { method: "POST", body: { username: "insurer", password: "kunming2026" } });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ username: "insurer", roles: ["insurer"] });
    const cookie = signIn.response.headers.getSetCookie()[0].split(";")[0];
    expect(await api("/api/v1/session", { cookie })).toMatchObject({
      status: 200,
      body: { organisationName: "中国人民财产保险股份有限公司昆明市分公司" },
    });
    expect(await api("/api/v1/session", { method: "POST", body: { username: "insurer", password: "wrong" } })).toMatchObject({
      status: 401,
      body: { message: "用户名或密码错误" },
    });
  });

  it("answers a body not sent as JSON with 415 in Chinese, whatever it holds", async () => {
    const title = JSON.stringify({ title: "不是 JSON 的请求" });
    for (const [type, body] of [
      ["text/plain", title],
      ["application/x-www-form-urlencoded", "title=x"],
      ["text/plain;charset=UTF-8", title],
    ]) {
      const response = await fetch(`${url()}/api/v1/processes/demo-approval/instances`, {
        method: "POST",
        headers: { Authorization: `Bearer ${insurerKey}`, "Content-Type": type },
        body,
      });
      expect(response.status, type).toBe(415);
      expect(await response.json(), type).toMatchObject({
        error: "unsupported_media_type",
        message: "请求体须为 JSON，请设置 Content-Type: application/json",
      });
    }
    const json = await api("/api/v1/processes/demo-approval/instances", {
      method: "POST",
      bearer: insurerKey,
      body: { title: "JSON 的请求" },
    });
    expect(json.status).toBe(200);
  });

  it("answers unknown API paths with a JSON 404", async () => {
    expect(await api("/api/v1/nothing-here", { bearer: insurerKey })).toMatchObject({ status: 404, body: { error: "not_found" } });
  });

  // The API has its own route table (remix-handler.server.ts); Remix matches paths case-insensitively.
  it("answers its paths in any letter case, as before its routes had a table of their own", async () => {
    const processes = await api("/API/V1/Processes", { bearer: insurerKey });
    expect(processes.status).toBe(200);
    expect(processes.body.map((p: { key: string }) => p.key)).toContain("demo-approval");
    // A path sent with dot segments is routed as Remix resolves it (fetch would resolve them first).
    const dotted = await new Promise<{ status: number; type: string }>((resolve, reject) => {
      const target = new URL(url());
      http
        .get(
          {
            host: target.hostname,
            port: target.port,
            path: "/owner/../api/v1/processes",
            headers: { Authorization: `Bearer ${insurerKey}` },
          },
          (response) => {
            response.resume();
            resolve({ status: response.statusCode!, type: String(response.headers["content-type"]) });
          },
        )
        .on("error", reject);
    });
    expect(dotted).toMatchObject({ status: 200, type: expect.stringMatching(/application\/json/) });
  });
});

describe("an insurer's core system runs the demo flow through the API", () => {
  let instanceId: string;
  let taskId: string;

  it("lists the processes it may start and starts one", async () => {
    const processes = await api("/api/v1/processes", { bearer: insurerKey });
    expect(processes.body.map((p: { key: string }) => p.key)).toContain("demo-approval");
    const started = await api("/api/v1/processes/demo-approval/instances", {
      method: "POST",
      bearer: insurerKey,
      body: { title: "接口发起的事项" },
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ title: "接口发起的事项", status: "running", process: { key: "demo-approval", version: 1 } });
    expect(started.body.openTasks.map((t: { name: string }) => t.name)).toEqual(["提交申请"]);
    instanceId = started.body.id;
    taskId = started.body.openTasks[0].id;
  });

  it("reads the task with its form schema", async () => {
    const task = await api(`/api/v1/tasks/${taskId}`, { bearer: insurerKey });
    expect(task.body).toMatchObject({ name: "提交申请", canComplete: true, form: { properties: { subject: { title: "申请事项" } } } });
    const inbox = await api("/api/v1/tasks", { bearer: insurerKey });
    expect(inbox.body.rows.map((t: { id: string }) => t.id)).toContain(taskId);
  });

  it("gets 422 with Chinese field errors for a bad submission, and nothing changes", async () => {
    const bad = await api(`/api/v1/tasks/${taskId}/complete`, {
      method: "POST",
      bearer: insurerKey,
      body: { submission: { amount: "多" } },
    });
    expect(bad).toMatchObject({
      status: 422,
      body: { error: "validation_failed", fields: { subject: "请填写“申请事项”", amount: "“金额（元）”应为数字" } },
    });
    const malformed = await api(`/api/v1/tasks/${taskId}/complete`, { method: "POST", bearer: insurerKey, body: "{not json" });
    expect(malformed.status).toBe(422);
    // A mistyped key is refused by name, not dropped with the comment it carried.
    const mistyped = await api(`/api/v1/tasks/${taskId}/complete`, {
      method: "POST",
      bearer: insurerKey,
      body: { submission: { subject: "采购", amount: 1 }, commnet: "同意" },
    });
    expect(mistyped).toMatchObject({ status: 422, body: { error: "validation_failed" } });
    expect(JSON.stringify(mistyped.body.fields)).toContain("不允许的字段：commnet");
    expect((await api(`/api/v1/tasks/${taskId}`, { bearer: insurerKey })).body.status).toBe("open");
  });

  it("claims and completes; completing again is a 409", async () => {
    expect(await api(`/api/v1/tasks/${taskId}/claim`, { method: "POST", bearer: insurerKey })).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    const done = await api(`/api/v1/tasks/${taskId}/complete`, {
      method: "POST",
      bearer: insurerKey,
      body: { submission: { subject: "接口提交", amount: 9 }, comment: "系统对接" },
    });
    expect(done).toMatchObject({ status: 200, body: { id: taskId, status: "completed" } });
    expect(
      await api(`/api/v1/tasks/${taskId}/complete`, {
        method: "POST",
        bearer: insurerKey,
        body: { submission: { subject: "再来", amount: 1 } },
      }),
    ).toMatchObject({
      status: 409,
      body: { message: "该任务已办理，无需重复提交" },
    });
  });

  it("the regulator's system approves and the instance shows its whole history", async () => {
    const review = (await api(`/api/v1/instances/${instanceId}`, { bearer: regulatorKey })).body.openTasks[0];
    expect(review.name).toBe("住建局审核");
    await api(`/api/v1/tasks/${review.id}/complete`, {
      method: "POST",
      bearer: regulatorKey,
      body: { submission: { decision: "approve" } },
    });
    const instance = await api(`/api/v1/instances/${instanceId}`, { bearer: insurerKey });
    expect(instance.body.status).toBe("completed");
    expect(instance.body.history.map((h: { what: string }) => h.what)).toEqual([
      "发起流程",
      "认领任务：提交申请",
      "办理：提交申请",
      "办理：住建局审核",
    ]);
    expect(instance.body.history[2]).toMatchObject({
      who: "中国人民财产保险股份有限公司昆明市分公司（接口：核心系统）",
      comment: "系统对接",
    });
  });

  it("another organisation's system gets 404 for the task and the instance", async () => {
    const otherKey = await makeKey("中国太平洋财产保险股份有限公司云南分公司", ["insurer"]);
    expect(await api(`/api/v1/tasks/${taskId}`, { bearer: otherKey })).toMatchObject({ status: 404 });
    expect(await api(`/api/v1/instances/${instanceId}`, { bearer: otherKey })).toMatchObject({ status: 404 });
    expect(await api(`/api/v1/tasks/${taskId}`, { bearer: otherKey })).not.toMatchObject({ status: 500 });
  });
});

describe("an insurer's core system submits a project for insurance review and reads back its status", () => {
  it("registers, records the policy, gets the regulator's confirmation, and sees the project insured", async () => {
    const started = await api("/api/v1/processes/insurance-review/instances", {
      method: "POST",
      bearer: insurerKey,
      body: { title: "接口报送的项目" },
    });
    expect(started.status).toBe(200);
    const projectId = started.body.businessKey;
    const next = async (key: string) => (await api(`/api/v1/instances/${started.body.id}`, { bearer: key })).body.openTasks[0].id;
    const submitted = registration({
      permitNo: "KM-API-0001",
      name: "接口花园",
      communityName: "接口花园",
      developer: { creditCode: demoCreditCode("dev-jb") },
      contractor: { creditCode: demoCreditCode("con-zj") },
      supervisor: { creditCode: demoCreditCode("sup-cj") },
      designer: { creditCode: demoCreditCode("des-ys") },
    });
    const bad = await api(`/api/v1/tasks/${await next(insurerKey)}/complete`, {
      method: "POST",
      bearer: insurerKey,
      body: { submission: { ...submitted, plannedCompletionDate: "2026-01-01" } },
    });
    expect(bad).toMatchObject({ status: 422, body: { fields: { plannedCompletionDate: "计划竣工日期应晚于开工日期" } } });
    expect(
      (
        await api(`/api/v1/tasks/${await next(insurerKey)}/complete`, {
          method: "POST",
          bearer: insurerKey,
          body: { submission: submitted },
        })
      ).status,
    ).toBe(200);
    expect((await api(`/api/v1/projects/${projectId}`, { bearer: insurerKey })).body).toMatchObject({
      status: "draft",
      permitNo: "KM-API-0001",
    });

    const recorded = policy({
      policyNo: "PICC-API-0001",
      leadShare: 100,
      coinsurers: [],
      reinsurers: [],
      tisCreditCode: demoCreditCode("tis-hx"),
    });
    expect(
      (
        await api(`/api/v1/tasks/${await next(insurerKey)}/complete`, {
          method: "POST",
          bearer: insurerKey,
          body: { submission: recorded },
        })
      ).status,
    ).toBe(200);
    expect((await api(`/api/v1/projects/${projectId}`, { bearer: insurerKey })).body).toMatchObject({
      status: "awaiting_confirmation",
      policyNo: "PICC-API-0001",
    });

    await api(`/api/v1/tasks/${await next(regulatorKey)}/complete`, {
      method: "POST",
      bearer: regulatorKey,
      body: { submission: { decision: "confirm" } },
    });
    const status = await api(`/api/v1/projects/${projectId}`, { bearer: insurerKey });
    expect(status.body).toMatchObject({ status: "insured", returnReason: null });
    expect(status.body.flows.map((f: { processName: string }) => f.processName)).toEqual(["保险审核", "风险管理"]);
    expect((await api("/api/v1/projects?q=接口花园", { bearer: insurerKey })).body.total).toBe(1);

    // An insured project is not reviewed again: refused at start, not left with a first step nobody can complete.
    const again = await api("/api/v1/processes/insurance-review/instances", {
      method: "POST",
      bearer: insurerKey,
      body: { title: "x", businessKey: projectId },
    });
    expect(again).toMatchObject({ status: 409, body: { message: "该项目已确认投保，不能再发起保险审核" } });
    expect((await api(`/api/v1/projects/${projectId}`, { bearer: insurerKey })).body.flows).toHaveLength(2);

    const otherKey = await makeKey("中国平安财产保险股份有限公司云南分公司", ["insurer"]);
    expect((await api(`/api/v1/projects/${projectId}`, { bearer: otherKey })).status).toBe(404);
    expect((await api("/api/v1/projects?q=接口花园", { bearer: otherKey })).body.total).toBe(0);
  });
});

describe("试运行: an administrator's system runs a draft diagram through the API", () => {
  const demo = readFileSync("processes/demo-approval.bpmn", "utf8");
  let adminKey: string;
  beforeAll(async () => {
    adminKey = await makeKey("昆明市住宅工程质量潜在缺陷保险信息平台运营中心", ["admin"]);
  });

  it("answers the path, the tasks and where the run stops, with an admin key or session", async () => {
    const body = { xml: demo, submissions: { request: [{ subject: "接口试运行", amount: 5 }] } };
    const byKey = await api("/api/v1/processes/dry-run", { method: "POST", body, bearer: adminKey });
    expect(byKey.status).toBe(200);
    expect(byKey.body.outcome).toEqual({ kind: "waiting", tasks: ["review"], timers: ["reviewReminder"] });
    expect(byKey.body.path.flows).toEqual(["toRequest", "toReview"]);
    const bySession = await api("/api/v1/processes/dry-run", { method: "POST", body, cookie: await signInOverHttp(url(), "admin") });
    expect(bySession.status).toBe(200);
    expect(bySession.body.outcome).toEqual(byKey.body.outcome);
  });

  it("is for administrators only", async () => {
    const refused = await api("/api/v1/processes/dry-run", { method: "POST", body: { xml: demo }, bearer: regulatorKey });
    expect(refused.status).toBe(403);
  });

  it("refuses bad input by field, in Chinese, and a diagram the deploy check refuses", async () => {
    const wrongTypes = await api("/api/v1/processes/dry-run", {
      method: "POST",
      body: { xml: 42, submissions: { request: "x" }, extra: true },
      bearer: adminKey,
    });
    expect(wrongTypes.status).toBe(422);
    expect(Object.keys(wrongTypes.body.fields)).toEqual(expect.arrayContaining(["xml", "submissions.request", "body"]));
    const withNul = await api("/api/v1/processes/dry-run", {
      method: "POST",
      body: { xml: demo.replace("发起", "发\u0000起") },
      bearer: adminKey,
    });
    expect(withNul.status).toBe(422);
    expect(withNul.body.message).toContain("不允许的字符");
    const unreadable = await api("/api/v1/processes/dry-run", { method: "POST", body: { xml: "<a/>" }, bearer: adminKey });
    expect(unreadable.status).toBe(422);
    expect(unreadable.body.fields.xml).toEqual(expect.any(String));
    const refusedSample = await api("/api/v1/processes/dry-run", {
      method: "POST",
      body: { xml: demo, submissions: { request: [{ amount: "很多" }] } },
      bearer: adminKey,
    });
    // A sample the form refuses is the run's outcome, not a refusal of the request.
    expect(refusedSample.status).toBe(200);
    expect(refusedSample.body.outcome).toEqual({ kind: "refused", elementId: "request" });
  });
});
