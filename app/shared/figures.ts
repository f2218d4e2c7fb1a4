// A dashboard's figures as people read them: money, areas, averages and rates to two decimals with
// thousands separators, counts whole; nothing to count is "—", never 0.

const TWO_DECIMALS = new Set(["元", "元/㎡", "㎡", "%"]);

export function formatFigure(value: number | null | undefined, unit: string): string {
  if (value == null) return "—";
  const decimals = TWO_DECIMALS.has(unit) ? 2 : 0;
  return value.toLocaleString("zh-CN", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
