import { z } from "zod";
import type { Actor } from "../auth/actor";
import { heatmapQuery, processHeatmap } from "../flow-views/heatmap.server";
import { definitionNamed } from "../flow-views/operate.server";
import { calendarDate, type Operation } from "./contract-common.server";

// Watching the running work over the API (docs/decisions/037): the heatmap's figures, for the
// bureau's and the administrators' own systems.

export const HeatmapQuery = heatmapQuery;

export const HeatmapStep = z
  .object({
    elementId: z.string().describe("环节（用户任务）在流程图中的标识"),
    name: z.string(),
    count: z.number().int().describe("期间内开始的环节数（已办结与未办结，不含被流程取消的）"),
    open: z.number().int().describe("其中尚未办结的"),
    meanSeconds: z.number().describe("平均用时（秒）：创建至办结；未办结的按至今已等待时间计"),
    p90Seconds: z.number().describe("90%分位用时（秒，percentile_cont）"),
    withDue: z.number().int().describe("有办理期限的环节数"),
    overdue: z.number().int().describe("其中超过期限的（办结晚于期限，或至今未办结且已过期限）"),
    overdueShare: z.number().nullable().describe("逾期比例 overdue / withDue（0–1）；无期限时为空"),
  })
  .meta({ id: "HeatmapStep" });

export const ProcessHeatmap = z
  .object({
    key: z.string(),
    name: z.string(),
    version: z.number().int().nullable().describe("所查版本；为空表示全部版本"),
    versions: z.array(z.number().int()).describe("该流程已发布的版本，由新到旧"),
    from: calendarDate,
    to: calendarDate,
    steps: z.array(HeatmapStep),
  })
  .meta({ id: "ProcessHeatmap" });

export const OPERATE_OPERATIONS: Operation[] = [
  {
    id: "getProcessHeatmap",
    permission: "view:process-heatmap",
    method: "get",
    path: "/api/v1/processes/{key}/heatmap",
    summary: "流程热力图：期间内各环节的平均与90%分位用时、逾期比例（住建局与平台管理员，全市口径）",
    authorize: async (_actor, params) => void (await definitionNamed(params.key ?? "")),
    query: HeatmapQuery,
    response: ProcessHeatmap,
    errors: [401, 403, 404, 422],
  },
];

export function apiProcessHeatmap(actor: Actor, key: string, query: Record<string, unknown>) {
  return processHeatmap(actor, key, query);
}
