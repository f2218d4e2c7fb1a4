import { z } from "zod";
import { PERIOD_KINDS, STATISTICS_AREA_LABELS, STATISTICS_AREAS } from "~/shared/statistics";
import type { Actor } from "../auth/actor";
import { statisticsQuerySchema } from "../statistics/filters.server";
import { statisticsDashboard } from "../statistics/index.server";
import { calendarDate, codesOf, isoDate, type Operation } from "./contract-common.server";

// The dashboards' figures for insurers' and the bureau's own systems: the same filters, scope and
// numbers as the 统计 page (app/shared/statistics.ts is their one shape).

export const StatisticsQuery = statisticsQuerySchema;

const ChartPoint = z.object({
  key: z.string().describe("分类的稳定标识：单位标识、行政区划代码、月份 YYYY-MM 或类别代码"),
  label: z.string(),
  value: z.number(),
  link: z.string().optional().describe("平台上恰为该数值所计对象的明细列表（带筛选条件的相对地址）；调用者无权打开该列表时无此项"),
});

export const StatisticsDashboard = z
  .object({
    area: z.enum(STATISTICS_AREAS).describe(`统计板块：${codesOf(STATISTICS_AREA_LABELS)}`),
    filters: z.object({
      period: z.enum(PERIOD_KINDS),
      from: calendarDate,
      to: calendarDate,
      district: z.string().optional(),
      insurer: z.uuid().optional().describe("保险公司的单位标识（同查询参数 insurer）"),
      tis: z.uuid().optional().describe("风险管理机构的单位标识（同查询参数 tis）"),
    }),
    asOf: isoDate.describe("数据截至时间"),
    kpis: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        value: z.number().nullable().describe("无数据时为空（页面显示“—”）"),
        unit: z.string().describe("单位：元、元/㎡、㎡、%、个、件…"),
        breakdown: z
          .array(z.object({ label: z.string(), value: z.number(), link: z.string().optional() }))
          .optional()
          .describe("按保险公司等的分项，由大到小"),
        note: z.string().optional().describe("口径说明，如“截至今日”（按当前状态而非统计期间计）"),
      }),
    ),
    charts: z.array(
      z.object({
        key: z.string(),
        title: z.string(),
        kind: z.enum(["bar", "line", "pie", "district"]),
        categoryLabel: z.string(),
        series: z.array(z.object({ name: z.string(), unit: z.string(), points: z.array(ChartPoint) })),
        note: z.string().optional().describe("口径说明，如共保按份额计"),
      }),
    ),
  })
  .meta({ id: "StatisticsDashboard" });

export const STATISTICS_OPERATIONS: Operation[] = [
  {
    id: "getStatistics",
    permission: "view:stats",
    method: "get",
    path: "/api/v1/statistics/{area}",
    summary: `统计看板的指标和图表数据（area：${codesOf(STATISTICS_AREA_LABELS)}），按调用方的查看范围计算`,
    query: StatisticsQuery,
    response: StatisticsDashboard,
    errors: [401, 403, 404, 422],
  },
];

export function apiGetStatistics(actor: Actor, area: string, query: Record<string, unknown>) {
  return statisticsDashboard(actor, area, query);
}
