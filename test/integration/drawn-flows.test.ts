import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { smallDiagram } from "../support/diagrams";
import { makeApiKeyOverHttp, signInOverHttp, useCluster, type PlatformCluster } from "../support/platform";

// What administrators draw, over HTTP against the built platform: messages sent to a flow through
// POST /api/v1/instances/{id}/messages/{name} (scope, refusals, audit), and a 会签 whose
// signatures race a SIGKILL of the app process. The diagrams are the flow tests' (test/flows/diagrams);
// the platform deploys only processes/ at start, so they are put beside its versions as an
// administrator's deploy leaves them (the deploy check is tested in test/flows/deploy.test.ts).

const cluster = useCluster();
const url = () => cluster().url;
const DIAGRAMS = ["claim-payment", "co-signing-all"];

interface Answer {
  status: number;
  body: { error?: string; message?: string; fields?: Record<string, string>; [key: string]: unknown } | null;
}

/** `auth`: a session cookie, or `Bearer idi_…` for an organisation's API key. */
async function call(method: string, path: string, auth: string | null, body?: unknown, contentType = "application/json"): Promise<Answer> {
  const headers: Record<string, string> = { Origin: url() };
  if (auth?.startsWith("Bearer ")) headers.Authorization = auth;
  else if (auth) headers.Cookie = auth;
  if (body !== undefined) headers["Content-Type"] = contentType;
  const response = await fetch(url() + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function ok<T>(method: string, path: string, cookie: string, body?: unknown): Promise<T> {
  const answer = await call(method, path, cookie, body);
  if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

interface Instance {
  id: string;
  status: string;
  openTasks: { id: string; name: string }[];
  history: { what: string; who: string }[];
}

async function deployTestDiagrams(c: PlatformCluster): Promise<void> {
  await c.withSql(async (sql) => {
    const forms = await sql<{ key: string; version: number }>(
      `select key, max(version)::int as version from form_definitions where key in ('demo-request', 'demo-review') group by key`,
    );
    const formVersions = Object.fromEntries(forms.map((f) => [f.key, f.version]));
    for (const name of DIAGRAMS) {
      const xml = readFileSync(`test/flows/diagrams/${name}.bpmn`, "utf8");
      const key = xml.match(/<bpmn:process id="([^"]+)" name="([^"]+)"/)!;
      await sql(
        `insert into process_definitions (key, version, name, xml, checksum, form_versions, deployed_by_name) values ($1, 1, $2, $3, $4, $5, '平台管理员')`,
        [key[1], key[2], xml, createHash("sha256").update(xml).digest("hex"), JSON.stringify(formVersions)],
      );
    }
  });
}

const cookies: Record<string, string> = {};
const organisations: Record<string, string> = {};
beforeAll(async () => {
  await deployTestDiagrams(cluster());
  for (const username of ["admin", "insurer", "insurer-cpic", "insurer-pingan", "tis", "regulator"]) {
    cookies[username] = await signInOverHttp(url(), username);
    organisations[username] = (await ok<{ organisationId: string }>("GET", "/api/v1/session", cookies[username])).organisationId;
  }
}, 120_000);

/** A claim-like flow started by PICC, past 理算: waiting for 付款完成. */
async function waitingForPayment(title: string): Promise<Instance> {
  const started = await ok<Instance>("POST", "/api/v1/processes/test-claim-payment/instances", cookies.insurer, { title });
  await ok("POST", `/api/v1/tasks/${started.openTasks[0].id}/complete`, cookies.insurer, { submission: { subject: title, amount: 1 } });
  return started;
}

const send = (id: string, name: string, who: string | null, body: unknown = {}, contentType?: string) =>
  call("POST", `/api/v1/instances/${id}/messages/${encodeURIComponent(name)}`, who ? cookies[who] : null, body, contentType);

describe("POST /api/v1/instances/{id}/messages/{name}", () => {
  it("lets the flow's insurer say 付款完成: 200 with the events that caught it, the flow moves on, the history shows it", async () => {
    const instance = await waitingForPayment("接口付款完成");
    const answer = await send(instance.id, "付款完成", "insurer", { amount: 3200, paidOn: "2026-08-03" });
    expect(answer).toEqual({ status: 200, body: { ok: true, caughtBy: ["paid"] } });
    const after = await ok<Instance>("GET", `/api/v1/instances/${instance.id}`, cookies.regulator);
    expect(after.openTasks.map((t) => t.name)).toEqual(["确认到账"]);
    expect(after.history).toContainEqual(expect.objectContaining({ what: "收到流程消息", who: "人保王经理" }));
    // Once received, the flow waits for it no more.
    expect(await send(instance.id, "付款完成", "insurer", { amount: 3200 })).toMatchObject({
      status: 409,
      body: { error: "conflict", message: "该流程当前没有在等待“付款完成”消息" },
    });
  });

  it("answers 404 outside the sender's scope or for a message the flow has not, 403 to one who sees it but may not send", async () => {
    const instance = await waitingForPayment("接口权限");
    expect((await send(instance.id, "付款完成", "insurer-cpic", { amount: 1 })).status).toBe(404);
    expect((await send(instance.id, "付款完成", "tis", { amount: 1 })).status).toBe(404);
    expect(await send(instance.id, "付款完成", "regulator", { amount: 1 })).toMatchObject({
      status: 403,
      body: { message: "您无权向该流程发送“付款完成”消息" },
    });
    expect((await send(instance.id, "到账", "insurer", { amount: 1 })).status).toBe(404);
    expect((await send("00000000-0000-4000-8000-000000000000", "付款完成", "insurer")).status).toBe(404);
    expect((await send("not-an-id", "付款完成", "admin")).status).toBe(404);
    expect((await send(instance.id, "付款完成", null, { amount: 1 })).status).toBe(401);
    // Scope comes before the body: an outsider learns nothing from a bad one either.
    expect((await send(instance.id, "付款完成", "insurer-cpic", [1])).status).toBe(404);
    expect((await ok<Instance>("GET", `/api/v1/instances/${instance.id}`, cookies.insurer)).openTasks).toEqual([]);
  });

  it("refuses a body that is not a small JSON object of named variables with 422 and Chinese fields, and other types with 415", async () => {
    const instance = await waitingForPayment("接口消息内容");
    expect(await send(instance.id, "付款完成", "insurer", [1, 2])).toMatchObject({
      status: 422,
      body: { fields: { body: "消息内容应为 JSON 对象" } },
    });
    expect(await send(instance.id, "付款完成", "insurer", "{not json")).toMatchObject({ status: 422 });
    expect(await send(instance.id, "付款完成", "insurer", { 金额: 1 })).toMatchObject({
      status: 422,
      body: { fields: { 金额: expect.stringContaining("变量名应为字母或下划线开头") } },
    });
    expect(await send(instance.id, "付款完成", "insurer", { note: "款".repeat(6000) })).toMatchObject({
      status: 422,
      body: { fields: { body: "消息内容不能超过16KB" } },
    });
    expect(await send(instance.id, "付款完成", "insurer", { note: "a\u0000b" })).toMatchObject({ status: 422 });
    expect((await send(instance.id, "付款完成", "insurer", "amount=1", "application/x-www-form-urlencoded")).status).toBe(415);
    expect((await ok<Instance>("GET", `/api/v1/instances/${instance.id}`, cookies.insurer)).openTasks).toEqual([]);
    // The same message, well formed, is still taken: nothing was consumed by the refusals.
    expect((await send(instance.id, "付款完成", "insurer", { amount: 5 })).status).toBe(200);
  });

  it("takes 付款完成 from the insurer's own system, with its organisation's API key, and not from another insurer's", async () => {
    const instance = await waitingForPayment("核心系统付款");
    const picc = `Bearer ${await makeApiKeyOverHttp(url(), "中国人民财产保险股份有限公司昆明市分公司", ["insurer"])}`;
    const cpic = `Bearer ${await makeApiKeyOverHttp(url(), "中国太平洋财产保险股份有限公司云南分公司", ["insurer"])}`;
    const path = `/api/v1/instances/${instance.id}/messages/${encodeURIComponent("付款完成")}`;
    expect((await call("POST", path, cpic, { amount: 100 })).status).toBe(404);
    expect(await call("POST", path, picc, { amount: 100 })).toEqual({ status: 200, body: { ok: true, caughtBy: ["paid"] } });
    const after = await ok<Instance>("GET", `/api/v1/instances/${instance.id}`, cookies.insurer);
    expect(after.openTasks.map((t) => t.name)).toEqual(["确认到账"]);
  });

  it("lets an administrator send a message no role is named for, which interrupts the task it is attached to", async () => {
    const started = await ok<Instance>("POST", "/api/v1/processes/test-claim-payment/instances", cookies.insurer, { title: "接口撤案" });
    expect((await send(started.id, "撤案", "insurer", {})).status).toBe(403);
    expect(await send(started.id, "撤案", "admin", { reason: "重复报案" })).toEqual({
      status: 200,
      body: { ok: true, caughtBy: ["withdrawn"] },
    });
    const after = await ok<Instance>("GET", `/api/v1/instances/${started.id}`, cookies.insurer);
    expect(after).toMatchObject({ status: "completed", openTasks: [] });
    expect(
      (
        await call("POST", `/api/v1/tasks/${started.openTasks[0].id}/complete`, cookies.insurer, {
          submission: { subject: "迟", amount: 1 },
        })
      ).status,
    ).toBe(409);
  });
});

describe("a message that races a kill -9 of the app process", () => {
  it("is received wholly or not at all: after the restart the flow either moved on (a resend is 409) or still waits (a resend is 200)", async () => {
    const instance = await waitingForPayment("付款遇宕机");
    const process = cluster().processes[0];
    const sent = send(instance.id, "付款完成", "insurer", { amount: 700 }).catch(() => null);
    await new Promise((r) => setTimeout(r, 10));
    await process.kill("SIGKILL");
    const answer = await sent;
    await process.start();
    const rows = await cluster().withSql(async (sql) => ({
      timers: await sql<{ status: string }>(`select status from workflow_timers where instance_id = $1`, [instance.id]),
      audits: await sql<{ n: number }>(`select count(*)::int as n from audit_events where action = 'process.message' and subject_id = $1`, [
        instance.id,
      ]),
      tasks: await sql<{ element_id: string }>(`select element_id from tasks where instance_id = $1 and status = 'open'`, [instance.id]),
    }));
    const received = rows.audits[0].n === 1;
    if (answer?.status === 200) expect(received).toBe(true);
    // Received: 确认到账 open, the ten days off; not received: nothing open, the ten days still pending.
    expect(rows.tasks.map((t) => t.element_id)).toEqual(received ? ["confirm"] : []);
    expect(rows.timers.map((t) => t.status)).toEqual([received ? "cancelled" : "pending"]);
    expect((await send(instance.id, "付款完成", "insurer", { amount: 700 })).status).toBe(received ? 409 : 200);
    expect((await ok<Instance>("GET", `/api/v1/instances/${instance.id}`, cookies.insurer)).openTasks.map((t) => t.name)).toEqual([
      "确认到账",
    ]);
  });
});

describe("a start that fails", () => {
  it("answers the starter 503 as before, and logs why with the process's key and version", async () => {
    // The task's limit comes from the starter's variables: "five days" is no duration.
    const xml = smallDiagram(
      `<bpmn:userTask id="task" name="填写" camunda:formKey="demo-review" camunda:candidateGroups="insurer" />
      <bpmn:boundaryEvent id="late" name="逾期" attachedToRef="task">
        <bpmn:timerEventDefinition><bpmn:timeDuration>\${environment.variables.limit}</bpmn:timeDuration></bpmn:timerEventDefinition>
      </bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="end" />`,
      "test-limit-first",
    );
    expect((await call("POST", "/api/v1/processes", cookies.admin, { xml, reason: "启动失败的日志" })).status).toBe(201);
    const process = cluster().processes[0];
    const before = process.log().length;
    const started = await call("POST", "/api/v1/processes/test-limit-first/instances", cookies.insurer, {
      title: "期限有误",
      variables: { limit: "five days" },
    });
    expect(started).toEqual({
      status: 503,
      body: { error: "incident", message: "流程执行出错，本次操作未生效，已记录为流程异常，平台管理员会尽快处理" },
    });
    // The log reaches this test through the process's stdout pipe, which may lag the answer.
    const logged = () =>
      process
        .log()
        .slice(before)
        .split("\n")
        .filter((line) => line.includes("process start failed"))
        .map((line) => JSON.parse(line));
    await expect.poll(() => logged().length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(logged()).toEqual([
      expect.objectContaining({
        level: 40,
        processKey: "test-limit-first",
        processVersion: 1,
        cause: expect.stringContaining("five days"),
      }),
    ]);
  });
});

describe("a 会签 whose signatures race a kill -9 of the app process", () => {
  it("keeps every acknowledged signature, loses no state, and moves on exactly once after the restart", async () => {
    const signers = ["insurer", "insurer-cpic", "insurer-pingan"];
    const started = await ok<Instance>("POST", "/api/v1/processes/test-co-signing-all/instances", cookies.insurer, {
      title: "会签遇宕机",
      variables: { signers: signers.map((s) => organisations[s]) },
    });
    await ok("POST", `/api/v1/tasks/${started.openTasks[0].id}/complete`, cookies.insurer, { submission: { subject: "方案", amount: 9 } });
    const mine = async (who: string) =>
      (await ok<{ rows: { id: string; name: string; instanceId: string }[] }>("GET", "/api/v1/tasks?q=会签遇宕机", cookies[who])).rows;
    const tasks = Object.fromEntries(await Promise.all(signers.map(async (s) => [s, (await mine(s))[0].id] as const)));
    expect(Object.values(tasks)).toHaveLength(3);

    // All three sign at once; the process is killed while they do.
    const process = cluster().processes[0];
    const answers = signers.map((s) =>
      call("POST", `/api/v1/tasks/${tasks[s]}/complete`, cookies[s], { submission: { decision: "approve" } }).catch(() => null),
    );
    await new Promise((r) => setTimeout(r, 15));
    await process.kill("SIGKILL");
    const results = await Promise.all(answers);
    const ok200 = signers.filter((_, i) => results[i]?.status === 200);
    await process.start();
    // Sessions are rows: the same cookies still work. Whatever was acknowledged is done; the rest is still open.
    for (const s of signers) {
      const open = (await mine(s)).map((t) => t.id);
      if (ok200.includes(s)) expect(open).toEqual([]);
      if (open.length) {
        expect(open).toEqual([tasks[s]]);
        expect((await call("POST", `/api/v1/tasks/${tasks[s]}/complete`, cookies[s], { submission: { decision: "approve" } })).status).toBe(
          200,
        );
      }
    }
    const after = await ok<Instance>("GET", `/api/v1/instances/${started.id}`, cookies.regulator);
    expect(after.openTasks.map((t) => t.name)).toEqual(["住建局确认"]);
    const rows = await cluster().withSql((sql) =>
      sql<{ element_id: string; status: string; n: number }>(
        `select element_id, status, count(*)::int as n from tasks where instance_id = $1 group by element_id, status order by element_id, status`,
        [started.id],
      ),
    );
    expect(rows).toEqual([
      { element_id: "confirm", status: "open", n: 1 },
      { element_id: "request", status: "completed", n: 1 },
      { element_id: "sign", status: "completed", n: 3 },
    ]);
    const audits = await cluster().withSql((sql) =>
      sql<{ n: number }>(`select count(*)::int as n from audit_events where action = 'task.complete' and subject_id = any($1::text[])`, [
        Object.values(tasks),
      ]),
    );
    expect(audits).toEqual([{ n: 3 }]);
  });
});
