import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "~/demo/demo-organisations";
import { browserAvailable, useBrowser } from "../support/browser";
import { DEMO_PASSWORD } from "../support/database";
import { usePlatform } from "../support/platform";

// Password guessing from one address, as the attack on the platform tried it: four wrong passwords on
// every demo account (each under its own lock of five) and a run of made-up names. Behind one trusted
// proxy, the client's address is the one the proxy appends to X-Forwarded-For.
const { url } = usePlatform({ env: { TRUST_PROXY: "1" } });
const { as, newPage, pageErrors } = useBrowser(url);

/** A sign-in from `address` (the proxy's entry), with whatever the client itself put before it. */
function signInFrom(
  address: string,
  path: "/login?_data=routes%2Flogin" | "/api/v1/session",
  username: string,
  password: string,
  spoofed = "",
) {
  return fetch(url() + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/json", Origin: url(), "X-Forwarded-For": spoofed ? `${spoofed}, ${address}` : address },
    body: JSON.stringify({ username, password }),
  });
}

describe("sign-ins from one address", () => {
  it("are refused with 429, a Chinese message and Retry-After from the 20th failure on, whatever the names, pages and API alike", async () => {
    const attacker = "198.51.100.23";
    const statuses: number[] = [];
    const names = [...DEMO_USERS.map((u) => u.username), ...Array.from({ length: 40 }, (_, i) => `guess-${i}`)];
    for (const [i, username] of names.entries()) {
      const tries = i < DEMO_USERS.length ? 4 : 1;
      for (let t = 0; t < tries; t++) {
        const path = t % 2 ? "/api/v1/session" : "/login?_data=routes%2Flogin";
        // What the client claims before the proxy's entry changes nothing: only the trusted hop counts.
        const response = await signInFrom(attacker, path, username, `wrong-${t}`, `10.0.${i}.${t}`);
        statuses.push(response.status);
        if (response.status === 429) {
          expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
          expect((await response.json()).message).toMatch(/^您所在的网络登录失败次数过多，已暂停从该网络登录，请于 \d\d:\d\d 后再试$/);
        } else await response.body?.cancel();
      }
    }
    // The twentieth failure is answered with the refusal already, like an account's fifth.
    expect(statuses.slice(0, 19)).toEqual(Array(19).fill(401));
    expect(statuses.slice(19)).toEqual(Array(statuses.length - 19).fill(429));

    // The right password from that address waits too; from another address it signs in.
    expect((await signInFrom(attacker, "/api/v1/session", "insurer", DEMO_PASSWORD)).status).toBe(429);
    expect((await signInFrom("198.51.100.24", "/api/v1/session", "insurer", DEMO_PASSWORD)).status).toBe(200);

    // The login form sent without JavaScript gets the page with the refusal, and when to retry.
    const plain = await fetch(`${url()}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url(), "X-Forwarded-For": attacker },
      body: new URLSearchParams({ username: "insurer", password: DEMO_PASSWORD }).toString(),
    });
    expect(plain.status).toBe(429);
    expect(plain.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(Number(plain.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect(await plain.text()).toMatch(/您所在的网络登录失败次数过多，已暂停从该网络登录，请于 \d\d:\d\d 后再试/);
  });

  it.skipIf(!browserAvailable)("the sign-in page shows the refusal", async () => {
    const page = await newPage();
    await page.setExtraHTTPHeaders({ "X-Forwarded-For": "198.51.100.23" });
    await page.goto(`${url()}/login`);
    await page.getByLabel("用户名").fill("insurer");
    await page.getByLabel("密码").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await expect
      .poll(() => page.getByRole("alert").innerText())
      .toMatch(/您所在的网络登录失败次数过多，已暂停从该网络登录，请于 \d\d:\d\d 后再试/);
    expect(new URL(page.url()).pathname).toBe("/login");
  });
});

describe("the pages' Content-Security-Policy", () => {
  it("allows only the platform's own scripts, and those inline with the page's nonce", async () => {
    const response = await fetch(`${url()}/login`);
    const policy = response.headers.get("Content-Security-Policy") ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
    expect(policy).toMatch(/(^|; )script-src 'self' 'nonce-/);
    expect(policy).toMatch(/(^|; )object-src 'none'/);
    expect(policy).toMatch(/(^|; )frame-ancestors 'self'/);
    const html = await response.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline.length).toBeGreaterThan(0);
    for (const attributes of inline) expect(attributes).toContain(`nonce="${nonce}"`);
    // A new nonce for every page.
    expect((await fetch(`${url()}/login`)).headers.get("Content-Security-Policy")).not.toContain(nonce);
  });

  it.skipIf(!browserAvailable)("lets a signed-in page and its form work in Chromium with nothing refused", async () => {
    const admin = await as("admin", "/admin/users/new");
    // The form's own checks run in the browser (its script ran): an empty submission is told what is missing.
    await admin.getByRole("button", { name: /创\s*建|保\s*存|提\s*交/ }).click();
    await expect.poll(() => admin.getByText("请输入姓名").count()).toBeGreaterThan(0);
    const owner = await newPage();
    await owner.goto(`${url()}/owner`);
    await owner.getByTestId("owner-chat").getByRole("button", { name: "我的报案" }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
