import { and, asc, desc, eq, gte, lt, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { processDefinitions, processInstances, tasks } from "@db/schema";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { NotFoundError, ValidationError } from "../errors.server";
import { parseQuery } from "../query.server";
import { periodInOrder, recordDay } from "../pagination.server";
import { dayStarts, shiftDay } from "~/shared/time";
import { listLatestDefinitions, modelOf } from "../workflow/index.server";

// 流程热力图 (docs/decisions/037): where the work of a definition waits. For each user task of the
// definition (all versions, or one) and the steps opened in a period (by the day their task row was
// created, Beijing time): how many, the mean and the 90th percentile of the time spent (created →
// completed; a step still open counts its age on the platform clock: it is waiting now, and leaving
// it out would hide exactly the step that is stuck), and the share of those with a due date that
// went past it (completed after it, or open beyond it). Steps the flow cancelled (a withdrawal, a
// boundary timer, a cancelled flow) are left out: nobody finished them. Computed in one SQL query
// (avg and percentile_cont by element), so a city's years of tasks are one grouped scan of the
// definition's instances' tasks, the period found through tasks_created_idx.

/** The period a heatmap covers when none is given: the 30 days up to today. */
export const DEFAULT_DAYS = 30;

/** The longest period a heatmap covers (both ends included). */
export const MAX_DAYS = 366;

export const heatmapQuery = z
  .object({
    from: recordDay("开始日期").optional().describe("开始日期（含），YYYY-MM-DD，北京时间；默认结束日期前30天；期间至多366天"),
    to: recordDay("结束日期").optional().describe("结束日期（含），YYYY-MM-DD，北京时间；默认今天"),
    version: z
      .string({ error: "版本应为正整数" })
      .regex(/^[1-9][0-9]{0,5}$/, "版本应为正整数")
      .optional()
      .describe("流程版本；不填为全部版本"),
  })
  .refine(...periodInOrder("开始日期", "结束日期"));

export type HeatmapQuery = z.input<typeof heatmapQuery>;

export interface HeatmapStep {
  elementId: string;
  name: string;
  /** Steps opened in the period (completed or still open). */
  count: number;
  open: number;
  /** Seconds from opened to completed (or to now, for an open one): mean and 90th percentile. */
  meanSeconds: number;
  p90Seconds: number;
  /** Of the steps with a due date, how many went past it, and that share (0–1; null when none had a due date). */
  withDue: number;
  overdue: number;
  overdueShare: number | null;
}

export interface Heatmap {
  key: string;
  name: string;
  version: number | null;
  versions: number[];
  from: string;
  to: string;
  steps: HeatmapStep[];
}

/**
 * Who reads the heatmap: the supervisors of the city's work (the bureau) and administrators
 * (`view:process-heatmap`); anyone else is refused (403). It counts every flow of the definition,
 * city-wide: no organisation's figures are told apart.
 */
export async function processHeatmap(actor: Actor, key: string, query: unknown): Promise<Heatmap> {
  assertCan(actor, "view:process-heatmap");
  const q = parseQuery(heatmapQuery, query);
  const versions = await db()
    .select({ version: processDefinitions.version, name: processDefinitions.name })
    .from(processDefinitions)
    .where(eq(processDefinitions.key, key))
    .orderBy(desc(processDefinitions.version));
  if (!versions.length) throw new NotFoundError("流程不存在");
  const version = q.version === undefined ? null : Number(q.version);
  if (version !== null && !versions.some((v) => v.version === version))
    throw new ValidationError({ version: `流程没有第${version}版` }, "查询参数有误");
  const to = q.to ?? clock.today();
  const from = q.from ?? shiftDay(to, -(DEFAULT_DAYS - 1), "day");
  if (from > to) throw new ValidationError({ to: "结束日期不能早于开始日期" }, "查询参数有误");
  // A year of a city's steps is a few hundred thousand rows sorted for the percentiles (well under a
  // second); ten years would be seconds of one query per click, so a period is at most a year.
  if (from < shiftDay(to, -(MAX_DAYS - 1), "day")) throw new ValidationError({ from: `查询期间不能超过${MAX_DAYS}天` }, "查询参数有误");
  const now = clock.now().toISOString();
  const spent = sql`extract(epoch from (coalesce(${tasks.completedAt}, ${now}::timestamptz) - ${tasks.createdAt}))::float8`;
  const rows = await db()
    .select({
      elementId: tasks.elementId,
      name: sql<string>`min(${tasks.name})`,
      count: sql<number>`count(*)::int`.mapWith(Number),
      open: sql<number>`(count(*) filter (where ${tasks.status} = 'open'))::int`.mapWith(Number),
      meanSeconds: sql<number>`avg(${spent})::float8`.mapWith(Number),
      p90Seconds: sql<number>`percentile_cont(0.9) within group (order by ${spent})::float8`.mapWith(Number),
      withDue: sql<number>`(count(*) filter (where ${tasks.dueAt} is not null))::int`.mapWith(Number),
      overdue: sql<number>`(count(*) filter (where coalesce(${tasks.completedAt}, ${now}::timestamptz) > ${tasks.dueAt}))::int`.mapWith(
        Number,
      ),
    })
    .from(tasks)
    .innerJoin(processInstances, eq(processInstances.id, tasks.instanceId))
    .where(
      and(
        eq(processInstances.definitionKey, key),
        version === null ? undefined : eq(processInstances.definitionVersion, version),
        ne(tasks.status, "cancelled"),
        gte(tasks.createdAt, dayStarts(from)),
        lt(tasks.createdAt, dayStarts(shiftDay(to, 1, "day"))),
      ),
    )
    .groupBy(tasks.elementId)
    .orderBy(asc(tasks.elementId));
  return {
    key,
    name: versions[0].name,
    version,
    versions: versions.map((v) => v.version),
    from,
    to,
    steps: rows.map((r) => ({ ...r, overdueShare: r.withDue ? r.overdue / r.withDue : null })),
  };
}

/**
 * The flows a heatmap can say something of, for its picker: those whose latest version has user
 * tasks (a report flow of service steps alone has no step anyone waits on).
 */
export async function heatmapProcesses(): Promise<{ value: string; label: string }[]> {
  const definitions = await listLatestDefinitions();
  const models = await Promise.all(definitions.map((d) => modelOf(d)));
  return definitions.filter((_, i) => models[i].userTasks.size > 0).map((d) => ({ value: d.key, label: d.name }));
}

/** The diagram a heatmap is drawn on: the version asked for, or the latest. */
export async function heatmapDiagram(key: string, version: number | null): Promise<string> {
  const [row] = await db()
    .select({ xml: processDefinitions.xml })
    .from(processDefinitions)
    .where(
      version === null ? eq(processDefinitions.key, key) : and(eq(processDefinitions.key, key), eq(processDefinitions.version, version)),
    )
    .orderBy(desc(processDefinitions.version))
    .limit(1);
  if (!row) throw new NotFoundError("流程不存在");
  return row.xml;
}
