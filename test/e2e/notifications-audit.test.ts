import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAvailable, useBrowser } from "../support/browser";
import { policy, registration } from "../support/insurance";
import { usePlatform } from "../support/platform";

// What the insurer is told when the regulator returns and confirms its project (the bell, the
// notifications page, the link to the work), and what the administrator reads in the audit log.
// The steps before are sent through the API with each user's own session; what is seen, in Chromium.

const { url } = usePlatform();
const { as, pageErrors } = useBrowser(url);

const PROJECT = `金碧湾通知花园 ${Date.now() % 100000}`;
const REASON = "监理单位资质证书已过期，请更换监理单位";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ACTION_CODE = /\b[a-z_]+\.[a-z_]+\b|\b[a-z_]+:[a-z_]+\b/;

/** A user's API session: sends JSON with their cookie. */
async function session(username: string) {
  const signIn = await fetch(`${url()}/api/v1/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: "kunming2026" }),
  });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers.getSetCookie()[0].split(";")[0];
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url()}${path}`, {
      method,
      headers: { cookie, "Content-Type": "application/json", Origin: url() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    expect(response.status, JSON.stringify(json)).toBe(200);
    return json;
  };
}

/** The unread count on the bell (none shown: 0). */
async function bellCount(page: Page): Promise<number> {
  await page.reload();
  const badge = page.getByRole("link", { name: "消息通知" }).locator(".ant-badge-count");
  if (!(await badge.count())) return 0;
  return Number(await badge.getAttribute("title"));
}

// Several pages and API calls per test: more than the default 30 s on a loaded machine.
describe.skipIf(!browserAvailable)("notifications and the audit log", { timeout: 120_000 }, () => {
  let insurerApi: Awaited<ReturnType<typeof session>>;
  let regulatorApi: Awaited<ReturnType<typeof session>>;
  let instanceId: string;
  let projectId: string;
  const openTask = async () => (await insurerApi("GET", `/api/v1/instances/${instanceId}`)).openTasks[0].id as string;
  const submitted = registration({ name: PROJECT, communityName: "金碧湾", permitNo: `KM-NT-${Date.now() % 100000}` });

  async function sendToRegulator() {
    await insurerApi("POST", `/api/v1/tasks/${await openTask()}/complete`, { submission: submitted });
    await insurerApi("POST", `/api/v1/tasks/${await openTask()}/complete`, { submission: policy({ policyNo: `PICC-NT-${Date.now()}` }) });
  }
  const decide = async (submission: Record<string, string>) =>
    regulatorApi("POST", `/api/v1/tasks/${(await regulatorApi("GET", `/api/v1/instances/${instanceId}`)).openTasks[0].id}/complete`, {
      submission,
    });

  it("the insurer's bell counts the return; the notification gives the reason and leads to the step to redo", async () => {
    insurerApi = await session("insurer");
    regulatorApi = await session("regulator");
    const started = await insurerApi("POST", "/api/v1/processes/insurance-review/instances", { title: "新建承保项目" });
    instanceId = started.id;
    projectId = started.businessKey;
    await sendToRegulator();

    const insurer = await as("insurer");
    const before = await bellCount(insurer);
    await decide({ decision: "return", reason: REASON });
    expect(await bellCount(insurer)).toBe(before + 1);

    await insurer.getByRole("link", { name: "消息通知" }).click();
    await insurer.waitForURL(/\/notifications$/);
    const note = insurer.getByTestId("notification").filter({ hasText: PROJECT }).first();
    await expect.poll(() => note.innerText()).toContain(`已退回：${PROJECT} — 录入报建信息`);
    expect(await note.innerText()).toContain(REASON);
    expect(await note.innerText()).toContain("未读");
    expect(await insurer.locator("main, .ant-layout-content").first().innerText()).not.toMatch(UUID);

    await note.getByRole("button", { name: `已退回：${PROJECT} — 录入报建信息` }).click();
    await insurer.waitForURL(/\/tasks\//);
    await expect.poll(() => insurer.getByText("录入报建信息").count()).toBeGreaterThan(0);
    expect(await bellCount(insurer)).toBe(before);
    await insurer.goto(`${url()}/notifications`);
    expect(await insurer.getByTestId("notification").filter({ hasText: PROJECT }).first().innerText()).toContain("已读");
  });

  it("the confirmation is counted too, and leads to the project", async () => {
    await sendToRegulator();
    const insurer = await as("insurer");
    const before = await bellCount(insurer);
    await decide({ decision: "confirm" });
    expect(await bellCount(insurer)).toBe(before + 1);

    await insurer.goto(`${url()}/notifications`);
    const note = insurer.getByTestId("notification").filter({ hasText: `您的项目“${PROJECT}”已确认投保` });
    expect(await note.innerText()).toContain("未读");
    await insurer.getByRole("button", { name: "全部标为已读" }).click();
    await expect.poll(() => note.innerText()).toContain("已读");
    expect(await bellCount(insurer)).toBe(0);

    await note.getByRole("button", { name: `您的项目“${PROJECT}”已确认投保` }).click();
    await insurer.waitForURL(new RegExp(`/projects/${projectId}$`));
    await expect.poll(() => insurer.getByText(PROJECT).count()).toBeGreaterThan(0);
  });

  it("the administrator's audit log names who did what to what, in Chinese, with a readable before and after", async () => {
    const admin = await as("admin");
    // A change with a before and an after: the repairer's phone number.
    await admin.goto(`${url()}/admin/users?q=repairer`);
    await admin.getByRole("link", { name: "repairer", exact: true }).click();
    await admin.waitForURL(/\/admin\/users\/.+/);
    await admin.getByLabel("手机号").fill("13900000011");
    await admin.getByRole("button", { name: "保存修改" }).click();

    const row = (action: string) => admin.getByRole("row").filter({ hasText: action });
    await expect
      .poll(async () => {
        await admin.goto(`${url()}/admin/audit`);
        return row("修改用户").count();
      })
      .toBeGreaterThan(0);

    const returned = await row("退回投保信息").first().innerText();
    expect(returned).toContain("住建局李科长");
    expect(returned).toContain("昆明市住房和城乡建设局");
    expect(returned).toContain(PROJECT);
    expect(returned).toContain(REASON);
    expect(returned).toMatch(/是否确认投保\s*否/);
    expect(await row("退回投保信息").first().getByRole("link", { name: PROJECT }).getAttribute("href")).toBe(`/projects/${projectId}`);

    const completed = await row("办理任务").filter({ hasText: "住建局确认投保" }).first().innerText();
    // The second review is a step done again: the log shows what changed since the return.
    expect(completed).toMatch(/审核结论\s*退回保险公司修改 → 确认已投保/);

    const edited = await row("修改用户").first().innerText();
    expect(edited).toContain("利家物业蔡经理");
    expect(edited).toMatch(/手机号\s*13800000011\s*→\s*13900000011/);
    expect(edited).not.toContain("所属单位");

    expect(await row("登录").first().innerText()).toContain("平台管理员");
    const page = await admin.locator(".ant-card").first().innerText();
    expect(page).not.toMatch(UUID);
    expect(page).not.toMatch(ACTION_CODE);
    expect(page).not.toContain("{");

    // The filters speak Chinese: by action.
    const actionFilter = admin.getByRole("combobox").and(admin.getByLabel("操作", { exact: true }));
    await actionFilter.click();
    await actionFilter.fill("退回投保");
    await admin.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "退回投保信息" }).first().click();
    await admin.getByRole("button", { name: "查询" }).click();
    await admin.waitForURL(/action=project\.return/);
    await expect
      .poll(async () => (await admin.locator(".ant-table-tbody .ant-table-row").allInnerTexts()).map((r) => r.includes("退回投保信息")))
      .toEqual([true]);
    expect(pageErrors).toEqual([]);
  });
});
