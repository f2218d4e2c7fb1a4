import type ExcelJS from "exceljs";
import { loadExcelJs } from "~/server/exports/exceljs.server";
import { and, eq, sql } from "drizzle-orm";
import { projects, units, type Project } from "@db/schema";
import { isForeignNumber, normalisePhone } from "~/shared/phone";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.server";
import { unitLabel } from "./coverage.server";
import { guardXlsx } from "./xlsx-guard.server";

// 房屋清单: a project's homes, imported at handover from the developer's Excel file. The whole file
// is checked first and every bad row reported together; nothing is imported unless all rows are good.
// A re-import corrects the list: a known address gets the file's area and owner, none is deleted.

export const MAX_UNIT_ROWS = 5000;
const MAX_ADDRESS_CHARS = 20;
const MAX_NAME_CHARS = 50;
const MAX_AREA = 10000;

type Column = "building" | "unitNo" | "room" | "area" | "ownerName" | "ownerPhone";

/** The template's header row; a file may order its columns as it likes and title them a little differently. */
export const UNIT_COLUMNS: { key: Column; title: string; aliases: string[]; required: boolean; width: number }[] = [
  { key: "building", title: "楼栋", aliases: ["楼栋", "楼栋号", "楼号"], required: true, width: 10 },
  { key: "unitNo", title: "单元", aliases: ["单元", "单元号"], required: true, width: 10 },
  { key: "room", title: "房号", aliases: ["房号", "房间号", "户号"], required: true, width: 10 },
  { key: "area", title: "建筑面积(㎡)", aliases: ["建筑面积", "面积"], required: false, width: 14 },
  { key: "ownerName", title: "业主姓名", aliases: ["业主姓名", "业主"], required: false, width: 14 },
  { key: "ownerPhone", title: "业主电话", aliases: ["业主电话", "电话", "手机号", "联系电话"], required: false, width: 16 },
];

const MISSING_PROJECT = "项目不存在，或不在您的查看范围内";

/**
 * The template's example row. A file that still has it is read without it: a template filled in
 * below the example must not register 张三 as the owner of a real 1栋2单元1501.
 */
const TEMPLATE_EXAMPLE: Record<Column, string | number> = {
  building: "1",
  unitNo: "2",
  room: "1501",
  area: 89.5,
  ownerName: "张三（示例，导入时忽略）",
  ownerPhone: "13812341234",
};
const isTemplateExample = (values: Record<Column, string>) => UNIT_COLUMNS.every((c) => values[c.key] === String(TEMPLATE_EXAMPLE[c.key]));

export interface UnitsImportResult {
  added: number;
  updated: number;
  rows: number;
}

interface UnitRow {
  line: number;
  building: string;
  unitNo: string;
  room: string;
  area: string | null;
  ownerName: string | null;
  ownerPhone: string | null;
}

/** Whether the actor answers for the project's homes: its developer, its lead insurer, or an administrator. */
export function answersForHomes(actor: Actor, project: Pick<Project, "developerId" | "leadInsurerId">): boolean {
  if (actor.roles.includes("admin")) return true;
  if (!actor.organisationId) return false;
  return (
    (actor.roles.includes("developer") && project.developerId === actor.organisationId) ||
    (actor.roles.includes("insurer") && project.leadInsurerId === actor.organisationId)
  );
}

/** Whether the actor may import the project's homes: those who answer for them, and the property company they named. */
export function mayImportUnits(actor: Actor, project: Pick<Project, "developerId" | "leadInsurerId" | "propertyCompanyId">): boolean {
  if (answersForHomes(actor, project)) return true;
  return !!actor.organisationId && actor.roles.includes("repairer") && project.propertyCompanyId === actor.organisationId;
}

/** The project within the actor's scope, or 404 (any id that is not one, too). */
export async function scopedProject(actor: Actor, projectId: string): Promise<Project> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(projectId)) throw new NotFoundError(MISSING_PROJECT);
  const [project] = await db()
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), scope(actor, "project")));
  if (!project) throw new NotFoundError(MISSING_PROJECT);
  return project;
}

