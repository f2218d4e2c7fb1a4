import ExcelJS from "exceljs";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, policies, projects, reports, users } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import { ensureStatisticsReports } from "~/server/reports/report-services.server";
import { reportWorkbook } from "~/server/reports/report-workbook.server";
import { getReport, listReports } from "~/server/reports/reports.server";
import { requestStatisticsReport, type StatisticsReportData } from "~/server/reports/statistics-report.server";
import { statisticsDashboard } from "~/server/statistics/index.server";
import { deployBuiltIns, fireDueTimers } from "~/server/workflow/index.server";
import { STATISTICS_AREA_LABELS, type Dashboard } from "~/shared/statistics";
import { shiftDay } from "~/shared/time";
import { demoActor } from "../support/actors";
import { resultRows, useTestDatabase } from "../support/database";
import { loadStatisticsCity } from "../support/statistics";

// The periodic statistical reports: made by their flows' timers when a month, quarter or year has
// ended (on a moved platform clock), on demand by the bureau, stored as the statistics module
// answered at the cut-off and never computed again; the workbook read back with exceljs.

useTestDatabase();

let bureau: Actor;
let nfra: Actor;

/** 00:00:01 Beijing time on a day: just after a period that ended the night before. */
const justAfter = (day: string) => new Date(`${day}T00:00:01+08:00`);

beforeAll(async () => {
  setClock(() => new Date("2026-03-15T04:00:00Z"));
  await deployBuiltIns();
  await ensureStatisticsReports();
  await loadStatisticsCity((statement) => db().execute(sql.raw(statement)));
  [bureau, nfra] = await Promise.all(["regulator", "financial-regulator"].map(demoActor));
}, 60_000);
afterAll(resetClock);

const statisticsReports = () => db().select().from(reports).where(eq(reports.kind, "statistics")).orderBy(reports.periodEnd);
/** A dashboard but for the instant it was read. */
const figures = (d: Dashboard) => ({ ...d, asOf: "" });

describe("the periodic statistical reports' timers", () => {
  it("make nothing before the month has ended", async () => {
    setClock(() => new Date("2026-03-31T15:59:00Z"));
    await fireDueTimers();
    expect(await statisticsReports()).toEqual([]);
  });

  it("make March's and the first quarter's reports when the quarter has ended, with the dashboards' figures for those periods", async () => {
    setClock(() => justAfter("2026-04-01"));
    expect(await fireDueTimers()).toBe(2);
    const [month, quarter] = await statisticsReports();
    expect(month).toMatchObject({ periodKind: "month", title: "住宅工程质量潜在缺陷保险统计报告（2026年3月）", requestedBy: null });
    expect(quarter).toMatchObject({ periodKind: "quarter", title: "住宅工程质量潜在缺陷保险统计报告（2026年第一季度）" });
    expect(month.cutOff).toEqual(justAfter("2026-04-01"));

    for (const [report, query] of [
      [month, { period: "month", from: "2026-03-01" }],
      [quarter, { period: "quarter", from: "2026-01-01" }],
    ] as const) {
      const stored = (report.data as StatisticsReportData).areas;
      expect(stored.map((d) => d.area)).toEqual(["underwriting", "risk", "claims", "service"]);
      for (const dashboard of stored) {
        expect(dashboard.asOf).toBe(report.cutOff!.toISOString());
        expect(figures(dashboard)).toEqual(figures(await statisticsDashboard(bureau, dashboard.area, query)));
      }
    }
    // The city's March: 统计甲苑 and 统计乙苑's policies, 450,000 + 600,000 元 (test/support/statistics.ts).
    const underwriting = (month.data as StatisticsReportData).areas[0];
    expect(underwriting.kpis.find((k) => k.key === "premium")?.value).toBe(1_050_000);
  });

  it("tell the bureau and the insurance regulator, and audit the making as the timer's", async () => {
    const [month] = await statisticsReports();
    for (const username of ["regulator", "financial-regulator"]) {
      const [user] = await db().select({ id: users.id }).from(users).where(eq(users.username, username));
      const notes = await db().select().from(notifications).where(eq(notifications.userId, user.id));
      expect(notes.find((n) => n.link === `/reports/${month.id}`)?.body).toContain("2026年3月统计报告已生成");
    }
    const [made] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "report.generate"), eq(auditEvents.subjectId, month.id)));
    expect(made).toMatchObject({ actorName: "平台系统", actorUserId: null });
    expect(made.after).toMatchObject({ periodFrom: "2026-03-01", periodTo: "2026-03-31", madeBy: "定时生成" });
    // The audit log reads it in Chinese, as it reads the flows' start by their titles.
    const log = await listAuditEvents(await demoActor("admin"), { action: "report.generate", pageSize: 10 });
    const changes = log.rows.find((r) => r.changes.some((c) => c.after === month.title))?.changes ?? [];
    expect(changes.map((c) => `${c.field} ${c.after}`)).toEqual(
      expect.arrayContaining(["统计期间起 2026-03-01", "统计期间止 2026-03-31", "生成方式 定时生成"]),
    );
    // The row names the report made and opens it.
    expect(log.rows.map((r) => r.subject)).toContainEqual({ type: "统计报告", title: month.title, href: `/reports/${month.id}` });
    const starts = await listAuditEvents(await demoActor("admin"), { action: "process.start", pageSize: 100 });
    expect(JSON.stringify(starts.rows)).toContain("月度统计报告（定期）");
    expect(JSON.stringify(starts.rows)).not.toContain('"statistics-month"');
  });

  it("keep a report as made: figures that change later change the dashboard, not the report", async () => {
    const [before] = await statisticsReports();
    await db()
      .update(policies)
      .set({ premium: "999999.00" })
      .where(sql`${policies.projectId} = (select id from ${projects} where name = '统计甲苑')`);
    const live = await statisticsDashboard(bureau, "underwriting", { period: "month", from: "2026-03-01" });
    expect(live.kpis.find((k) => k.key === "premium")?.value).not.toBe(1_050_000);
    const report = await getReport(nfra, before.id);
    expect((report.data as StatisticsReportData).areas[0].kpis.find((k) => k.key === "premium")?.value).toBe(1_050_000);
    expect(report.cutOff).toEqual(before.cutOff);
  });

  it("come again the next month only, for April", async () => {
    setClock(() => justAfter("2026-05-01"));
    expect(await fireDueTimers()).toBe(1);
    const rows = await statisticsReports();
    expect(rows.map((r) => `${r.periodKind} ${r.title}`)).toContain("month 住宅工程质量潜在缺陷保险统计报告（2026年4月）");
    // Running again finds the three flows running: nothing more is started.
    await ensureStatisticsReports();
    expect(await fireDueTimers()).toBe(0);
  });
});

