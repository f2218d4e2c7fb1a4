import { and, eq, min } from "drizzle-orm";
import { z } from "zod";
import { policies, projects, reports } from "@db/schema";
import type { Tx } from "@db/client";
import type { Dashboard } from "~/shared/statistics";
import { REPORT_PERIODS, STATISTICS_REPORT_KIND, reportPeriodLabel, type ReportPeriod } from "~/shared/reports";
import { dayStarts, formatDateTime, shiftDay } from "~/shared/time";
import { CITY_FIGURES_READER, SYSTEM_ACTOR, type Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { recordAudit } from "../audit.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { ValidationError } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { calendarPeriod } from "../statistics/filters.server";
import { allDashboards } from "../statistics/index.server";
import { recordDay } from "../pagination.server";
import { parseInput } from "../validation.server";

// The monthly, quarterly and yearly statistical reports to the bureau and the insurance regulator
// (docs/decisions/027): every dashboard area's figures for a calendar period that has ended, read
// once by the statistics module and stored as they were read, with the time they were read (the
// cut-off). A report is never computed again: its page and its workbook draw the stored figures.


/** What a statistical report stores: each area's dashboard as the statistics module answered it. */
export interface StatisticsReportData {
  areas: Dashboard[];
}

export interface ReportDays {
  from: string;
  to: string;
}

const today = (now: Date) => formatDateTime(now, "YYYY-MM-DD");

/** The last calendar month, quarter or year that had ended by `now` (Kunming days). */
export function lastEndedPeriod(kind: ReportPeriod, now: Date): ReportDays {
  const current = calendarPeriod(kind, today(now));
  return calendarPeriod(kind, shiftDay(current.from, -1, "day"));
}

/** When the period running at `now` ends: the next report of its kind falls due then. */
export function nextPeriodEnd(kind: ReportPeriod, now: Date): Date {
  return dayStarts(shiftDay(calendarPeriod(kind, today(now)).to, 1, "day"));
}

/**
 * The report of a period, made now unless one exists (then that one, unchanged: a second request,
 * a double click or the timer after an on-demand report all find it). `requester` is the person
 * who asked; none for the timer.
 */
export async function buildStatisticsReport(
  tx: Tx,
  kind: ReportPeriod,
  days: ReportDays,
  requester: Actor | null,
): Promise<{ id: string; created: boolean }> {
  const periodStart = dayStarts(days.from);
  const existing = () =>
    tx
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.kind, STATISTICS_REPORT_KIND), eq(reports.periodKind, kind), eq(reports.periodStart, periodStart)));
  const [found] = await existing();
  if (found) return { id: found.id, created: false };

  const cutOff = clock.now();
  const data: StatisticsReportData = { areas: await allDashboards(CITY_FIGURES_READER, { period: kind, ...days }, tx) };
  const title = `住宅工程质量潜在缺陷保险统计报告（${reportPeriodLabel(kind, days.from)}）`;
  const [made] = await tx
    .insert(reports)
    .values({
      kind: STATISTICS_REPORT_KIND,
      periodKind: kind,
      title,
      periodStart,
      periodEnd: dayStarts(shiftDay(days.to, 1, "day")),
      cutOff,
      data,
      requestedBy: requester?.userId ?? null,
      createdAt: cutOff,
    })
    // Two requests at once: the unique period index lets one in, the other finds it below.
    .onConflictDoNothing()
    .returning({ id: reports.id });
  if (!made) {
    const [winner] = await existing();
    return { id: winner.id, created: false };
  }
  await recordAudit(tx, requester ?? SYSTEM_ACTOR, {
    action: "report.generate",
    subjectType: "report",
    subjectId: made.id,
    after: {
      title,
      periodFrom: days.from,
      periodTo: days.to,
      cutOff: cutOff.toISOString(),
      madeBy: requester ? `${requester.displayName}生成` : "定时生成",
    },
  });
  await notify(tx, [
    {
      to: { roles: ["regulator", "financial-regulator"], organisationId: null },
      message: {
        title,
        body: `${reportPeriodLabel(kind, days.from)}统计报告已生成（数据截至 ${formatDateTime(cutOff)}），可在线查看、打印或下载 Excel`,
        link: `/reports/${made.id}`,
      },
    },
  ]);
  return { id: made.id, created: true };
}

// What 生成报告 sends, and nothing else: a field it does not know is refused on its name.
const requestSchema = z.strictObject({
  period: z.enum(REPORT_PERIODS, "报告周期应为月度、季度或年度"),
  date: recordDay(
    "统计期间",
    "统计期间应为有效日期（年-月-日，如 2026-03-01）",
    "统计期间应为文字形式的日期 YYYY-MM-DD（如 2026-03-01）",
    "请选择统计期间",
  ),
  // The page's form says which of its forms it is.
  intent: z.literal("make", "不是可选的值").optional(),
});

/**
 * The month the platform's earliest record is of (the first project registered, or the first
 * policy's issue date if one is dated earlier), YYYY-MM; null on a platform with none.
 */
async function earliestRecordMonth(): Promise<string | null> {
  const [[project], [policy]] = await Promise.all([
    db().select({ at: min(projects.createdAt) }).from(projects),
    db().select({ day: min(policies.issueDate) }).from(policies),
  ]);
  const days = [project?.at ? formatDateTime(project.at, "YYYY-MM-DD") : null, policy?.day ?? null].filter((d): d is string => !!d);
  return days.length ? days.sort()[0].slice(0, 7) : null;
}

/**
 * 生成报告: the report of the month, quarter or year that holds `date`, once that period has
 * ended (a report of a period still running would be frozen incomplete). The existing one when it
 * was made before.
 */
export async function requestStatisticsReport(actor: Actor, input: unknown): Promise<{ id: string; created: boolean }> {
  assertCan(actor, "make:reports");
  const { period, date } = parseInput(requestSchema, input);
  const days = calendarPeriod(period, date);
  const now = clock.now();
  if (days.from > today(now)) throw new ValidationError({ date: "所选统计期间尚未开始，不能生成报告" });
  if (days.to >= today(now)) throw new ValidationError({ date: "所选统计期间尚未结束，期末之后方可生成报告" });
  // Each report tells every bureau user: none of a period before the platform held anything.
  const earliest = await earliestRecordMonth();
  if (!earliest) throw new ValidationError({ date: "平台尚无数据，不能生成报告" });
  if (days.to.slice(0, 7) < earliest) throw new ValidationError({ date: `该期间早于平台最早的数据（${earliest}）` });
  return db().transaction((tx) => buildStatisticsReport(tx, period, days, actor));
}
