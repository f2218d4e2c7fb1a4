// A dashboard's figures as people read them: money, areas, averages and rates to two decimals with
// thousands separators, counts whole; nothing to count is "—", never 0.

const TWO_DECIMALS = new Set(["元", "元/㎡", "㎡", "%", "件/项目"]);

/** Whether a unit's figures show two decimals (money, areas, rates, averages) or none (counts). */
export const hasDecimals = (unit: string): boolean => TWO_DECIMALS.has(unit);

export function formatFigure(value: number | null | undefined, unit: string): string {
  if (value == null) return "—";
  const decimals = hasDecimals(unit) ? 2 : 0;
  return value.toLocaleString("zh-CN", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
