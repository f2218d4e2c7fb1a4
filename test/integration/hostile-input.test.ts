import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { signInOverHttp, usePlatform } from "../support/platform";

// What a careless client or an attacker sends: NUL characters that PostgreSQL cannot store, broken
// encodings, bodies without end, wrong types. Each gets a clear Chinese 4xx and changes nothing.

const { url } = usePlatform();
let insurer: string;
let admin: string;

beforeAll(async () => {
  insurer = await signInOverHttp(url(), "insurer");
  admin = await signInOverHttp(url(), "admin");
});

async function call(path: string, options: { method?: string; body?: unknown; cookie?: string; accept?: string } = {}) {
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.cookie) Object.assign(headers, { Cookie: options.cookie, Origin: url() });
  const response = await fetch(url() + path, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    redirect: "manual",
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: Record<string, unknown> | string = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a page
  }
  return { status: response.status, body: body as { message?: string; fields?: Record<string, string> } & Record<string, unknown> };
}

async function startDemo(cookie: string) {
  const started = await call("/api/v1/processes/demo-approval/instances", { cookie, body: { title: "边界输入测试" } });
  expect(started.status).toBe(200);
  return started.body as { id: string; openTasks: { id: string }[] };
}

/** Sends `total` bytes as a chunked body (no Content-Length); resolves with the status and how much was sent. */
function sendChunked(path: string, total: number, headers: Record<string, string> = {}): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url() + path);
    const request = http.request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: "POST",
      headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked", ...headers },
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    let answered = false;
    request.on("response", (response) => {
      answered = true;
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode!, sent }));
    });
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    request.write('{"username":"');
    pump();
  });
}

describe("NUL characters", () => {
  it("in a login name: 422 naming the field, not a server error", async () => {
    const answer = await call("/api/v1/session", { body: { username: "insurer\u0000", password: "x" } });
    expect(answer.status).toBe(422);
    expect(answer.body.fields).toHaveProperty("username");
    expect(answer.body.message).toContain("控制字符");
  });

  it("in a query string of the inbox, projects, admin lists and API lists: 422", async () => {
    for (const path of ["/api/v1/tasks?q=%00", "/api/v1/projects?q=a%00b", "/api/v1/projects?district=%00"]) {
      expect((await call(path, { cookie: insurer })).status, path).toBe(422);
    }
    for (const path of ["/inbox?q=%00", "/projects?district=%00", "/admin/audit?q=%00", "/admin/users?q=%00"]) {
      const page = await call(path, { cookie: admin, accept: "text/html" });
      expect(page.status, path).toBe(422);
      expect(String(page.body)).toContain("控制字符");
    }
  });

  it("in a submission, a comment or a title: 422 and the task stays open", async () => {
    const instance = await startDemo(insurer);
    const task = instance.openTasks[0].id;
    const submission = await call(`/api/v1/tasks/${task}/complete`, {
      cookie: insurer,
      body: { submission: { subject: "采购\u0000设备", amount: 10 } },
    });
    expect(submission.status).toBe(422);
    expect(submission.body.fields).toHaveProperty(["submission.subject"]);
    const comment = await call(`/api/v1/tasks/${task}/complete`, {
      cookie: insurer,
      body: { submission: { subject: "采购设备", amount: 10 }, comment: "\u0000" },
    });
    expect(comment.status).toBe(422);
    const title = await call("/api/v1/processes/demo-approval/instances", { cookie: insurer, body: { title: "a\u0000" } });
    expect(title.status).toBe(422);
    const variables = await call("/api/v1/processes/demo-approval/instances", {
      cookie: insurer,
      body: { title: "变量", variables: { "k\u0000": 1 } },
    });
    expect(variables.status).toBe(422);
    expect((await call(`/api/v1/tasks/${task}`, { cookie: insurer })).body).toMatchObject({ status: "open" });
  });

  it("in a session cookie or a path: no server error", async () => {
    expect((await call("/api/v1/tasks", { cookie: "idi_session=%00" })).status).toBe(401);
    expect((await call("/projects/%00", { cookie: insurer })).status).toBe(422);
    expect((await call("/projects/%E0%A4%A", { cookie: insurer })).status).toBe(422);
  });
});

