import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, useBrowser } from "../support/browser";
import { callAs, closeClaimOverHttp, completeNextAs, insuredHomesOverHttp, kunmingToday } from "../support/claims-http";
import { signInOverHttp, usePlatform } from "../support/platform";
import { demoCreditCode } from "../support/workflow";

// Issue 26's scenario, as an administrator does it in Chromium: a new form built in the form editor;
// the claim flow opened in the modeler, a step with that form added after 受理报案, the lint error on
// the step that leads nowhere seen and fixed, the draft dry-run (its path through the new step),
// deployed with a reason; a claim reported afterwards reaches the new step with the new form, a claim
// reported before finishes on version 1, another one is migrated (流程运维 → 迁移) and then reaches
// the new step too; the heatmap draws the new step with its figures.

const { url } = usePlatform();
const { as, openTaskFromInbox, pageErrors } = useBrowser(url);

const RUN = Date.now() % 100000;
const PROJECT = `低代码理赔苑 ${RUN}`;

/** The lint overlay bpmn-js-bpmnlint puts on an element with problems. */
const lintMarker = (page: Page, id: string) => page.locator(`.djs-overlays[data-container-id="${id}"] .bjsl-overlay`);
const shape = (page: Page, id: string) => page.locator(`g.djs-element[data-element-id="${id}"]`);

