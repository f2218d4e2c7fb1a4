import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAvailable, useBrowser } from "../support/browser";
import { usePlatform } from "../support/platform";

// The form editor as an administrator uses it: the schema's JSON beside a live preview; a component
// the platform does not render is marked in the text and listed in Chinese as it is typed; fixed,
// the preview follows and judges its sample input by the schema's rules; published with a reason,
// the new version is listed with it.

const { url } = usePlatform();
const { as, pageErrors } = useBrowser(url);

/** Selects the word `word` in the editor's text (its first occurrence) with a double click, as a person would. */
async function selectWord(page: Page, word: string) {
  await page.locator(".cm-content").getByText(`"${word}"`, { exact: true }).first().dblclick();
}

const problemList = (page: Page) => page.getByRole("region", { name: "发布检查" });

describe.skipIf(!browserAvailable)("the form editor", { timeout: 90_000 }, () => {
  it("marks a bad component as it is typed, previews the fixed form and publishes it with a reason", async () => {
    const admin = await as("admin", "/admin/forms");
    await admin.getByRole("link", { name: "演示：提交申请" }).click();
    await admin.getByRole("link", { name: "编辑最新版本" }).click();
    await admin.waitForURL(/\/admin\/forms\/demo-request\/edit$/);
    await admin.locator(".cm-content").waitFor();
    await expect.poll(() => admin.getByText("未发现问题，可以发布").isVisible()).toBe(true);
    expect(await admin.getByText("发布后，新发布的流程版本才会使用").first().isVisible()).toBe(true);
    // Hovering a value explains its key in Chinese, its type too (codemirror-json-schema's own words are English).
    await admin.locator(".cm-content").getByText('"NumberPicker"', { exact: true }).first().hover();
    const hover = admin.locator(".cm6-json-schema-hover");
    await expect.poll(() => hover.innerText()).toContain("Input.TextArea：多行文字");
    expect(await hover.innerText()).toContain("可选值：");
    expect(await hover.innerText()).not.toMatch(/enum`?:|\bor\b/);
    await admin.mouse.move(5, 5);

    // A component the platform does not render: a mark in the text and the Chinese message.
    await selectWord(admin, "NumberPicker");
    await admin.keyboard.type("Slider");
    await expect.poll(() => problemList(admin).innerText()).toContain("不支持的组件“Slider”");
    await admin.locator(".cm-lintRange-error").first().waitFor();
    // The mark is on the value itself.
    expect(await admin.locator(".cm-lintRange-error").first().innerText()).toBe('"Slider"');
    // What forms/README.md shows (docs/images/form-editor.png is this picture).
    await admin.mouse.move(5, 5);
    await admin.waitForTimeout(500);
    await admin.screenshot({ path: "test-results/form-editor.png", fullPage: true });
    await admin.locator(".cm-lintRange-error").first().hover();
    await expect.poll(() => admin.locator(".cm-tooltip-lint").innerText()).toContain("不支持的组件“Slider”");
    expect(await admin.getByRole("button", { name: /发布为第\d+版/ }).isDisabled()).toBe(true);

    // Fixed: the marks go, and the preview follows the text.
    await selectWord(admin, "Slider");
    await admin.keyboard.type("NumberPicker");
    await expect.poll(() => problemList(admin).innerText()).toContain("未发现问题，可以发布");
    await expect.poll(() => admin.locator(".cm-lintRange-error").count()).toBe(0);
    await selectWord(admin, "申请事项");
    await admin.keyboard.type("申请内容");
    const preview = admin.locator(".ant-card").filter({ has: admin.getByText("预览", { exact: true }) });
    await expect.poll(() => preview.getByLabel("申请内容", { exact: true }).count()).toBe(1);
    // The preview judges its sample input by the schema's rules: the required field says so.
    await preview.getByRole("button", { name: "校验示例填写" }).click();
    await expect.poll(() => preview.getByText("请填写“申请内容”").isVisible()).toBe(true);
    await preview.getByLabel("申请内容", { exact: true }).fill("修缮");
    await expect.poll(() => preview.getByText("请填写“申请内容”").count()).toBe(0);

    // Published with a reason: the version list says who, when and why.
    await admin.getByLabel("发布原因").fill("申请事项改称申请内容");
    await admin.getByRole("button", { name: /发布为第\d+版/ }).click();
    await admin.waitForURL(/\/admin\/forms\/demo-request\?published=\d+$/);
    await expect.poll(() => admin.getByText(/^已发布第\d+版。发布后，新发布的流程版本才会使用/).isVisible()).toBe(true);
    const newest = admin.getByRole("table", { name: "表单版本" }).getByRole("row").nth(1);
    expect(await newest.innerText()).toContain("申请事项改称申请内容");
    expect(await newest.innerText()).toContain("平台管理员");

    // Compared with the version before: the field's title changed.
    await newest.getByRole("link", { name: "与上一版比较" }).click();
    await expect.poll(() => admin.getByRole("table", { name: "字段的变化" }).innerText()).toContain('标题："申请事项" → "申请内容"');
    expect(pageErrors).toEqual([]);
  });

  it("creates a new form under a key the server would take", async () => {
    const admin = await as("admin", "/admin/forms");
    await admin.getByRole("link", { name: "新建表单" }).click();
    await admin.locator(".cm-content").waitFor();
    await admin.getByLabel("表单标识").fill("Revisit_Note");
    await expect.poll(() => admin.getByText(/^表单标识应为小写字母开头/).isVisible()).toBe(true);
    await admin.getByLabel("表单标识").fill("e2e-revisit-note");
    expect(await admin.getByText(/^表单标识应为小写字母开头/).count()).toBe(0);
    await admin.getByLabel("发布原因").fill("新增回访记录表单");
    await admin.getByRole("button", { name: "发布第1版" }).click();
    await admin.waitForURL(/\/admin\/forms\/e2e-revisit-note\?published=1$/);
    await expect.poll(() => admin.getByRole("table", { name: "表单版本" }).innerText()).toContain("新增回访记录表单");
    expect(pageErrors).toEqual([]);
  });
});
