import ExcelJS from "exceljs";
import type { Locator } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, useBrowser } from "../support/browser";
import { useCluster } from "../support/platform";
import { loadStatisticsCity } from "../support/statistics";

// The bureau's 统计 page in Chromium on the small city of test/support/statistics.ts: the 承保 and
// 风险 dashboards draw their charts, 查看数据 shows the numbers, a click on a bar opens the list it
// counts, and a chart's Excel download reopens with the same numbers; for 金融监管, who may open
// no list, the same charts draw and a bar opens nothing.

const cluster = useCluster();
const url = () => cluster().url;
const { as, pageErrors } = useBrowser(url);

const YEAR_2026 = "period=year&from=2026-01-01";

beforeAll(async () => {
  await cluster().withSql((sql) => loadStatisticsCity((statement) => sql(statement)));
}, 60_000);

/** A drawn chart's canvas: waits until ECharts says it is ready, then counts its painted pixels. */
async function paintedPixels(chart: Locator): Promise<number> {
  await chart.locator('[data-chart-state="ready"]').waitFor();
  return chart
    .locator("canvas")
    .first()
    .evaluate(async (canvas: HTMLCanvasElement) => {
      await new Promise((resolve) => setTimeout(resolve, 600)); // ECharts animates the bars in
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return painted;
    });
}

/** Where the first bar of ECharts' first series colour (#5070dd) is, in page coordinates. */
async function firstBar(chart: Locator): Promise<{ x: number; y: number }> {
  const canvas = chart.locator("canvas").first();
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const at = await canvas.evaluate((c: HTMLCanvasElement) => {
    const { width, height } = c;
    const data = c.getContext("2d")!.getImageData(0, 0, width, height).data;
    for (let x = 0; x < width; x++)
      for (let y = height - 1; y >= 0; y--) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i] - 0x50) < 6 && Math.abs(data[i + 1] - 0x70) < 6 && Math.abs(data[i + 2] - 0xdd) < 6)
          return { x: (x + 4) / (width / c.clientWidth), y: (y - 4) / (height / c.clientHeight) };
      }
    return null;
  });
  if (!at) throw new Error("no bar drawn");
  return { x: box.x + at.x, y: box.y + at.y };
}

describe.skipIf(!browserAvailable)("the bureau's dashboards", () => {
  it("draws 承保 with its figures, and a chart's Excel reopens with the same numbers", async () => {
    const page = await as("regulator", `/stats?tab=underwriting&${YEAR_2026}`);
    await expect.poll(() => page.getByTestId("kpi-premium").innerText()).toContain("1,410,000.00");
    expect(await page.getByTestId("kpi-premium").innerText()).toMatch(/单位：元，数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const premium = page.getByTestId("chart-premiumByInsurer");
    expect(await paintedPixels(premium)).toBeGreaterThan(2000);
    // Hydrated (the chart drew), antd in the browser found the page's styles in the linked sheet
    // and wrote none into the page; the page is in the platform's blue.
    expect(await page.locator("style[data-css-hash]").count()).toBe(0);
    expect(await page.locator(".ant-menu-item-selected").evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(29, 95, 168)");
    await premium.getByRole("button", { name: "查看数据" }).click();
    const rows = premium.getByRole("row");
    await expect.poll(() => rows.filter({ hasText: "中国太平洋财产保险股份有限公司云南分公司" }).innerText()).toContain("180,000.00");
    const [download] = await Promise.all([page.waitForEvent("download"), premium.getByRole("link", { name: "下载Excel" }).click()]);
    expect(download.suggestedFilename()).toBe("保险公司保费分布图_2026-01-01_2026-12-31.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await streamBytes(await download.createReadStream())) as never);
    const sheet = workbook.worksheets[0];
    const values = sheet
      .getSheetValues()
      .filter(Boolean)
      .map((row) => (row as unknown[]).slice(1));
    expect(values[0]).toEqual(["保险公司保费分布图"]);
    expect(values).toContainEqual(["保险公司", "保费（元）"]);
    expect(values).toContainEqual(["中国太平洋财产保险股份有限公司云南分公司", 180000]);
    expect(values).toContainEqual(["中国人民财产保险股份有限公司昆明市分公司", 630000]);
    expect(pageErrors).toEqual([]);
  });

  it("draws 风险, and a click on a bar opens the risk events it counts", async () => {
    const page = await as("regulator", `/stats?tab=risk&${YEAR_2026}`);
    await expect.poll(() => page.getByTestId("kpi-riskEvents").innerText()).toContain("6");
    const levels = page.getByTestId("chart-eventsByLevel");
    expect(await paintedPixels(levels)).toBeGreaterThan(2000);
    // The first bar is 一般 (3 events of the year).
    const bar = await firstBar(levels);
    await page.mouse.click(bar.x, bar.y);
    await page.waitForURL(/\/risk\?/);
    expect(new URL(page.url()).searchParams.get("level")).toBe("general");
    await expect.poll(() => page.getByTestId("risk-summary").innerText()).toContain("共3项");
    expect(pageErrors).toEqual([]);
  });
});

/** The mouse cursor over a chart's canvas (ECharts sets it on the element holding the canvas). */
const cursorOver = (chart: Locator) =>
  chart
    .locator("canvas")
    .first()
    .evaluate((c: HTMLCanvasElement) => getComputedStyle(c).cursor);

describe.skipIf(!browserAvailable)("a chart for whom its lists are not open", () => {
  it("draws for 金融监管, whose bars neither look clickable nor open anything, and links no insurer", async () => {
    const page = await as("financial-regulator", `/stats?tab=underwriting&${YEAR_2026}`);
    await expect.poll(() => page.getByTestId("kpi-premium").innerText()).toContain("1,410,000.00");
    expect(await page.getByTestId("kpi-premium").getByRole("link").count()).toBe(0);
    const projects = page.getByTestId("chart-projectsByInsurer");
    expect(await paintedPixels(projects)).toBeGreaterThan(2000);
    const bar = await firstBar(projects);
    await page.mouse.move(bar.x, bar.y);
    await page.waitForTimeout(300);
    expect(await cursorOver(projects)).not.toBe("pointer");
    await page.mouse.click(bar.x, bar.y);
    await page.waitForTimeout(500);
    expect(new URL(page.url()).pathname).toBe("/stats");
    expect(pageErrors).toEqual([]);
  });

  it("shows the bureau the same bar as a link", async () => {
    const page = await as("regulator", `/stats?tab=underwriting&${YEAR_2026}`);
    const projects = page.getByTestId("chart-projectsByInsurer");
    expect(await paintedPixels(projects)).toBeGreaterThan(2000);
    const bar = await firstBar(projects);
    await page.mouse.move(bar.x, bar.y);
    await expect.poll(() => cursorOver(projects)).toBe("pointer");
    await page.mouse.click(bar.x, bar.y);
    await page.waitForURL(/\/projects\?/);
    expect(new URL(page.url()).searchParams.get("status")).toBe("insured");
  });
});

async function streamBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
