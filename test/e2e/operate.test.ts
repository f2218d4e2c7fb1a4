import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, useBrowser } from "../support/browser";
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
});