describe("the same text behind other doors", () => {
  it("NUL in JSON declared as text/plain, lone surrogates, and nesting no form has: 422", async () => {
    const plain = await fetch(`${url()}/api/v1/session`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ username: "ad\u0000min", password: "x" }),
    });
    expect(plain.status).toBe(422);
    const surrogate = await call("/api/v1/processes/demo-approval/instances", { cookie: insurer, body: '{"title":"\\udfff\\ud800"}' });
    expect(surrogate.status).toBe(422);
    const deep = await call("/api/v1/processes/demo-approval/instances", {
      cookie: insurer,
      body: `{"title":"深","variables":{"a":${"[".repeat(5000)}${"]".repeat(5000)}}}`,
    });
    expect(deep).toMatchObject({ status: 422, body: { message: "提交的数据嵌套层次过深" } });
  });

  it("bytes that are not UTF-8, raw or escaped, are refused (422), never stored as U+FFFD", async () => {
    const post = (body: Buffer | string, type = "application/json", path = "/api/v1/processes/demo-approval/instances") =>
      fetch(url() + path, {
        method: "POST",
        headers: { "Content-Type": type, Cookie: insurer, Origin: url() },
        body: typeof body === "string" ? body : new Uint8Array(body),
      });
    for (const bytes of [[0xed, 0xa0, 0x80], [0xff]]) {
      const raw = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from(bytes), Buffer.from('b"}')]);
      const response = await post(raw);
      expect(response.status, bytes.join(" ")).toBe(422);
      expect((await response.json()).message).toBe("内容含有不允许的字符（NUL 控制字符或残缺的 Unicode 编码）");
    }
    // A form's escapes likewise; a stray "%" is what someone typed.
    expect((await post("username=a%FFb&password=x", "application/x-www-form-urlencoded", "/login")).status).toBe(422);
    expect((await post("username=100%&password=x", "application/x-www-form-urlencoded", "/login")).status).not.toBe(422);
    for (const query of ["x=%ED%A0%80", "x=%FF", "%FF=1"]) {
      const response = await call(`/owner?${query}`);
      expect(response, query).toMatchObject({ status: 422, body: { message: "请求地址的编码不正确" } });
    }
    expect((await call("/owner?x=100%")).status).toBe(200);
  });

  it("a page's form gets the refusal as its own answer (shown on the form), also for multipart and unreadable bodies", async () => {
    const instance = await startDemo(insurer);
    const page = `/tasks/${instance.openTasks[0].id}?_data=routes%2F_app.tasks.%24id`;
    const json = await fetch(url() + page, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: insurer, Origin: url() },
      body: JSON.stringify({ intent: "comment", body: "a\u0000b" }),
    });
    expect(json.status).toBe(422);
    expect(json.headers.get("X-Remix-Response")).toBe("yes");
    const form = new FormData();
    form.append("intent", "comment");
    form.append("body", "a\u0000b");
    const multipart = await fetch(url() + page, { method: "POST", headers: { Cookie: insurer, Origin: url() }, body: form });
    expect(multipart.status).toBe(422);
    for (const [type, body] of [
      ["text/plain", "x"],
      ["multipart/form-data", "garbage"],
    ]) {
      const odd = await fetch(url() + page, { method: "POST", headers: { "Content-Type": type, Cookie: insurer, Origin: url() }, body });
      expect(odd.status, type).toBe(422);
    }
  });

  it("a broken cookie of another application, an API route's wrong method, an endless login name: no server error", async () => {
    const me = await call("/api/v1/session", { cookie: `foo=%E0%A4%A; ${insurer}` });
    expect(me.status).toBe(200);
    const wrong = await call("/api/v1/tasks", { method: "POST", cookie: insurer, body: {} });
    expect(wrong).toMatchObject({ status: 405, body: { message: "不支持该请求方法" } });
    const long = await call("/api/v1/session", { body: { username: "长".repeat(20_000), password: "x" } });
    expect(long.status).toBe(401);
  });
});

describe("办理意见 is checked once, for the task page and the API alike", () => {
  it.each([
    ["an object", { a: [1] }, "办理意见应为文字"],
    ["a number", 42, "办理意见应为文字"],
    ["5000 characters", "长".repeat(5000), "办理意见不能超过2000个字"],
  ])("%s: the same 422 naming the comment on both doors, and the task stays open", async (_what, comment, message) => {
    const instance = await startDemo(insurer);
    const task = instance.openTasks[0].id;
    const submission = { subject: "采购设备", amount: 10 };
    const page = await fetch(`${url()}/tasks/${task}?_data=routes%2F_app.tasks.%24id`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: insurer, Origin: url() },
      body: JSON.stringify({ intent: "complete", submission, comment }),
    });
    expect(page.status).toBe(422);
    expect(((await page.json()) as { fields?: Record<string, string> }).fields).toEqual({ comment: message });
    const api = await call(`/api/v1/tasks/${task}/complete`, { cookie: insurer, body: { submission, comment } });
    expect(api).toMatchObject({ status: 422, body: { fields: { comment: message } } });
    expect((await call(`/api/v1/tasks/${task}`, { cookie: insurer })).body).toMatchObject({ status: "open" });
  });
});

describe("bodies are limited while they are read", () => {
  it("a made-up session cookie does not buy the upload limit: the upload is refused as not signed in, unread", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(2 * 1024 * 1024)]), "大文件.pdf");
    const response = await fetch(`${url()}/attachments`, {
      method: "POST",
      headers: { Cookie: "idi_session=abcdefghijklmnopqrstuvwxyz", Origin: url() },
      body: form,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("Connection")).toBe("close");
  });

  it("a 300 MB chunked body to the sign-in (no session needed) is refused with 413 after a little", async () => {
    const { status, sent } = await sendChunked("/api/v1/session", 300 * 1024 * 1024);
    expect(status).toBe(413);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it("a 50 MB chunked submission of a signed-in user is refused with 413 and nothing is stored", async () => {
    const instance = await startDemo(insurer);
    const task = instance.openTasks[0].id;
    const { status, sent } = await sendChunked(`/api/v1/tasks/${task}/complete`, 50 * 1024 * 1024, { Cookie: insurer, Origin: url() });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(30 * 1024 * 1024);
    expect((await call(`/api/v1/tasks/${task}`, { cookie: insurer })).body).toMatchObject({ status: "open" });
  });
});

describe("every message Chinese", () => {
  it("zod's own messages in fields are Chinese", async () => {
    const long = await call("/api/v1/processes/demo-approval/instances", { cookie: insurer, body: { title: "长".repeat(300) } });
    expect(long.status).toBe(422);
    expect(long.body.fields!.title).toBe("不能超过200个字");
    const instance = await startDemo(insurer);
    const wrong = await call(`/api/v1/tasks/${instance.openTasks[0].id}/complete`, { cookie: insurer, body: { submission: "x" } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.fields!.submission).toBe("应为对象");
    for (const message of [...Object.values(long.body.fields!), ...Object.values(wrong.body.fields!)]) {
      expect(message).not.toMatch(/[A-Za-z]{3,}/);
    }
  });
});
