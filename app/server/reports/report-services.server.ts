import { and, eq, inArray } from "drizzle-orm";
import { processInstances } from "@db/schema";
import { SYSTEM_ACTOR } from "../auth/actor";
import { db } from "../db.server";
import { env } from "../env.server";
import { type WorkflowService, startProcess } from "../workflow/index.server";
import { buildUnderwritingReport } from "./underwriting.server";

export const reportServices: Record<string, WorkflowService> = {
  buildUnderwritingReport: {
    label: "生成承保汇总报表",
    async run({ tx, now }) {
      return { reportId: await buildUnderwritingReport(tx, now) };
    },
  },
};

/** At start-up: the periodic underwriting report runs as one long-lived flow; start it if it is not running. */
export async function ensureUnderwritingReports(): Promise<void> {
  const [running] = await db()
    .select({ id: processInstances.id })
    .from(processInstances)
    .where(and(eq(processInstances.definitionKey, "underwriting-report"), inArray(processInstances.status, ["running", "incident"])));
  if (running) return;
  await startProcess(SYSTEM_ACTOR, {
    key: "underwriting-report",
    businessKey: "underwriting",
    title: "承保汇总报表（定期）",
    variables: { interval: env().UNDERWRITING_REPORT_INTERVAL },
  });
}
