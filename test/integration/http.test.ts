import { get as httpGet, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { signInOverHttp, usePlatform } from "../support/platform";

// A short request deadline, so that a request trickling in is cut within the test.
const { url } = usePlatform({ env: { REQUEST_TIMEOUT_MS: "1500" } });
const DATA_NEW_USER = "_data=routes%2F_app.admin.users.new";

function get(path: string, cookie?: string) {
  return fetch(url() + path, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}

describe("the platform over HTTP", () => {
  it("answers the health check with the database state", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: { status: "up" } });
  });

  it("sends a visitor who is not signed in to the login page", async () => {
    const response = await get("/stats");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fstats");
    const login = await get("/login");
    expect(await login.text()).toContain("请使用平台分配的账号登录");
  });

  it("sets the session cookie httpOnly, SameSite=Lax and Secure (production)", async () => {
    const response = await fetch(`${url()}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Origin: url() },
      body: JSON.stringify({ username: "tis", password: "kunming2026" }),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/inbox");
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("idi_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
  });

  it("returns a signed-in user to the page they first asked for", async () => {
    const response = await fetch(`${url()}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Origin: url() },
      body: JSON.stringify({ username: "insurer", password: "kunming2026", redirectTo: "/projects" }),
    });
    expect(response.headers.get("location")).toBe("/projects");
    const offsite = await fetch(`${url()}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Origin: url() },
      body: JSON.stringify({ username: "insurer", password: "kunming2026", redirectTo: "//evil.example/x" }),
    });
    expect(offsite.headers.get("location")).toBe("/inbox");
  });
});

describe("requests from another site", () => {
  it("are refused before they change anything: a sign-in from another origin sets no session", async () => {
    const response = await fetch(`${url()}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Origin: "https://evil.example" },
      body: JSON.stringify({ username: "admin", password: "kunming2026" }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain("拒绝来自其他站点的请求");
  });

  it("cannot use an admin's session to create a user, with a foreign Origin or with none", async () => {
    const cookie = await signInOverHttp(url(), "admin");
    const body = JSON.stringify({
      username: "csrf-victim",
      password: "abc12345",
      displayName: "跨站",
      organisationId: "00000000-0000-0000-0000-000000000000",
      roles: ["admin"],
    });
    const attempts: Record<string, string>[] = [{ Origin: "https://evil.example" }, {}, { Referer: "https://evil.example/page" }];
    for (const headers of attempts) {
      const response = await fetch(`${url()}/admin/users/new?${DATA_NEW_USER}`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/json", Cookie: cookie, ...headers },
        body,
      });
      expect(response.status).toBe(403);
    }
    const list = await get("/admin/users?q=csrf-victim&_data=routes%2F_app.admin.users._index", cookie);
    expect((await list.json()).total).toBe(0);
  });
});

describe("pages a role may not open", () => {
  it("answer 403 with a Chinese page inside the user's own navigation", async () => {
    const cookie = await signInOverHttp(url(), "contractor");
    for (const path of ["/admin/users", "/stats", "/claims", "/admin"]) {
      const response = await get(path, cookie);
      expect(response.status, path).toBe(403);
      const html = await response.text();
      expect(html).toContain("无权访问");
      expect(html).toContain("待办");
      expect(html).not.toContain(">统计<");
    }
  });

  it("a page that does not exist answers 404 in Chinese", async () => {
    const response = await get("/no-such-page");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("页面不存在");
  });
});

describe("administration through the web", () => {
  it("refuses bad user data with 422 and Chinese field messages, then creates a good one", async () => {
    const cookie = await signInOverHttp(url(), "admin");
    const post = (body: unknown) =>
      fetch(`${url()}/admin/users/new?${DATA_NEW_USER}`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/json", Cookie: cookie, Origin: url() },
        body: JSON.stringify(body),
      });
    const bad = await post({ username: "1x", password: "short", displayName: "", roles: [] });
    expect(bad.status).toBe(422);
    const failure = await bad.json();
    expect(failure.fields).toMatchObject({
      username: expect.stringContaining("以字母开头"),
      password: "密码至少8位",
      displayName: "请输入姓名",
      organisationId: "请选择所属单位",
      roles: "请至少选择一个角色",
    });
    const orgs = await (await get("/admin/users/new?_data=routes%2F_app.admin.users.new", cookie)).json();
    const picc = orgs.organisations.find((o: { name: string }) => o.name.startsWith("中国人民财产保险"));
    const good = await post({
      username: "picc-zhang",
      password: "Kunming2026x",
      displayName: "张三",
      organisationId: picc.id,
      roles: ["insurer"],
    });
    expect(good.status).toBe(204);
    expect(good.headers.get("x-remix-redirect")).toMatch(/^\/admin\/users\//);
    const signedIn = await signInOverHttp(url(), "picc-zhang", "Kunming2026x");
    expect((await get("/inbox", signedIn)).status).toBe(200);
  });

  it("signing out ends the session", async () => {
    const cookie = await signInOverHttp(url(), "supervisor");
    const out = await fetch(`${url()}/logout`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Origin: url() } });
    expect(out.status).toBe(302);
    // The browser is told to forget its cookie, and any copy of it (another tab, a script) is refused.
    const [blank, ...more] = out.headers.getSetCookie();
    expect(more).toEqual([]);
    expect(blank.split("; ").sort()).toEqual(["HttpOnly", "Max-Age=0", "Path=/", "SameSite=Lax", "Secure", "idi_session="]);
    expect((await get("/inbox", cookie)).status).toBe(302);
    expect((await get("/api/v1/session", cookie)).status).toBe(401);
  });
});

