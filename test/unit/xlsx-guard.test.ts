import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { guardXlsx, XLSX_LIMITS } from "~/server/claims/xlsx-guard.server";
import { craftZip, zipBomb } from "../support/zip";

// What the upload guard lets through to exceljs and what it refuses, with the message the user reads.

async function realXlsx(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("房屋清单");
  sheet.addRow(["楼栋", "单元", "房号", "建筑面积(㎡)", "业主姓名", "业主电话"]);
  for (let i = 1; i <= 300; i++) sheet.addRow(["1", "2", String(100 + i), 89.5, "张三", "13812341234"]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The message on `file` that the guard refuses with, or "" when it lets the bytes through. */
function refusal(bytes: Uint8Array): string {
  try {
    guardXlsx(bytes);
    return "";
  } catch (error) {
    expect(error).toMatchObject({ status: 422 });
    return (error as { fields: Record<string, string> }).fields.file;
  }
}

describe("the xlsx upload guard", () => {
  it("lets a real workbook written by exceljs through", async () => {
    expect(refusal(await realXlsx())).toBe("");
  });

  it("refuses an entry that declares 40 MB unpacked, though it is tiny on disk", () => {
    const bomb = zipBomb(40);
    expect(bomb.byteLength).toBeLessThan(100 * 1024);
    expect(refusal(bomb)).toBe("文件解压后过大（单项超过 8MB），请只保留房屋清单后上传");
  });

  it("refuses an entry whose compression ratio is absurd, even within the size caps", () => {
    expect(refusal(zipBomb(7))).toBe("文件的压缩比异常，可能是恶意构造的压缩包，已拒绝");
  });

  it("refuses an entry that unpacks to more than it declares (exceljs would unpack it all)", () => {
    expect(refusal(zipBomb(7, 1000))).toBe("文件内容与其声明的大小不符，可能已损坏或被恶意构造，已拒绝");
  });

  it("refuses what is not a zip", () => {
    const message = "文件不是有效的 Excel 表格（.xlsx），请用模板填写后上传";
    expect(refusal(new TextEncoder().encode("楼栋,单元,房号\n1,2,1501\n"))).toBe(message);
    expect(refusal(new Uint8Array(10))).toBe(message);
  });

  it("refuses too many entries", () => {
    const entries = Array.from({ length: XLSX_LIMITS.entries + 1 }, (_, i) => ({ name: `xl/media/${i}.xml`, data: new Uint8Array(10) }));
    expect(refusal(craftZip(entries))).toBe("文件包含的内容条目过多（201 个，至多 200 个），不像是房屋清单");
  });

  it("refuses encrypted entries and bytes the directory does not account for", async () => {
    expect(refusal(craftZip([{ name: "a.xml", data: new Uint8Array(10), flags: 1 }]))).toBe("不支持加密的文件，请取消密码保护后上传");
    const real = await realXlsx();
    const padded = new Uint8Array(real.byteLength + 5);
    padded.set(real.subarray(0, real.byteLength - 22));
    padded.set(real.subarray(real.byteLength - 22), real.byteLength - 22 + 5);
    expect(refusal(padded)).toBe("文件不是有效的 Excel 表格（.xlsx），请用模板填写后上传");
  });

  it("refuses an upload over 5 MB before reading it", () => {
    expect(refusal(new Uint8Array(XLSX_LIMITS.uploadBytes + 1))).toBe("文件超过 5MB 的上限");
  });
});