async function centre(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = (await page.locator(`g.djs-element[data-element-id="${id}"] .djs-hit`).first().boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Zooms the canvas in around an element, as Ctrl and the mouse wheel do: the whole claim flow fits the screen only small. */
async function zoomInAt(page: Page, id: string): Promise<void> {
  const { x, y } = await centre(page, id);
  await page.mouse.move(x, y);
  await page.keyboard.down("Control");
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -200);
  await page.keyboard.up("Control");
}

let cookies: { insurer: string; regulator: string; repairer: string; hotline: string };
let homes: string[];

interface ReportedClaim {
  id: string;
  number: string;
  instanceId: string;
}

async function reportClaim(unitId: string, description: string): Promise<ReportedClaim> {
  const answer = await callAs(url(), cookies.insurer, "/api/v1/claims", {
    method: "POST",
    json: { unitId, part: "waterproofing", description, reporterName: "业主", reporterPhone: "13708719000", estimate: 8000 },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  return answer.body;
}

const acceptance = () => ({ repairerCreditCode: demoCreditCode("rep-lj"), contactedOn: kunmingToday() });

beforeAll(async () => {
  cookies = {
    insurer: await signInOverHttp(url(), "insurer"),
    regulator: await signInOverHttp(url(), "regulator"),
    repairer: await signInOverHttp(url(), "repairer"),
    hotline: await signInOverHttp(url(), "hotline"),
  };
  ({ unitIds: homes } = await insuredHomesOverHttp(url(), cookies, {
    permitNo: `KM-LC-${RUN}`,
    name: PROJECT,
    homes: 3,
    phonePrefix: "1370872",
  }));
}, 120_000);

describe.skipIf(!browserAvailable)("an administrator changes the claim flow in the browser", () => {
  it("adds a step with a new form, deploys it, and steers the claims old and new onto it", async () => {
    // Two claims reported on version 1, both waiting at 受理报案.
    const older = await reportClaim(homes[0], "卫生间顶棚渗水（旧版本上结案）");
    const migrated = await reportClaim(homes[1], "阳台地面渗水（迁移到新版本）");

    // 1. The new form, built in the form editor and published with a reason.
    const admin = await as("admin", "/admin/forms");
    await admin.getByRole("link", { name: "新建表单" }).click();
    await admin.locator(".cm-content").waitFor();
    await admin.getByLabel("表单标识").fill("claim-review");
    await admin.locator(".cm-content").getByText('"新表单"', { exact: true }).dblclick();
    await admin.keyboard.type("受理复核");
    await admin.locator(".cm-content").getByText('"办理意见"', { exact: true }).dblclick();
    await admin.keyboard.type("复核意见");
    const preview = admin.locator(".ant-card").filter({ has: admin.getByText("预览", { exact: true }) });
    await expect.poll(() => preview.getByLabel("复核意见", { exact: true }).count()).toBe(1);
    await admin.getByLabel("发布原因").fill("理赔受理后增加复核环节");
    await admin.getByRole("button", { name: "发布第1版" }).click();
    await admin.waitForURL(/\/admin\/forms\/claim-review\?published=1$/);

    // 2. The claim flow in the modeler: a task appended after 受理报案 leads nowhere, and lint says so.
    await admin.goto(`${url()}/admin/processes`);
    await admin.getByRole("row").filter({ hasText: "claim" }).getByRole("link", { name: "修改流程" }).click();
    await admin.waitForURL(/\/admin\/processes\/claim\/modeler$/);
    await expect.poll(() => shape(admin, "accept").count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => admin.getByTestId("lint-errors").count()).toBe(0);
    await zoomInAt(admin, "accept");
    await shape(admin, "accept").click();
    await admin.locator('.djs-context-pad [data-action="append.append-task"]').click();
    await expect.poll(() => admin.locator(".djs-direct-editing-parent:visible").count()).toBe(1);
    await admin.keyboard.type("受理复核");
    await admin.keyboard.press("Enter");
    // A task of no type: the panel says it opens no task row, and how to make it a user task.
    await expect.poll(() => admin.locator('[data-entry-id="idi-plain-task"]').innerText()).toContain("未指定类型的任务不生成待办");
    // A user task (the wrench: 更改类型), its id typed in the panel's 常规 group.
    await admin.locator('.djs-context-pad [data-action="replace"]').click();
    await admin.locator('.djs-popup [data-id="replace-with-user-task"]').click();
    await admin.locator('[data-group-id="group-general"] .bio-properties-panel-group-header').click();
    const id = admin.locator("#bio-properties-panel-id");
    await id.fill("review");
    await id.press("Tab");
    await expect.poll(() => shape(admin, "review").count()).toBe(1);
    await expect.poll(() => lintMarker(admin, "review").count()).toBe(1);
    await expect.poll(() => admin.getByTestId("lint-errors").count()).toBe(1);
    // The marker tells why, in Chinese.
    await lintMarker(admin, "review").hover();
    await expect.poll(() => lintMarker(admin, "review").innerText()).toContain("元素没有流出的连线（隐式结束）");

    // Its form and role chosen from the platform's lists.
    const platform = admin.locator('[data-group-id="group-idi-platform"]');
    await platform.locator('[data-entry-id="idi-form"] select').selectOption({ label: "受理复核（claim-review，第1版）" });
    await platform.locator('[data-entry-id="idi-role-insurer"] input[type="checkbox"]').check();

    // Fixed: the old flow from 受理报案 to 登记受理 removed, the new step connected to 登记受理.
    const flow = (await admin.locator('g.djs-connection[data-element-id="toRecordAcceptance"]').boundingBox())!;
    // Near its arrow: where it leaves 受理报案 the new step's flow leaves too.
    await admin.mouse.click(flow.x + flow.width - 12, flow.y + flow.height / 2);
    await expect.poll(() => id.inputValue()).toBe("toRecordAcceptance");
    await admin.keyboard.press("Delete");
    await shape(admin, "review").click();
    await admin.locator('.djs-context-pad [data-action="connect"]').click();
    const target = await centre(admin, "recordAcceptance");
    await admin.mouse.move(target.x - 5, target.y - 5);
    await admin.mouse.move(target.x, target.y);
    await admin.mouse.click(target.x, target.y);
    await expect.poll(() => lintMarker(admin, "review").count()).toBe(0);
    await expect.poll(() => admin.getByTestId("lint-errors").count()).toBe(0);

    // 3. The dry run: the draft as drawn, with samples, passes the new step.
    await admin.getByTestId("dry-run").click();
    const samples = admin.getByTestId("dry-run-samples");
    await expect.poll(async () => Object.keys(JSON.parse((await samples.inputValue()) || "{}").submissions ?? {})).toContain("review");
    await samples.fill(
      JSON.stringify({
        submissions: { accept: [acceptance()], review: [{ note: "资料齐全，同意受理" }] },
        serviceResults: { recordAcceptance: { coveredEstimate: 8000 } },
      }),
    );
    await admin.getByTestId("dry-run-start").click();
    await expect.poll(() => admin.getByTestId("dry-run-steps").innerText()).toContain("生成待办“受理复核”（表单 claim-review");
    expect(await admin.getByTestId("dry-run-steps").innerText()).toContain("生成待办“现场查勘”");
    await expect.poll(() => admin.locator('[data-element-id="review"].idi-dry-path').count()).toBeGreaterThan(0);
    await admin.locator(".ant-drawer-close").click();

    // 4. Deployed with a reason.
    await admin.getByTestId("deploy").click();
    await admin.getByTestId("deploy-reason").fill("受理报案后增加受理复核");
    await admin.getByRole("dialog").getByRole("button", { name: "发布" }).click();
    await expect.poll(() => admin.getByTestId("deployed").innerText()).toContain("已发布为第2版");
    await admin.getByRole("link", { name: "查看版本列表" }).click();
    await expect.poll(() => admin.getByRole("row").filter({ hasText: "第2版" }).innerText()).toContain("受理报案后增加受理复核");

    // 5. A claim reported now follows version 2: after 受理报案 comes 受理复核, with the new form.
    const fresh = await reportClaim(homes[2], "厨房墙面渗水（新版本）");
    await completeNextAs(url(), cookies.insurer, fresh.instanceId, acceptance());
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "受理复核", PROJECT);
    await insurer.getByLabel("复核意见").fill("资料齐全，同意受理");
    await insurer.getByRole("button", { name: "提交", exact: true }).click();
    await insurer.waitForURL(/\/inbox\?done=1/);

    // The claim reported before finishes on version 1, without the new step.
    await closeClaimOverHttp(url(), cookies, older.instanceId);
    await admin.goto(`${url()}/admin/operate/${older.instanceId}`);
    await expect.poll(() => admin.locator(".ant-descriptions").innerText()).toContain("理赔（claim，第1版）");
    expect(await admin.locator(".ant-card-head").first().getByText("已完成").isVisible()).toBe(true);
    await admin.getByRole("tab", { name: /任务/ }).click();
    await expect.poll(() => admin.locator(".ant-tabs-tabpane-active").innerText()).toContain("结案");
    expect(await admin.locator(".ant-tabs-tabpane-active").innerText()).not.toContain("受理复核");

    // 6. 流程运维 → 迁移: the preview says the other older claim can move; migrated with a reason.
    await admin.getByRole("link", { name: "管理" }).first().click();
    await admin.getByRole("menuitem", { name: "流程运维" }).click();
    await admin.waitForURL(/\/admin\/operate/);
    await admin
      .getByTestId("operate-counts")
      .getByRole("row")
      .filter({ hasText: "第1版" })
      .filter({ hasText: "claim" })
      .getByRole("link", { name: "迁移" })
      .click();
    await admin.waitForURL(/\/admin\/operate\/migrate\?/);
    const row = admin.getByRole("row").filter({ hasText: migrated.number });
    await expect.poll(() => row.innerText()).toContain("可迁移");
    expect(await row.innerText()).toContain("受理报案（accept）");
    await row.getByRole("checkbox").check();
    await admin.getByLabel("操作原因").fill("受理复核上线，未受理的报案按新流程办理");
    await admin.getByRole("button", { name: "迁移所选（1）" }).click();
    await expect.poll(() => admin.getByText("已迁移 1 个流程").isVisible()).toBe(true);
    // It is on version 2 now: once accepted, it waits at the new step.
    await completeNextAs(url(), cookies.insurer, migrated.instanceId, acceptance());
    await admin.goto(`${url()}/admin/operate/${migrated.instanceId}`);
    await expect.poll(() => admin.locator(".ant-descriptions").innerText()).toContain("理赔（claim，第2版）");
    await expect.poll(() => shape(admin, "review").getAttribute("class")).toContain("idi-current");
    await admin.getByRole("tab", { name: "流转记录" }).click();
    await expect.poll(() => admin.getByText("意见：受理复核上线，未受理的报案按新流程办理").isVisible()).toBe(true);

    // 7. The heatmap draws the new step with its figures.
    await admin.goto(`${url()}/admin/heatmap?process=claim`);
    const badge = admin.locator('[data-testid="heat-badge"][data-element-id="review"]');
    await expect.poll(() => badge.isVisible()).toBe(true);
    expect(await badge.innerText()).toMatch(/^均.+ · P90 .+\n(逾期\d+% · )?2件$/);
    expect([...new Set(pageErrors)]).toEqual([]);
  }, 180_000);
});