describe("a report's workbook", () => {
  it("has a sheet per area holding the stored KPIs and chart tables, and each download is audited", async () => {
    const [month] = await statisticsReports();
    const { bytes, name } = await reportWorkbook(nfra, month.id);
    expect(name).toBe("住宅工程质量潜在缺陷保险统计报告（2026年3月）.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["承保", "风险", "理赔", "服务评价"]);
    const stored = (month.data as StatisticsReportData).areas;
    for (const dashboard of stored) {
      const sheet = workbook.getWorksheet(STATISTICS_AREA_LABELS[dashboard.area])!;
      const rows = new Map<string, unknown>();
      sheet.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(2).value));
      expect(String(sheet.getCell("A1").value)).toBe("昆明市住房和城乡建设局 住宅工程质量潜在缺陷保险 统计报告");
      for (const kpi of dashboard.kpis) expect(rows.get(kpi.label), kpi.label).toBe(kpi.value ?? "—");
      for (const chart of dashboard.charts) {
        expect(rows.has(chart.title), chart.title).toBe(true);
        for (const point of chart.series[0].points) expect(rows.has(point.label), `${chart.title} ${point.label}`).toBe(true);
      }
    }
    const underwriting = workbook.getWorksheet("承保")!;
    const premiumRow = underwriting.getRows(1, underwriting.rowCount)!.find((r) => r.getCell(1).value === "总保费")!;
    expect(premiumRow.getCell(2).value).toBe(1_050_000);
    expect(premiumRow.getCell(2).numFmt).toBe("#,##0.00");
    const downloads = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "report.download"), eq(auditEvents.subjectId, month.id)));
    expect(downloads.map((d) => d.actorName)).toEqual(["金融监管局杨处长"]);
  });
});

