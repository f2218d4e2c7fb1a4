import type { BuildingPart } from "@db/schema/building-parts";
import type { RectifierRole, RiskLevel } from "@db/schema/risk";
import { day, random, type DemoProject } from "./demo-projects";
import {
  CATEGORY_TEXTS,
  FINAL_RETURN_REASON,
  INSPECTION_FINDINGS,
  INSPECTION_STAGES,
  INSPECTORS,
  PLAN_RETURN_REASON,
  RETURN_REASONS,
  TERMINATION_REASON,
} from "./demo-risk-texts";

// How far risk management has come on each insured demo project, and the steps its users took to
// get there, dated in the past: deterministic, so every fresh start shows the same city. Pure data:
// seed/demo-risk-seed.ts walks these steps through the flows.

export type RiskCourse =
  "plan" | "plan_returned" | "plan_review" | "construction" | "final_review" | "terminated" | "completion" | "use" | "reinspection_due";

/** The course of the n-th insured demo project (in the order demoProjects lists them). */
export const RISK_COURSES: RiskCourse[] = [
  ...Array<RiskCourse>(10).fill("construction"),
  "final_review",
  "terminated",
  "completion",
  "use",
  "reinspection_due",
  "plan_review",
  "plan_returned",
  "plan",
];

/** Months before the seed date the projects with a long history were insured (the others keep their policy's issue date). */
const INSURED_MONTHS_AGO: Partial<Record<RiskCourse, number>> = {
  final_review: 22,
  terminated: 16,
  completion: 25,
  use: 40,
  reinspection_due: 48,
};
/** Projects whose plan is not approved yet were confirmed in the last days. */
const RECENT_DAYS: Partial<Record<RiskCourse, number>> = { plan_review: 6, plan_returned: 9, plan: 2 };

export type StepActor = "tis" | "insurer" | "developer" | "contractor";

/** One task completed by one of the project's parties: in the project's risk flow, or in an event's flow (by its number in this plan). */
export interface RiskStep {
  at: Date;
  actor: StepActor;
  element: string;
  event?: number;
  submission: Record<string, unknown>;
  /** File fields the party uploads for the step (names; PDF or PNG by extension). */
  files?: Record<string, string[]>;
  /** The events an inspection raises, by their numbers in this plan, in the form's order. */
  raises?: number[];
  /** After completion acceptance: the revisits that fall due up to the seed date. */
  warranty?: true;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A working hour in Kunming (UTC+8) on the day `d` falls in. */
const workingHour = (d: Date, hour: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour - 8));
const plusDays = (d: Date, n: number, hour = 10) => workingHour(new Date(d.getTime() + n * DAY), hour);
/** Months later at the same time of day. */
export const plusMonths = (d: Date, n: number) => {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + n);
  return r;
};
const DEADLINE_DAYS: Record<RiskLevel, number> = { general: 15, major: 10, critical: 5 };

export interface DemoRiskProject {
  course: RiskCourse;
  /** The project's data, moved back in time for the courses with a long history. */
  project: DemoProject;
  /** When the insurer registered it (the insurance review happens then). */
  insuredAt: Date;
  steps: RiskStep[];
  events: number;
}

/**
 * The risk course of the n-th insured project: its data (`dataAt(months)` gives the project as if
 * the city were seeded that many months earlier) and its steps up to `today`.
 */
