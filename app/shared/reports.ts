// The periodic statistical reports' periods and how they are named, on the server and the page.

/**
 * The `kind` of a statistical report's row (the monthly underwriting summary is another kind). Read by
 * the report's page as it renders in the browser, so it lives here, not in a server module (the
 * browser's bundle has none of those: a value imported from one is undefined there).
 */
export const STATISTICS_REPORT_KIND = "statistics";

export const REPORT_PERIODS = ["month", "quarter", "year"] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export const REPORT_PERIOD_LABELS: Record<ReportPeriod, string> = { month: "月度", quarter: "季度", year: "年度" };

/** The business key of a period's long-lived statistics-report flow (statistics-month…). */
export const reportFlowKey = (period: ReportPeriod): string => `statistics-${period}`;

/** Each period's flow by its business key, as its title reads (in 流程管理 and the audit log). */
export const REPORT_FLOW_TITLES: Record<string, string> = Object.fromEntries(
  REPORT_PERIODS.map((p) => [reportFlowKey(p), `${REPORT_PERIOD_LABELS[p]}统计报告（定期）`]),
);

const QUARTERS = ["一", "二", "三", "四"];

/** A period by its first day, as the bureau names it: 2026年10月, 2026年第四季度, 2026年度. */
export function reportPeriodLabel(kind: ReportPeriod, from: string): string {
  const year = from.slice(0, 4);
  const month = Number(from.slice(5, 7));
  if (kind === "month") return `${year}年${month}月`;
  if (kind === "quarter") return `${year}年第${QUARTERS[Math.floor((month - 1) / 3)]}季度`;
  return `${year}年度`;
}

/** The printed report's heading: the bureau that issues it, then what it is. */
export const REPORT_ISSUER = "昆明市住房和城乡建设局";
export const REPORT_HEADING = "住宅工程质量潜在缺陷保险 统计报告";
