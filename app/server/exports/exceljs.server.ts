import type ExcelJS from "exceljs";

let loading: Promise<typeof ExcelJS> | undefined;

/**
 * exceljs, loaded the first time a workbook is written or read. With what it brings (zip, streams
 * and their helpers) it was a tenth of the app's start-up time, for a module most processes use
 * rarely.
 */
export function loadExcelJs(): Promise<typeof ExcelJS> {
  return (loading ??= import("exceljs").then((m) => m.default));
}
