import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { organisations, policies, projects, reports } from "@db/schema";
import type { Tx } from "@db/client";
import { districtName } from "~/shared/districts";
import { formatDateTime } from "~/shared/time";
import { notify } from "../notifications/notify.server";

export interface UnderwritingFigures {
  projects: number;
  grossFloorArea: number;
  sumInsured: number;
  premium: number;
}

export interface UnderwritingSummary {
  /** Projects confirmed as insured within the period. */
  period: UnderwritingFigures;
  /** All insured projects up to the end of the period. */
  total: UnderwritingFigures;
  byInsurer: ({ insurer: string } & UnderwritingFigures)[];
  byDistrict: ({ district: string; districtName: string } & UnderwritingFigures)[];
}

const figures = {
  projects: sql<number>`count(*)::int`,
  grossFloorArea: sql<number>`coalesce(sum(${projects.grossFloorArea}), 0)::float8`,
  sumInsured: sql<number>`coalesce(sum(${policies.sumInsured}), 0)::float8`,
  premium: sql<number>`coalesce(sum(${policies.premium}), 0)::float8`,
};

/** The underwriting figures of insured projects (by lead insurer), for a period and in total. */
export async function underwritingSummary(tx: Tx, periodStart: Date, periodEnd: Date): Promise<UnderwritingSummary> {
  const insured = and(eq(projects.status, "insured"), lt(projects.confirmedAt, periodEnd));
  const [period] = await tx
    .select(figures)
    .from(projects)
    .innerJoin(policies, eq(policies.projectId, projects.id))
    .where(and(insured, gte(projects.confirmedAt, periodStart)));
  const [total] = await tx.select(figures).from(projects).innerJoin(policies, eq(policies.projectId, projects.id)).where(insured);
  const byInsurer = await tx
    .select({ insurer: organisations.name, ...figures })
    .from(projects)
    .innerJoin(policies, eq(policies.projectId, projects.id))
    .innerJoin(organisations, eq(projects.leadInsurerId, organisations.id))
    .where(insured)
    .groupBy(organisations.name)
    .orderBy(organisations.name);
  const byDistrict = await tx
    .select({ district: projects.district, ...figures })
    .from(projects)
    .innerJoin(policies, eq(policies.projectId, projects.id))
    .where(insured)
    .groupBy(projects.district)
    .orderBy(projects.district);
  return { period, total, byInsurer, byDistrict: byDistrict.map((d) => ({ ...d, districtName: districtName(d.district) })) };
}

/**
 * Builds the underwriting report since the previous one (or since records began), stores it and
 * notifies the regulator's users. The underwriting-report flow's timer calls it.
 */
export async function buildUnderwritingReport(tx: Tx, now: Date): Promise<string> {
  const [previous] = await tx
    .select({ periodEnd: reports.periodEnd })
    .from(reports)
    .where(eq(reports.kind, "underwriting"))
    .orderBy(desc(reports.periodEnd))
    .limit(1);
  const periodStart = previous?.periodEnd ?? new Date(0);
  const data = await underwritingSummary(tx, periodStart, now);
  const title = `承保汇总报表（截至 ${formatDateTime(now, "YYYY-MM-DD")}）`;
  const [report] = await tx
    .insert(reports)
    .values({ kind: "underwriting", title, periodStart, periodEnd: now, data, createdAt: now })
    .returning({ id: reports.id });
  await notify(tx, [
    {
      to: { roles: ["regulator"], organisationId: null },
      message: {
        title,
        body: `本期新增确认投保项目 ${data.period.projects} 个，累计 ${data.total.projects} 个，累计保费 ${Math.round(data.total.premium).toLocaleString("zh-CN")} 元`,
        link: `/reports/${report.id}`,
      },
    },
  ]);
  return report.id;
}
