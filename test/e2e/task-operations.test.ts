import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, dialogsSettled, pickOption, useBrowser } from "../support/browser";
import { apiOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// 转办 and 撤回 on the demo approval, through the task page: PICC's insurer hands its request to a
// colleague, who submits it and then takes it back before the regulator has touched the review.

const { url } = usePlatform();
const { as, newPage, signIn, openTaskFromInbox, pageErrors } = useBrowser(url);
const title = `浏览器转办 ${Date.now()}`;

beforeAll(async () => {
  const insurer = await signInOverHttp(url(), "insurer");
  const { organisationId } = await apiOverHttp<{ organisationId: string }>(url(), insurer, "GET", "/api/v1/session");
  const admin = await signInOverHttp(url(), "admin");
  const made = await fetch(`${url()}/admin/users/new?_data=${encodeURIComponent("routes/_app.admin.users.new")}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: admin, Origin: url() },
    body: JSON.stringify({
      username: "picc.e2e.zhao",
      password: "Safe2026pass",
      displayName: "人保赵专员",
      organisationId,
      roles: ["insurer"],
    }),
  });
  if (made.status >= 400) throw new Error(`creating the colleague answered ${made.status}`);
  await apiOverHttp(url(), insurer, "POST", "/api/v1/processes/demo-approval/instances", { title });
});

describe.skipIf(!browserAvailable)("转办 and 撤回 on the task page", () => {
  it("the insurer hands the request to a colleague, after choosing whom and confirming", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "提交申请", title);
    await insurer.getByRole("button", { name: "转办", exact: true }).click();
    const dialog = insurer.getByRole("dialog", { name: "转办" });
    await dialogsSettled(insurer);
    await dialog.getByRole("button", { name: "确定转办" }).click();
    await expect.poll(() => dialog.getByText("请选择转办给谁").count()).toBe(1);
    await pickOption(insurer, "转办给", "人保赵专员（picc.e2e.zhao）");
    await dialog.getByLabel("转办说明").fill("我出差，请赵专员办理");
    await dialog.getByRole("button", { name: "确定转办" }).click();
    const confirm = insurer.locator(".ant-modal-confirm");
    await expect.poll(() => confirm.innerText()).toContain("转办后该任务由对方办理");
    await dialogsSettled(insurer);
    await confirm.getByRole("button", { name: "确定转办" }).click();
    await expect.poll(() => insurer.locator(".ant-message").innerText()).toContain("已转办给人保赵专员");
    // No longer the insurer's to do: the form is read-only, held by the colleague.
    await expect.poll(() => insurer.getByRole("button", { name: "提交", exact: true }).count()).toBe(0);
    expect(await insurer.getByText("人保赵专员").first().innerText()).toContain("人保赵专员");
    await insurer.getByRole("tab", { name: "流转记录" }).click();
    await expect.poll(() => insurer.getByText("转给人保赵专员：我出差，请赵专员办理").count()).toBe(1);
  });

  it("the colleague submits it, then takes it back while the review is untouched", async () => {
    // A new colleague, not one of the demo city's users: signed in with the login form.
    const colleague = await newPage();
    await signIn(colleague, "picc.e2e.zhao", "Safe2026pass");
    await colleague.waitForURL((u) => !u.pathname.startsWith("/login") && u.pathname !== "/");
    await openTaskFromInbox(colleague, "提交申请", title);
    await colleague.getByLabel("申请事项").fill("采购检测设备");
    await colleague.getByLabel("金额（元）").fill("800");
    await colleague.getByRole("button", { name: "提交", exact: true }).click();
    await colleague.waitForURL(/\/inbox\?done=1/);

    await colleague.goto(`${url()}/inbox?view=done`);
    await colleague.getByRole("row").filter({ hasText: title }).getByRole("link", { name: "提交申请" }).click();
    await colleague.waitForURL(/\/tasks\//);
    await colleague.getByRole("button", { name: "撤回办理" }).click();
    await expect.poll(() => colleague.locator(".ant-popover").innerText()).toContain("下一步的待办将取消");
    await colleague.locator(".ant-popover").getByRole("button", { name: "撤回" }).click();
    await expect.poll(() => colleague.locator(".ant-message").innerText()).toContain("已撤回，您可以修改后重新提交");
    // The step is the colleague's again, with what was submitted.
    await expect.poll(() => colleague.getByRole("button", { name: "提交", exact: true }).count()).toBe(1);
    expect(await colleague.getByLabel("申请事项").inputValue()).toBe("采购检测设备");
    await colleague.getByRole("tab", { name: "流转记录" }).click();
    await expect.poll(() => colleague.getByText("撤回办理：提交申请").count()).toBe(1);

    // The regulator's review is gone from its inbox.
    const regulator = await as("regulator", `/inbox?q=${encodeURIComponent(title)}`);
    await expect.poll(() => regulator.getByRole("row").filter({ hasText: title }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
