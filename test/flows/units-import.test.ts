import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, organisations, units } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { importUnits, unitsTemplate } from "~/server/claims/units-import.server";
import { listUnits } from "~/server/claims/units.server";
import { namePropertyCompany } from "~/server/claims/property-company.server";
import { demoCreditCode } from "~/demo/demo-organisations";
import { db } from "~/server/db.server";
import type { ValidationError } from "~/server/errors.server";
import { completeTask, deployBuiltIns, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { policy, registration } from "../support/insurance";
import { insuredProject, PINGAN_PARTIES, type InsuredProject } from "../support/risk";
import { goodUnitRows, unitsWorkbook } from "../support/units";
import { openTasksOf } from "../support/workflow";
import { zipBomb } from "../support/zip";

// 房屋清单 at handover: the developer imports its homes from Excel; a bad file imports nothing and
// says what is wrong with each row; the owners' contacts are masked for those who need not call them.

useTestDatabase();

let a: InsuredProject;
let b: InsuredProject;

const unitsOf = (projectId: string) => db().select().from(units).where(eq(units.projectId, projectId));
const file = async (rows: unknown[][], name = "房屋清单.xlsx", header?: unknown[]) => ({ name, bytes: await unitsWorkbook(rows, header) });

/** The 422 an import is refused with: its summary on `file` and its row messages. */
async function refusal(actor: Actor, projectId: string, upload: { name: string; bytes: Uint8Array }) {
  const error = (await importUnits(actor, projectId, upload).then(
    () => null,
    (e: unknown) => e,
  )) as ValidationError | null;
  expect(error, "the import was refused").toMatchObject({ status: 422 });
  return { file: error!.fields!.file, rows: error!.rows ?? [] };
}

beforeAll(async () => {
  await deployBuiltIns();
  a = await insuredProject("房屋导入甲");
  b = await insuredProject("房屋导入乙", PINGAN_PARTIES);
}, 60_000);

describe("importing a project's homes from Excel", () => {
  it("the developer imports a good file: every row becomes a home, and the import is audited", async () => {
    const result = await importUnits(a.developer, a.projectId, await file(goodUnitRows(50), "滇池湾交付清单.xlsx"));
    expect(result).toEqual({ added: 50, updated: 0, rows: 50 });
    const rows = await unitsOf(a.projectId);
    expect(rows).toHaveLength(50);
    expect(rows.find((u) => u.building === "1" && u.unitNo === "1" && u.room === "101")).toMatchObject({
      area: "88.50",
      ownerName: "业主1",
      ownerPhone: "13800000000",
    });
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "units.import"), eq(auditEvents.subjectId, a.projectId)));
    expect(audit).toMatchObject({ actorUserId: a.developer.userId, subjectType: "project" });
    expect(audit.after).toEqual({ fileName: "滇池湾交付清单.xlsx", added: 50, updated: 0, rows: 50 });
  });

  it("a re-import corrects the owner's phone, adds new homes and deletes none", async () => {
    const rows = goodUnitRows(2);
    rows[0][5] = "+86 139-1234-5678";
    const result = await importUnits(a.developer, a.projectId, await file([...rows, ["9", "1", "0101", "", "", ""]]));
    expect(result).toEqual({ added: 1, updated: 2, rows: 3 });
    const all = await unitsOf(a.projectId);
    expect(all).toHaveLength(51);
    expect(all.find((u) => u.room === "101" && u.building === "1" && u.unitNo === "1")!.ownerPhone).toBe("13912345678");
    expect(all.find((u) => u.building === "9")).toMatchObject({ room: "0101", area: null, ownerName: null, ownerPhone: null });
  });

  it("accepts the columns in any order and text in any cell kind (numbers, rich text)", async () => {
    const upload = await file([["13700001111", "李四", 120, { richText: [{ text: "2" }, { text: "01" }] }, 3, " 12 "]], "乱序.xlsx", [
      "业主电话",
      "业主姓名",
      "建筑面积（㎡）",
      "房号",
      "单元",
      "楼栋",
    ]);
    expect(await importUnits(a.insurer, a.projectId, upload)).toEqual({ added: 1, updated: 0, rows: 1 });
    expect((await unitsOf(a.projectId)).find((u) => u.building === "12")).toMatchObject({
      unitNo: "3",
      room: "201",
      area: "120.00",
      ownerName: "李四",
      ownerPhone: "13700001111",
    });
  });

  it("a file with bad rows reports every row's problem and imports nothing", async () => {
    const before = await unitsOf(a.projectId);
    const { file: summary, rows } = await refusal(
      a.developer,
      a.projectId,
      await file([
        ["20", "1", "101", 90, "王五", "13600001111"],
        ["20", "1", "102", 90, "赵六", "123"],
        ["", "1", "103", -5, "", ""],
        ["20", "1", "101", 90, "", ""],
        ["20", "1", "104", "八十", "欧".repeat(51), ""],
        // A NUL (written as _x0000_ in the file) and an error value in a formula cell.
        ["20", "1", "1_x0000_05", { formula: "1/0", result: { error: "#DIV/0!" } }, "", ""],
      ]),
    );
    expect(summary).toBe("5 行有误，未导入任何房屋。请修改后重新上传");
    expect(rows).toEqual([
      "第3行：业主电话“123”不是有效的手机号",
      "第4行：楼栋不能为空；建筑面积“-5”应为大于0且不超过10000的数字",
      "第5行：20栋1单元101与第2行重复",
      "第6行：建筑面积“八十”应为大于0且不超过10000的数字；业主姓名超过50个字",
      "第7行：房号含有无效字符；建筑面积“#DIV/0!”应为大于0且不超过10000的数字",
    ]);
    expect(await unitsOf(a.projectId)).toHaveLength(before.length);
  });

  it("an owner's phone with another country's code is refused, not taken as a mainland number", async () => {
    const { rows } = await refusal(
      a.developer,
      a.projectId,
      await file([
        ["21", "1", "101", 90, "王五", "+1 390 871 0001"],
        ["21", "1", "102", 90, "赵六", "+86 139 0871 0002"],
        ["21", "1", "103", 90, "钱七", "1-390-871-0003"],
        // Full-width, as a Chinese input method types it: read as the digits.
        ["21", "1", "104", 90, "孙八", "１３９０８７１０００４"],
      ]),
    );
    expect(rows).toEqual([
      "第2行：业主电话“+1 390 871 0001”不是中国大陆手机号（+86）",
      "第4行：业主电话“1-390-871-0003”不是中国大陆手机号（+86）",
    ]);
  });

  it("a file without the template's header is refused with what is missing", async () => {
    const { file: summary } = await refusal(a.developer, a.projectId, await file([["1", "101"]], "x.xlsx", ["楼栋", "房号"]));
    expect(summary).toBe("第1行应为表头，缺少：单元。请使用模板（楼栋、单元、房号、建筑面积(㎡)、业主姓名、业主电话）");
  });

  it("more than 5,000 rows are refused whole", async () => {
    const { file: summary } = await refusal(a.developer, a.projectId, await file(goodUnitRows(5001)));
    expect(summary).toBe("一次至多导入 5000 行，该文件有 5001 行，请分批导入");
    expect(await unitsOf(a.projectId)).toHaveLength(52);
  });

  it("a zip bomb is refused before it is unpacked, and nothing is imported", async () => {
    const { file: summary } = await refusal(a.developer, a.projectId, { name: "bomb.xlsx", bytes: zipBomb(40) });
    expect(summary).toBe("文件解压后过大（单项超过 8MB），请只保留房屋清单后上传");
    expect(await unitsOf(a.projectId)).toHaveLength(52);
  });

  it("another developer's project does not exist for the developer (404)", async () => {
    await expect(importUnits(a.developer, b.projectId, await file(goodUnitRows(1)))).rejects.toMatchObject({
      status: 404,
      message: "项目不存在，或不在您的查看范围内",
    });
    await expect(listUnits(a.developer, b.projectId, {})).rejects.toMatchObject({ status: 404 });
    expect(await unitsOf(b.projectId)).toHaveLength(0);
  });

  it("the project's contractor and its co-insurer may see the homes but not import them (403)", async () => {
    for (const actor of [a.contractor, await demoActor("insurer-cpic")])
      await expect(importUnits(actor, a.projectId, await file(goodUnitRows(1)))).rejects.toMatchObject({
        status: 403,
        message: "只有项目的建设单位、物业服务企业、主承保保险公司或平台管理员可以导入房屋清单",
      });
    expect((await listUnits(a.contractor, a.projectId, {})).canImport).toBe(false);
  });

  it("a project the regulator has not yet confirmed as insured takes no homes (409)", async () => {
    const insurer = await demoActor("insurer");
    const review = await startProcess(insurer, { key: "insurance-review", title: "未投保的房屋导入" });
    for (const submission of [registration({ permitNo: "KM-UNITS-409" }), policy({ policyNo: "PICC-UNITS-409" })])
      await completeTask(insurer, (await openTasksOf(review.id))[0].id, { submission });
    await expect(importUnits(a.developer, review.businessKey, await file(goodUnitRows(1)))).rejects.toMatchObject({
      status: 409,
      message: "项目尚未确认投保，暂不能导入房屋清单",
    });
    expect((await listUnits(a.developer, review.businessKey, {})).canImport).toBe(false);
  });

  it("the property company the developer names may see and import the homes; before it is named, and any other, it may not", async () => {
    const lijia = await demoActor("repairer");
    // The other demo property company (its staff come with the demo projects): an actor of its own.
    const [other] = await db()
      .select()
      .from(organisations)
      .where(eq(organisations.creditCode, demoCreditCode("rep-ax")));
    const anxin: Actor = { ...lijia, userId: crypto.randomUUID(), organisationId: other.id };
    // Not named yet: the project does not exist for it.
    await expect(listUnits(lijia, a.projectId, {})).rejects.toMatchObject({ status: 404 });
    await expect(importUnits(lijia, a.projectId, await file(goodUnitRows(1)))).rejects.toMatchObject({ status: 404 });
    // Only those who answer for the homes name it: not the contractor, not the company itself.
    for (const actor of [a.contractor, lijia])
      await expect(namePropertyCompany(actor, a.projectId, { creditCode: demoCreditCode("rep-lj") })).rejects.toMatchObject({
        status: actor === lijia ? 404 : 403,
      });
    // A code that is not a registered property company is refused on its field; nothing changes.
    for (const [creditCode, message] of [
      ["", "请输入物业服务企业的统一社会信用代码"],
      [`${demoCreditCode("rep-lj").slice(0, 17)}${demoCreditCode("rep-lj").endsWith("0") ? "1" : "0"}`, "统一社会信用代码校验位错误"],
      [demoCreditCode("con-km3"), "该信用代码登记的是施工单位"],
    ])
      await expect(namePropertyCompany(a.developer, a.projectId, { creditCode })).rejects.toMatchObject({
        status: 422,
        fields: { creditCode: expect.stringContaining(message) },
      });
    expect((await listUnits(a.developer, a.projectId, {})).propertyCompany).toBeNull();

    expect(await namePropertyCompany(a.developer, a.projectId, { creditCode: demoCreditCode("rep-lj").toLowerCase() })).toEqual({
      name: "昆明利家物业服务有限公司",
      creditCode: demoCreditCode("rep-lj"),
    });
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "project.property_company"), eq(auditEvents.subjectId, a.projectId)));
    expect(audit).toMatchObject({ actorUserId: a.developer.userId, after: { propertyCompanyId: lijia.organisationId } });

    const seen = await listUnits(lijia, a.projectId, {});
    expect(seen).toMatchObject({ canImport: true, canNamePropertyCompany: false, contactMasked: true });
    expect(seen.total).toBeGreaterThan(0);
    expect(await importUnits(lijia, a.projectId, await file([["9", "1", "901", 120, "物业导入", "13800009901"]]))).toMatchObject({
      added: 1,
    });
    // Another property company, and the named one on another project, still see nothing.
    await expect(listUnits(anxin, a.projectId, {})).rejects.toMatchObject({ status: 404 });
    await expect(importUnits(lijia, b.projectId, await file(goodUnitRows(1)))).rejects.toMatchObject({ status: 404 });
  });

  it("the template's example row is never imported: alone it is an empty file; filled in below the example, only the rows written", async () => {
    const admin = await demoActor("admin");
    const template = new Uint8Array(await unitsTemplate());
    expect((await refusal(admin, b.projectId, { name: "模板.xlsx", bytes: template })).file).toBe(
      "文件中没有房屋数据：请从第2行起逐行填写",
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(template) as unknown as ExcelJS.Buffer);
    workbook.worksheets[0].addRow(["3", "1", "301", 96, "李四", "13900003301"]);
    const filled = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(await importUnits(admin, b.projectId, { name: "模板.xlsx", bytes: filled })).toEqual({ added: 1, updated: 0, rows: 1 });
    expect((await unitsOf(b.projectId)).map((u) => u.ownerName)).toEqual(["李四"]);
  });
});

