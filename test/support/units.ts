import ExcelJS from "exceljs";

// Unit lists as developers send them: .xlsx files written by exceljs, as Excel would save them.

export const UNIT_HEADER = ["楼栋", "单元", "房号", "建筑面积(㎡)", "业主姓名", "业主电话"];

/** An .xlsx whose first sheet has `header` in row 1 and `rows` below it. */
export async function unitsWorkbook(rows: unknown[][], header: unknown[] = UNIT_HEADER): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("房屋清单");
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** `count` good rows: building 1–…, unit 1–2, rooms 101…, each with an owner and a phone. */
export function goodUnitRows(count: number, phonePrefix = "1380000"): unknown[][] {
  return Array.from({ length: count }, (_, i) => [
    String(1 + Math.floor(i / 40)),
    String(1 + (Math.floor(i / 20) % 2)),
    String(101 + (i % 20)),
    88.5,
    `业主${i + 1}`,
    `${phonePrefix}${String(i).padStart(4, "0")}`,
  ]);
}
