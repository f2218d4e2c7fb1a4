import { and, eq, inArray } from "drizzle-orm";
import { processInstances } from "@db/schema";
import { REPORT_FLOW_TITLES, REPORT_PERIODS, reportFlowKey, type ReportPeriod } from "~/shared/reports";
import { SYSTEM_ACTOR } from "../auth/actor";
import { db } from "../db.server";
import { env } from "../env.server";
import { type ServiceContext, type WorkflowService, startProcess } from "../workflow/index.server";
import { buildStatisticsReport, lastEndedPeriod, nextPeriodEnd } from "./statistics-report.server";
import { buildUnderwritingReport } from "./underwriting.server";

/** A statistics-report flow's period: its business key, set when the platform starts it. */
function periodOf(instance: ServiceContext["instance"]): ReportPeriod {
  const period = REPORT_PERIODS.find((p) => reportFlowKey(p) === instance.businessKey);
  if (!period) throw new Error(`统计报告流程的业务标识应为 ${REPORT_PERIODS.map(reportFlowKey).join("、")} 之一`);
  return period;
}

export const reportServices: Record<string, WorkflowService> = {
  buildUnderwritingReport: {
    label: "生成承保汇总报表",
    async run({ tx, now }) {
      return { reportId: await buildUnderwritingReport(tx, now) };
    },
  },
  // The timer after it waits until the running month, quarter or year has ended. A duration from
  // the platform's now, not a date: the engine measures a date against the machine's clock.
  scheduleStatisticsReport: {
    label: "确定下一期统计报告的生成时间",
    async run({ instance, now }) {
      const due = nextPeriodEnd(periodOf(instance), now);
      return { wait: `PT${Math.ceil((due.getTime() - now.getTime()) / 1000)}S` };
    },
  },
  buildStatisticsReport: {
    label: "生成统计报告并推送住建局和金融监管部门",
    async run({ tx, instance, now }) {
      const period = periodOf(instance);
      return { reportId: (await buildStatisticsReport(tx, period, lastEndedPeriod(period, now), null)).id };
    },
  },
};

/** Whether a long-lived flow of `key` (about `businessKey`) is running or waiting on an incident. */
async function running(key: string, businessKey: string): Promise<boolean> {
  const [found] = await db()
    .select({ id: processInstances.id })
    .from(processInstances)
    .where(
      and(
        eq(processInstances.definitionKey, key),
        eq(processInstances.businessKey, businessKey),
        inArray(processInstances.status, ["running", "incident"]),
      ),
    );
  return !!found;
}

/** At start-up: the periodic underwriting report runs as one long-lived flow; start it if it is not running. */
export async function ensureUnderwritingReports(): Promise<void> {
  if (await running("underwriting-report", "underwriting")) return;
  await startProcess(SYSTEM_ACTOR, {
    key: "underwriting-report",
    businessKey: "underwriting",
    title: "承保汇总报表（定期）",
    variables: { interval: env().UNDERWRITING_REPORT_INTERVAL },
  });
}

/**
 * At start-up: one statistics-report flow per period (statistics-month, -quarter, -year), each its own
 * long-lived instance of the one diagram; start those not running.
 */
export async function ensureStatisticsReports(): Promise<void> {
  for (const period of REPORT_PERIODS) {
    const businessKey = reportFlowKey(period);
    if (await running("statistics-report", businessKey)) continue;
    await startProcess(SYSTEM_ACTOR, { key: "statistics-report", businessKey, title: REPORT_FLOW_TITLES[businessKey] });
  }
}
