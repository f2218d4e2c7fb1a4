import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { BpmnModdle } from "bpmn-moddle";
import { beforeAll, describe, expect, it } from "vitest";
import { camundaModdle, xmlProblem } from "~/server/workflow/index.server";
import { lintConfig } from "~/shared/process-lint";
import { makeApiKeyOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// POST /api/v1/processes: an administrator's session or an API key given the admin role deploys a
// diagram as a new version with a reason; every refusal says why, bad elements by their ids.

const { url } = usePlatform();

const DEMO = readFileSync("processes/demo-approval.bpmn", "utf8");
const renamed = (name: string) => DEMO.replace('name="住建局审核"', `name="${name}"`);

async function deploy(body: unknown, auth: { cookie?: string; bearer?: string }) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (auth.cookie) Object.assign(headers, { Cookie: auth.cookie, Origin: url() });
  if (auth.bearer) headers.Authorization = `Bearer ${auth.bearer}`;
  const response = await fetch(`${url()}/api/v1/processes`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

let admin: string;
let adminKey: string;

beforeAll(async () => {
  admin = await signInOverHttp(url(), "admin");
  adminKey = await makeApiKeyOverHttp(url(), "昆明市住宅工程质量潜在缺陷保险信息平台运营中心", ["admin"]);
});

describe("POST /api/v1/processes", () => {
  it("deploys a new version with its reason for an administrator's session: 201", async () => {
    const answer = await deploy({ xml: renamed("住建局复核"), reason: "审核改为复核" }, { cookie: admin });
    expect(answer).toMatchObject({
      status: 201,
      body: { key: "demo-approval", version: 2, reason: "审核改为复核", deployedByName: "平台管理员", created: true },
    });
  });

  it("deploys for an API key given the admin role, and names the key's organisation", async () => {
    const answer = await deploy({ xml: renamed("住建局终审"), reason: "接口发布" }, { bearer: adminKey });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ version: 3, reason: "接口发布", created: true });
    expect(answer.body.deployedByName).toContain("平台运营中心");
  });

  it("answers 200 with the existing version for an unchanged diagram", async () => {
    const answer = await deploy({ xml: renamed("住建局终审"), reason: "重复提交" }, { bearer: adminKey });
    expect(answer).toMatchObject({ status: 200, body: { version: 3, reason: "接口发布", created: false } });
  });

  it("is refused to those who are not administrators", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    expect((await deploy({ xml: renamed("不该发布"), reason: "越权" }, { cookie: insurer })).status).toBe(403);
    const insurerKey = await makeApiKeyOverHttp(url(), "中国人民财产保险股份有限公司昆明市分公司", ["insurer"]);
    expect((await deploy({ xml: renamed("不该发布"), reason: "越权" }, { bearer: insurerKey })).status).toBe(403);
    expect((await deploy({ xml: renamed("不该发布"), reason: "越权" }, {})).status).toBe(401);
  });

  it("names each bad element in a refused diagram: 422 with problems by element id", async () => {
    const bad = DEMO.replace('camunda:formKey="demo-review"', 'camunda:formKey="no-such-form"').replace(
      'implementation="${environment.services.notify}"',
      'implementation="${environment.services.launch}"',
    );
    const answer = await deploy({ xml: bad, reason: "坏的" }, { cookie: admin });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toBe("validation_failed");
    expect(answer.body.problems).toEqual(
      expect.arrayContaining([
        { elementId: "review", message: "“住建局审核”(review)：表单“no-such-form”不存在" },
        { elementId: "remind", message: "“提醒审核人”(remind)：服务“launch”不在平台服务目录中" },
      ]),
    );
    expect(answer.body.fields.xml).toContain("表单“no-such-form”不存在");
  });

  it("refuses XML that is not namespace-well-formed, naming the line", async () => {
    const answer = await deploy({ xml: DEMO.replace(/ xmlns:dc="[^"]+"/, ""), reason: "缺命名空间" }, { cookie: admin });
    expect(answer.status).toBe(422);
    expect(answer.body.problems[0]).toEqual({ message: expect.stringContaining("命名空间前缀“dc”未声明") });
  });

  it("refuses a missing reason, wrong types, NUL and a body too large", async () => {
    expect(await deploy({ xml: renamed("无原因") }, { cookie: admin })).toMatchObject({
      status: 422,
      body: { fields: { reason: expect.any(String) } },
    });
    expect(await deploy({ xml: renamed("空原因"), reason: "   " }, { cookie: admin })).toMatchObject({
      status: 422,
      body: { fields: { reason: "请填写发布原因" } },
    });
    expect(await deploy({ xml: 42, reason: "类型" }, { cookie: admin })).toMatchObject({
      status: 422,
      body: { fields: { xml: expect.any(String) } },
    });
    expect(await deploy([DEMO], { cookie: admin })).toMatchObject({ status: 422 });
    expect((await deploy({ xml: renamed("名\u0000称"), reason: "NUL" }, { cookie: admin })).status).toBe(422);
    expect((await deploy("{not json", { cookie: admin })).status).toBe(422);
    // Over the edge's JSON limit: refused before it is read.
    const huge = await deploy({ xml: DEMO + `<!--${"x".repeat(1_100_000)}-->`, reason: "巨大" }, { cookie: admin });
    expect(huge.status).toBe(413);
    // Under the edge's limit but over the diagram's.
    const long = await deploy({ xml: DEMO + `<!--${"x".repeat(600_000)}-->`, reason: "过长" }, { cookie: admin });
    expect(long).toMatchObject({ status: 422, body: { fields: { xml: "流程图不能超过 500000 个字符" } } });
  });
});

describe("a version's diagram downloaded from /admin/processes/{key}/versions/{n}/bpmn", () => {
  it("parses with a strict namespace-aware parser and passes bpmnlint's recommended rules and the platform's, as downloaded", async () => {
    const forms = readdirSync("forms")
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""));
    const { Linter } = createRequire(import.meta.url)("bpmnlint");
    // A diagram written by hand without its flow nodes' <incoming>/<outgoing> deploys as it was sent…
    const bare = renamed("手写的审核").replace(/\s*<bpmn:(incoming|outgoing)>[^<]*<\/bpmn:\1>/g, "");
    expect(bare).not.toContain("<bpmn:incoming>");
    const handWritten = await deploy({ xml: bare, reason: "手写文件" }, { cookie: admin });
    expect(handWritten).toMatchObject({ status: 201, body: { key: "demo-approval" } });
    // …and is downloaded with them written in.
    for (const [key, version] of [
      ["claim", 1],
      ["demo-approval", 1],
      ["demo-approval", 2],
      ["demo-approval", handWritten.body.version as number],
    ] as const) {
      const response = await fetch(`${url()}/admin/processes/${key}/versions/${version}/bpmn`, { headers: { Cookie: admin } });
      expect(response.status).toBe(200);
      const xml = await response.text();
      expect(xmlProblem(xml), `${key} v${version}`).toBeNull();
      const { rootElement } = await new BpmnModdle({ camunda: camundaModdle }).fromXML(xml, "bpmn:Definitions");
      const reports = (await new Linter(lintConfig({ forms, services: [] }, { recommended: true })).lint(rootElement)) as Record<
        string,
        { id: string; message: string; category: string }[]
      >;
      // Services are registered by the business modules, which this test process has not loaded.
      const errors = Object.entries(reports).flatMap(([rule, list]) =>
        list.filter((r) => r.category === "error" && rule !== "idi/service-task").map((r) => `${rule} ${r.id}: ${r.message}`),
      );
      expect(errors, `${key} v${version}`).toEqual([]);
    }
  });
});
