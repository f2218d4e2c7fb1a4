import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { organisations, policies, policyShares, projects, reports } from "@db/schema";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
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
  /** Insured projects whose policy was issued within the period. */
  period: UnderwritingFigures;
  /** All insured projects up to the end of the period. */
  total: UnderwritingFigures;
  /** Each insurer's share of the policies it leads or co-insures. */
  byInsurer: ({ insurer: string } & UnderwritingFigures)[];
  byDistrict: ({ district: string; districtName: string } & UnderwritingFigures)[];
}

const figures = {
  projects: sql<number>`count(distinct ${projects.id})::int`,
  grossFloorArea: sql<number>`coalesce(sum(${projects.grossFloorArea}), 0)::float8`,
  sumInsured: sql<number>`coalesce(sum(${policies.sumInsured}), 0)::float8`,
  premium: sql<number>`coalesce(sum(${policies.premium}), 0)::float8`,
};

/** An insurer's part of a policy: money and area by its share, as the 承保 dashboard counts them. */
const byShare = (column: AnyPgColumn) => sql<number>`round(coalesce(sum(${column} * ${policyShares.share} / 100), 0), 2)::float8`;
const shareFigures = {
  projects: figures.projects,
  grossFloorArea: byShare(projects.grossFloorArea),
  sumInsured: byShare(policies.sumInsured),
  premium: byShare(policies.premium),
};

/**
 * The underwriting figures of insured projects by their policy's issue date (保单签发日期, as the
 * 承保 dashboard counts), for a period and in total; each insurer by its share of a co-insured
 * policy, so no premium is counted twice and a co-insurer is not left out.
 */
export async function underwritingSummary(tx: Tx, periodStart: Date, periodEnd: Date): Promise<UnderwritingSummary> {
  // Issue dates are Kunming days: the period's days from its start up to (not including) its end's.
  const [fromDay, endDay] = [periodStart, periodEnd].map((at) => formatDateTime(at, "YYYY-MM-DD"));
  const insured = and(eq(projects.status, "insured"), lt(projects.confirmedAt, periodEnd), lt(policies.issueDate, endDay));
  const insuredPolicies = () => tx.select(figures).from(projects).innerJoin(policies, eq(policies.projectId, projects.id));
  const [period] = await insuredPolicies().where(and(insured, gte(policies.issueDate, fromDay)));
  const [total] = await insuredPolicies().where(insured);
  const byInsurer = await tx
    .select({ insurer: organisations.name, ...shareFigures })
    .from(projects)
    .innerJoin(policies, eq(policies.projectId, projects.id))
    .innerJoin(policyShares, and(eq(policyShares.policyId, policies.id), eq(policyShares.kind, "insurer")))
    .innerJoin(organisations, eq(organisations.id, policyShares.organisationId))
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
