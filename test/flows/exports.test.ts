import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { describe, expect, it, onTestFinished } from "vitest";
import { auditEvents } from "@db/schema";
import { db } from "~/server/db.server";
import { xlsxExport, type ExportList } from "~/server/exports/xlsx-export.server";
import { demoActor } from "../support/actors";
import { liveMemory } from "../support/memory";
import { useTestDatabase } from "../support/database";

// The one export module at the size the city will have: 100,000 rows stream through with flat
// memory, the same export twice at once is refused, and every export is audited.

useTestDatabase();

const ROWS = 100_000;

/** A list of `total` made-up rows, produced a batch at a time as the database would give them. */
function madeUpList(total: number): ExportList<{ n: number }> {
  return {
    title: "测试导出",
    rows: {
      filters: { district: "530111" },
      count: async () => total,
      after: async (last, size) =>
        Array.from({ length: Math.max(0, Math.min(size, total - (last?.n ?? 0))) }, (_, i) => ({ n: (last?.n ?? 0) + i + 1 })),
    },
    columns: [
      { header: "编号", format: "integer", value: (r) => r.n },
      { header: "项目名称", value: (r) => `测试项目${r.n}号楼盘` },
      { header: "签单日期", format: "day", value: () => "2026-03-15" },
      { header: "登记时间", format: "time", value: () => new Date("2026-03-15T01:30:00Z") },
      { header: "保费（元）", format: "money", value: (r) => `${r.n}.50` },
      // As long as a risk event's description: the sheet's XML is about as large as a real list's.
      { header: "描述", value: (r) => `第${r.n}号：${"三层楼板混凝土浇筑后出现贯穿裂缝，需按方案整改并复核。".repeat(3)}` },
    ],
  };
}

/** A streamed export saved to a file as a browser would save it, sampling memory: the live memory's peak growth (bytes). */
async function saveSampling(response: Response, file: string): Promise<number> {
  const before = liveMemory();
  let peak = before;
  let chunks = 0;
  const saved = createWriteStream(file);
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!saved.write(value)) await once(saved, "drain");
    if (++chunks % 16 === 0) peak = Math.max(peak, liveMemory());
  }
  saved.end();
  await once(saved, "finish");
  return peak - before;
}

describe("streaming an export", () => {
  it("writes 100,000 rows without holding them: memory grows no more than for 10,000", async () => {
    const actor = await demoActor("regulator");
    const dir = mkdtempSync(path.join(os.tmpdir(), "idi-export-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const small = await saveSampling(await xlsxExport(actor, "projects", madeUpList(10_000)), path.join(dir, "small.xlsx"));
    const response = await xlsxExport(actor, "projects", madeUpList(ROWS));
    expect(response.headers.get("X-Export-Rows")).toBe(String(ROWS));
    // While it is still streaming, the same export again (a double click) is refused, not started.
    await expect(xlsxExport(actor, "projects", madeUpList(1))).rejects.toMatchObject({ status: 409 });
    const large = await saveSampling(response, path.join(dir, "large.xlsx"));
    // Measured 0.4 and 3 MB; before the writer waited for the zip, rows piled up in front of its compressor (+50 MB here).
    expect(large - small).toBeLessThan(20 * 2 ** 20);

    // Reopened row by row, the large one holds every row.
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path.join(dir, "large.xlsx")), {});
    let rows = 0;
    for await (const sheet of workbook) for await (const row of sheet) rows += row.number > 0 ? 1 : 0;
    expect(rows).toBe(ROWS + 1);
    // And its formats as Excel reads them, from the small one the same writer made, read whole:
    // once, on a loaded CI machine, exceljs's streaming reader gave the large file's dates as plain
    // numbers (its styles not applied; the file was not kept, the cause not found).
    const whole = await new ExcelJS.Workbook().xlsx.readFile(path.join(dir, "small.xlsx"));
    const sheet = whole.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(["编号", "项目名称", "签单日期", "登记时间", "保费（元）", "描述"]);
    const second = sheet.getRow(2);
    expect(second.getCell(3).value).toEqual(new Date("2026-03-15T00:00:00Z"));
    // 01:30 UTC is 09:30 in Kunming: Excel shows the wall clock there.
    expect(second.getCell(4).value).toEqual(new Date("2026-03-15T09:30:00Z"));
    expect(second.getCell(5).value).toBe(1.5);
    expect(second.getCell(5).numFmt).toBe("#,##0.00");

    // Once it is done, the user may export again; each export is in the audit log with its filters and size.
    const again = await xlsxExport(actor, "projects", madeUpList(1));
    await again.arrayBuffer();
    const audited = await db()
      .select({ after: auditEvents.after, actor: auditEvents.actorName })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "data.export"), eq(auditEvents.actorUserId, actor.userId!)));
    expect(audited.map((a) => a.after)).toEqual([
      { list: "测试导出", filters: { district: "530111" }, rows: 10_000 },
      { list: "测试导出", filters: { district: "530111" }, rows: ROWS },
      { list: "测试导出", filters: { district: "530111" }, rows: 1 },
    ]);
  }, 180_000);
});