export function demoRiskProject(n: number, today: Date, dataAt: (monthsBack: number) => DemoProject): DemoRiskProject {
  const course = RISK_COURSES[n % RISK_COURSES.length];
  const next = random(7310 + n * 97);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const plain = dataAt(0);
  const issuedMonthsAgo = monthsBetween(new Date(`${plain.policy.issueDate}T00:00:00Z`), today);
  const target = INSURED_MONTHS_AGO[course];
  // Delivered projects: completion acceptance, from which the demo city's policies cover them (the
  // usual start two years later would leave every demo claim outside the cover).
  const completionAt =
    course === "use" ? workingHour(plusMonths(today, -14), 10) : course === "reinspection_due" ? reinspectionCompletion(today) : undefined;
  const acceptedOn = completionAt ? day(plusDays(completionAt, -3)) : undefined;
  const moved = target ? dataAt(Math.max(0, target - issuedMonthsAgo)) : plain;
  const project = acceptedOn ? coveredFrom(moved, acceptedOn) : moved;
  const recent = RECENT_DAYS[course];
  const insuredAt = recent ? plusDays(today, -recent, 9) : workingHour(new Date(`${project.policy.issueDate}T00:00:00Z`), 9);
  const steps: RiskStep[] = [];
  const step = (s: RiskStep) => steps.push(s);
  const latest = today.getTime() - 2 * HOUR;
  const buildings = Math.min(6, Number(project.registration.buildingCount));
  const building = () => `${1 + Math.floor(next() * buildings)}号楼`;

  // 1. The plan and its review.
  if (course === "plan") return { course, project, insuredAt, steps, events: 0 };
  const plan = planSubmission(project, buildings);
  step({ at: plusDays(insuredAt, 1, 10), actor: "tis", element: "plan", submission: plan });
  if (course === "plan_review") return { course, project, insuredAt, steps, events: 0 };
  const returned = course === "plan_returned" || n % 4 === 1;
  if (returned) {
    step({
      at: plusDays(insuredAt, 3, 15),
      actor: "insurer",
      element: "planReview",
      submission: { decision: "return", reason: PLAN_RETURN_REASON },
    });
    if (course === "plan_returned") return { course, project, insuredAt, steps, events: 0 };
    step({
      at: plusDays(insuredAt, 5, 11),
      actor: "tis",
      element: "plan",
      submission: { ...plan, inspectionPlan: `${plan.inspectionPlan}；主体结构每五层检查一次` },
    });
  }
  const approvedAt = plusDays(insuredAt, returned ? 7 : 4, 16);
  step({ at: approvedAt, actor: "insurer", element: "planReview", submission: { decision: "approve" } });

  // 2. Where the site stage ends, and what follows it.
  const siteEnd =
    course === "construction"
      ? new Date(latest - DAY)
      : course === "final_review"
        ? plusDays(today, -10)
        : course === "terminated"
          ? plusDays(today, -75)
          : course === "completion"
            ? plusDays(today, -45)
            : plusDays(completionAt!, -40);
  const plannedEnd =
    course === "construction"
      ? new Date(`${project.registration.plannedCompletionDate}T00:00:00Z`)
      : new Date(siteEnd.getTime() + 20 * DAY);
  const long = course !== "construction";

  // 3. Inspections, their events and each event's rectification; assessments every third inspection.
  let events = 0;
  let inspectionsDone = 0;
  // The last inspections of a finished site leave time to close what they found.
  const lastInspection = siteEnd.getTime() - (long ? 30 * DAY : 0);
  for (let t = plusDays(approvedAt, 7, 10); t.getTime() < lastInspection;) {
    const progress = (t.getTime() - approvedAt.getTime()) / (plannedEnd.getTime() - approvedAt.getTime());
    const phase = INSPECTION_STAGES.find((s) => progress < s.until)!;
    const count = long ? (next() < 0.3 ? 2 : 1) : 4 + Math.floor(next() * 4);
    const raises: number[] = [];
    const rows = [];
    for (let k = 0; k < count; k++) {
      const category = pick(phase.categories);
      const level: RiskLevel = next() < 0.6 ? "general" : next() < 0.75 ? "major" : "critical";
      const rectifierRole: RectifierRole & StepActor = next() < 0.8 ? "contractor" : "developer";
      const deadline = plusDays(t, DEADLINE_DAYS[level], 10);
      const texts = CATEGORY_TEXTS[category];
      rows.push({
        category,
        level,
        rectifierRole,
        location: pick(texts.locations).replace("{b}", building()),
        deadline: day(deadline),
        description: pick(texts.findings),
        photos: [],
      });
      const number = events++;
      raises.push(number);
      eventFate(number, category, rectifierRole, t, deadline);
    }
    step({
      at: t,
      actor: "tis",
      element: "inspection",
      submission: {
        inspectedOn: day(t),
        stage: phase.stage,
        inspectors: pick(INSPECTORS[project.tis]),
        findings: pick(INSPECTION_FINDINGS),
        photos: [],
        events: rows,
      },
      raises,
    });
    if (++inspectionsDone % 3 === 0) {
      const at = plusDays(t, 2, 15);
      if (at.getTime() < siteEnd.getTime())
        step({
          at,
          actor: "tis",
          element: "assessment",
          submission: {
            reportDate: day(at),
            period: `${at.getUTCFullYear()}年第${Math.floor(at.getUTCMonth() / 3) + 1}季度`,
            judgement: 70 + Math.floor(next() * 25),
            summary: `本期共检查${inspectionsDone}次，${phase.stage}阶段质量总体受控`,
            suggestions: "请施工单位加强工序自检，按期完成整改",
          },
        });
    }
    t = plusDays(t, long ? 90 + Math.floor(next() * 40) : 28 + Math.floor(next() * 14), 10);
  }

  // 4. The final report, its review and what follows.
  if (course === "construction") return { course, project, insuredAt, steps, events };
  // Dated the day it is filed (a report's date cannot be ahead of the platform's day).
  const finalReport = (at: Date) => ({
    reportDate: day(at),
    summary: `共开展现场检查${inspectionsDone}次，发现风险事件${events}项`,
    rectification: course === "terminated" ? "重大缺陷未按期整改" : "发现的问题均已整改销项",
    conclusion: course === "terminated" ? "不具备竣工条件" : "工程质量风险总体受控，同意竣工验收",
    ...(course === "terminated" ? { unrectifiedDefects: "主体结构梁柱节点箍筋缺失，经多次督促仍未整改" } : {}),
  });
  const reportFiles = { documents: ["质量风险最终检查报告.pdf"] };
  if (course === "final_review") {
    const filed = plusDays(siteEnd, -16, 10);
    step({ at: filed, actor: "tis", element: "finalReport", submission: finalReport(filed), files: reportFiles });
    step({
      at: plusDays(siteEnd, -14, 15),
      actor: "insurer",
      element: "finalReview",
      submission: { decision: "return", reason: FINAL_RETURN_REASON },
    });
  }
  const filed = plusDays(siteEnd, 0, 11);
  step({ at: filed, actor: "tis", element: "finalReport", submission: finalReport(filed), files: reportFiles });
  if (course === "final_review") return { course, project, insuredAt, steps, events };
  if (course === "terminated") {
    step({
      at: plusDays(siteEnd, 4, 15),
      actor: "insurer",
      element: "finalReview",
      submission: { decision: "terminate", reason: TERMINATION_REASON },
    });
    return { course, project, insuredAt, steps, events };
  }
  step({ at: plusDays(siteEnd, 3, 15), actor: "insurer", element: "finalReview", submission: { decision: "approve" } });
  step({
    at: plusDays(siteEnd, 7, 10),
    actor: "insurer",
    element: "issue",
    submission: { tisStars: 3 + Math.floor(next() * 3), tisComment: "检查及时，报告规范" },
    files: { stampedReport: ["盖章最终检查报告.pdf"], coverageStatement: ["责任范围说明书.pdf"], notice: ["告知书.pdf"] },
  });
  if (course === "completion") return { course, project, insuredAt, steps, events };
  step({
    at: completionAt!,
    actor: "developer",
    element: "completion",
    submission: { acceptedOn },
    files: { documents: ["竣工验收备案表.pdf"] },
    warranty: true,
  });
  return { course, project, insuredAt, steps, events };

  /** What happens to an event: closed in time (some after a return), left open, overdue, awaiting review or sent back. */
  function eventFate(event: number, category: BuildingPart, rectifier: RectifierRole & StepActor, raised: Date, deadline: Date) {
    const r = next();
    const measures = () => ({ measures: pick(CATEGORY_TEXTS[category].measures), photos: [] });
    const rectify = (at: Date) =>
      step({
        at,
        actor: rectifier,
        element: "rectify",
        event,
        submission: { rectifiedOn: day(at), ...measures() },
        files: { photos: ["整改后照片.png"] },
      });
    const verify = (at: Date, decision: "close" | "return") =>
      step({
        at,
        actor: "tis",
        element: "verify",
        event,
        submission: decision === "close" ? { decision } : { decision, reason: pick(RETURN_REASONS) },
      });
    const span = Math.max(1, Math.round((deadline.getTime() - raised.getTime()) / DAY) - 1);
    const fixedAt = plusDays(raised, 1 + Math.floor(next() * span), 14);
    const fits = (...times: Date[]) => times.every((t) => t.getTime() < Math.min(latest, long ? siteEnd.getTime() : latest));
    let fate: "closed" | "returned_closed" | "open" | "awaiting" | "late_awaiting" | "rectifying";
    const sinceDeadline = (today.getTime() - deadline.getTime()) / DAY;
    if (long)
      fate =
        course === "terminated" && siteEnd.getTime() - raised.getTime() < 100 * DAY && r < 0.6
          ? "open"
          : r < 0.15
            ? "returned_closed"
            : "closed";
    else if (sinceDeadline > 25) fate = r < 0.03 ? "returned_closed" : r < 0.3 ? "closed" : r < 0.9 ? "open" : "late_awaiting";
    else if (sinceDeadline > 0) fate = r < 0.15 ? "closed" : r < 0.8 ? "open" : r < 0.92 ? "late_awaiting" : "rectifying";
    else fate = r < 0.05 ? "closed" : r < 0.17 ? "awaiting" : r < 0.25 ? "rectifying" : "open";
    const checkedAt = plusDays(fixedAt, 1 + Math.floor(next() * 2), 16);
    if (fate === "closed" && fits(checkedAt)) return (rectify(fixedAt), verify(checkedAt, "close"));
    if (fate === "returned_closed") {
      const again = plusDays(checkedAt, 2, 11);
      const closed = plusDays(again, 1, 16);
      if (fits(closed)) return (rectify(fixedAt), verify(checkedAt, "return"), rectify(again), verify(closed, "close"));
      if (fits(checkedAt)) return (rectify(fixedAt), verify(checkedAt, "close"));
    }
    if (fate === "rectifying" && fits(checkedAt)) return (rectify(fixedAt), verify(checkedAt, "return"));
    if (fate === "awaiting" && fits(fixedAt)) return rectify(fixedAt);
    if (fate === "late_awaiting") {
      const late = plusDays(deadline, 2 + Math.floor(next() * 6), 14);
      if (fits(late)) return rectify(late);
    }
  }
}

