import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { inspections, riskReports, tisRatings, type FileRef, type Project, type RiskReport, type RiskReportKind } from "@db/schema";
import type { Tx } from "@db/client";
import { RISK_REPORT_KIND_LABELS } from "~/shared/risk-labels";
import { riskScore, type ScoreWeights } from "~/shared/risk-score";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { ValidationError } from "../errors.server";
import { notify } from "../notifications/notify.server";
import { parseInput } from "../validation.server";
import { eventCounts } from "./risk-event-queries.server";
import { parseRaisedEvents, raiseRiskEvents, raisedEventProblems } from "./risk-events.server";
import type { RaiseContext } from "./risk-events.server";

// The TIS's records of a project's risk management, each filed by a step of
// processes/risk-management.bpmn: the plan, inspections with their events, assessments with their
// score, the final report, revisits and the re-inspection; and the insurer's decisions on them.

const files = z.array(z.object({ id: z.uuid(), name: z.string(), size: z.number() })).default([]);

async function fileReport(
  tx: Tx,
  actor: Actor,
  project: Project,
  kind: RiskReportKind,
  body: Record<string, unknown>,
  extra: Partial<RiskReport> = {},
): Promise<RiskReport> {
  const documents = files.parse(body.documents ?? body.materials ?? []) as FileRef[];
  const [report] = await tx
    .insert(riskReports)
    .values({
      projectId: project.id,
      tisId: project.tisId!,
      kind,
      title: `${project.name} ${RISK_REPORT_KIND_LABELS[kind]}`,
      body,
      documents,
      filedOn: typeof body.reportDate === "string" ? body.reportDate : clock.today(),
      createdBy: actor.displayName,
      createdAt: clock.now(),
      ...extra,
    })
    .returning();
  await recordAudit(tx, actor, {
    action: "risk_report.file",
    subjectType: "risk_report",
    subjectId: report.id,
    after: { kind, title: report.title, score: report.score, grade: report.grade },
  });
  return report;
}

/** The latest report of a kind a project has (the one a decision is about). */
async function latestReport(tx: Tx, projectId: string, kind: RiskReportKind): Promise<RiskReport | undefined> {
  const [latest] = await tx
    .select()
    .from(riskReports)
    .where(and(eq(riskReports.projectId, projectId), eq(riskReports.kind, kind)))
    .orderBy(desc(riskReports.createdAt))
    .limit(1);
  return latest;
}

/** The insurer's decision on the latest report of a kind (approved, returned, issued…). */
export async function decideLatestReport(
  tx: Tx,
  actor: Actor,
  projectId: string,
  kind: RiskReportKind,
  decision: string,
  note?: string | null,
) {
  const latest = await latestReport(tx, projectId, kind);
  if (!latest) return;
  await tx
    .update(riskReports)
    .set({ decision, decisionNote: note ?? null })
    .where(eq(riskReports.id, latest.id));
  await recordAudit(tx, actor, {
    action: "risk_report.decide",
    subjectType: "risk_report",
    subjectId: latest.id,
    before: { decision: latest.decision },
    after: { decision, note: note ?? null },
  });
}

/** The approved plan is kept as the project's plan report; the sections the TIS listed join the project. */
export async function recordPlan(tx: Tx, actor: Actor, project: Project, plan: Record<string, unknown>, reviewer: Record<string, unknown>) {
  await fileReport(tx, actor, project, "plan", plan, { decision: "approved", decisionNote: (reviewer.reason as string) || null });
}

const inspectionSchema = z.object({
  inspectedOn: z.string(),
  stage: z.string().trim().min(1).max(50),
  inspectors: z.string().trim().min(1).max(200),
  findings: z.string().trim().min(1).max(4000),
  photos: files,
  events: z.array(z.unknown()).max(100).default([]),
});

/** A site inspection and the events it found; each event starts its own rectification flow. */
export async function recordInspection(ctx: Omit<RaiseContext, "source" | "inspectionId" | "listField">, input: unknown) {
  const data = parseInput(inspectionSchema, input);
  const { tx, actor, project } = ctx;
  const events = parseRaisedEvents(data.events, "events");
  const problems = raisedEventProblems(project, events, "events", { day: data.inspectedOn, message: "整改期限不能早于检查日期" });
  if (Object.keys(problems).length) throw new ValidationError(problems);
  const [inspection] = await tx
    .insert(inspections)
    .values({
      projectId: project.id,
      tisId: project.tisId!,
      inspectedOn: data.inspectedOn,
      stage: data.stage,
      inspectors: data.inspectors,
      findings: data.findings,
      photos: data.photos as FileRef[],
      createdBy: actor.displayName,
      createdAt: clock.now(),
    })
    .returning();
  await recordAudit(tx, actor, {
    action: "inspection.record",
    subjectType: "inspection",
    subjectId: inspection.id,
    after: { inspectedOn: data.inspectedOn, stage: data.stage, events: events.length },
  });
  const raised = await raiseRiskEvents({ ...ctx, inspectionId: inspection.id, source: "inspection", listField: "events" }, events);
  return { inspection, raised };
}

