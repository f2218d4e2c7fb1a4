// A dashboard's figures as people read them: money, areas, averages and rates to two decimals with
// thousands separators, average days to one, counts whole; nothing to count is "—", never 0.

/** The decimals a unit's figures are shown with (as the server rounds them); a count has none. */
const DECIMALS: Record<string, number> = { 元: 2, "元/㎡": 2, "㎡": 2, "%": 2, "件/项目": 2, 星: 2, 天: 1 };

export const decimalsOf = (unit: string): number => DECIMALS[unit] ?? 0;

export function formatFigure(value: number | null | undefined, unit: string): string {
  if (value == null) return "—";
  const decimals = decimalsOf(unit);
  return value.toLocaleString("zh-CN", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A rank reads "第2名", not "2 名": what goes before the figure of a unit (nothing for most). */
export const figurePrefix = (unit: string): string => (unit === "名" ? "第" : "");

/** A figure with its unit as a card reads it: "1,234.56 元", "第2名"; nothing to count is "—". */
export function figureWithUnit(value: number | null | undefined, unit: string): string {
  if (value == null) return "—";
  const prefix = figurePrefix(unit);
  return `${prefix}${formatFigure(value, unit)}${prefix ? "" : " "}${unit}`;
}

/** Money as every page shows it: yuan with its two decimals (the fen), thousands separated; nothing is "—". */
export function formatMoney(value: string | number | null | undefined): string {
  return formatFigure(value === null || value === undefined || value === "" ? null : Number(value), "元");
}
