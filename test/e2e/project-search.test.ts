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
    const page = await browser.as("regulator");
    await page.goto(`${url()}/projects`);
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
    expect(await page.getByText("已导出 1 行").isVisible()).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  });
});
