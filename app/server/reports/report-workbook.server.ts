import { loadExcelJs } from "~/server/exports/exceljs.server";
import { STATISTICS_AREA_LABELS } from "~/shared/statistics";
import { REPORT_HEADING, REPORT_ISSUER } from "~/shared/reports";
import { formatDateTime } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";
import { addChartTable, numberFormatOf } from "../statistics/chart-workbook.server";
import { getReport } from "./reports.server";
import { STATISTICS_REPORT_KIND } from "~/shared/reports";
import type { StatisticsReportData } from "./statistics-report.server";

// A statistical report as an Excel workbook: a sheet per area (承保, 风险, 理赔, 服务评价) with its
// KPIs, each with its breakdown, then every chart's table, all drawn from the figures stored when
// the report was made. Each download is audited.

/** A report that has a workbook (a statistical one) within the actor's reach, else 404. */
async function workbookReport(actor: Actor, id: string) {
  const report = await getReport(actor, id);
  if (report.kind !== STATISTICS_REPORT_KIND) throw new NotFoundError("该报表没有 Excel 文件");
  return report;
}

/** The workbook's file name, as a HEAD request answers it: nothing is built and nothing audited. */
export async function reportWorkbookName(actor: Actor, id: string): Promise<{ name: string }> {
  return { name: `${(await workbookReport(actor, id)).title}.xlsx` };
}

export async function reportWorkbook(actor: Actor, id: string): Promise<{ bytes: Buffer; name: string }> {
  const report = await workbookReport(actor, id);
  const { areas } = report.data as StatisticsReportData;
  const { Workbook } = await loadExcelJs();
  const workbook = new Workbook();
  for (const dashboard of areas) {
    const sheet = workbook.addWorksheet(STATISTICS_AREA_LABELS[dashboard.area]);
    sheet.addRow([`${REPORT_ISSUER} ${REPORT_HEADING}`]).font = { bold: true, size: 14 };
    sheet.addRow([report.title]);
    sheet.addRow([
      `统计期间 ${dashboard.filters.from} 至 ${dashboard.filters.to}，数据截至 ${formatDateTime(report.cutOff)}，${report.requestedBy ? `由${report.requestedBy}生成` : "定时生成"}`,
    ]);
    sheet.addRow([]);
    sheet.addRow([`${STATISTICS_AREA_LABELS[dashboard.area]}主要指标`]).font = { bold: true, size: 12 };
    sheet.addRow(["指标", "数值", "单位"]).font = { bold: true };
    for (const kpi of dashboard.kpis) {
      const format = numberFormatOf(kpi.unit);
      const row = sheet.addRow([kpi.label, kpi.value ?? "—", kpi.unit]);
      if (format) row.getCell(2).numFmt = format;
      for (const part of kpi.breakdown ?? []) {
        const line = sheet.addRow([`  其中：${part.label}`, part.value, kpi.unit]);
        if (format) line.getCell(2).numFmt = format;
      }
    }
    for (const chart of dashboard.charts) {
      sheet.addRow([]);
      sheet.addRow([chart.title]).font = { bold: true, size: 12 };
      if (chart.note) sheet.addRow([chart.note]);
      addChartTable(sheet, chart);
    }
    sheet.getColumn(1).width = 44;
    for (let column = 2; column <= 6; column++) sheet.getColumn(column).width = 20;
  }
  await recordAudit(db(), actor, {
    action: "report.download",
    subjectType: "report",
    subjectId: report.id,
    after: { title: report.title },
  });
  return { bytes: Buffer.from(await workbook.xlsx.writeBuffer()), name: `${report.title}.xlsx` };
}