/** The project completed on `completedOn` as planned, its policy covering ten years from then. */
function coveredFrom(project: DemoProject, completedOn: string): DemoProject {
  const end = new Date(`${completedOn}T00:00:00Z`);
  end.setUTCFullYear(end.getUTCFullYear() + 10);
  return {
    ...project,
    registration: { ...project.registration, plannedCompletionDate: completedOn },
    policy: { ...project.policy, periodStart: completedOn, periodEnd: day(new Date(end.getTime() - DAY)) },
  };
}

function monthsBetween(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
}

/** Completion acceptance such that the re-inspection (30 days before its second anniversary) falls due two weeks after `today`. */
function reinspectionCompletion(today: Date): Date {
  const accepted = new Date(Date.UTC(today.getUTCFullYear() - 2, today.getUTCMonth(), today.getUTCDate() + 14 + 30));
  return plusDays(accepted, 3, 10);
}

function planSubmission(project: DemoProject, buildings: number) {
  const area = Number(project.registration.grossFloorArea);
  const underground = Math.round(area * 0.2);
  const perBuilding = Math.round((area - underground) / buildings);
  return {
    briefing: "开工前向建设、施工、监理单位交底：地下室防水、主体结构、外墙保温为风险重点，各方按职责落实自检和整改",
    riskPoints: "地下室及屋面防水、外墙保温粘结、主体结构裂缝、卫生间渗漏",
    inspectionPlan: "基础、主体、屋面防水、保温、装饰装修、机电安装各节点至少检查一次，施工期间每月不少于一次",
    sections: [
      ...Array.from({ length: buildings }, (_, i) => ({
        name: `${i + 1}号楼`,
        structure: "剪力墙结构",
        floors: 18 + ((i * 7) % 16),
        area: perBuilding,
      })),
      { name: "地下车库", structure: "框架结构", floors: 1, area: underground },
    ],
  };
}

