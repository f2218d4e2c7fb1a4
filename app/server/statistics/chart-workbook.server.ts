import type ExcelJS from "exceljs";
import { loadExcelJs } from "~/server/exports/exceljs.server";
import { decimalsOf } from "~/shared/figures";
import type { Chart, Dashboard } from "~/shared/statistics";
import { formatDateTime } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors.server";
import { filtersInWords } from "./filters.server";
import { statisticsDashboard } from "./index.server";

// One chart's numbers as an Excel workbook (the 下载Excel under each chart, and the map's): its
// title, when its data is from and for which period, then the table 查看数据 shows.

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A figure's cell format by its unit, with the decimals the page shows (none for counts). */
export const numberFormatOf = (unit: string): string | undefined => {
  const decimals = decimalsOf(unit);
  return decimals ? `#,##0.${"0".repeat(decimals)}` : undefined;
};

/** What 查看数据 shows of a chart, from the sheet's next row: a header, then a row per category. */
export function addChartTable(sheet: ExcelJS.Worksheet, chart: Chart): void {
  sheet.addRow([chart.categoryLabel, ...chart.series.map((s) => `${s.name}（${s.unit}）`)]).font = { bold: true };
  const labels = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.label)))];
  // Each series' value by label, the first point of a label as before: a lookup, not a scan per row.
  const valuesBySeries = chart.series.map((s) => new Map([...s.points].reverse().map((p) => [p.label, p.value])));
  for (const label of labels) {
    const row = sheet.addRow([label, ...valuesBySeries.map((values) => values.get(label) ?? null)]);
    chart.series.forEach((s, i) => {
      const format = numberFormatOf(s.unit);
      if (format) row.getCell(i + 2).numFmt = format;
    });
  }
}

function chartOf(dashboard: Dashboard, key: string) {
  const chart = dashboard.charts.find((c) => c.key === key);
  if (!chart) throw new NotFoundError("没有该统计图");
  return chart;
}

/** A chart as a workbook: its title, `when` (the period and time its data is from), its note, then its table. */
export async function chartFile(chart: Chart, when: string): Promise<Buffer> {
  const { Workbook } = await loadExcelJs();
  const workbook = new Workbook();
  // A sheet's name may not hold []:*?/\ nor pass 31 characters.
  const sheet = workbook.addWorksheet(chart.title.replace(/[[\]:*?/\\]/g, " ").slice(0, 31));
  sheet.addRow([chart.title]).font = { bold: true, size: 13 };
  sheet.addRow([when]);
  if (chart.note) sheet.addRow([chart.note]);
  sheet.addRow([]);
  addChartTable(sheet, chart);
  sheet.getColumn(1).width = 36;
  chart.series.forEach((_, i) => (sheet.getColumn(i + 2).width = 20));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The chart `chart` of an area's dashboard for the query's filters, as a workbook and its file name. */
export async function chartWorkbook(actor: Actor, query: Record<string, unknown>): Promise<{ bytes: Buffer; name: string }> {
  const { area = "", chart: key = "", ...filters } = query;
  const dashboard = await statisticsDashboard(actor, String(area), filters);
  const chart = chartOf(dashboard, String(key));
  const { from, to } = dashboard.filters;
  const { district, insurer, tis } = dashboard.filters;
  const narrowed = await filtersInWords({ district, insurerId: insurer, tisId: tis });
  return {
    bytes: await chartFile(
      chart,
      `统计期间 ${from} 至 ${to}${narrowed ? `；${narrowed}` : ""}，数据截至 ${formatDateTime(dashboard.asOf)}`,
    ),
    name: `${chart.title}_${from}_${to}.xlsx`,
  };
}
