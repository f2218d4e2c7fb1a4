import { beforeAll, describe, expect, it } from "vitest";
import { policy, registration } from "../support/insurance";
import { makeApiKeyOverHttp, signInOverHttp, usePlatform } from "../support/platform";
import { goodUnitRows, unitsWorkbook } from "../support/units";
import { demoCreditCode } from "../support/workflow";
import { zipBomb } from "../support/zip";

// 房屋清单 over HTTP: a developer's system imports through the API with its key, the 房屋 tab's
// upload route takes the same file with a session, and the refusals come back as Chinese JSON.

const { url } = usePlatform();
const who: Record<string, string> = {};
let insurerKey: string;
let developerKey: string;
let projectId: string;

/** `as`: a session cookie (idi_session=…), or an API key. */
function credentials(as: string): Record<string, string> {
  return as.startsWith("idi_session=") ? { Cookie: as, Origin: url() } : { Authorization: `Bearer ${as}` };
}

async function call(path: string, as: string, init: { method?: string; body?: BodyInit; json?: unknown } = {}) {
  const headers = credentials(as);
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url() + path, {
    method: init.method ?? "GET",
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function xlsxForm(bytes: Uint8Array, name = "房屋清单.xlsx"): FormData {
  const form = new FormData();
  form.append(
    "file",
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
    name,
  );
  return form;
}

const upload = (path: string, as: string, bytes: Uint8Array) => call(path, as, { method: "POST", body: xlsxForm(bytes) });
const homes = (as: string, query = "") => call(`/api/v1/projects/${projectId}/units${query}`, as);

beforeAll(async () => {
  for (const username of ["regulator", "developer", "contractor", "insurer"]) who[username] = await signInOverHttp(url(), username);
  insurerKey = await makeApiKeyOverHttp(url(), "中国人民财产保险股份有限公司昆明市分公司", ["insurer"]);
  developerKey = await makeApiKeyOverHttp(url(), "昆明滇池湾置业有限公司", ["developer"]);
  const started = await call("/api/v1/processes/insurance-review/instances", insurerKey, {
    method: "POST",
    json: { title: "房屋接口项目" },
  });
  expect(started.status).toBe(200);
  const steps: [string, unknown][] = [
    [insurerKey, registration({ permitNo: "KM-UNITS-API-1", name: "房屋接口花园", communityName: "房屋接口花园" })],
    [
      insurerKey,
      policy({ policyNo: "POL-UNITS-API-1", leadShare: 100, coinsurers: [], reinsurers: [], tisCreditCode: demoCreditCode("tis-yjk") }),
    ],
    [who.regulator, { decision: "confirm" }],
  ];
  for (const [as, submission] of steps) {
    const task = (await call(`/api/v1/instances/${started.body.id}`, as)).body.openTasks[0].id;
    expect((await call(`/api/v1/tasks/${task}/complete`, as, { method: "POST", json: { submission } })).status).toBe(200);
  }
  projectId = started.body.businessKey;
}, 60_000);

describe("the homes API", () => {
  it("the developer's system imports a list with its key; the insurer reads it masked, the regulator in full", async () => {
    const imported = await upload(`/api/v1/projects/${projectId}/units`, developerKey, await unitsWorkbook(goodUnitRows(30)));
    expect(imported).toEqual({ status: 200, body: { added: 30, updated: 0, rows: 30 } });
    const masked = await homes(insurerKey, "?building=1&pageSize=5");
    expect(masked.status).toBe(200);
    expect(masked.body.rows[0]).toMatchObject({ label: "1栋1单元101", ownerName: "业**", ownerPhone: "138****0000" });
    expect(masked.body.total).toBe(30);
    // A name the insurer cannot read is no search term either.
    expect((await homes(insurerKey, "?q=" + encodeURIComponent("业主1"))).body.total).toBe(0);
    expect((await homes(who.regulator, "?q=" + encodeURIComponent("业主1"))).body.total).toBe(11);
    const full = await homes(who.regulator, "?building=1&pageSize=1");
    expect(full.body.rows[0]).toMatchObject({ ownerName: "业主1", ownerPhone: "13800000000" });
    expect(full.body.buildings).toEqual(["1"]);
  });

  it("a file with bad rows answers 422 with every row's message, and imports nothing", async () => {
    const rows = goodUnitRows(3);
    rows[1][5] = "123";
    rows[2][0] = "";
    const refused = await upload(`/api/v1/projects/${projectId}/units`, developerKey, await unitsWorkbook(rows));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      error: "validation_failed",
      fields: { file: "2 行有误，未导入任何房屋。请修改后重新上传" },
      rows: ["第3行：业主电话“123”不是有效的手机号", "第4行：楼栋不能为空"],
    });
    expect((await homes(who.regulator)).body.total).toBe(30);
  });

  it("a zip bomb answers 422 on the file, and nothing is imported", async () => {
    const refused = await upload(`/api/v1/projects/${projectId}/units`, developerKey, zipBomb(40));
    expect(refused).toMatchObject({ status: 422, body: { fields: { file: "文件解压后过大（单项超过 8MB），请只保留房屋清单后上传" } } });
    expect((await homes(who.regulator)).body.total).toBe(30);
  });

  it("the contractor of the project may read the list but not import (403); an unknown project is 404", async () => {
    const refused = await upload(`/api/v1/projects/${projectId}/units`, who.contractor, await unitsWorkbook(goodUnitRows(1)));
    expect(refused).toMatchObject({
      status: 403,
      body: { message: "只有项目的建设单位、物业服务企业、主承保保险公司或平台管理员可以导入房屋清单" },
    });
    expect((await homes(who.contractor)).status).toBe(200);
    const missing = await upload("/api/v1/projects/00000000-0000-4000-8000-000000000000/units", developerKey, await unitsWorkbook([]));
    expect(missing).toMatchObject({ status: 404, body: { message: "项目不存在，或不在您的查看范围内" } });
  });
});

describe("the 房屋 tab's upload and template", () => {
  it("the developer's session uploads a correction: the owner's phone is updated", async () => {
    const rows = goodUnitRows(1);
    rows[0][5] = "13999998888";
    const answer = await upload(`/projects/${projectId}/units`, who.developer, await unitsWorkbook(rows));
    expect(answer).toEqual({ status: 200, body: { ok: true, added: 0, updated: 1, rows: 1 } });
    expect((await homes(who.regulator, "?q=101&building=1&pageSize=1")).body.rows[0].ownerPhone).toBe("13999998888");
  });

  it("a body over 5 MB is refused on the file field before it is parsed", async () => {
    const answer = await upload(`/projects/${projectId}/units`, who.developer, new Uint8Array(5.5 * 1024 * 1024));
    expect(answer).toMatchObject({ status: 422, body: { ok: false, fields: { file: "文件超过 5MB 的上限" } } });
  });

  it("downloads the template as an .xlsx under its Chinese name", async () => {
    const response = await fetch(`${url()}/units-template.xlsx`, { headers: { Cookie: who.developer } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(response.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("房屋清单导入模板.xlsx")}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe("PK");
  });
});
