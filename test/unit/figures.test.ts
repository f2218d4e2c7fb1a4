import { describe, expect, it } from "vitest";
import { figureWithUnit, formatFigure, formatMoney } from "~/shared/figures";
import { numberFormatOf } from "~/server/statistics/chart-workbook.server";

// A figure as the cards, charts, tables and reports show it, and as its Excel cell is formatted.

describe("a dashboard's figure", () => {
  it("keeps the decimals its unit is measured in: stars apart at 3.9 and 3.8, days at 6.9", () => {
    expect(["元", "㎡", "%", "星", "天", "件", "个"].map((unit) => formatFigure(1234.56, unit))).toEqual([
      "1,234.56",
      "1,234.56",
      "1,234.56",
      "1,234.56",
      "1,234.6",
      "1,235",
      "1,235",
    ]);
    expect([formatFigure(3.9, "星"), formatFigure(3.8, "星"), formatFigure(6.9, "天")]).toEqual(["3.90", "3.80", "6.9"]);
    expect([formatFigure(null, "元"), formatFigure(undefined, "星")]).toEqual(["—", "—"]);
  });

  it("reads a rank as 第1名, other figures with their unit after them", () => {
    expect([figureWithUnit(1, "名"), figureWithUnit(1234.5, "元"), figureWithUnit(null, "名")]).toEqual(["第1名", "1,234.50 元", "—"]);
  });

  it("shows money in yuan with its fen, from the database's numeric strings too", () => {
    expect([formatMoney(5000), formatMoney("287376740"), formatMoney("4885404.575"), formatMoney(0)]).toEqual([
      "5,000.00",
      "287,376,740.00",
      "4,885,404.58",
      "0.00",
    ]);
    expect([formatMoney(null), formatMoney(undefined), formatMoney("")]).toEqual(["—", "—", "—"]);
  });

  it("is formatted in Excel with the same decimals", () => {
    expect(["元", "星", "天", "件"].map(numberFormatOf)).toEqual(["#,##0.00", "#,##0.00", "#,##0.0", undefined]);
  });
});
