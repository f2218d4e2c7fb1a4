import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import type ExcelJS from "exceljs";
import { loadExcelJs } from "./exceljs.server";
import { formatDateTime } from "~/shared/time";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError } from "../errors.server";
import { attachmentDisposition } from "../http/download.server";

// Every list's .xlsx export (projects, risk events, claims, ratings): the list's own selection,
// counted, then read a batch at a time in a stable key order and written row by row into exceljs's
// streaming writer, which zips into the HTTP response as it goes. The next batch waits until the
// zip has taken this one in and while the client is not reading (backpressure), so 100,000 rows
// take no more memory than 1,000. The count goes ahead in X-Export-Rows so the page can say what it is doing.

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

/** A stream that says, like a Node writable, when it has taken in what it was given. */
interface Drainable {
  once(event: "drain" | "close", listener: () => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
}

/** Resolves once `target` has taken in what it was given (at once if it needs no drain), or the client has gone (`out` closed). */
function drained(target: Drainable, needsDrain: boolean, out: PassThrough): Promise<void> {
  if (!needsDrain || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      target.off("drain", done);
      out.off("close", done);
      resolve();
    };
    target.once("drain", done);
    out.once("close", done);
  });
}

/**
 * Resolves once the zip has taken in the sheet's rows so far. exceljs hands the sheet's XML to the
 * zip 64 KB at a time without waiting (its sheet stream ignores backpressure), so when the rows
 * come faster than they are deflated, the uncompressed sheet piles up in front of the compressor:
 * 100,000 risk events held 140 MB of it. Waiting here after each batch keeps no more than a batch.
 */
function zipped(sheet: ExcelJS.Worksheet, out: PassThrough): Promise<void> {
  // exceljs 4's worksheet writer: `stream` is its sheet stream, `pipes` what the zip reads it through.
  type ZipInput = Drainable & { _writableState: { needDrain: boolean } };
  const zipInput = (sheet as unknown as { stream: { pipes: ZipInput[] } }).stream.pipes[0];
  return drained(zipInput, zipInput._writableState.needDrain, out);
}

/**
 * The export of a list's selection as a streamed .xlsx response, audited (who, which list, which
 * filters, how many rows); `head`: the same headers without a body, neither written nor audited.
 */
export async function xlsxExport<Row>(actor: Actor, key: string, list: ExportList<Row>, head = false): Promise<Response> {
  const name = `${list.title}_${formatDateTime(clock.now(), "YYYYMMDD-HHmm")}.xlsx`;
  const headers = (total: number) => ({
    "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Content-Disposition": attachmentDisposition(name, `${key}.xlsx`),
    "Cache-Control": "no-store",
    [EXPORT_ROWS_HEADER]: String(total),
  });
  if (head) return new Response(null, { headers: headers(await list.rows.count()) });
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
    return new Response(createReadableStreamFromReadable(out), { headers: headers(total) });
  } catch (error) {
    running.delete(who);
    throw error;
  }
}

async function writeWorkbook<Row>(list: ExportList<Row>, out: PassThrough): Promise<void> {
  try {
    const { stream } = await loadExcelJs();
    const workbook = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(list.title, { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = list.columns.map((c) => ({
      header: c.header,
      width: c.width ?? (c.format === "text" || !c.format ? 20 : 14),
      style: NUMBER_FORMATS[c.format ?? "text"] ? { numFmt: NUMBER_FORMATS[c.format ?? "text"] } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    let next = list.rows.after(null, BATCH);
    for (;;) {
      const rows = await next;
      for (const row of rows) sheet.addRow(list.columns.map((c) => cell(c.format ?? "text", c.value(row)))).commit();
      const more = rows.length === BATCH;
      // The next batch is read while this one is zipped and sent (if the client goes meanwhile, it is dropped).
      if (more) {
        next = list.rows.after(rows[rows.length - 1], BATCH);
        next.catch(() => undefined);
      }
      await zipped(sheet, out);
      await drained(out, out.writableNeedDrain, out);
      if (out.destroyed) return;
      if (!more) break;
    }
    sheet.commit();
    await workbook.commit();
  } catch (error) {
    // Headers are gone already: the client sees a broken download, the log says why.
    out.destroy(error as Error);
  }
}