/**
 * The site staff of the demo city's other TIS, developers, builders and repairers (one demo user per role
 * covers only the first organisation of each type): created by the administrator when the risk
 * history is seeded, with the demo password, so each project's parties can act and be signed in as.
 */
export const SITE_STAFF: {
  username: string;
  displayName: string;
  role: "tis" | "developer" | "contractor" | "repairer";
  organisation: string;
  phone: string;
}[] = [
  { username: "tis-at", displayName: "安泰吴工", role: "tis", organisation: "tis-at", phone: "13800000021" },
  { username: "tis-hx", displayName: "华信郑工", role: "tis", organisation: "tis-hx", phone: "13800000022" },
  { username: "developer-cc", displayName: "春城何经理", role: "developer", organisation: "dev-cc", phone: "13800000023" },
  { username: "developer-jb", displayName: "金碧坊许经理", role: "developer", organisation: "dev-jb", phone: "13800000024" },
  { username: "developer-cg", displayName: "呈贡新城邓经理", role: "developer", organisation: "dev-cg", phone: "13800000025" },
  { username: "contractor-km3", displayName: "昆明三建彭工", role: "contractor", organisation: "con-km3", phone: "13800000026" },
  { username: "contractor-zj", displayName: "中建西南曾工", role: "contractor", organisation: "con-zj", phone: "13800000027" },
  { username: "contractor-dh", displayName: "德宏建安肖工", role: "contractor", organisation: "con-dh", phone: "13800000028" },
  { username: "repairer-ax", displayName: "安心维修潘师傅", role: "repairer", organisation: "rep-ax", phone: "13800000029" },
];
