import { get as httpGet, request as httpRequest, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { signInOverHttp, useCluster } from "../support/platform";

// A short request deadline, so that a request trickling in is cut within the test. The owners'
// bot takes Telegram's updates by webhook (nothing reaches Telegram).
const WEBHOOK_SECRET = "http-test-secret";
const cluster = useCluster({
  env: {
    REQUEST_TIMEOUT_MS: "1500",
    TELEGRAM_BOT_TOKEN: "123456:TEST-TOKEN",
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: "http://127.0.0.1:9",
  },
});
const url = () => cluster().url;
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

  it("says on every answer how long the server took (Server-Timing), for pages, their data, the API and refusals alike", async () => {
    const cookie = await signInOverHttp(url(), "regulator");
    for (const path of ["/inbox", "/inbox?_data=routes%2F_app.inbox", "/api/v1/tasks", "/healthz", "/no-such-page", "/login"]) {
      const response = await get(path, path === "/login" ? undefined : cookie);
      expect(response.headers.get("server-timing"), path).toMatch(/^app;dur=\d+(\.\d)?$/);
    }
  });

  it("sends a visitor who is not signed in to the login page", async () => {
    const response = await get("/stats");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fstats");
    const login = await get("/login");
    const page = await login.text();
    expect(page).toContain("请使用平台分配的账号登录");
    expect(page).not.toContain("登录已超时");
  });

  it("tells a signed-in user refused a page whom it is for: the administrator on 来电查询 is not told to ask an administrator", async () => {
    const response = await get("/hotline", await signInOverHttp(url(), "admin"));
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain("此页面供服务热线坐席使用，您的角色（平台管理员）不能访问。");
    expect(page).not.toContain("请联系平台管理员");
  });

  it("lists each flow's forms by the names their users see, not their keys", async () => {
    const page = await (await get("/admin/processes", await signInOverHttp(url(), "admin"))).text();
    expect(page).toMatch(/受理报案（第\d+版）/);
    expect(page).not.toMatch(/claim-accept v\d/);
  });

  it("tells a browser whose session has ended (idle, or past its hours) why it is at the login page", async () => {
    const response = await get("/stats", `idi_session=${"a".repeat(40)}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fstats&expired=1");
    expect(await (await get("/login?redirectTo=%2Fstats&expired=1")).text()).toContain("登录已超时，请重新登录");
  });

  it("sets the session cookie httpOnly, SameSite=Lax, Secure (production) and for the browser session only, from the page and the API", async () => {
    const signIns = [
      ["/login", "application/json", JSON.stringify({ username: "tis", password: "kunming2026" })],
      ["/login", "application/x-www-form-urlencoded", "username=tis&password=kunming2026"],
      ["/api/v1/session", "application/json", JSON.stringify({ username: "tis", password: "kunming2026" })],
    ];
    for (const [path, type, body] of signIns) {
      const response = await fetch(url() + path, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": type, Origin: url() },
        body,
      });
      expect(response.status, `${path} ${type}`).toBe(path === "/login" ? 302 : 200);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith("idi_session="))!;
      const attributes = cookie.split("; ").slice(1).sort();
      // No Max-Age or Expires: the cookie ends with the browser, the server ends the session earlier (30 min idle, 12 h).
      expect(attributes, `${path} ${type}`).toEqual(["HttpOnly", "Path=/", "SameSite=Lax", "Secure"]);
    }
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

  it("follows after sign-in only a path on this site: control characters, spaces and backslashes go to the home page", async () => {
    // A browser drops a tab or a line break from a Location, so "/\t/example.com" lands on //example.com.
    const offsite = [
      "/\t/example.com",
      "/\n/example.com",
      "/\r\nSet-Cookie: x=1",
      "/\\example.com",
      "/a\\b",
      "/ /example.com",
      "/\u3000/x",
      "//example.com",
    ];
    const signInTo = (redirectTo: string, form: boolean) =>
      fetch(`${url()}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json", Origin: url() },
        body: form
          ? new URLSearchParams({ username: "designer", password: "kunming2026", redirectTo }).toString()
          : JSON.stringify({ username: "designer", password: "kunming2026", redirectTo }),
      });
    const home = (await signInTo("", false)).headers.get("location");
    for (const form of [false, true])
      for (const redirectTo of offsite) {
        const response = await signInTo(redirectTo, form);
        expect(response.status, JSON.stringify(redirectTo)).toBe(302);
        expect(response.headers.get("location"), JSON.stringify(redirectTo)).toBe(home);
        expect(
          response.headers.getSetCookie().some((c) => c.startsWith("idi_session=")),
          JSON.stringify(redirectTo),
        ).toBe(true);
      }
    const kept = await signInTo("/projects?tab=units&q=%E5%AE%9D", true);
    expect(kept.headers.get("location")).toBe("/projects?tab=units&q=%E5%AE%9D");
  });

  it("follows a path with Chinese or look-alike slashes percent-encoded (never a 500); a path that resolves to another site, or broken text, goes home", async () => {
    // The login page sends redirectTo as it reads it from its own address: decoded (宝象, not %E5%AE%9D).
    const signInTo = (redirectTo: string, form: boolean, data = false) =>
      fetch(`${url()}/login${data ? "?_data=routes%2Flogin" : ""}`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json", Origin: url() },
        body: form
          ? new URLSearchParams({ username: "supervisor", password: "kunming2026", redirectTo }).toString()
          : JSON.stringify({ username: "supervisor", password: "kunming2026", redirectTo }),
      });
    const encoded: [string, string][] = [
      ["/项目", "/%E9%A1%B9%E7%9B%AE"],
      ["/projects?q=宝象", "/projects?q=%E5%AE%9D%E8%B1%A1"],
      ["/∕∕evil.com", "/%E2%88%95%E2%88%95evil.com"],
      ["/／／evil.com", "/%EF%BC%8F%EF%BC%8Fevil.com"],
    ];
    const home = (await signInTo("", false)).headers.get("location");
    for (const form of [false, true])
      for (const [redirectTo, location] of [...encoded, ["/..//evil.com", home!], ["/a/%2e%2e//evil.com", home!]]) {
        const response = await signInTo(redirectTo, form);
        expect(response.status, redirectTo).toBe(302);
        expect(response.headers.get("location"), redirectTo).toBe(location);
        expect(response.headers.getSetCookie().some((c) => c.startsWith("idi_session=")), redirectTo).toBe(true);
      }
    // The page's own script posts to the route's data address: Remix answers the redirect as a header.
    const script = await signInTo("/projects?q=宝象", false, true);
    expect(script.status).toBe(204);
    expect(script.headers.get("x-remix-redirect")).toBe("/projects?q=%E5%AE%9D%E8%B1%A1");
    // Half a character (a lone surrogate, which JSON can carry) is not text: refused at the edge, no session.
    const broken = await fetch(`${url()}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Origin: url() },
      body: '{"username":"supervisor","password":"kunming2026","redirectTo":"/a\\ud800"}',
    });
    expect(broken.status).toBe(422);
    expect(broken.headers.getSetCookie()).toEqual([]);
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

describe("antd's styles", () => {
  it("come in one stylesheet the browser keeps for a year, not written into every page", async () => {
    const cookie = await signInOverHttp(url(), "regulator");
    const sheets = new Set<string>();
    for (const path of ["/login", "/inbox", "/projects", "/risk", "/claims", "/stats", "/admin/users"]) {
      const html = await (await get(path, path === "/login" ? undefined : cookie)).text();
      const linked = [...html.matchAll(/<link rel="stylesheet" href="([^"]*antd[^"]*\.css)"/g)].map((m) => m[1]);
      expect(linked, path).toHaveLength(1);
      sheets.add(linked[0]);
      // No component's styles in the page: the sheet holds every one it draws.
      expect(html, path).not.toMatch(/<style[^>]*data-css-hash/);
      expect(html.length, path).toBeLessThan(150_000);
    }
    expect(sheets.size).toBe(1);
    const [href] = sheets;
    const sheet = await get(href);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const css = await sheet.text();
    // The platform's own blue, and the map by which antd in the browser knows the styles are there.
    expect(css).toContain("#1d5fa8");
    expect(css).toMatch(/\.data-ant-cssinjs-cache-path\{content:"[^"]*Table-Table/);
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

  it("a script signs out through the API: DELETE /api/v1/session ends the session and blanks the cookie", async () => {
    const cookie = await signInOverHttp(url(), "supervisor");
    const signOut = (headers: Record<string, string>) => fetch(`${url()}/api/v1/session`, { method: "DELETE", headers });
    const out = await signOut({ Cookie: cookie, Origin: url() });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ ok: true });
    expect(out.headers.getSetCookie()).toEqual([expect.stringMatching(/^idi_session=; .*Max-Age=0/)]);
    expect((await get("/api/v1/session", cookie)).status).toBe(401);
    // Nothing left to end: a 401 saying the session ended.
    const again = await signOut({ Cookie: cookie, Origin: url() });
    expect(again.status).toBe(401);
    expect((await again.json()).message).toBe("登录已过期，请重新登录");
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

  it("an upload with a session that has ended is a 401 saying so, whatever the file's size; a wrong key and no credentials are told apart", async () => {
    const cookie = await signInOverHttp(url(), "developer");
    expect((await fetch(`${url()}/api/v1/session`, { method: "DELETE", headers: { Cookie: cookie, Origin: url() } })).status).toBe(200);
    const id = crypto.randomUUID();
    const png = (bytes: number) => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "现场.png");
      return form;
    };
    const cases: [Record<string, string>, string][] = [
      [{ Cookie: cookie }, "登录已过期，请重新登录"],
      [{ Authorization: "Bearer idi_not-a-key" }, "接口密钥无效或已停用"],
      [{}, "未登录，请先登录或提供接口密钥"],
    ];
    for (const [credentials, message] of cases)
      for (const path of ["/attachments", `/api/v1/projects/${id}/units`, `/projects/${id}/units`])
        for (const size of [1024, 200 * 1024]) {
          const response = await fetch(url() + path, { method: "POST", headers: { Origin: url(), ...credentials }, body: png(size) });
          expect(response.status, `${path} ${size}`).toBe(401);
          expect((await response.json()).message, `${path} ${size} ${message}`).toBe(message);
        }
    // The API says the same of a session that ended.
    expect(await (await get("/api/v1/session", cookie)).json()).toMatchObject({ message: "登录已过期，请重新登录" });
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

/** A request as a raw client sends it (fetch refuses TRACE and CONNECT): its status, headers and body. */
function rawRequest(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }>((resolve, reject) => {
    // The path as it is (a URL would resolve "%2e%2e" as "..").
    const { hostname, port } = new URL(url());
    const request = httpRequest({ hostname, port, path, method, headers }, (response) => {
      let body = "";
      response.on("data", (d) => (body += d));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("methods and files the platform does not serve", () => {
  it("a browser file that is not there, the files' folder and a path out of it: 404, and nothing logged as a failure", async () => {
    for (const path of ["/assets/nope.js", "/assets/", "/assets/%2e%2e/%2e%2e/package.json", "/assets/..%2f..%2fpackage.json"]) {
      const response = await rawRequest("GET", path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toContain("页面或数据不存在");
      expect(response.body, path).not.toContain("kunming-idi-platform");
    }
    expect(cluster().processes[0].log()).not.toContain("request failed");
  });

  it("a method no route takes is a 405 naming the methods it does take, on pages, the API and the attachments", async () => {
    const cookie = await signInOverHttp(url(), "insurer");
    const cases: [string, string, string][] = [
      ["TRACE", "/", "GET, HEAD, POST"],
      ["TRACE", "/api/v1/tasks", "GET, HEAD"],
      ["OPTIONS", "/login", "GET, HEAD, POST"],
      ["OPTIONS", "/attachments", "POST"],
      ["HEAD", "/attachments", "POST"],
      ["GET", "/attachments", "POST"],
      ["PUT", "/owner?index", "GET, HEAD, POST"],
      ["PATCH", "/owner", "GET, HEAD, POST"],
      ["DELETE", "/owner?index", "GET, HEAD, POST"],
      ["PUT", "/inbox", "GET, HEAD, POST"],
      ["DELETE", "/api/v1/tasks", "GET, HEAD"],
      ["PUT", "/api/v1/session", "DELETE, GET, HEAD, POST"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await rawRequest(method, path, { Cookie: cookie, Origin: url(), Accept: "application/json" });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.allow, `${method} ${path}`).toBe(allow);
      if (method !== "HEAD")
        expect(JSON.parse(response.body), `${method} ${path}`).toMatchObject({ error: "method_not_allowed", message: "不支持该请求方法" });
    }
  });

  it("HEAD answers like GET without a body, on the API and on pages", async () => {
    const cookie = await signInOverHttp(url(), "insurer");
    for (const path of ["/api/v1/session", "/api/v1/tasks", "/api/v1/processes", "/inbox", "/login"]) {
      const [head, got] = await Promise.all([rawRequest("HEAD", path, { Cookie: cookie }), rawRequest("GET", path, { Cookie: cookie })]);
      expect(head.status, path).toBe(got.status);
      expect(head.headers["content-type"], path).toBe(got.headers["content-type"]);
      expect(head.body, path).toBe("");
    }
    expect((await rawRequest("HEAD", "/api/v1/tasks")).status).toBe(401);
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

  it("answered before its body is in (too large, no webhook secret), closes its connection: no second answer follows", async () => {
    const host = new URL(url()).host;
    const multipart = "Content-Type: multipart/form-data; boundary=x";
    const ended = `Cookie: idi_session=${"0".repeat(40)}`;
    const early: [string, number][] = [
      // Over the sign-in's limit: refused by its declared length, before a byte of the body is read.
      [`POST /login HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${url()}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`, 413],
      [`POST /bots/telegram HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{`, 401],
      // A GET's body is never read: the answer comes first.
      [`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5000\r\n\r\n`, 200],
      // From another site: ten megabytes of chat or photo are not read to say no.
      [`POST /owner/chat HTTP/1.1\r\nHost: ${host}\r\nOrigin: https://evil.example\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{`, 403],
      [`POST /owner/chat/photo HTTP/1.1\r\nHost: ${host}\r\nOrigin: https://evil.example\r\n${multipart}\r\nContent-Length: 10000000\r\n\r\n--x`, 403],
      // An upload whose session has ended: refused as such, whatever its size.
      [`POST /attachments HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${url()}\r\n${ended}\r\n${multipart}\r\nContent-Length: 200000\r\n\r\n--x`, 401],
    ];
    for (const [head, status] of early) {
      const { answer } = await trickle(head, "a");
      const line = head.split("\r\n")[0];
      expect(answer.match(/HTTP\/1\.1 \d{3} /g), `${line}: ${answer}`).toEqual([`HTTP/1.1 ${status} `]);
      if (!line.startsWith("GET")) expect(answer, line).toMatch(/\r\nConnection: close\r\n/i);
    }
  });

  it("a webhook update over 1 MB is refused as too large (413)", async () => {
    const response = await fetch(`${url()}/bots/telegram`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET },
      body: JSON.stringify({ update_id: 1, message: { text: "a".repeat(1100 * 1024) } }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("Connection")).toBe("close");
    expect((await response.json()).message).toBe("提交的内容过大");
  });

  it("leaves the platform answering others meanwhile", async () => {
    const slow = trickle(`POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n`, "a");
    expect((await get("/healthz")).status).toBe(200);
    expect((await slow).answer).toMatch(TIMED_OUT);
  });
});
