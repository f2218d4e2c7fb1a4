import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_USERS, demoCreditCode } from "~/demo/demo-organisations";
import type { Role } from "@db/schema/roles";
import { homePathFor, navFor } from "~/shared/permissions";
import { browserAvailable, dialogsSettled, pickOption, useBrowser } from "../support/browser";
import { policy, registration } from "../support/insurance";
import { englishNamesIn, machineTextIn } from "../support/machine-text";
import { signInOverHttp, usePlatform } from "../support/platform";

const { url } = usePlatform();
const { as, newPage, signIn } = useBrowser(url);

/** The insurer registers a project through the API (its designer 省设计院, China Re reinsuring 30 %), for the homes to show. */
async function registerProjectOverApi(base: string): Promise<void> {
  const headers = { "Content-Type": "application/json", Origin: base, Cookie: await signInOverHttp(base, "insurer") };
  const call = async (path: string, body: unknown) => {
    const response = await fetch(base + path, { method: "POST", headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const started = await call("/api/v1/processes/insurance-review/instances", { title: "滇池湾花园二期" });
  const designer = { creditCode: demoCreditCode("des-ys") };
  await call(`/api/v1/tasks/${started.openTasks[0].id}/complete`, { submission: registration({ designer }) });
  const instance = await (await fetch(`${base}/api/v1/instances/${started.id}`, { headers })).json();
  await call(`/api/v1/tasks/${instance.openTasks[0].id}/complete`, { submission: policy() });
}

beforeAll(() => registerProjectOverApi(url()));

async function navigationLabels(page: Page): Promise<string[]> {
  const items = page.getByRole("menu", { name: "主导航" }).getByRole("menuitem");
  // Without the count badge a label may carry (待办 3).
  return (await items.allInnerTexts()).map((t) => t.replace(/\s*\d+$/, "").trim());
}

describe.skipIf(!browserAvailable)("signing in through the browser", () => {
  /** The administrator on a user's page, with the POSTs it sends from then on. */
  async function userPage(username: string) {
    const page = await as("admin", `/admin/users?q=${username}`);
    await page.getByRole("link", { name: username, exact: true }).click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    return { page, posts };
  }

  // One sign-in per demo user: where it lands, its navigation, then every item of it.
  for (const demo of DEMO_USERS) {
    it(`${demo.username} lands on its own home with its own navigation, and opens every item: none refused, no English word or raw id, said or shown`, async () => {
      const page = await newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await signIn(page, demo.username);
      const roles = [demo.role as Role];
      await page.waitForURL(`${url()}${homePathFor(roles)}**`);
      await expect.poll(() => navigationLabels(page)).toEqual(navFor(roles).map((n) => n.label));
      expect(await page.getByTestId("current-user").innerText()).toContain(demo.displayName);
      expect(errors).toEqual([]);
      // Each item opened from the navigation, as a user does: the page's data comes from its
      // loaders (?_data=…), whose answers are kept to be checked.
      const answers: { url: string; status: number }[] = [];
      page.on("response", (r) => {
        if (new URL(r.url()).searchParams.has("_data")) answers.push({ url: r.url(), status: r.status() });
      });
      const nav = page.getByRole("menu", { name: "主导航" });
      for (const item of navFor(roles)) {
        await nav.locator(`a[href="${item.path}"]`).first().click();
        // 管理 opens its first section (/admin/organisations, or the audit for the bureau).
        await page.waitForURL((u) => u.pathname === item.path || u.pathname.startsWith(`${item.path}/`));
        expect(await page.getByText("无权访问").count(), item.path).toBe(0);
        expect(await machineTextIn(page), item.path).toEqual([]);
        expect(await englishNamesIn(page), item.path).toEqual([]);
      }
      expect(answers.filter((a) => a.status >= 400)).toEqual([]);
      expect(errors).toEqual([]);
      // antd found every style these pages draw in the linked sheet, and wrote none into the page
      // (docs/decisions/045).
      const written = await page.locator("style[data-css-hash]").evaluateAll((tags) => tags.map((t) => t.textContent!.slice(0, 80)));
      expect(written).toEqual([]);
      await page.close();
    }, 120_000); // a sign-in and up to seven pages: more than one step's time on a loaded machine
  }

  it("a window too narrow for every section folds the rest into “…”, from which each opens", async () => {
    const page = await newPage({ width: 1024, height: 700 });
    await signIn(page, "regulator");
    const all = navFor(["regulator"]).map((n) => n.label);
    const more = page.getByRole("button", { name: "更多主导航" });
    await expect.poll(() => more.isVisible()).toBe(true);
    const shown = await navigationLabels(page);
    expect(shown.length).toBeLessThan(all.length);
    expect(shown).toEqual(all.slice(0, shown.length));
    // Escape closes the list and gives the focus back to “…”.
    await more.click();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    expect(await page.getByRole("menu", { name: "更多主导航" }).count()).toBe(0);
    expect(await more.evaluate((button) => button === document.activeElement)).toBe(true);
    // The folded sections, in order, in the list “…” opens; the last one opens its page.
    await more.click();
    const folded = page.getByRole("menu", { name: "更多主导航" }).getByRole("menuitem");
    expect(await folded.allInnerTexts()).toEqual(all.slice(shown.length));
    const last = navFor(["regulator"]).at(-1)!;
    await folded.getByText(last.label, { exact: true }).click();
    await page.waitForURL(`${url()}${last.path}**`);
    expect(await page.getByRole("menu", { name: "更多主导航" }).count()).toBe(0);
    // Wider again, every section shows and “…” goes.
    await page.setViewportSize({ width: 1600, height: 700 });
    await expect.poll(() => navigationLabels(page)).toEqual(all);
    expect(await more.isVisible()).toBe(false);
    await page.close();
  });

  it("the reinsurer's home lists the policies it reinsures with its share", async () => {
    const page = await as("reinsurer");
    expect(new URL(page.url()).pathname).toBe("/reinsurance");
    const row = page.getByRole("row").filter({ hasText: "滇池湾花园二期" });
    await expect.poll(() => row.innerText()).toContain("30%");
    expect(await row.innerText()).toContain("中国人民财产保险股份有限公司昆明市分公司");
    expect(await row.getByRole("link").count()).toBe(1);
    await page.close();
  });

  it("the designer's home lists its projects", async () => {
    const page = await as("designer");
    expect(new URL(page.url()).pathname).toBe("/projects");
    await expect.poll(() => page.getByRole("row").filter({ hasText: "滇池湾花园二期" }).count()).toBe(1);
    await page.close();
  });

  it("the hotline's home finds a caller's project by name and shows its insurer, report phone and coverage", async () => {
    const page = await as("hotline");
    expect(new URL(page.url()).pathname).toBe("/hotline");
    await page.getByLabel("来电查询", { exact: true }).fill("滇池湾花园");
    await page.getByRole("button", { name: "查询" }).click();
    const card = page.locator(".ant-card-small").filter({ hasText: "滇池湾花园二期" });
    await expect.poll(() => card.innerText()).toContain("中国人民财产保险股份有限公司昆明市分公司");
    expect(await card.innerText()).toContain("0871-65101234");
    expect(await card.innerText()).toContain("地基基础和主体结构（10年）");
    await page.getByLabel("来电查询", { exact: true }).fill("没有这个小区");
    await page.getByRole("button", { name: "查询" }).click();
    await expect.poll(() => page.getByText("未找到与“没有这个小区”匹配的房屋或项目").count()).toBe(1);
    await page.close();
  });

  it("a search over 100 characters is refused on its box, in a list and in 来电查询, and lists nothing wider", async () => {
    const tooLong = "滇".repeat(101);
    const hotline = await as("hotline");
    await hotline.getByLabel("来电查询", { exact: true }).fill(tooLong);
    await hotline.getByRole("button", { name: "查询" }).click();
    await expect.poll(() => hotline.getByText("查询内容不能超过100个字").count()).toBe(1);
    expect(new URL(hotline.url()).searchParams.get("q")).toBeNull();
    // The same search sent in the address is answered by the server, on the box.
    await hotline.goto(`${url()}/hotline?q=${encodeURIComponent(tooLong)}`);
    await expect.poll(() => hotline.getByText("查询内容不能超过100个字").count()).toBe(1);
    expect(await hotline.getByText("请输入来电号码、案件号、项目或小区名称").count()).toBe(0);
    await hotline.close();

    const insurer = await as("insurer", "/projects");
    await insurer.locator(".ant-form-inline input").first().fill(tooLong);
    await insurer.getByRole("button", { name: "查询" }).click();
    await expect.poll(() => insurer.getByText("查询内容不能超过100个字").count()).toBe(1);
    expect(new URL(insurer.url()).searchParams.get("q")).toBeNull();
    await insurer.goto(`${url()}/projects?q=${encodeURIComponent(tooLong)}`);
    await expect.poll(() => insurer.getByText("查询内容不能超过100个字").count()).toBe(1);
    expect(await insurer.locator(".ant-table-row").count()).toBe(0);
    await insurer.close();
  });

  it("重置密码 says a short or letters-only password on its field as typed, before anything is sent", async () => {
    const { page, posts } = await userPage("contractor");
    const field = page.getByLabel("新密码");
    await field.fill("abc1");
    await expect.poll(() => page.getByText("密码至少8位").count()).toBe(1);
    await field.fill("abcdefgh");
    await page.getByRole("button", { name: "重置密码" }).click();
    await expect.poll(() => page.getByText("密码须同时包含字母和数字").count()).toBe(1);
    expect(posts).toEqual([]);
    await page.close();
  });

  it("重置密码 asks first, naming whose password it resets; 取消 sends nothing, confirming resets it", async () => {
    const { page, posts } = await userPage("supervisor");
    await page.getByLabel("新密码").fill("huayu2027");
    await page.getByRole("button", { name: "重置密码" }).click();
    const ask = page.getByRole("dialog").filter({ hasText: "的密码？" });
    await expect.poll(() => ask.innerText()).toContain("重置“华域监理田工”的密码？");
    await dialogsSettled(page);
    await ask.getByRole("button", { name: "取消" }).click();
    await expect.poll(() => ask.count()).toBe(0);
    expect(posts).toEqual([]);
    await page.getByRole("button", { name: "重置密码" }).click();
    await dialogsSettled(page, ask);
    await ask.getByRole("button", { name: "重置密码" }).click();
    await expect.poll(() => page.getByText("密码已重置，该用户需用新密码重新登录").count()).toBe(1);
    expect(posts).toHaveLength(1);
    await page.close();
  });

  it("an unknown page and a missing attachment show the 404 inside the signed-in frame", async () => {
    const page = await as("developer");
    const missing = await page.goto(`${url()}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await expect.poll(() => page.getByText("页面不存在").count()).toBeGreaterThan(0);
    expect(await navigationLabels(page)).toEqual(navFor(["developer"]).map((n) => n.label));
    await page.goto(`${url()}/attachments/00000000-0000-4000-8000-000000000000`);
    await expect.poll(() => page.getByText("页面不存在").count()).toBeGreaterThan(0);
    expect(await navigationLabels(page)).toEqual(navFor(["developer"]).map((n) => n.label));
    await page.close();
  });

  it("a wrong password shows the Chinese message and stays on the login page", async () => {
    const page = await newPage();
    await signIn(page, "insurer", "not-the-password");
    await expect.poll(() => page.getByRole("alert").innerText()).toContain("用户名或密码错误");
    expect(new URL(page.url()).pathname).toBe("/login");
    // Near the lock, the page says how many tries are left.
    for (let i = 0; i < 2; i++) await signIn(page, "reinsurer", "not-the-password");
    await expect.poll(() => page.getByRole("alert").innerText()).toBe("用户名或密码错误，还可尝试 3 次，再错将暂时锁定");
    await page.close();
  });

  it("a page outside the role shows the 403 page with the navigation still there", async () => {
    const page = await newPage();
    await signIn(page, "developer");
    await page.waitForURL(`${url()}/inbox`);
    await page.goto(`${url()}/admin/users`);
    await expect.poll(() => page.getByText("无权访问").count()).toBeGreaterThan(0);
    expect(await navigationLabels(page)).toEqual(["待办", "项目", "风险", "理赔", "统计"]);
    // The picture's tooltip and what a screen reader says are Chinese too: no "Unauthorized".
    expect(await page.getByRole("img", { name: "无权访问" }).locator("title").textContent()).toBe("无权访问");
    expect(await page.locator("main").innerHTML()).not.toContain("Unauthorized");
    await page.close();
  });

  it("an administrator gets a field message for a wrong credit code, keeps the input, then saves", async () => {
    const page = await newPage();
    await signIn(page, "admin");
    await page.waitForURL(`${url()}/admin/**`);
    await page.goto(`${url()}/admin/organisations/new`);
    // A name over its limit is said as it is typed, and kept as typed: nothing is cut.
    await page.getByLabel("单位名称").fill("昆".repeat(101));
    await expect.poll(() => page.getByText("单位名称不能超过100个字").count()).toBe(1);
    expect(await page.getByLabel("单位名称").inputValue()).toHaveLength(101);
    await page.getByLabel("单位名称").fill("昆明新建置业有限公司");
    await pickOption(page, "单位类型", "建设单位");
    await page.getByLabel("统一社会信用代码").fill("91530100MA6K0P0018");
    await page.getByRole("button", { name: "保存" }).click();
    await page.screenshot({ path: "test-results/admin-organisation-error.png", fullPage: true });
    await expect.poll(() => page.getByText("统一社会信用代码校验位错误").count()).toBeGreaterThan(0);
    expect(await page.getByLabel("单位名称").inputValue()).toBe("昆明新建置业有限公司");
    await page.getByLabel("统一社会信用代码").fill("91350100M000100Y43");
    await page.getByRole("button", { name: "保存" }).click();
    await page.waitForURL(/\/admin\/organisations\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByText("昆明新建置业有限公司").count()).toBeGreaterThan(0);
    await page.screenshot({ path: "test-results/admin-organisation.png", fullPage: true });
    await page.close();
  });
});
