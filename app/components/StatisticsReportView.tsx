import { formatFigure } from "~/shared/figures";
import { REPORT_HEADING, REPORT_ISSUER } from "~/shared/reports";
import { STATISTICS_AREA_LABELS, type Chart, type Dashboard } from "~/shared/statistics";
import { formatDateTime } from "~/shared/time";
import { DashboardChart, rotatesLabels } from "./DashboardChart";

// A statistical report as it prints on A4: the bureau's heading, then each area's KPIs, charts and
// their tables, all from the figures stored when the report was made. Its charts open no list:
// a report is a record of its cut-off, and the lists show today.

/** A chart's height in the report, two abreast on A4 (the dashboards draw theirs at 300). */
const REPORT_CHART_HEIGHT = 190;

export interface StatisticsReportProps {
  title: string;
  cutOff: string;
  requestedBy: string | null;
  areas: Dashboard[];
}

const withoutLinks = (chart: Chart): Chart => ({
  ...chart,
  series: chart.series.map((s) => ({ ...s, points: s.points.map(({ link: _link, ...p }) => p) })),
});

/**
 * A4 and compact (the demo's monthly report on 9 pages, not 23): the charts two abreast (one of many
 * series or categories across the page), each with its table and never split across pages; the
 * areas (承保, 风险, 理赔, 服务评价) flow on one after the other, a heading never ending a page and an
 * area's KPI table never split. Forcing each area onto a page of its own cost a page or two.
 */
export const REPORT_PRINT_STYLE = `
.statistics-report { max-width: 180mm; margin: 0 auto; color: #000; font-size: 10px; }
.statistics-report h1 { text-align: center; font-size: 20px; margin: 0 0 4px; }
.statistics-report .issuer { text-align: center; font-size: 16px; margin: 0; }
.statistics-report .meta { text-align: center; color: #444; margin: 4px 0 12px; }
.statistics-report h2 { font-size: 15px; border-bottom: 2px solid #000; padding-bottom: 2px; margin: 12px 0 6px; break-after: avoid; page-break-after: avoid; }
.statistics-report h3 { font-size: 12px; margin: 6px 0 2px; break-after: avoid; page-break-after: avoid; }
.statistics-report table { width: 100%; border-collapse: collapse; margin: 2px 0 4px; }
.statistics-report th, .statistics-report td { border: 1px solid #999; padding: 0 3px; line-height: 1.3; text-align: left; }
.statistics-report td.figure, .statistics-report th.figure { text-align: right; }
.statistics-report .note { color: #555; font-size: 10px; margin: 2px 0; }
.statistics-report .kpis { break-inside: avoid; page-break-inside: avoid; }
.statistics-report .report-charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); column-gap: 6mm; }
.statistics-report .report-chart { break-inside: avoid; page-break-inside: avoid; min-width: 0; margin-bottom: 3mm; }
.statistics-report .report-chart.wide { grid-column: 1 / -1; }
@page { size: A4; margin: 12mm 12mm; }
@media print {
  .no-print { display: none !important; }
}
`;

export function StatisticsReportView({ title, cutOff, requestedBy, areas }: StatisticsReportProps) {
  const period = areas[0] ? `${areas[0].filters.from} 至 ${areas[0].filters.to}` : "";
  return (
    <article className="statistics-report">
      <p className="issuer">{REPORT_ISSUER}</p>
      <h1>{REPORT_HEADING}</h1>
      <p className="meta" data-testid="report-meta">
        {title}，统计期间 {period}，数据截至 {formatDateTime(cutOff)}，{requestedBy ? `由${requestedBy}生成` : "定时生成"}
      </p>
      {areas.map((dashboard) => (
        <section key={dashboard.area} data-testid={`report-area-${dashboard.area}`}>
          <h2>{STATISTICS_AREA_LABELS[dashboard.area]}</h2>
          <table className="kpis">
            <thead>
              <tr>
                <th>指标</th>
                <th className="figure">数值</th>
                <th>单位</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.kpis.flatMap((kpi) => [
                <tr key={kpi.key}>
                  <td>{kpi.label}</td>
                  <td className="figure">{formatFigure(kpi.value, kpi.unit)}</td>
                  <td>{kpi.unit}</td>
                </tr>,
                ...(kpi.breakdown ?? []).map((part) => (
                  <tr key={`${kpi.key}-${part.label}`}>
                    <td style={{ paddingLeft: 24 }}>其中：{part.label}</td>
                    <td className="figure">{formatFigure(part.value, kpi.unit)}</td>
                    <td>{kpi.unit}</td>
                  </tr>
                )),
              ])}
            </tbody>
          </table>
          <div className="report-charts">
            {dashboard.charts.map((chart) => (
              <ReportChart key={chart.key} chart={withoutLinks(chart)} />
            ))}
          </div>
        </section>
      ))}
    </article>
  );
}

/**
 * A chart's height on paper: more where its x labels are rotated (they take the room under the
 * plot) and where its legend lists many entries on several lines (a pie's slices, many series).
 */
function reportChartHeight(chart: Chart, labels: string[]): number {
  const entries = chart.kind === "pie" ? labels.length : chart.series.length > 1 ? chart.series.length : 0;
  const legendLines = Math.max(0, Math.ceil(entries / 4) - 1);
  return REPORT_CHART_HEIGHT + (chart.kind !== "pie" && rotatesLabels(labels) ? 60 : 0) + legendLines * 14;
}

/** A chart of many series (its table's columns) or many categories (its axis' labels) takes the page's width. */
const wide = (chart: Chart, labels: string[]) => chart.series.length > 3 || labels.length > 6;

function ReportChart({ chart }: { chart: Chart }) {
  const labels = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.label)))];
  return (
    <div className={`report-chart${wide(chart, labels) ? " wide" : ""}`} data-testid={`report-chart-${chart.key}`}>
      <h3>
        {chart.title}（单位：{[...new Set(chart.series.map((s) => s.unit))].join("、")}）
      </h3>
      {labels.length ? (
        <>
          <DashboardChart chart={chart} height={reportChartHeight(chart, labels)} print />
          <table>
            <thead>
              <tr>
                <th>{chart.categoryLabel}</th>
                {chart.series.map((s) => (
                  <th key={s.name} className="figure">
                    {s.name}（{s.unit}）
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((label) => (
                <tr key={label}>
                  <td>{label}</td>
                  {chart.series.map((s) => (
                    <td key={s.name} className="figure">
                      {formatFigure(s.points.find((p) => p.label === label)?.value, s.unit)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="note">本期无数据</p>
      )}
      {chart.note ? <p className="note">{chart.note}</p> : null}
    </div>
  );
}
