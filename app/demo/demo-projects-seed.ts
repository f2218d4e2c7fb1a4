import { buildStatisticsReport, lastEndedPeriod } from "~/server/reports/statistics-report.server";
import { REPORT_PERIODS } from "~/shared/reports";
import { count } from "drizzle-orm";
import { projects } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { clock, clockSource, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import { completeTask, fireDueTimers, openTasksOf, startProcess } from "~/server/workflow/index.server";
import { demoCreditCode } from "./demo-organisations";
import { addMonths, demoProjects, type DemoProject } from "./demo-projects";
import { demoRiskProject } from "./demo-risk";
import { keepSeededMessagesAsHistory, seedDemoClaims, type DeliveredProject } from "./demo-claims-seed";
import { seedDemoRisk } from "./demo-risk-seed";
import { demoStaff, demoUser } from "./demo-site-staff";

const INSURER_USERS = { picc: "insurer", cpic: "insurer-cpic", pingan: "insurer-pingan" } as const;
const RETURN_REASONS = ["共保协议未上传，请补充", "施工单位与施工许可信息不一致，请核对", "保险期间应自竣工验收两年后起算，请更正"];

/**
 * Puts the demo city's projects on the platform the way users would: each goes through the
 * insurance-review flow as far as its stage (registered, awaiting confirmation, returned, insured),
 * so its tasks, history and risk-management start are all real. Insured projects were confirmed in
 * the past and their risk management went on from there to a stage of its own (plan, site, final
 * report, termination, warranty), on the platform clock moved to each step's day; the delivered
 * ones got their homes and their owners' claims (`risk: false` stops at the insurance review).
 * First start only.
 */
export async function seedDemoProjects(options: { risk?: boolean } = {}): Promise<number> {
  const withRisk = options.risk ?? true;
  const [{ n }] = await db().select({ n: count() }).from(projects);
  if (n > 0) return 0;
  const today = clock.now();
  const restore = clockSource();
  const started = Date.now();
  const cpu = process.cpuUsage();
  let events = 0;
  const delivered: DeliveredProject[] = [];
  try {
    const regulator = await demoUser("regulator");
    const staff = await demoStaff();
    const seeded = demoProjects(today);
    for (const [i, p] of seeded.entries()) {
      const risk =
        withRisk && p.stage === "insured" ? demoRiskProject(i, today, (months) => demoProjects(addMonths(today, -months))[i]) : null;
      if (risk) setClock(runningFrom(risk.insuredAt));
      const projectId = await insuranceReview(risk?.project ?? p, i, regulator);
      if (!risk) continue;
      const parties = {
        tis: await staff(p.tis),
        insurer: await staff(p.insurer),
        developer: await staff(p.developer),
        contractor: await staff(p.contractor),
      };
      events += await seedDemoRisk(projectId, risk, parties, today);
      const completion = risk.steps.find((s) => s.element === "completion");
      if (completion) delivered.push({ projectId, completedAt: completion.at, insurer: parties.insurer, developer: parties.developer });
      setClock(restore);
    }
    const claimsCpu = process.cpuUsage();
    const claims = delivered.length ? await seedDemoClaims(delivered, staff, today) : 0;
    const claimsUsed = process.cpuUsage(claimsCpu);
    setClock(restore);
    // What fell due by today (overdue rectifications, the revisits of the cycle) fires now.
    await fireDueTimers();
    await keepSeededMessagesAsHistory(delivered.map((d) => d.projectId));
    // The bureau's reports of the last month, quarter and year, as their timers would have made
    // them had the platform run then: 报告 is not empty on a new demo.
    for (const period of REPORT_PERIODS)
      await db().transaction((tx) => buildStatisticsReport(tx, period, lastEndedPeriod(period, today), null));
    const used = process.cpuUsage(cpu);
    const cpuMs = Math.round((used.user + used.system) / 1000);
    const claimsCpuMs = Math.round((claimsUsed.user + claimsUsed.system) / 1000);
    logger.info(
      { projects: seeded.length, riskEvents: events, claims, claimsCpuMs, ms: Date.now() - started, cpuMs },
      "demo projects seeded",
    );
    return seeded.length;
  } finally {
    setClock(restore);
  }
}

/** The insurance review of one project as far as its stage; returns the project's id. */
export async function insuranceReview(p: DemoProject, i: number, regulator: Actor): Promise<string> {
  const insurer = await demoUser(INSURER_USERS[p.insurer]);
  const instance = await startProcess(insurer, { key: "insurance-review", title: String(p.registration.name) });
  const next = async () => (await openTasksOf(instance.id))[0];
  await completeTask(insurer, (await next()).id, {
    submission: {
      ...p.registration,
      developer: { creditCode: demoCreditCode(p.developer) },
      contractor: { creditCode: demoCreditCode(p.contractor) },
      supervisor: { creditCode: demoCreditCode(p.supervisor) },
      designer: { creditCode: demoCreditCode(p.designer) },
    },
  });
  if (p.stage === "draft") return instance.businessKey;
  await completeTask(insurer, (await next()).id, {
    submission: {
      ...p.policy,
      coinsurers: p.coinsurer ? [{ creditCode: demoCreditCode(p.coinsurer), share: 40 }] : [],
      reinsurers: i % 3 === 0 ? [{ creditCode: demoCreditCode("chinare"), share: 30 }] : [],
      tisCreditCode: demoCreditCode(p.tis),
    },
  });
  if (p.stage === "awaiting_confirmation") return instance.businessKey;
  const decision =
    p.stage === "insured" ? { decision: "confirm" } : { decision: "return", reason: RETURN_REASONS[i % RETURN_REASONS.length] };
  await completeTask(regulator, (await next()).id, { submission: decision });
  return instance.businessKey;
}
