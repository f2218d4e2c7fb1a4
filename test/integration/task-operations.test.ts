import { beforeAll, describe, expect, it } from "vitest";
import { apiOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// The task operations of the REST API (转办…), over HTTP against the built platform, as an
// insurer's staff or an integration with their session would call them. Every answer is checked
// against the OpenAPI document (usePlatform).

const { url } = usePlatform();

async function post(path: string, cookie: string, body: unknown, raw = false) {
  const payload = body === undefined ? undefined : raw ? (body as string) : JSON.stringify(body);
  const response = await fetch(url() + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie, Origin: url() },
    body: payload,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

let insurer: string;
let colleague: string;
let userIds: Record<string, string>;

/** A colleague of PICC's insurer, made on the administrators' page. */
async function addColleague(username: string, organisationId: string): Promise<string> {
  const admin = await signInOverHttp(url(), "admin");
  const made = await post(`/admin/users/new?_data=${encodeURIComponent("routes/_app.admin.users.new")}`, admin, {
    username,
    password: "Safe2026pass",
    displayName: "人保赵专员",
    organisationId,
    roles: ["insurer"],
  });
  if (made.status !== 200 && made.status !== 204) throw new Error(`creating ${username}: ${made.status} ${JSON.stringify(made.body)}`);
  return signInOverHttp(url(), username, "Safe2026pass");
}

async function demoTask(title: string): Promise<string> {
  const started = await apiOverHttp<{ openTasks: { id: string }[] }>(url(), insurer, "POST", "/api/v1/processes/demo-approval/instances", {
    title,
  });
  return started.openTasks[0].id;
}

beforeAll(async () => {
  insurer = await signInOverHttp(url(), "insurer");
  const session = await apiOverHttp<{ organisationId: string }>(url(), insurer, "GET", "/api/v1/session");
  colleague = await addColleague("picc.api.zhao", session.organisationId);
  const admin = await signInOverHttp(url(), "admin");
  const users = await apiOverHttp<{ rows: { id: string; username: string }[] }>(
    url(),
    admin,
    "GET",
    `/admin/users?pageSize=100&_data=${encodeURIComponent("routes/_app.admin.users._index")}`,
  );
  userIds = Object.fromEntries(users.rows.map((u) => [u.username, u.id]));
});

describe("POST /api/v1/tasks/{id}/transfer (转办)", () => {
  it("lists the colleagues the task may go to, hands it over, and the colleague now does it", async () => {
    const taskId = await demoTask("接口 转办");
    const detail = await apiOverHttp<{ transferTo: { id: string; username: string }[]; canComplete: boolean }>(
      url(),
      insurer,
      "GET",
      `/api/v1/tasks/${taskId}`,
    );
    const to = detail.transferTo.find((c) => c.username === "picc.api.zhao")!;
    expect(to.id).toBe(userIds["picc.api.zhao"]);
    const answer = await post(`/api/v1/tasks/${taskId}/transfer`, insurer, { to: to.id, reason: "请赵专员办理" });
    expect(answer).toMatchObject({ status: 200, body: { ok: true, to: { id: to.id, name: "人保赵专员" }, notified: 1 } });
    expect(await apiOverHttp(url(), colleague, "GET", `/api/v1/tasks/${taskId}`)).toMatchObject({ canComplete: true });
    expect(await apiOverHttp(url(), insurer, "GET", `/api/v1/tasks/${taskId}`)).toMatchObject({ canComplete: false, transferTo: [] });
    // The same request again: the task is no longer the sender's to hand on.
    expect(await post(`/api/v1/tasks/${taskId}/transfer`, insurer, { to: to.id })).toMatchObject({
      status: 409,
      body: { message: "该任务已由他人认领，不能转办" },
    });
  });

  it("refuses bad input with 422 on its field, in Chinese", async () => {
    const taskId = await demoTask("接口 转办 输入");
    expect(await post(`/api/v1/tasks/${taskId}/transfer`, insurer, { to: userIds["insurer-cpic"] })).toMatchObject({
      status: 422,
      body: { fields: { to: "只能转办给本单位的同事" } },
    });
    expect(await post(`/api/v1/tasks/${taskId}/transfer`, insurer, { to: 7 })).toMatchObject({
      status: 422,
      body: { fields: { to: expect.any(String) } },
    });
    expect(await post(`/api/v1/tasks/${taskId}/transfer`, insurer, {})).toMatchObject({ status: 422 });
    expect(await post(`/api/v1/tasks/${taskId}/transfer`, insurer, { to: "x", reason: "长".repeat(501) })).toMatchObject({
      status: 422,
      body: { fields: { reason: "转办说明不能超过500个字" } },
    });
    expect(await post(`/api/v1/tasks/${taskId}/transfer`, insurer, '{"to":"a\\u0000b"}', true)).toMatchObject({ status: 422 });
    expect(await post(`/api/v1/tasks/${taskId}/transfer`, insurer, "{not json", true)).toMatchObject({ status: 422 });
  });

  it("answers 403 to one who sees the task but may not do it, 404 to one who does not see it", async () => {
    const taskId = await demoTask("接口 转办 无权");
    const regulator = await signInOverHttp(url(), "regulator");
    const cpic = await signInOverHttp(url(), "insurer-cpic");
    expect(await post(`/api/v1/tasks/${taskId}/transfer`, regulator, { to: "anyone" })).toMatchObject({ status: 403 });
    expect(await post(`/api/v1/tasks/${taskId}/transfer`, cpic, { to: "anyone" })).toMatchObject({ status: 404 });
    expect(await post(`/api/v1/tasks/00000000-0000-4000-8000-000000000000/transfer`, insurer, { to: "anyone" })).toMatchObject({
      status: 404,
    });
  });
});

describe("POST /api/v1/tasks/{id}/recall (撤回 of a completed step)", () => {
  it("takes back the caller's own step while the next is untouched, and says why not otherwise", async () => {
    const taskId = await demoTask("接口 撤回");
    await apiOverHttp(url(), insurer, "POST", `/api/v1/tasks/${taskId}/complete`, { submission: { subject: "接口 撤回", amount: 3 } });
    expect(await apiOverHttp(url(), insurer, "GET", `/api/v1/tasks/${taskId}`)).toMatchObject({ recall: { refusal: null } });
    const regulator = await signInOverHttp(url(), "regulator");
    expect(await post(`/api/v1/tasks/${taskId}/recall`, regulator, undefined)).toMatchObject({
      status: 403,
      body: { message: "只有办理人本人可以撤回" },
    });
    const cpic = await signInOverHttp(url(), "insurer-cpic");
    expect(await post(`/api/v1/tasks/${taskId}/recall`, cpic, undefined)).toMatchObject({ status: 404 });

    const answer = await post(`/api/v1/tasks/${taskId}/recall`, insurer, undefined);
    expect(answer).toMatchObject({ status: 200, body: { id: taskId, status: "open" } });
    expect(await apiOverHttp(url(), insurer, "GET", `/api/v1/tasks/${taskId}`)).toMatchObject({
      canComplete: true,
      recall: null,
      submission: { subject: "接口 撤回", amount: 3 },
    });
    expect(await post(`/api/v1/tasks/${taskId}/recall`, insurer, undefined)).toMatchObject({
      status: 409,
      body: { message: "该任务尚未办理，无需撤回" },
    });
  });

  it("refuses once the next step is claimed (409, in Chinese)", async () => {
    const taskId = await demoTask("接口 撤回 已认领");
    await apiOverHttp(url(), insurer, "POST", `/api/v1/tasks/${taskId}/complete`, { submission: { subject: "接口", amount: 3 } });
    const regulator = await signInOverHttp(url(), "regulator");
    const open = await apiOverHttp<{ rows: { id: string; title: string }[] }>(url(), regulator, "GET", "/api/v1/tasks?q=接口 撤回 已认领");
    await apiOverHttp(url(), regulator, "POST", `/api/v1/tasks/${open.rows[0].id}/claim`);
    expect(await post(`/api/v1/tasks/${taskId}/recall`, insurer, undefined)).toMatchObject({
      status: 409,
      body: { message: "下一步“住建局审核”已被认领，不能撤回" },
    });
  });
});

describe("POST /api/v1/tasks/{id}/copy (抄送)", () => {
  it("copies the flow to the bureau from the list the task offers, once; refuses an organisation that is no party", async () => {
    const taskId = await demoTask("接口 抄送");
    const detail = await apiOverHttp<{ copyTo: { id: string; name: string }[] }>(url(), insurer, "GET", `/api/v1/tasks/${taskId}`);
    expect(detail.copyTo.map((o) => o.name)).toEqual(["昆明市住房和城乡建设局"]);
    const bureau = detail.copyTo[0];
    expect(await post(`/api/v1/tasks/${taskId}/copy`, insurer, { organisationId: bureau.id, note: "请知悉" })).toMatchObject({
      status: 200,
      body: { ok: true, to: { id: bureau.id, name: "昆明市住房和城乡建设局" } },
    });
    expect(await post(`/api/v1/tasks/${taskId}/copy`, insurer, { organisationId: bureau.id })).toMatchObject({
      status: 422,
      body: { fields: { organisationId: "本流程已抄送给昆明市住房和城乡建设局" } },
    });
    const admin = await signInOverHttp(url(), "admin");
    const organisations = await apiOverHttp<{ rows: { id: string; name: string }[] }>(
      url(),
      admin,
      "GET",
      `/admin/organisations?pageSize=100&_data=${encodeURIComponent("routes/_app.admin.organisations._index")}`,
    );
    const cpic = organisations.rows.find((o) => o.name.startsWith("中国太平洋"))!;
    expect(await post(`/api/v1/tasks/${taskId}/copy`, insurer, { organisationId: cpic.id })).toMatchObject({
      status: 422,
      body: { fields: { organisationId: "只能抄送给本流程的参与单位或住建局" } },
    });
    expect(await post(`/api/v1/tasks/${taskId}/copy`, insurer, { organisationId: ["x"] })).toMatchObject({ status: 422 });
    const cpicUser = await signInOverHttp(url(), "insurer-cpic");
    expect(await post(`/api/v1/tasks/${taskId}/copy`, cpicUser, { organisationId: bureau.id })).toMatchObject({ status: 404 });
  });
});

describe("POST /api/v1/tasks/{id}/signs and …/signs/{signId}/answer (加签)", () => {
  it("前加签: the bureau is asked, finds it in its 待办, answers once; the holder submits only after", async () => {
    const taskId = await demoTask("接口 前加签");
    const detail = await apiOverHttp<{ signTo: { id: string; name: string }[] }>(url(), insurer, "GET", `/api/v1/tasks/${taskId}`);
    const bureau = detail.signTo.find((t) => t.id.startsWith("organisation:"))!;
    expect(bureau).toBeDefined();
    expect(await post(`/api/v1/tasks/${taskId}/signs`, insurer, { kind: "before", to: "user:x" })).toMatchObject({
      status: 422,
      body: { fields: { to: "只能加签给本单位的同事、本流程的参与单位或住建局" } },
    });
    expect(await post(`/api/v1/tasks/${taskId}/signs`, insurer, { kind: "sideways", to: bureau.id })).toMatchObject({ status: 422 });
    expect(await post(`/api/v1/tasks/${taskId}/signs`, insurer, '{"kind":"before","to":"a\\u0000b"}', true)).toMatchObject({ status: 422 });
    expect(
      await post(`/api/v1/tasks/${taskId}/signs`, insurer, { kind: "before", to: bureau.id, note: "长".repeat(100_000) }),
    ).toMatchObject({
      status: 422,
    });
    const asked = await post(`/api/v1/tasks/${taskId}/signs`, insurer, { kind: "before", to: bureau.id, note: "请确认" });
    expect(asked).toMatchObject({ status: 200, body: { ok: true, to: { id: bureau.id, name: bureau.name } } });
    const signId = asked.body.id as string;

    const regulator = await signInOverHttp(url(), "regulator");
    const todo = await apiOverHttp<{ rows: { kind: string; id: string; taskId: string }[] }>(
      url(),
      regulator,
      "GET",
      "/api/v1/tasks?q=接口 前加签",
    );
    expect(todo.rows).toEqual([expect.objectContaining({ kind: "sign", id: signId, taskId })]);

    const submission = { submission: { subject: "接口申请", amount: 10 } };
    expect(await post(`/api/v1/tasks/${taskId}/complete`, insurer, submission)).toMatchObject({
      status: 409,
      body: { message: "该任务有未完成的加签" },
    });
    const answer = `/api/v1/tasks/${taskId}/signs/${signId}/answer`;
    expect(await post(answer, insurer, { decision: "approve" })).toMatchObject({ status: 403 });
    expect(await post(answer, await signInOverHttp(url(), "insurer-cpic"), { decision: "approve" })).toMatchObject({ status: 404 });
    expect(await post(answer, regulator, { decision: "return" })).toMatchObject({
      status: 422,
      body: { fields: { opinion: "退回时请填写加签意见" } },
    });
    expect(await post(answer, regulator, { decision: 1 })).toMatchObject({ status: 422 });
    expect(await post(answer, regulator, { decision: "approve", opinion: "可以" })).toMatchObject({
      status: 200,
      body: { ok: true, decision: "approve" },
    });
    expect(await post(answer, regulator, { decision: "approve" })).toMatchObject({
      status: 409,
      body: { message: "该加签已答复，无需重复提交" },
    });
    expect(await post(`/api/v1/tasks/${taskId}/complete`, insurer, submission)).toMatchObject({ status: 200 });
  });

  it("后加签: the submission is kept, the signer's approval completes the task", async () => {
    const taskId = await demoTask("接口 后加签");
    const detail = await apiOverHttp<{ signTo: { id: string }[] }>(url(), insurer, "GET", `/api/v1/tasks/${taskId}`);
    const bureau = detail.signTo.find((t) => t.id.startsWith("organisation:"))!;
    const asked = await post(`/api/v1/tasks/${taskId}/signs`, insurer, {
      kind: "after",
      to: bureau.id,
      submission: { subject: "接口后加签", amount: 20 },
    });
    expect(asked.status).toBe(200);
    const held = await apiOverHttp<{ status: string; signHold: string | null }>(url(), insurer, "GET", `/api/v1/tasks/${taskId}`);
    expect(held).toMatchObject({ status: "open", signHold: expect.stringContaining("等待") });
    const regulator = await signInOverHttp(url(), "regulator");
    expect(await post(`/api/v1/tasks/${taskId}/signs/${asked.body.id}/answer`, regulator, { decision: "approve" })).toMatchObject({
      status: 200,
    });
    const done = await apiOverHttp<{ status: string; submission: unknown }>(url(), insurer, "GET", `/api/v1/tasks/${taskId}`);
    expect(done).toMatchObject({ status: "completed", submission: { subject: "接口后加签", amount: 20 } });
  });
});
