import { describe, expect, it } from "vitest";
import { browserAvailable, useBrowser } from "../support/browser";
import { usePlatform } from "../support/platform";

const { url } = usePlatform();
const { as, openTaskFromInbox } = useBrowser(url);

describe.skipIf(!browserAvailable)("the demo approval flow through the browser", () => {
  const title = `浏览器演示 ${Date.now()}`;

  it("the insurer starts it and gets Chinese field messages for an empty submission", async () => {
    const insurer = await as("insurer");
    await insurer.getByRole("button", { name: "发起流程" }).click();
    await insurer.getByLabel("事项标题").fill(title);
    await insurer.getByRole("button", { name: "发起", exact: true }).click();
    // Straight to the first form: the starter is the one who fills it in.
    await insurer.waitForURL(/\/tasks\//);
    await expect.poll(() => insurer.getByText("提交申请").count()).toBeGreaterThan(0);
    await insurer.getByRole("button", { name: "提交", exact: true }).click();
    await expect.poll(() => insurer.getByText(/^请填写“(申请事项|金额（元）)”$/).count()).toBe(2);
    await insurer.getByLabel("申请事项").fill("采购检测设备");
    await insurer.getByLabel("金额（元）").fill("-3");
    await insurer.getByRole("button", { name: "提交", exact: true }).click();
    await expect.poll(() => insurer.getByText("金额不能为负数").count()).toBe(1);
    await insurer.getByLabel("金额（元）").fill("1200");
    await insurer.getByRole("button", { name: "提交", exact: true }).click();
    await insurer.waitForURL(/\/inbox\?done=1/);
    await expect.poll(() => insurer.getByText("已提交办理").count()).toBe(1);
  });

  it("the regulator sees it counted in the navigation, views the diagram and must give a reason to return it", async () => {
    const regulator = await as("regulator", "/inbox");
    expect(await regulator.getByTestId("badge-inbox").innerText()).toMatch(/\d+/);
    await openTaskFromInbox(regulator, "住建局审核", title);
    expect(await regulator.getByLabel("申请事项").count()).toBe(0);
    await regulator.getByRole("tab", { name: "流程图" }).click();
    await expect.poll(() => regulator.locator("[data-testid=diagram] svg .djs-element.idi-current").count()).toBeGreaterThan(0);
    // Every flow is drawn, and the diagram is fitted to its box (it was hidden when the page loaded).
    expect(await regulator.locator("[data-testid=diagram] svg .djs-connection").count()).toBe(7);
    const review = await regulator.locator('[data-testid=diagram] svg [data-element-id="review"]').boundingBox();
    expect(review!.width).toBeGreaterThan(40);
    expect(await regulator.getByTestId("diagram-legend").innerText()).toMatch(/已完成[\s\S]*当前环节[\s\S]*被退回/);
    await regulator.getByRole("tab", { name: "流转记录" }).click();
    expect(await regulator.getByText("办理：提交申请").count()).toBe(1);
    await regulator.getByLabel("退回修改").check();
    await regulator.getByLabel("办理意见").fill("金额请附明细");
    await regulator.getByRole("button", { name: "提交", exact: true }).click();
    await expect.poll(() => regulator.getByText("退回时必须填写退回原因").count()).toBe(1);
    await regulator.getByLabel("退回原因").fill("缺少报价明细");
    await regulator.getByRole("button", { name: "提交", exact: true }).click();
    await regulator.waitForURL(/\/inbox\?done=1/);
  });

  it("the regulator urges the returned request from the flow's page, asked first, with a word the insurer reads", async () => {
    const regulator = await as("regulator", "/inbox?view=done");
    await regulator.getByRole("row").filter({ hasText: title }).first().getByRole("link").click();
    await regulator.getByRole("link", { name: "查看" }).click();
    await regulator.waitForURL(/\/instances\//);
    // The open step names the party that must act on it.
    const waiting = regulator.locator(".ant-card").filter({ hasText: "当前待办" }).locator(".ant-list-item");
    expect(await waiting.innerText()).toContain("提交申请，待中国人民财产保险股份有限公司昆明市分公司办理");
    await regulator.getByRole("link", { name: "提交申请" }).click();
    await regulator.waitForURL(/\/tasks\//);
    await regulator.getByRole("button", { name: "催办" }).click();
    const dialog = regulator.getByRole("dialog", { name: "催办" });
    await expect.poll(() => dialog.innerText()).toContain("将通知中国人民财产保险股份有限公司昆明市分公司尽快办理“提交申请”，确认催办吗？");
    await dialog.getByLabel("催办说明（可选）").fill("请今天补充报价明细");
    await dialog.getByRole("button", { name: "确认催办" }).click();
    await expect.poll(() => regulator.locator(".ant-message").innerText()).toMatch(/已催办（通知 \d+ 人）/);
    await expect.poll(() => regulator.getByTestId("urged").innerText()).toMatch(/^已催办 \d{2}-\d{2} \d{2}:\d{2}$/);

    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "提交申请", title);
    await expect
      .poll(() => insurer.getByRole("alert").filter({ hasText: "该任务已被催办" }).innerText())
      .toMatch(/昆明市住房和城乡建设局 .+ 催办：请今天补充报价明细/);
  });

  it("the insurer gets it back, resubmits, and the regulator approves to the end", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "提交申请", title);
    await insurer.screenshot({ path: "test-results/returned-task.png", fullPage: true });
    // It says who sent it back, from which step, and why.
    await expect.poll(() => insurer.getByTestId("returned").innerText()).toContain("在“住建局审核”退回本步骤");
    expect(await insurer.getByTestId("returned").innerText()).toContain("办理意见：金额请附明细");
    // The reason is in the review's form, drawn read-only once its scripts are in (表单加载中… until then).
    await expect.poll(() => insurer.getByTestId("returned").innerText()).toContain("缺少报价明细");
    // The diagram shows the request as sent back (and current), the review as done.
    await insurer.getByRole("tab", { name: "流程图" }).click();
    await expect
      .poll(() => insurer.locator('[data-testid=diagram] svg [data-element-id="request"].idi-returned.idi-current').count())
      .toBe(1);
    expect(await insurer.locator('[data-testid=diagram] svg [data-element-id="review"].idi-done').count()).toBe(1);
    await insurer.getByLabel("申请事项").fill("采购检测设备（附明细）");
    await insurer.getByLabel("金额（元）").fill("1200");
    await insurer.getByRole("button", { name: "提交", exact: true }).click();
    await insurer.waitForURL(/\/inbox\?done=1/);

    const regulator = await as("regulator");
    await openTaskFromInbox(regulator, "住建局审核", title);
    await regulator.getByLabel("同意").check();
    await regulator.getByRole("button", { name: "提交", exact: true }).click();
    await regulator.waitForURL(/\/inbox\?done=1/);
    await regulator.getByRole("tab", { name: "已办" }).click();
    await regulator.getByRole("row").filter({ hasText: title }).first().getByRole("link").click();
    await regulator.getByRole("link", { name: "查看" }).click();
    await regulator.waitForURL(/\/instances\//);
    await expect.poll(() => regulator.getByText("已完成").count()).toBeGreaterThan(0);
  });
});
