import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import ExcelJS from "exceljs";
import { formatDateTime } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError } from "../errors.server";
import { attachmentDisposition } from "../http/download.server";

// Every list's .xlsx export (projects, risk events, claims, ratings): the list's own selection,
// counted, then read a batch at a time in a stable key order and written row by row into exceljs's
// streaming writer, which zips into the HTTP response as it goes. No more than one batch is in
// memory, and a batch waits while the client is not reading (backpressure), so 100,000 rows take
// no more memory than 1,000. The count goes ahead in X-Export-Rows so the page can say what it is doing.

/** How a column's values are written: text, a calendar day, a time (Kunming), 元, ㎡ or a whole number. */
export type CellFormat = "text" | "day" | "time" | "money" | "area" | "integer";

export interface ExportColumn<Row> {
  header: string;
  format?: CellFormat;
  width?: number;
  value: (row: Row) => string | number | Date | null | undefined;
}

/** A list's selection for an export: the filters it was read with, its size, and its rows after a row, in key order. */
export interface ExportRows<Row> {
  filters: Record<string, unknown>;
  count: () => Promise<number>;
  after: (last: Row | null, size: number) => Promise<Row[]>;
}

export interface ExportList<Row> {
  /** The sheet's and the file's name: 项目, 风险事件… */
  title: string;
  rows: ExportRows<Row>;
  columns: ExportColumn<Row>[];
}

export const EXPORT_ROWS_HEADER = "X-Export-Rows";
const BATCH = 1000;
const NUMBER_FORMATS: Record<CellFormat, string | undefined> = {
  text: undefined,
  day: "yyyy-mm-dd",
  time: "yyyy-mm-dd hh:mm",
  money: "#,##0.00",
  area: "#,##0.00",
  integer: "0",
};
const KUNMING_OFFSET_MS = 8 * 3600 * 1000;

// The same export (user, list, filters) once at a time per process: a double click, or a script
// repeating itself, is refused while the first streams; other exports of the same user go ahead.
const running = new Set<string>();

/** A cell as Excel shows it: days and times as dates (Kunming's wall clock), amounts as numbers. */
function cell(format: CellFormat, value: unknown): unknown {
  if (value === null || value === undefined || value === "") return null;
  switch (format) {
    case "day":
      return typeof value === "string"
        ? new Date(`${value}T00:00:00Z`)
        : new Date(formatDateTime(value as Date, "YYYY-MM-DD") + "T00:00:00Z");
    case "time":
      // Excel has no time zones: the instant is written as the time it was in Kunming.
      return new Date(new Date(value as Date | string).getTime() + KUNMING_OFFSET_MS);
    case "money":
    case "area":
    case "integer":
      return Number(value);
    default:
      return String(value);
  }
}

/** Resolves once the response may take more (or the client has gone: then `out` is destroyed). */
function writable(out: PassThrough): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
  });
}

/** The export of a list's selection as a streamed .xlsx response, audited (who, which list, which filters, how many rows). */
export async function xlsxExport<Row>(actor: Actor, key: string, list: ExportList<Row>): Promise<Response> {
  const who = `${actor.userId} ${key} ${JSON.stringify(list.rows.filters)}`;
  if (running.has(who)) throw new ConflictError("同样的导出正在进行，请等它完成后再导出");
  running.add(who);
  try {
    const total = await list.rows.count();
    await recordAudit(db(), actor, {
      action: "data.export",
      subjectType: "export",
      subjectId: key,
      after: { list: list.title, filters: list.rows.filters, rows: total },
    });
    const out = new PassThrough();
    void writeWorkbook(list, out).finally(() => running.delete(who));
    const name = `${list.title}_${formatDateTime(clock.now(), "YYYYMMDD-HHmm")}.xlsx`;
    return new Response(createReadableStreamFromReadable(out), {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": attachmentDisposition(name, `${key}.xlsx`),
        "Cache-Control": "no-store",
        [EXPORT_ROWS_HEADER]: String(total),
      },
    });
  } catch (error) {
    running.delete(who);
    throw error;
  }
}

async function writeWorkbook<Row>(list: ExportList<Row>, out: PassThrough): Promise<void> {
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(list.title, { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = list.columns.map((c) => ({
      header: c.header,
      width: c.width ?? (c.format === "text" || !c.format ? 20 : 14),
      style: NUMBER_FORMATS[c.format ?? "text"] ? { numFmt: NUMBER_FORMATS[c.format ?? "text"] } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    let last: Row | null = null;
    for (;;) {
      const rows = await list.rows.after(last, BATCH);
      for (const row of rows) sheet.addRow(list.columns.map((c) => cell(c.format ?? "text", c.value(row)))).commit();
      await writable(out);
      if (out.destroyed) return;
      if (rows.length < BATCH) break;
      last = rows[rows.length - 1];
    }
    sheet.commit();
    await workbook.commit();
  } catch (error) {
    // Headers are gone already: the client sees a broken download, the log says why.
    out.destroy(error as Error);
  }
}
