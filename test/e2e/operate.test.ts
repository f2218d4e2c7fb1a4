import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, dialogsSettled, useBrowser } from "../support/browser";
import { signInOverHttp, usePlatform } from "../support/platform";

// 流程运维 in Chromium (docs/decisions/037): an administrator sees the counts, finds a flow, opens
// it and sees on its diagram the step it waits at, cancels it with a reason; the heatmap draws a
// badge with its figures on a step.

const { url } = usePlatform();
const { as, pageErrors } = useBrowser(url);

const RUN = Date.now() % 100000;
const TITLE = `运维演示 ${RUN}`;

beforeAll(async () => {
  const insurer = await signInOverHttp(url(), "insurer");
  const headers = { Cookie: insurer, Origin: url(), "Content-Type": "application/json" };
  const started = await (
    await fetch(`${url()}/api/v1/processes/demo-approval/instances`, { method: "POST", headers, body: JSON.stringify({ title: TITLE }) })
  ).json();
  const done = await fetch(`${url()}/api/v1/tasks/${started.openTasks[0].id}/complete`, {
    method: "POST",
    headers,
    body: JSON.stringify({ submission: { subject: TITLE, amount: 10 } }),
  });
  expect(done.status).toBe(200);
}, 120_000);

describe.skipIf(!browserAvailable)("流程运维 in the browser", () => {
  it("shows the counts, opens a flow with its waiting step marked, cancels it with a reason, and draws the heatmap", async () => {
    const page = await as("admin");
    await page.getByRole("link", { name: "管理" }).first().click();
    await page.getByRole("menuitem", { name: "流程运维" }).click();
    await page.waitForURL(/\/admin\/operate/);
    const counts = page.getByTestId("operate-counts").getByRole("row").filter({ hasText: "演示审批流程（demo-approval）" });
    await expect.poll(() => counts.count()).toBeGreaterThan(0);
    const running = Number(await counts.first().locator("td").nth(2).innerText());
    expect(running).toBeGreaterThan(0);

    await page.getByLabel("标题或业务编号").fill(TITLE);
    await page.getByRole("button", { name: "查询" }).click();
    await page.getByRole("link", { name: TITLE }).click();
    await page.waitForURL(/\/admin\/operate\/[0-9a-f-]{36}$/);
    // The diagram marks where the flow waits: the review, and its reminder timer.
    const review = page.locator('g.djs-element[data-element-id="review"]');
    await expect.poll(() => review.getAttribute("class")).toContain("idi-current");
    await expect.poll(() => page.locator('g.djs-element[data-element-id="request"]').getAttribute("class")).toContain("idi-done");
    await page.getByRole("tab", { name: "流程数据" }).click();
    await expect.poll(() => page.getByText('"subject"').first().isVisible()).toBe(true);

    await page.getByTestId("cancel-instance").click();
    await dialogsSettled(page, page.getByRole("dialog"));
    await page
      .getByRole("button", { name: "确 定" })
      .or(page.getByRole("button", { name: "确定" }))
      .click();
    await expect.poll(() => page.getByText("请填写操作原因").isVisible()).toBe(true);
    await page.getByLabel("操作原因").fill("演示结束，不再需要");
    await page
      .getByRole("button", { name: "确 定" })
      .or(page.getByRole("button", { name: "确定" }))
      .click();
    await expect.poll(() => page.locator(".ant-card-head").first().getByText("已取消").isVisible()).toBe(true);
    await page.getByRole("tab", { name: "流转记录" }).click();
    await expect.poll(() => page.getByText("意见：演示结束，不再需要").isVisible()).toBe(true);

    await page.goto(`${url()}/admin/heatmap?process=demo-approval`);
    const badge = page.locator('[data-testid="heat-badge"][data-element-id="request"]');
    await expect.poll(() => badge.isVisible()).toBe(true);
    expect(await badge.innerText()).toMatch(/^均.+ · P90 .+\n(逾期\d+% · )?\d+件$/);
    expect([...new Set(pageErrors)]).toEqual([]);
  });

  it("fits the heatmap of the claim flow on a 1366×768 screen: no sideways scrolling, diagram, legend and table readable", async () => {
    const page = await as("admin", "/admin/heatmap?process=claim&from=2025-12-07&to=2026-12-06", { width: 1366, height: 768 });
    await expect.poll(() => page.locator('[data-testid="diagram"] [data-element-id="accept"]').count(), { timeout: 30_000 }).toBe(1);
    await page.waitForTimeout(500);
    await page.screenshot({ path: "test-results/heatmap-1366.png", fullPage: true });
    const overflow = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    // The page does not scroll sideways, nor does the diagram inside its box, nor the table.
    const whole = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(whole.scroll).toBeLessThanOrEqual(whole.client);
    const box = await overflow('[data-testid="diagram-box"]');
    expect(box.scroll).toBeLessThanOrEqual(box.client);
    const table = await overflow('[data-testid="heatmap-steps"] .ant-table-content');
    expect(table.scroll).toBeLessThanOrEqual(table.client);
    // The whole diagram is inside its canvas (give or take the flows' click areas).
    const canvas = (await page.getByTestId("diagram").boundingBox())!;
    const drawn = (await page.locator('[data-testid="diagram"] .viewport').boundingBox())!;
    expect(drawn.x).toBeGreaterThanOrEqual(canvas.x - 10);
    expect(drawn.x + drawn.width).toBeLessThanOrEqual(canvas.x + canvas.width + 10);
    expect(drawn.y + drawn.height).toBeLessThanOrEqual(canvas.y + canvas.height + 10);
    // The legend says what the colours mean; the table, slowest first, names each step's colour.
    expect(await page.getByTestId("diagram-legend").innerText()).toContain("较慢");
    expect(await page.getByText("按住 Ctrl 滚动鼠标滚轮可放大").isVisible()).toBe(true);

    // With figures (the demo flow's request, done in beforeAll): the table's rows carry the diagram's colours.
    await page.goto(`${url()}/admin/heatmap?process=demo-approval`);
    const badge = page.locator('[data-testid="heat-badge"][data-element-id="request"]');
    await expect.poll(() => badge.isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId("heatmap-steps").innerText()).toMatch(/提交申请（较(快|慢)|一般）/);
    const again = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(again.scroll).toBeLessThanOrEqual(again.client);
    expect([...new Set(pageErrors)]).toEqual([]);
  });
});
