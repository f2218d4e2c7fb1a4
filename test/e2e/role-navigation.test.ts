import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_USERS } from "@db/seed/demo-organisations";
import type { Role } from "@db/schema/roles";
import { homePathFor, navFor } from "~/shared/permissions";
import { browserAvailable, pickOption, useBrowser } from "../support/browser";
import { usePlatform } from "../support/platform";

const { url } = usePlatform();
const { newPage, signIn } = useBrowser(url);

async function navigationLabels(page: Page): Promise<string[]> {
  const items = page.getByRole("menu", { name: "主导航" }).getByRole("menuitem");
  return (await items.allInnerTexts()).map((t) => t.trim());
}

describe.skipIf(!browserAvailable)("signing in through the browser", () => {
  for (const demo of DEMO_USERS) {
    it(`${demo.username} lands on its own home with its own navigation`, async () => {
      const page = await newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await signIn(page, demo.username);
      const roles = [demo.role as Role];
      await page.waitForURL(`${url()}${homePathFor(roles)}**`);
      await expect.poll(() => navigationLabels(page)).toEqual(navFor(roles).map((n) => n.label));
      expect(await page.getByTestId("current-user").innerText()).toContain(demo.displayName);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it("a wrong password shows the Chinese message and stays on the login page", async () => {
    const page = await newPage();
    await signIn(page, "insurer", "not-the-password");
    await expect.poll(() => page.getByRole("alert").innerText()).toContain("用户名或密码错误");
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.close();
  });

  it("a page outside the role shows the 403 page with the navigation still there", async () => {
    const page = await newPage();
    await signIn(page, "developer");
    await page.waitForURL(`${url()}/inbox`);
    await page.goto(`${url()}/admin/users`);
    await expect.poll(() => page.getByText("无权访问").count()).toBeGreaterThan(0);
    expect(await navigationLabels(page)).toEqual(["待办", "项目", "风险", "理赔"]);
    await page.close();
  });

  it("an administrator gets a field message for a wrong credit code, keeps the input, then saves", async () => {
    const page = await newPage();
    await signIn(page, "admin");
    await page.waitForURL(`${url()}/admin/**`);
    await page.goto(`${url()}/admin/organisations/new`);
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
