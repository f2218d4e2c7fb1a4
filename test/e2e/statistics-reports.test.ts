import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, useBrowser } from "../support/browser";
import { useCluster } from "../support/platform";
import { loadStatisticsCity } from "../support/statistics";

// The bureau's 生成报告 in Chromium on the small city of test/support/statistics.ts: it makes March
// 2026's report, opens its printable page (the bureau's heading, the figures, drawn charts) and
// downloads its workbook; the insurance regulator sees 统计 and 报告 only.

const cluster = useCluster();
const url = () => cluster().url;
const { as, pageErrors } = useBrowser(url);

beforeAll(async () => {
  await cluster().withSql((sql) => loadStatisticsCity((statement) => sql(statement)));
}, 60_000);

async function navigationLabels(page: Page): Promise<string[]> {
  return (await page.getByRole("menu", { name: "主导航" }).getByRole("menuitem").allInnerTexts()).map((t) => t.trim());
}

/**
 * Types the month into 统计期间 and asks for its report, landing on `report`. Enter in the picker
 * may already submit the form (the browser's implicit submission); then the button, loading or
 * gone, takes no second click, and a second request would find the same report anyway.
 */
async function generate(page: Page, month: string, report: RegExp | string): Promise<void> {
  const picker = page.getByPlaceholder("请选择统计期间");
  await picker.click();
  await picker.fill(month);
  await picker.press("Enter");
  const opened = page.waitForURL(report);
  await Promise.race([opened, page.getByRole("button", { name: "生成报告" }).click().catch(() => undefined)]);
  await opened;
}

describe.skipIf(!browserAvailable)("the periodic statistical reports", () => {
  it("the bureau makes March's report on demand, opens its print page and downloads its workbook", async () => {
    const page = await as("regulator", "/reports");
    await generate(page, "2026-03", /\/reports\/[0-9a-f-]{36}$/);
    const reportUrl = page.url();
    await page.waitForLoadState("networkidle");
    expect(pageErrors).toEqual([]);
    await expect.poll(() => page.getByText("住宅工程质量潜在缺陷保险统计报告（2026年3月）").count()).toBeGreaterThan(0);

    // 生成报告 again for the same month opens the same report.
    await page.goto(`${url()}/reports`);
    await generate(page, "2026-03", reportUrl);
    await page.goto(`${url()}/reports`);
    const rows = page.getByRole("row").filter({ hasText: "2026年3月" });
    expect(await rows.count()).toBe(1);
    expect(await rows.innerText()).toContain("住建局李科长生成");

    await page.goto(`${reportUrl}/print`);
    await expect.poll(() => page.locator(".statistics-report").innerText()).toContain("昆明市住房和城乡建设局");
    const text = await page.locator(".statistics-report").innerText();
    expect(text).toContain("住宅工程质量潜在缺陷保险 统计报告");
    expect(text).toContain("统计期间 2026-03-01 至 2026-03-31");
    expect(await page.getByTestId("report-area-underwriting").innerText()).toContain("1,050,000.00");
    await page.getByTestId("report-chart-premiumByInsurer").locator('[data-chart-state="ready"]').waitFor();
    // On paper: no buttons, A4.
    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("button", { name: "打印 / 另存为PDF" }).isVisible()).toBe(false);
    // Every area under its title, then saved as PDF the way 打印 does: compact, the 37 charts two abreast
    // on at most 10 A4 pages (a page per area and a chart per half page made 23 of the demo's month).
    expect(await page.locator(".statistics-report h2").allInnerTexts()).toEqual(["承保", "风险", "理赔", "服务评价"]);
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true, path: "test-results/statistics-report.pdf" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(10);
    await page.emulateMedia({ media: "screen" });

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载Excel" }).click()]);
    expect(download.suggestedFilename()).toBe("住宅工程质量潜在缺陷保险统计报告（2026年3月）.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile((await download.path())!)) as never);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["承保", "风险", "理赔", "服务评价"]);
    const premium = workbook
      .getWorksheet("承保")!
      .getRows(1, 40)!
      .find((r) => r.getCell(1).value === "总保费");
    expect(premium?.getCell(2).value).toBe(1_050_000);
    await page.close();
  });

  it("the insurance regulator sees 统计 and 报告 only, and is refused the inbox", async () => {
    const page = await as("financial-regulator");
    expect(new URL(page.url()).pathname).toBe("/reports");
    expect(await navigationLabels(page)).toEqual(["统计", "报告"]);
    await expect.poll(() => page.getByRole("row").filter({ hasText: "2026年3月" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "生成报告" }).count()).toBe(0);
    await page.goto(`${url()}/inbox`);
    await expect.poll(() => page.getByText("无权访问").count()).toBeGreaterThan(0);
    await page.close();
  });
});