/** A cell as text: numbers, strings, rich text, hyperlinks and formula results alike, trimmed. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ("richText" in value)
    return value.richText
      .map((part) => part.text)
      .join("")
      .trim();
  if ("formula" in value || "sharedFormula" in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  // An error value (#DIV/0!, #REF!) reads as itself, so the row says what is in the cell.
  if ("error" in value) return String(value.error);
  if ("text" in value) return cellText(value.text as ExcelJS.CellValue);
  return "";
}

/** "建筑面积（㎡）" → "建筑面积": titles compared without spaces and without what is in brackets. */
const headerKey = (title: string) => title.replace(/[（(][^）)]*[）)]/g, "").replace(/\s+/g, "");

/** "“123”", cut short so a message stays readable whatever was in the cell. */
const quoted = (text: string) => `“${[...text].length > 20 ? [...text].slice(0, 20).join("") + "…" : text}”`;

async function readSheet(bytes: Uint8Array): Promise<ExcelJS.Worksheet> {
  const { Workbook } = await loadExcelJs();
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    throw new ValidationError({ file: "无法读取该 Excel 文件，请用模板填写后另存为 .xlsx 再上传" });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ValidationError({ file: "文件中没有工作表" });
  return sheet;
}

/** Which column holds what, from the first row's titles. */
function columnsOf(sheet: ExcelJS.Worksheet): Map<Column, number> {
  const found = new Map<Column, number>();
  sheet.getRow(1).eachCell((cell, col) => {
    const key = headerKey(cellText(cell.value));
    const column = UNIT_COLUMNS.find((c) => c.aliases.includes(key));
    if (column && !found.has(column.key)) found.set(column.key, col);
  });
  const missing = UNIT_COLUMNS.filter((c) => c.required && !found.has(c.key)).map((c) => c.title);
  if (missing.length)
    throw new ValidationError({
      file: `第1行应为表头，缺少：${missing.join("、")}。请使用模板（${UNIT_COLUMNS.map((c) => c.title).join("、")}）`,
    });
  return found;
}

/** Every data row checked; the rows when all are good, else a 422 listing each bad row's problems. */
function checkedRows(sheet: ExcelJS.Worksheet, columns: Map<Column, number>): UnitRow[] {
  const raw: { line: number; values: Record<Column, string> }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return;
    const values = Object.fromEntries(
      UNIT_COLUMNS.map((c) => [c.key, columns.has(c.key) ? cellText(row.getCell(columns.get(c.key)!).value) : ""]),
    ) as Record<Column, string>;
    if (Object.values(values).some(Boolean) && !isTemplateExample(values)) raw.push({ line, values });
  });
  if (raw.length === 0) throw new ValidationError({ file: "文件中没有房屋数据：请从第2行起逐行填写" });
  if (raw.length > MAX_UNIT_ROWS)
    throw new ValidationError({ file: `一次至多导入 ${MAX_UNIT_ROWS} 行，该文件有 ${raw.length} 行，请分批导入` });

  const errors: string[] = [];
  const rows: UnitRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, values } of raw) {
    const problems: string[] = [];
    // Control characters (Excel writes a NUL as _x0000_) are nothing a home or a name holds.
    for (const column of UNIT_COLUMNS) if (/\p{Cc}/u.test(values[column.key])) problems.push(`${column.title}含有无效字符`);
    for (const key of ["building", "unitNo", "room"] as const) {
      const title = UNIT_COLUMNS.find((c) => c.key === key)!.title;
      if (!values[key]) problems.push(`${title}不能为空`);
      else if ([...values[key]].length > MAX_ADDRESS_CHARS) problems.push(`${title}${quoted(values[key])}超过${MAX_ADDRESS_CHARS}个字`);
    }
    let area: string | null = null;
    if (values.area) {
      const n = Number(values.area);
      if (!Number.isFinite(n) || n <= 0 || n > MAX_AREA) problems.push(`建筑面积${quoted(values.area)}应为大于0且不超过${MAX_AREA}的数字`);
      else area = n.toFixed(2);
    }
    let ownerPhone: string | null = null;
    if (values.ownerPhone) {
      ownerPhone = normalisePhone(values.ownerPhone);
      if (!ownerPhone)
        problems.push(
          isForeignNumber(values.ownerPhone)
            ? `业主电话${quoted(values.ownerPhone)}不是中国大陆手机号（+86）`
            : `业主电话${quoted(values.ownerPhone)}不是有效的手机号`,
        );
    }
    if ([...values.ownerName].length > MAX_NAME_CHARS) problems.push(`业主姓名超过${MAX_NAME_CHARS}个字`);
    if (values.building && values.unitNo && values.room) {
      const address = JSON.stringify([values.building, values.unitNo, values.room]);
      const first = seen.get(address);
      if (first) problems.push(`${unitLabel(values)}与第${first}行重复`);
      else seen.set(address, line);
    }
    if (problems.length) errors.push(`第${line}行：${problems.join("；")}`);
    else
      rows.push({
        line,
        building: values.building,
        unitNo: values.unitNo,
        room: values.room,
        area,
        ownerName: values.ownerName || null,
        ownerPhone,
      });
  }
  if (errors.length) {
    const summary = `${errors.length} 行有误，未导入任何房屋。请修改后重新上传`;
    throw new ValidationError({ file: summary }, summary, errors);
  }
  return rows;
}

