import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, useBrowser } from "../support/browser";
import { insuredHomesOverHttp } from "../support/claims-http";
import { signInOverHttp, useCluster } from "../support/platform";

// The bureau's project search in the browser: three characters of its insurer's name find the
// project, and 导出 Excel downloads what the list selects as a workbook that opens.

const cluster = useCluster();
const url = () => cluster().url;
const browser = useBrowser(url);

beforeAll(async () => {
  if (!browserAvailable) return;
  const who: Record<string, string> = {};
  for (const username of ["regulator", "insurer"]) who[username] = await signInOverHttp(url(), username);
  // Insured by PICC (中国人民财产保险…) alone.
  await insuredHomesOverHttp(
    url(),
    { insurer: who.insurer, regulator: who.regulator },
    { permitNo: "KM-SEARCH-E2E-1", name: "搜索页面花园", homes: 1, phonePrefix: "1396666" },
  );
}, 120_000);

describe.skipIf(!browserAvailable)("项目 search and export", () => {
  it("finds the project by three characters of its insurer's name and exports the list", async () => {
    const page = await browser.as("regulator", "/projects");
    await page.getByLabel("关键字").fill("人民财");
    await page.getByRole("button", { name: "查询" }).click();
    await page.waitForURL(/q=/);
    const rows = page.locator(".ant-table-tbody tr.ant-table-row");
    await expect.poll(() => rows.allInnerTexts()).toEqual([expect.stringContaining("搜索页面花园")]);

    const download = page.waitForEvent("download");
    await page.getByTestId("export").click();
    const file = await (await download).path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet("项目")!;
    expect(sheet.getRow(1).getCell(2).value).toBe("项目名称");
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(2).value).toBe("搜索页面花园");
    // Said once the file is handed over, by antd's message, whose scripts may still be on their way.
    await expect.poll(() => page.getByText("已导出 1 行").isVisible()).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  });

  it("shows a refused query above the list, and its export's refusal in words", async () => {
    const page = await browser.as("regulator", "/projects?colour=red");
    await expect.poll(() => page.locator(".ant-alert").innerText()).toContain("未知的查询参数“colour”");
    await page.getByTestId("export").click();
    // The export answers JSON as the API does; the button says its message, not the JSON.
    await expect.poll(() => page.locator(".ant-message").innerText()).toBe("未知的查询参数“colour”");
  });

  it("speaks Chinese in its filter bar: every prompt shown whole, dates picked as 年-月-日 and kept in the address", async () => {
    const page = await browser.as("regulator", `/projects?q=${encodeURIComponent("搜索页面")}`);
    const rows = page.locator(".ant-table-tbody tr.ant-table-row");
    await expect.poll(() => rows.count()).toBe(1);
    // No prompt is cut (请选择未销项风险等级 whole in its box).
    const cut = await page
      .locator("form .ant-select-selection-placeholder, form input[placeholder]")
      .evaluateAll((all) =>
        all.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent || e.getAttribute("placeholder")),
      );
    expect(cut).toEqual([]);
    // The date is antd's picker in Chinese, whatever the browser's language.
    const from = page.getByLabel("开始日期", { exact: true });
    expect(await from.getAttribute("placeholder")).toBe("开始日期");
    await from.click();
    expect(await page.locator(".ant-picker-dropdown:visible").innerText()).toMatch(/年|一|二/);
    await from.fill("2099-01-01");
    await from.press("Enter");
    await page.getByRole("button", { name: "查询" }).click();
    await page.waitForURL(/from=2099-01-01/);
    await expect.poll(() => page.getByText("暂无项目").isVisible()).toBe(true);
    // Opened from its address, the filter shows the day it filters by.
    await page.reload();
    expect(await page.getByLabel("开始日期", { exact: true }).inputValue()).toBe("2099-01-01");
    expect(browser.pageErrors).toEqual([]);
  });
});
