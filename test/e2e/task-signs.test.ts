import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, dialogsSettled, pickOption, useBrowser } from "../support/browser";
import { apiOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// 前加签 on the demo approval, through the pages: PICC's insurer asks the bureau for its opinion
// before submitting; the bureau finds it in 待办 and agrees; then the insurer submits.

const { url } = usePlatform();
const { as, openTaskFromInbox, pageErrors } = useBrowser(url);
const title = `浏览器加签 ${Date.now()}`;
const afterTitle = `浏览器后加签 ${Date.now()}`;
const BUREAU = "昆明市住房和城乡建设局";

beforeAll(async () => {
  const insurer = await signInOverHttp(url(), "insurer");
  await apiOverHttp(url(), insurer, "POST", "/api/v1/processes/demo-approval/instances", { title });
  await apiOverHttp(url(), insurer, "POST", "/api/v1/processes/demo-approval/instances", { title: afterTitle });
});

describe.skipIf(!browserAvailable)("前加签 on the task page", () => {
  it("the insurer asks the bureau, and cannot submit until it answers", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "提交申请", title);
    await insurer.getByRole("button", { name: "前加签", exact: true }).click();
    const dialog = insurer.getByRole("dialog", { name: "前加签" });
    await dialogsSettled(insurer);
    await dialog.getByRole("button", { name: "确定前加签" }).click();
    await expect.poll(() => dialog.getByText("请选择加签人").count()).toBe(1);
    await pickOption(insurer, "加签人", BUREAU);
    await dialog.getByLabel("加签说明").fill("请确认申请金额的口径");
    await dialog.getByRole("button", { name: "确定前加签" }).click();
    const confirm = insurer.locator(".ant-modal-confirm");
    await expect.poll(() => confirm.innerText()).toContain("加签后需等对方答复才能提交本任务");
    await dialogsSettled(insurer);
    await confirm.getByRole("button", { name: "确定前加签" }).click();
    await expect.poll(() => insurer.locator(".ant-message").innerText()).toContain(`已请${BUREAU}加签`);
    // The page says why there is no 提交.
    await expect.poll(() => insurer.getByTestId("sign-hold").innerText()).toContain(`等待${BUREAU}的意见`);
    expect(await insurer.getByRole("button", { name: "提交", exact: true }).count()).toBe(0);
    // Another 前加签 may still be asked while only 前加签 are open.
    expect(await insurer.getByRole("button", { name: "前加签", exact: true }).count()).toBe(1);
  });

  it("the bureau finds it in 待办 and agrees, with an opinion", async () => {
    const regulator = await as("regulator", `/inbox?q=${encodeURIComponent(title)}`);
    await regulator.getByRole("row").filter({ hasText: title }).getByRole("link", { name: "加签：提交申请" }).click();
    await regulator.waitForURL(/\/signs\//);
    await expect.poll(() => regulator.getByText("请确认申请金额的口径").count()).toBe(1);
    await regulator.getByRole("radio", { name: "同意" }).check();
    await regulator.getByLabel("加签意见").fill("口径无误，同意");
    await regulator.getByRole("button", { name: "提交意见" }).click();
    await expect.poll(() => regulator.getByTestId("sign-answer").innerText()).toContain("同意：口径无误，同意");
    await regulator.goto(`${url()}/inbox?q=${encodeURIComponent(title)}`);
    await expect.poll(() => regulator.getByRole("row").filter({ hasText: title }).count()).toBe(0);
  });

  it("the insurer then submits; the history shows the sign and the opinion", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "提交申请", title);
    await expect.poll(() => insurer.getByRole("button", { name: "提交", exact: true }).count()).toBe(1);
    await insurer.getByRole("tab", { name: "加签（1）" }).click();
    await expect.poll(() => insurer.getByText("口径无误，同意", { exact: false }).count()).toBeGreaterThan(0);
    await insurer.getByRole("tab", { name: "流转记录" }).click();
    await expect.poll(() => insurer.getByText(`请${BUREAU}提出意见：请确认申请金额的口径`).count()).toBe(1);
    await insurer.getByLabel("申请事项").fill("采购检测设备");
    await insurer.getByLabel("金额（元）").fill("800");
    await insurer.getByRole("button", { name: "提交", exact: true }).click();
    await insurer.waitForURL(/\/inbox\?done=1/);
    expect(pageErrors).toEqual([]);
  });
});

describe.skipIf(!browserAvailable)("后加签 on the task page", () => {
  it("the insurer submits with a colleague's 后加签; the colleague agrees and the flow moves on", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "提交申请", afterTitle);
    await insurer.getByLabel("申请事项").fill("采购安全网");
    await insurer.getByLabel("金额（元）").fill("300");
    await insurer.getByRole("button", { name: "提交并加签…" }).click();
    const dialog = insurer.getByRole("dialog", { name: "后加签" });
    await dialogsSettled(insurer);
    await pickOption(insurer, "加签人", "人保张专员（本单位同事）");
    await dialog.getByRole("button", { name: "确定后加签" }).click();
    await dialogsSettled(insurer, insurer.locator(".ant-modal-confirm"));
    await insurer.locator(".ant-modal-confirm").getByRole("button", { name: "确定后加签" }).click();
    // The page reloads held: the form read-only, and why in its place of 提交.
    await expect.poll(() => insurer.getByTestId("sign-hold").innerText()).toContain("等待人保张专员的后加签意见");
    // No further 加签 while the 后加签 waits.
    expect(await insurer.getByRole("button", { name: "前加签", exact: true }).count()).toBe(0);

    const colleague = await as("insurer2", `/inbox?q=${encodeURIComponent(afterTitle)}`);
    await colleague.getByRole("row").filter({ hasText: afterTitle }).getByRole("link", { name: "加签：提交申请" }).click();
    await colleague.waitForURL(/\/signs\//);
    await expect.poll(() => colleague.getByText("采购安全网").count()).toBeGreaterThan(0);
    // 发起人 is who asked; 加签人 the one asked (the colleague).
    expect(await colleague.getByText("发起人", { exact: true }).count()).toBe(1);
    await colleague.getByRole("button", { name: "提交意见" }).click();
    // 同意 completes the 发起人's task: asked once more.
    const confirm = colleague.locator(".ant-modal-confirm");
    await expect.poll(() => confirm.innerText()).toContain("同意后将按发起人的提交办理该任务");
    await dialogsSettled(colleague);
    await confirm.getByRole("button", { name: "提交意见" }).click();
    await expect.poll(() => colleague.getByTestId("sign-answer").innerText()).toContain("同意");

    await insurer.reload();
    await expect.poll(() => insurer.getByText("已办理", { exact: true }).count()).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });
});