describe("生成报告 on demand", () => {
  it("makes a past month's report once, naming who asked; asking again (or twice at once) finds it", async () => {
    const asked = { period: "month", date: "2026-02-14" };
    const [first, second] = await Promise.all([requestStatisticsReport(bureau, asked), requestStatisticsReport(bureau, asked)]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(second.id).toBe(first.id);
    const report = await getReport(bureau, first.id);
    expect(report).toMatchObject({ title: "住宅工程质量潜在缺陷保险统计报告（2026年2月）", requestedBy: "住建局李科长" });
    expect(await requestStatisticsReport(bureau, { period: "month", date: "2026-03-31" })).toMatchObject({ created: false });
    const listed = await listReports(nfra);
    expect(listed.find((r) => r.id === first.id)?.requestedBy).toBe("住建局李科长");
    expect(listed.filter((r) => r.periodKind === "month" && r.requestedBy === null)).toHaveLength(2);
  });

  it("refuses a period not yet ended or not yet begun, and a malformed one, in Chinese on its field", async () => {
    await expect(requestStatisticsReport(bureau, { period: "month", date: "2026-05-01" })).rejects.toMatchObject({
      status: 422,
      fields: { date: "所选统计期间尚未结束，期末之后方可生成报告" },
    });
    await expect(requestStatisticsReport(bureau, { period: "year", date: "2027-01-01" })).rejects.toMatchObject({
      status: 422,
      fields: { date: "所选统计期间尚未开始，不能生成报告" },
    });
    await expect(requestStatisticsReport(bureau, { period: "week", date: "2026-02-30" })).rejects.toMatchObject({
      status: 422,
      fields: { period: "报告周期应为月度、季度或年度", date: "统计期间应为有效日期（年-月-日，如 2026-03-01）" },
    });
    await expect(requestStatisticsReport(bureau, {})).rejects.toMatchObject({ status: 422, fields: { date: "请选择统计期间" } });
    // A date sent as a number is no date in words, not a missing one; a field 生成报告 does not send is refused.
    await expect(requestStatisticsReport(bureau, { period: "month", date: 20260101 })).rejects.toMatchObject({
      status: 422,
      fields: { date: "统计期间应为文字形式的日期 YYYY-MM-DD（如 2026-03-01）" },
    });
    await expect(requestStatisticsReport(bureau, { period: "month", date: "2026-02-14", notify: "all" })).rejects.toMatchObject({
      status: 422,
      fields: { notify: "不接受的字段“notify”" },
    });
    // A year before any record (read as 1900 by a lenient calendar) makes no report of another period.
    const before = await statisticsReports();
    for (const period of ["month", "quarter", "year"])
      await expect(requestStatisticsReport(bureau, { period, date: "0000-01-01" })).rejects.toMatchObject({
        status: 422,
        fields: { date: "统计期间应在2000年至2099年之间" },
      });
    expect(await statisticsReports()).toEqual(before);
  });

  it("refuses a period that ended before the platform's earliest record: each report tells every bureau user", async () => {
    const [{ month }] = resultRows<{ month: string }>(
      await db().execute(
        sql.raw(`select to_char(least(
          (select min(created_at at time zone 'Asia/Shanghai')::date from projects),
          (select min(issue_date) from policies)), 'YYYY-MM') as month`),
      ),
    );
    const before = await statisticsReports();
    const monthBefore = shiftDay(`${month}-01`, -1, "day");
    await expect(requestStatisticsReport(bureau, { period: "month", date: monthBefore })).rejects.toMatchObject({
      status: 422,
      fields: { date: `该期间早于平台最早的数据（${month}）` },
    });
    await expect(requestStatisticsReport(bureau, { period: "year", date: "2001-06-01" })).rejects.toMatchObject({
      status: 422,
      fields: { date: `该期间早于平台最早的数据（${month}）` },
    });
    expect(await statisticsReports()).toEqual(before);
  });

  it("is the bureau's: the insurance regulator and an insurer are refused; reading is refused to all but the regulators", async () => {
    await expect(requestStatisticsReport(nfra, { period: "month", date: "2026-01-01" })).rejects.toMatchObject({ status: 403 });
    const insurer = await demoActor("insurer");
    await expect(requestStatisticsReport(insurer, { period: "month", date: "2026-01-01" })).rejects.toMatchObject({ status: 403 });
    await expect(listReports(insurer)).rejects.toMatchObject({ status: 403 });
    const [month] = await statisticsReports();
    await expect(reportWorkbook(insurer, month.id)).rejects.toMatchObject({ status: 403 });
    await expect(reportWorkbook(nfra, crypto.randomUUID())).rejects.toMatchObject({ status: 404 });
    await expect(getReport(nfra, "not-an-id")).rejects.toMatchObject({ status: 404 });
  });
});