describe("the homes list", () => {
  it("masks owners' names and phones for the insurer and the developer, and shows them in full to the regulator and the hotline", async () => {
    const find = { building: "1", pageSize: 100 };
    const masked = await listUnits(a.insurer, a.projectId, find);
    expect(masked.rows.find((r) => r.room === "102" && r.unitNo === "1")).toMatchObject({ ownerName: "业**", ownerPhone: "138****0001" });
    expect(masked.contactMasked).toBe(true);
    expect((await listUnits(a.developer, a.projectId, find)).rows[0].ownerPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
    for (const actor of [await demoActor("regulator"), await demoActor("hotline")]) {
      const full = await listUnits(actor, a.projectId, find);
      expect(full.rows.find((r) => r.room === "102" && r.unitNo === "1")).toMatchObject({ ownerName: "业主2", ownerPhone: "13800000001" });
    }
  });

  it("filters by building, searches room or owner, pages in natural order, and lists the buildings", async () => {
    const regulator = await demoActor("regulator");
    const page = await listUnits(regulator, a.projectId, { building: "2", pageSize: 5, page: 1 });
    expect(page.total).toBe(10);
    expect(page.rows.map((r) => r.label)).toEqual(["2栋1单元101", "2栋1单元102", "2栋1单元103", "2栋1单元104", "2栋1单元105"]);
    expect(page.buildings).toEqual(["1", "2", "9", "12"]);
    expect((await listUnits(regulator, a.projectId, { q: "0101" })).rows.map((r) => r.label)).toEqual(["9栋1单元0101"]);
    // Where the list writes no room with its zeros, 0102 (as a caller may say it) is 102.
    expect((await listUnits(regulator, a.projectId, { q: "1-1-0102" })).rows.map((r) => r.label)).toEqual(["1栋1单元102"]);
    expect((await listUnits(regulator, a.projectId, { q: "李四" })).total).toBe(1);
    // Where names are masked, a search by name finds nothing: it would unmask them.
    expect((await listUnits(a.insurer, a.projectId, { q: "李四" })).total).toBe(0);
    expect((await listUnits(a.insurer, a.projectId, { q: "201" })).rows.map((r) => r.label)).toEqual(["12栋3单元201"]);
    // A room is that room, whole: 101 is not 0101; an address names building and unit as typed.
    expect((await listUnits(regulator, a.projectId, { q: "101", pageSize: 100 })).rows.map((r) => r.label)).not.toContain("9栋1单元0101");
    expect((await listUnits(regulator, a.projectId, { q: "01" })).total).toBe(0);
    for (const q of ["2栋1单元101", "2-1-101", "2号楼1单元101室"])
      expect((await listUnits(a.insurer, a.projectId, { q })).rows.map((r) => r.label), q).toEqual(["2栋1单元101"]);
    expect((await listUnits(a.developer, a.projectId, {})).canImport).toBe(true);
  });
});