describe("answers where JSON is expected", () => {
  it("a page's data request for a route that is not there is a 404 in Chinese JSON, as are Remix's own refusals", async () => {
    for (const path of ["/?_data=routes%2Fnope", "/?_data=routes%2F_app.inbox"]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toMatchObject({ error: "not_found", message: "页面或数据不存在" });
    }
    const post = await fetch(`${url()}/units-template.xlsx`, { method: "POST", headers: { Origin: url() } });
    expect(post.status).toBe(405);
    expect(await post.json()).toMatchObject({ error: "method_not_allowed", message: "不支持该请求方法" });
  });

  it("a script without a session gets a JSON 401, not the login page; a browser opening a file's link still signs in", async () => {
    const id = crypto.randomUUID();
    const form = new FormData();
    form.append("file", new Blob(["%PDF-1.4\n%%EOF\n"]), "图纸.pdf");
    const calls: [string, RequestInit][] = [
      ["/attachments", { method: "POST", body: form }],
      [`/attachments/${id}`, {}],
      [`/tasks/${id}/draft`, { method: "POST", body: JSON.stringify({ values: {} }), headers: { "Content-Type": "application/json" } }],
      [`/projects/${id}/units`, { method: "POST", body: form }],
    ];
    for (const [path, init] of calls) {
      const response = await fetch(url() + path, { redirect: "manual", ...init, headers: { Origin: url(), ...init.headers } });
      expect(response.status, path).toBe(401);
      expect((await response.json()).message, path).toMatch(/^未登录/);
    }
    // As a browser opens a link (fetch may not send Sec-Fetch-Mode itself).
    const opened = await new Promise<IncomingMessage>((resolve, reject) =>
      httpGet(`${url()}/attachments/${id}`, { headers: { "Sec-Fetch-Mode": "navigate", Accept: "text/html" } }, resolve).on(
        "error",
        reject,
      ),
    );
    opened.resume();
    expect(opened.statusCode).toBe(302);
    expect(opened.headers.location).toBe(`/login?redirectTo=${encodeURIComponent(`/attachments/${id}`)}`);
  });
});

/**
 * Sends `head` on a raw connection, then `drip` every 200 ms, until the server closes it (or 10 s
 * pass): what came back, and when the connection closed.
 */
function trickle(head: string, drip: string): Promise<{ answer: string; seconds: number }> {
  const socket = connect(Number(new URL(url()).port), "127.0.0.1");
  const started = Date.now();
  let answer = "";
  socket.on("data", (data) => (answer += data));
  socket.on("error", () => {});
  socket.write(head);
  const dripping = setInterval(() => socket.writable && socket.write(drip), 200);
  const giveUp = setTimeout(() => socket.destroy(), 10_000);
  return new Promise((resolve) =>
    socket.on("close", () => {
      clearInterval(dripping);
      clearTimeout(giveUp);
      resolve({ answer, seconds: (Date.now() - started) / 1000 });
    }),
  );
}

describe("a request that trickles in", () => {
  const TIMED_OUT =
    /^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*\r\n\r\n\{"ok":false,"error":"request_timeout","message":"请求未在时限内发送完毕，请检查网络后重试"\}$/;

  it("is cut with a 408 in Chinese when its body is not in by the deadline", async () => {
    const head = `POST /login HTTP/1.1\r\nHost: ${new URL(url()).host}\r\nOrigin: ${url()}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"username":"`;
    const { answer, seconds } = await trickle(head, "a");
    expect(answer).toMatch(TIMED_OUT);
    expect(seconds).toBeLessThan(5);
  });

  it("is cut likewise when its headers are not in by the deadline", async () => {
    const { answer, seconds } = await trickle("GET /healthz HTTP/1.1\r\nHost: localhost\r\n", "X-Slow: 1\r\n");
    expect(answer).toMatch(TIMED_OUT);
    expect(seconds).toBeLessThan(5);
  });

  it("leaves the platform answering others meanwhile", async () => {
    const slow = trickle(`POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n`, "a");
    expect((await get("/healthz")).status).toBe(200);
    expect((await slow).answer).toMatch(TIMED_OUT);
  });
});