/** A process assessment report, scored from the project's events and the inspector's judgement; the developer is told what is open. */
export async function recordAssessment(tx: Tx, actor: Actor, project: Project, input: Record<string, unknown>, weights: ScoreWeights) {
  const judgement = Number(input.judgement);
  const counts = await eventCounts(tx, project.id);
  const result = riskScore(counts, Number.isFinite(judgement) ? judgement : 0, weights);
  const report = await fileReport(tx, actor, project, "assessment", input, {
    score: String(result.score),
    grade: result.grade,
    metrics: {
      ...counts,
      rectificationRate: result.rectificationRate,
      dataScore: result.dataScore,
      penalty: result.penalty,
      judgement,
      weights,
    },
  });
  const open = counts.open.general + counts.open.major + counts.open.critical;
  const message = {
    title: `风险过程评估报告：${project.name}`,
    body: `评分 ${result.score}（${result.grade}级），未销项风险事件 ${open} 项${open ? "，请责令相关单位尽快整改" : ""}。`,
    link: `/projects/${project.id}?tab=risk`,
  };
  await notify(tx, [
    { to: { roles: ["insurer"], organisationId: project.leadInsurerId }, message },
    ...(project.developerId ? [{ to: { roles: ["developer"], organisationId: project.developerId }, message }] : []),
  ]);
  return { reportId: report.id, score: result.score, grade: result.grade };
}

export async function recordFinalReport(tx: Tx, actor: Actor, project: Project, input: Record<string, unknown>) {
  const report = await fileReport(tx, actor, project, "final", input);
  return { reportId: report.id };
}

const issueSchema = z.object({
  stampedReport: files,
  coverageStatement: files,
  notice: files,
  tisStars: z.number().int().min(1).max(5),
  tisComment: z.string().trim().max(500).optional(),
});

/**
 * The insurer issues the final report with the coverage statement (责任范围说明书) and the notice
 * (告知书) to the developer, and rates the TIS; the documents join the final report.
 */
export async function issueFinalReport(tx: Tx, actor: Actor, project: Project, input: unknown) {
  const data = parseInput(issueSchema, input);
  const latest = await latestReport(tx, project.id, "final");
  if (latest) {
    await tx
      .update(riskReports)
      .set({
        decision: "issued",
        body: {
          ...latest.body,
          issued: { stampedReport: data.stampedReport, coverageStatement: data.coverageStatement, notice: data.notice },
        },
        documents: [
          ...latest.documents,
          ...(data.stampedReport as FileRef[]),
          ...(data.coverageStatement as FileRef[]),
          ...(data.notice as FileRef[]),
        ],
      })
      .where(eq(riskReports.id, latest.id));
  }
  const [rating] = await tx
    .insert(tisRatings)
    .values({
      projectId: project.id,
      tisId: project.tisId!,
      insurerId: actor.organisationId ?? project.leadInsurerId,
      stars: data.tisStars,
      comment: data.tisComment || null,
      ratedBy: actor.displayName,
      createdAt: clock.now(),
    })
    .onConflictDoUpdate({
      target: tisRatings.projectId,
      set: { stars: data.tisStars, comment: data.tisComment || null, ratedBy: actor.displayName },
    })
    .returning();
  await recordAudit(tx, actor, {
    action: "tis.rate",
    subjectType: "project",
    subjectId: project.id,
    after: { stars: rating.stars, comment: rating.comment },
  });
  if (project.developerId) {
    await notify(tx, [
      {
        to: { roles: ["developer"], organisationId: project.developerId },
        message: {
          title: `质量风险最终检查报告已出具：${project.name}`,
          body: "保险公司已出具最终检查报告、责任范围说明书和告知书，请查收并在竣工验收后登记验收情况。",
          link: `/projects/${project.id}?tab=risk`,
        },
      },
    ]);
  }
}

export async function recordRevisit(
  tx: Tx,
  actor: Actor,
  project: Project,
  input: Record<string, unknown>,
  review: Record<string, unknown>,
) {
  await fileReport(tx, actor, project, "revisit", input, {
    decision: review.decision === "finish" ? "finished" : "approved",
    decisionNote: (review.reason as string) || null,
  });
}

const reinspectionSchema = z.object({
  inspectedOn: z.string(),
  defects: z.array(z.unknown()).max(100).default([]),
});

/** The re-inspection report; each defect it lists becomes a risk event for the party responsible (责任方). */
export async function recordReinspection(ctx: Omit<RaiseContext, "source" | "inspectionId" | "listField">, input: Record<string, unknown>) {
  const data = parseInput(reinspectionSchema, input);
  const defects = parseRaisedEvents(data.defects, "defects");
  const problems = raisedEventProblems(ctx.project, defects, "defects", { day: data.inspectedOn, message: "维修期限不能早于复查日期" });
  if (Object.keys(problems).length) throw new ValidationError(problems);
  const report = await fileReport(ctx.tx, ctx.actor, ctx.project, "reinspection", input);
  const raised = await raiseRiskEvents({ ...ctx, source: "reinspection", listField: "defects" }, data.defects);
  return { reportId: report.id, defects: raised.length };
}
