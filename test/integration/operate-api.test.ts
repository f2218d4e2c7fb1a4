import { beforeAll, describe, expect, it } from "vitest";
import { makeApiKeyOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// GET /api/v1/processes/{key}/heatmap over HTTP (docs/decisions/037): the bureau and the
// administrators read the city's figures, every organisation's flows counted; anyone else is
// refused (403), an unknown flow is 404, a query it cannot read 422 naming the field in Chinese.

const { url } = usePlatform();
const cookies: Record<string, string> = {};

beforeAll(async () => {
  for (const username of ["admin", "regulator", "insurer", "insurer-cpic", "tis", "financial-regulator"])
    cookies[username] = await signInOverHttp(url(), username);
}, 120_000);

async function call(method: string, path: string, as?: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url() + path, {
    method,
    headers: {
      Origin: url(),
      ...(as ? { Cookie: cookies[as] } : {}),
      ...(body ? { "Content-Type": "application/json" } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json() };
}

type Step = { elementId: string; count: number; open: number; meanSeconds: number; p90Seconds: number };
const stepOf = (body: { steps: Step[] }, id: string) => body.steps.find((s) => s.elementId === id) ?? { count: 0, open: 0 };

async function startAndSubmit(as: string, title: string, submit: boolean) {
  const started = await call("POST", "/api/v1/processes/demo-approval/instances", as, { title });
  expect(started.status).toBe(200);
  if (submit) {
    const done = await call("POST", `/api/v1/tasks/${started.body.openTasks[0].id}/complete`, as, {
      submission: { subject: title, amount: 1 },
    });
    expect(done.status).toBe(200);
  }
}

describe("GET /api/v1/processes/{key}/heatmap", () => {
  it("answers the bureau the figures of every organisation's flows, the same to administrators", async () => {
    const before = await call("GET", "/api/v1/processes/demo-approval/heatmap", "regulator");
    expect(before.status).toBe(200);
    await startAndSubmit("insurer", "热力图 人保", true);
    await startAndSubmit("insurer-cpic", "热力图 太保", false);
    const after = await call("GET", "/api/v1/processes/demo-approval/heatmap", "regulator");
    expect(after.body).toMatchObject({ key: "demo-approval", name: "演示审批流程", version: null, versions: [1] });
    expect(stepOf(after.body, "request").count - stepOf(before.body, "request").count).toBe(2);
    expect(stepOf(after.body, "request").open - stepOf(before.body, "request").open).toBe(1);
    expect(stepOf(after.body, "review").count - stepOf(before.body, "review").count).toBe(1);
    const request = after.body.steps.find((s: Step) => s.elementId === "request");
    expect(request.p90Seconds).toBeGreaterThanOrEqual(0);
    // The same counts for an administrator (the times of open steps grow as they wait).
    const counts = (body: { steps: Step[] }) => body.steps.map(({ elementId, count, open }) => ({ elementId, count, open }));
    expect(counts((await call("GET", "/api/v1/processes/demo-approval/heatmap", "admin")).body)).toEqual(counts(after.body));
  });

  it("refuses every organisation that is not the bureau (403), by session or API key", async () => {
    for (const who of ["insurer", "insurer-cpic", "tis", "financial-regulator"]) {
      const answer = await call("GET", "/api/v1/processes/demo-approval/heatmap", who);
      expect([who, answer.status, answer.body.error]).toEqual([who, 403, "forbidden"]);
    }
    const key = await makeApiKeyOverHttp(url(), "中国人民财产保险股份有限公司昆明市分公司", ["insurer"]);
    const byKey = await call("GET", "/api/v1/processes/demo-approval/heatmap", undefined, undefined, { Authorization: `Bearer ${key}` });
    expect(byKey.status).toBe(403);
    expect((await call("GET", "/api/v1/processes/demo-approval/heatmap")).status).toBe(401);
  });

  it("answers 404 for a flow that does not exist, also before reading the query", async () => {
    const answer = await call("GET", "/api/v1/processes/no-such-flow/heatmap?version=x", "regulator");
    expect([answer.status, answer.body.message]).toEqual([404, "流程不存在"]);
  });

  it("refuses a query it cannot read with 422, naming each field in Chinese", async () => {
    const cases: [string, Record<string, string>][] = [
      ["version=0", { version: "版本应为正整数" }],
      ["version=9", { version: "流程没有第9版" }],
      ["from=2026-02-30", { from: "开始日期应为有效日期（YYYY-MM-DD）" }],
      ["from=2026-03-05&to=2026-03-01", { to: "结束日期不能早于开始日期" }],
      ["days=7", { days: "未知的查询参数“days”" }],
      ["from=2025-01-01&to=2026-03-01", { from: "查询期间不能超过366天" }],
      ["from=2026-03-01&from=2026-03-02", { from: "查询参数“from”只能出现一次" }],
    ];
    for (const [query, fields] of cases) {
      const answer = await call("GET", `/api/v1/processes/demo-approval/heatmap?${query}`, "regulator");
      expect([query, answer.status, answer.body.fields]).toEqual([query, 422, fields]);
    }
    const nul = await call("GET", "/api/v1/processes/demo-approval/heatmap?version=1%00", "regulator");
    expect(nul.status).toBe(422);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await call("GET", "/api/v1/openapi.json");
    expect(doc.body.paths["/api/v1/processes/{key}/heatmap"].get.operationId).toBe("getProcessHeatmap");
  });
});

describe("the operate page's actions over HTTP", () => {
  const act = (id: string, body: unknown) =>
    call("POST", `/admin/operate/${id}?_data=${encodeURIComponent("routes/_app.admin.operate.$id")}`, "admin", body);

  it("refuses a reason of the wrong type or a task of another flow, cancels once, and answers a second click 409", async () => {
    const mine = await call("POST", "/api/v1/processes/demo-approval/instances", "insurer", { title: "运维 HTTP 甲" });
    const other = await call("POST", "/api/v1/processes/demo-approval/instances", "insurer", { title: "运维 HTTP 乙" });
    expect((await act(mine.body.id, { intent: "cancel", reason: 42 })).body.fields).toEqual({ reason: "操作原因应为文字" });
    const foreign = await act(mine.body.id, {
      intent: "move",
      taskId: other.body.openTasks[0].id,
      organisationId: mine.body.id,
      reason: "转交",
    });
    expect([foreign.status, foreign.body.fields]).toEqual([422, { taskId: "请选择该流程的待办任务" }]);
    expect((await act(mine.body.id, { intent: "nope" })).status).toBe(422);
    const [first, second] = await Promise.all([
      act(mine.body.id, { intent: "cancel", reason: "重复发起" }),
      act(mine.body.id, { intent: "cancel", reason: "重复发起" }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect([first, second].find((a) => a.status === 409)!.body.message).toBe("该流程已结束");
    expect((await call("GET", `/api/v1/instances/${mine.body.id}`, "insurer")).body.status).toBe("cancelled");
    // The insurer may not act here at all.
    expect(
      (
        await call("POST", `/admin/operate/${other.body.id}?_data=${encodeURIComponent("routes/_app.admin.operate.$id")}`, "insurer", {
          intent: "cancel",
          reason: "x",
        })
      ).status,
    ).toBe(403);
  });
});
