import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import {
  inspections,
  organisations,
  policies,
  processInstances,
  projects,
  riskEvents,
  riskReports,
  tisRatings,
  type FileRef,
} from "@db/schema";
import type { PolicyStatus, ProjectSection, ProjectStage } from "@db/schema/projects";
import type { RiskReportKind } from "@db/schema/risk";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { NotFoundError } from "../errors.server";
import { flowProgress } from "../flow-views/flow-progress.server";
import { eventCounts } from "./risk-event-queries.server";

// A project's 风险 tab (and GET /api/v1/projects/{id}/risk): its stage, the approved plan, the
// inspection timeline, its reports with their scores, the score trend and the events' counts.
// Read through the project's scope: the parties of the project, its insurers, the regulator.

export interface ProjectRisk {
  project: {
    id: string;
    name: string;
    stage: ProjectStage;
    sections: ProjectSection[];
    completionAcceptedOn: string | null;
    reinspectionDueOn: string | null;
    tisName: string | null;
  };
  policy: { status: PolicyStatus; terminatedAt: Date | null; terminationReason: string | null } | null;
  counts: {
    raised: number;
    closed: number;
    open: number;
    overdue: number;
    /** 重大 events not yet closed: what a final report must account for. */
    openCritical: number;
    byLevel: Record<"general" | "major" | "critical", number>;
    rectificationRate: number | null;
  };
  inspections: {
    id: string;
    inspectedOn: string;
    stage: string;
    inspectors: string;
    findings: string;
    photos: FileRef[];
    events: number;
  }[];
  reports: {
    id: string;
    kind: RiskReportKind;
    title: string;
    filedOn: string;
    score: number | null;
    grade: string | null;
    decision: string | null;
    decisionNote: string | null;
    documents: FileRef[];
    body: Record<string, unknown>;
  }[];
  scoreTrend: { filedOn: string; score: number; grade: string }[];
  rating: { stars: number; comment: string | null } | null;
}

export async function projectRisk(actor: Actor, projectId: string): Promise<ProjectRisk> {
  if (!z.uuid().safeParse(projectId).success) throw new NotFoundError("项目不存在，或不在您的查看范围内");
  const id = projectId.toLowerCase();
  const [row] = await db()
    .select({
      id: projects.id,
      name: projects.name,
      stage: projects.stage,
      sections: projects.sections,
      completionAcceptedOn: projects.completionAcceptedOn,
      reinspectionDueOn: projects.reinspectionDueOn,
      tisName: organisations.name,
    })
    .from(projects)
    .leftJoin(organisations, eq(organisations.id, projects.tisId))
    .where(and(eq(projects.id, id), scope(actor, "project")));
  if (!row) throw new NotFoundError("项目不存在，或不在您的查看范围内");
  const raisedBy = db()
    .select({ inspectionId: riskEvents.inspectionId, events: sql<number>`count(*)`.as("events") })
    .from(riskEvents)
    .where(eq(riskEvents.projectId, id))
    .groupBy(riskEvents.inspectionId)
    .as("raised_by");
  const [policyRows, counts, inspectionRows, reportRows, ratingRows] = await Promise.all([
    db()
      .select({ status: policies.status, terminatedAt: policies.terminatedAt, terminationReason: policies.terminationReason })
      .from(policies)
      .where(eq(policies.projectId, id)),
    eventCounts(db(), id),
    db()
      .select({
        id: inspections.id,
        inspectedOn: inspections.inspectedOn,
        stage: inspections.stage,
        inspectors: inspections.inspectors,
        findings: inspections.findings,
        photos: inspections.photos,
        events: sql<number>`coalesce(${raisedBy.events}, 0)::int`,
      })
      .from(inspections)
      .leftJoin(raisedBy, eq(raisedBy.inspectionId, inspections.id))
      .where(eq(inspections.projectId, id))
      .orderBy(desc(inspections.inspectedOn), desc(inspections.createdAt)),
    db().select().from(riskReports).where(eq(riskReports.projectId, id)).orderBy(desc(riskReports.filedOn), desc(riskReports.createdAt)),
    db().select({ stars: tisRatings.stars, comment: tisRatings.comment }).from(tisRatings).where(eq(tisRatings.projectId, id)),
  ]);
  const reports = reportRows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    filedOn: r.filedOn,
    score: r.score === null ? null : Number(r.score),
    grade: r.grade,
    decision: r.decision,
    decisionNote: r.decisionNote,
    documents: r.documents,
    body: r.body,
  }));
  return {
    project: row,
    policy: policyRows[0] ?? null,
    counts: countsView(counts),
    inspections: inspectionRows,
    reports,
    scoreTrend: reports
      .filter((r) => r.kind === "assessment" && r.score !== null)
      .map((r) => ({ filedOn: r.filedOn, score: r.score!, grade: r.grade ?? "" }))
      .sort((a, b) => a.filedOn.localeCompare(b.filedOn)),
    rating: ratingRows[0] ?? null,
  };
}

/** The counts as the 风险 tab and the API give them: totals, 重大 still open, and the rectification rate. */
export function countsView(counts: Awaited<ReturnType<typeof eventCounts>>): ProjectRisk["counts"] {
  const open = counts.open.general + counts.open.major + counts.open.critical;
  return {
    raised: counts.raised,
    closed: counts.closed,
    open,
    overdue: counts.overdue,
    openCritical: counts.open.critical,
    byLevel: counts.byLevel,
    rectificationRate: counts.raised ? counts.closed / counts.raised : null,
  };
}

/**
 * Where the project's risk management stands, read from its flow: the steps open now, else what it
 * waits for (in the use stage, the next revisit and the re-inspection), else how it ended.
 */
export function riskFlowProgress(projectId: string): Promise<string | null> {
  return flowProgress(
    and(
      eq(processInstances.businessType, "project"),
      eq(processInstances.businessKey, projectId),
      eq(processInstances.definitionKey, "risk-management"),
    )!,
  );
}

/** The latest process assessment's score of a project, if any. */
export async function latestAssessment(projectId: string): Promise<{ filedOn: string; score: number; grade: string } | null> {
  const [row] = await db()
    .select({ filedOn: riskReports.filedOn, score: riskReports.score, grade: riskReports.grade })
    .from(riskReports)
    .where(and(eq(riskReports.projectId, projectId), eq(riskReports.kind, "assessment")))
    .orderBy(desc(riskReports.filedOn), desc(riskReports.createdAt))
    .limit(1);
  return row?.score == null ? null : { filedOn: row.filedOn, score: Number(row.score), grade: row.grade ?? "" };
}