/** Refuses before an upload is read: outside the scope 404, not its developer, lead insurer, property company or an administrator 403, not insured 409. */
export async function checkUnitsImport(actor: Actor, projectId: string): Promise<void> {
  const project = await scopedProject(actor, projectId);
  if (!mayImportUnits(actor, project))
    throw new ForbiddenError("只有项目的建设单位、物业服务企业、主承保保险公司或平台管理员可以导入房屋清单");
  if (project.status !== "insured") throw new ConflictError("项目尚未确认投保，暂不能导入房屋清单");
}

/**
 * Imports a project's homes from an .xlsx (the template's columns, first sheet). Outside the scope
 * 404; only its developer, lead insurer or an administrator (403); only once it is insured (409).
 */
export async function importUnits(actor: Actor, projectId: string, file: { name: string; bytes: Uint8Array }): Promise<UnitsImportResult> {
  await checkUnitsImport(actor, projectId);
  guardXlsx(file.bytes);
  const sheet = await readSheet(file.bytes);
  const rows = checkedRows(sheet, columnsOf(sheet));
  const fileName =
    file.name
      .replace(/\p{Cc}/gu, "")
      .split(/[\\/]/)
      .pop()
      ?.slice(0, 200) || "房屋清单.xlsx";

  return db().transaction(async (tx) => {
    const now = clock.now();
    let added = 0;
    for (let i = 0; i < rows.length; i += 1000) {
      const written = await tx
        .insert(units)
        .values(
          rows.slice(i, i + 1000).map((r) => ({
            projectId,
            building: r.building,
            unitNo: r.unitNo,
            room: r.room,
            area: r.area,
            ownerName: r.ownerName,
            ownerPhone: r.ownerPhone,
            importedBy: actor.userId,
            importedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: [units.projectId, units.building, units.unitNo, units.room],
          set: {
            area: sql`excluded.area`,
            ownerName: sql`excluded.owner_name`,
            ownerPhone: sql`excluded.owner_phone`,
            importedBy: sql`excluded.imported_by`,
            importedAt: sql`excluded.imported_at`,
          },
        })
        // A row the insert created has no deleting transaction id (xmax 0); an updated one has ours.
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      added += written.filter((w) => w.inserted).length;
    }
    const result = { added, updated: rows.length - added, rows: rows.length };
    await recordAudit(tx, actor, { action: "units.import", subjectType: "project", subjectId: projectId, after: { fileName, ...result } });
    return result;
  });
}

export const UNITS_TEMPLATE_NAME = "房屋清单导入模板.xlsx";

/** The import template: the header row and one example row, as an .xlsx. */
export async function unitsTemplate(): Promise<Buffer> {
  const { Workbook } = await loadExcelJs();
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet("房屋清单");
  sheet.columns = UNIT_COLUMNS.map((c) => ({ header: c.title, key: c.key, width: c.width }));
  sheet.addRow(TEMPLATE_EXAMPLE);
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(2).font = { italic: true, color: { argb: "FF8C8C8C" } };
  // Text cells, so that Excel keeps phone numbers and room numbers such as 0101 as typed.
  for (const key of ["building", "unitNo", "room", "ownerPhone"]) sheet.getColumn(key).numFmt = "@";
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
