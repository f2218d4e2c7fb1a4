import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { notifications, organisations, policies, policyShares, projects, reports, users } from "@db/schema";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { seedDemoProjects } from "~/demo/demo-projects-seed";
import { ensureUnderwritingReports } from "~/server/reports/report-services.server";
import type { UnderwritingSummary } from "~/server/reports/underwriting.server";
import { deployBuiltIns, fireDueTimers } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { getReport, listReports } from "~/server/reports/reports.server";
import { listAuditEvents } from "~/server/admin/audit-log.server";

useTestDatabase();
afterEach(resetClock);

const T0 = new Date("2026-10-01T00:00:00Z");
const months = (n: number) => new Date(Date.UTC(2026, 9 + n, 1, 0, 0, 1));

beforeAll(async () => {
  setClock(() => T0);
  await deployBuiltIns();
  await ensureUnderwritingReports();
  // The report counts policies: the projects' risk management is left out of this city.
  await seedDemoProjects({ risk: false });
}, 180_000);

/** The figures straight from the tables, to check the report against. */
async function insuredTotals() {
  const rows = await db()
    .select({ project: projects, policy: policies })
    .from(projects)
    .innerJoin(policies, eq(policies.projectId, projects.id))
    .where(eq(projects.status, "insured"));
  return {
    projects: rows.length,
    premium: rows.reduce((s, r) => s + Number(r.policy.premium), 0),
    sumInsured: rows.reduce((s, r) => s + Number(r.policy.sumInsured), 0),
    grossFloorArea: rows.reduce((s, r) => s + Number(r.project.grossFloorArea), 0),
  };
}

/** Each insurer's share of each insured policy, straight from the tables. */
async function insurerShares() {
  const rows = await db()
    .select({ insurer: organisations.name, share: policyShares.share, premium: policies.premium })
    .from(policyShares)
    .innerJoin(policies, eq(policies.id, policyShares.policyId))
    .innerJoin(projects, eq(projects.id, policies.projectId))
    .innerJoin(organisations, eq(organisations.id, policyShares.organisationId))
    .where(and(eq(projects.status, "insured"), eq(policyShares.kind, "insurer")));
  return rows.map((r) => ({ insurer: r.insurer, share: Number(r.share), premium: Number(r.premium) }));
}

/** The underwriting summaries (the demo city also has the statistical reports of its last periods). */
const underwritingReports = () => db().select().from(reports).where(eq(reports.kind, "underwriting"));

describe("the monthly underwriting summary", () => {
  it("is built when the month has passed, with the seeded city's figures, and pushed to the regulator", async () => {
    // Before the month is over only the seeded confirmation reminders fall due, no report.
    setClock(() => new Date("2026-10-31T23:59:00Z"));
    await fireDueTimers();
    expect(await underwritingReports()).toEqual([]);
    setClock(() => months(1));
    expect(await fireDueTimers()).toBe(1);

    const [report] = await underwritingReports();
    const data = report.data as UnderwritingSummary;
    const expected = await insuredTotals();
    expect(expected.projects).toBe(18);
    expect(data.period.projects).toBe(18);
    expect(data.total).toMatchObject({ projects: 18 });
    expect(data.total.premium).toBeCloseTo(expected.premium, 2);
    expect(data.total.sumInsured).toBeCloseTo(expected.sumInsured, 2);
    expect(data.total.grossFloorArea).toBeCloseTo(expected.grossFloorArea, 2);
    expect(data.byInsurer.map((r) => r.insurer)).toHaveLength(3);
    // Each insurer by its share: a co-insured project counts for both insurers, its premium once.
    const shares = await insurerShares();
    expect(shares.some((s) => s.share < 100)).toBe(true);
    expect(data.byInsurer.reduce((s, r) => s + r.projects, 0)).toBe(shares.length);
    expect(data.byInsurer.reduce((s, r) => s + r.premium, 0)).toBeCloseTo(expected.premium, 2);
    for (const row of data.byInsurer) {
      const own = shares.filter((s) => s.insurer === row.insurer);
      expect(row.premium, row.insurer).toBeCloseTo(
        own.reduce((sum, s) => sum + (s.premium * s.share) / 100, 0),
        2,
      );
    }
    expect(data.byDistrict.reduce((s, r) => s + r.premium, 0)).toBeCloseTo(expected.premium, 2);
    expect(data.byDistrict.every((d) => d.districtName)).toBe(true);

    const [regulator] = await db().select({ id: users.id }).from(users).where(eq(users.username, "regulator"));
    const notes = await db().select().from(notifications).where(eq(notifications.userId, regulator.id));
    expect(notes.find((n) => n.link === `/reports/${report.id}`)?.body).toContain("本期新增确认投保项目 18 个，累计 18 个");
  });

  it("comes again the next month, counting only what is new in the period", async () => {
    setClock(() => months(2));
    expect(await fireDueTimers()).toBe(1);
    const rows = await underwritingReports().orderBy(reports.periodEnd);
    expect(rows).toHaveLength(2);
    const data = rows[1].data as UnderwritingSummary;
    expect(data.period.projects).toBe(0);
    expect(data.total.projects).toBe(18);
    expect(rows[1].periodStart.toISOString()).toBe(rows[0].periodEnd.toISOString());
  });

  it("reads in the audit log as the report's flow, not by its internal key", async () => {
    const log = await listAuditEvents(await demoActor("admin"), { action: "process.start", pageSize: 100 });
    const start = log.rows.find((r) => r.changes.some((c) => c.after === "承保汇总报表（定期）"));
    expect(start?.changes.find((c) => c.field === "业务对象")?.after).toBe("承保汇总报表（定期）");
    expect(JSON.stringify(log.rows)).not.toContain('"underwriting"');
  });

  it("runs as one flow: starting it again does nothing", async () => {
    await ensureUnderwritingReports();
    setClock(() => months(3));
    expect(await fireDueTimers()).toBe(1);
    expect(await underwritingReports()).toHaveLength(3);
  });
});

describe("reading the reports", () => {
  it("is for the regulator and administrators; others are refused", async () => {
    const regulator = await demoActor("regulator");
    const list = await listReports(regulator);
    const summaries = list.filter((r) => r.kind === "underwriting");
    expect(summaries.length).toBeGreaterThanOrEqual(2);
    expect((await getReport(regulator, summaries[0].id)).kind).toBe("underwriting");
    await expect(listReports(await demoActor("insurer"))).rejects.toMatchObject({ status: 403 });
    await expect(getReport(await demoActor("tis"), summaries[0].id)).rejects.toMatchObject({ status: 403 });
    await expect(getReport(regulator, crypto.randomUUID())).rejects.toMatchObject({ status: 404 });
  });
});
