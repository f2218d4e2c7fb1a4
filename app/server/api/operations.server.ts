import { type z } from "zod";
import type { Actor } from "../auth/actor";
import { sessionFromCookie } from "../auth/session.server";
import { blankSessionCookie, sessionCookie } from "../auth/sessions.server";
import { signIn, signOut } from "../auth/sign-in.server";
import { UnauthenticatedError } from "../errors.server";
import { startableDefinitions } from "../workflow/definitions.server";
import { completeTask } from "../workflow/complete.server";
import { startProcess } from "../workflow/start.server";
import { claimTask, getTaskRow, listTasks } from "../workflow/tasks.server";
import { instanceView, taskView } from "../workflow/views.server";
import { withdrawInstance } from "../workflow/withdraw.server";
import { listProjects, projectDetail } from "../projects/projects.server";
import { lookupOrganisations } from "../organisations/lookup.server";
import { projectRisk } from "../risk/project-risk.server";
import { getRiskEvent, listRiskEvents } from "../risk/risk-event-queries.server";
import { urgeRiskEvent } from "../risk/urge-risk-event.server";
import { checkUnitsImport, importUnits } from "../claims/units-import.server";
import { listUnits } from "../claims/units.server";
import type { UploadedFile } from "../http/upload.server";
import { reportClaim } from "../claims/claims.server";
import { getClaim, listClaims, type ClaimRow } from "../claims/claim-queries.server";
import { claimStatusTag } from "../claims/claim-object.server";
import { claimNumber } from "~/shared/claim-labels";
import { riskEventNumber } from "~/shared/risk-labels";
import type {
  ClaimQuery,
  CompleteBody,
  OrganisationLookupQuery,
  ProjectQuery,
  ReportClaimBody,
  RiskEventQuery,
  SignInBody,
  StartBody,
  TaskQuery,
  UnitQuery,
  UrgeBody,
} from "./contract.server";

// What each REST operation does, in terms of the same services the web pages call.

export function me(actor: Actor) {
  return {
    username: actor.username,
    displayName: actor.displayName,
    organisationId: actor.organisationId,
    organisationName: actor.organisationName,
    roles: actor.roles,
  };
}

export async function apiSignIn(body: z.infer<typeof SignInBody>, ip: string | null): Promise<Response> {
  const { actor, sessionId } = await signIn({ username: body.username, password: body.password, ip });
  return Response.json(me(actor), { headers: { "Set-Cookie": sessionCookie(sessionId) } });
}

/** Ends the request's session (wherever its cookie is used) and tells the client to forget the cookie. An API key has no session to end. */
export async function apiSignOut(request: Request, ip: string | null): Promise<Response> {
  const current = await sessionFromCookie(request.headers.get("Cookie"), ip);
  if (!current) throw new UnauthenticatedError("没有可退出的登录会话（接口密钥无需退出）");
  await signOut(current.sessionId, current.actor);
  return Response.json({ ok: true }, { headers: { "Set-Cookie": blankSessionCookie() } });
}

export function apiListTasks(actor: Actor, query: z.infer<typeof TaskQuery>) {
  return listTasks(actor, query);
}

function instanceBody(view: Awaited<ReturnType<typeof instanceView>>) {
  return {
    ...view.instance,
    process: { key: view.definition.key, version: view.definition.version, name: view.definition.name },
    openTasks: view.openTasks,
    history: view.history,
  };
}

export async function apiGetTask(actor: Actor, id: string) {
  const view = await taskView(actor, id);
  return {
    id: view.task.id,
    name: view.task.name,
    status: view.task.status,
    formKey: view.task.formKey,
    form: view.schema,
    submission: view.task.submission,
    dueAt: view.task.dueAt,
    canComplete: view.canComplete,
    canClaim: view.canClaim,
    instance: instanceBody(view),
  };
}

export async function apiClaimTask(actor: Actor, id: string) {
  await claimTask(actor, id);
  return { ok: true as const };
}

export async function apiCompleteTask(actor: Actor, id: string, body: z.infer<typeof CompleteBody>) {
  await completeTask(actor, id, { submission: body.submission, comment: body.comment });
  return getTaskRow(actor, id);
}

export function apiListProcesses(actor: Actor) {
  return startableDefinitions(actor);
}

export async function apiStartProcess(actor: Actor, key: string, body: z.infer<typeof StartBody>) {
  const instance = await startProcess(actor, {
    key,
    businessType: body.businessType,
    businessKey: body.businessKey,
    title: body.title,
    variables: body.variables ?? {},
  });
  return instanceBody(await instanceView(actor, instance.id));
}

export async function apiGetInstance(actor: Actor, id: string) {
  return instanceBody(await instanceView(actor, id));
}

export async function apiWithdrawInstance(actor: Actor, id: string) {
  await withdrawInstance(actor, id);
  return instanceBody(await instanceView(actor, id));
}

export function apiListProjects(actor: Actor, query: z.infer<typeof ProjectQuery>) {
  return listProjects(actor, query);
}

export async function apiGetProject(actor: Actor, id: string) {
  const detail = await projectDetail(actor, id);
  return {
    id: detail.project.id,
    permitNo: detail.project.permitNo,
    name: detail.project.name,
    status: detail.project.status,
    returnReason: detail.project.returnReason,
    confirmedAt: detail.project.confirmedAt,
    policyNo: detail.policy?.policyNo ?? null,
    flows: detail.flows,
  };
}

export function apiGetProjectRisk(actor: Actor, id: string) {
  return projectRisk(actor, id);
}

export async function apiListRiskEvents(actor: Actor, query: z.infer<typeof RiskEventQuery>) {
  const { overdue: _overdue, ...page } = await listRiskEvents(actor, query);
  return { ...page, rows: page.rows.map(({ seq, ...row }) => ({ number: riskEventNumber(seq), ...row })) };
}

export async function apiGetRiskEvent(actor: Actor, id: string) {
  const { event, project, tisName, rectifierName, openTask } = await getRiskEvent(actor, id);
  return {
    id: event.id,
    number: riskEventNumber(event.seq),
    project,
    source: event.source,
    inspectionId: event.inspectionId,
    category: event.category,
    level: event.level,
    status: event.status,
    location: event.location,
    description: event.description,
    photos: event.photos,
    deadline: event.deadline,
    overdue: event.overdue,
    overdueAt: event.overdueAt,
    tisName,
    rectifierName,
    rectifierRole: event.rectifierRole,
    rectification: event.rectification,
    returnReason: event.returnReason,
    returnCount: event.returnCount,
    raisedAt: event.raisedAt,
    rectifiedAt: event.rectifiedAt,
    closedAt: event.closedAt,
    instanceId: event.instanceId,
    openTask: openTask && { id: openTask.id, name: openTask.name },
  };
}

export async function apiUrgeRiskEvent(actor: Actor, id: string, body: z.infer<typeof UrgeBody>) {
  return { ok: true as const, notified: await urgeRiskEvent(actor, id, body) };
}

export function apiLookupOrganisations(actor: Actor, query: z.infer<typeof OrganisationLookupQuery>) {
  return lookupOrganisations(actor, query);
}

export function apiListUnits(actor: Actor, projectId: string, query: z.infer<typeof UnitQuery>) {
  return listUnits(actor, projectId, query);
}

export async function apiImportUnits(actor: Actor, projectId: string, upload: () => Promise<UploadedFile>) {
  await checkUnitsImport(actor, projectId);
  const file = await upload();
  return importUnits(actor, projectId, { name: file.name || "房屋清单.xlsx", bytes: file.bytes });
}

/** A claim as the API lists it: its number instead of the sequence, and whether it shows red. */
function claimSummary({ seq, escalatedAt: _escalatedAt, ...row }: ClaimRow) {
  return { number: claimNumber(seq), ...row, overdue: claimStatusTag(row).color === "red" };
}

export async function apiListClaims(actor: Actor, query: z.infer<typeof ClaimQuery>) {
  const page = await listClaims(actor, query);
  return { ...page, rows: page.rows.map(claimSummary) };
}

export async function apiGetClaim(actor: Actor, id: string) {
  const { claim, openTask, rating, timeline, communityName: _c, owner: _o, fullContact: _f, ...row } = await getClaim(actor, id);
  return {
    ...claimSummary(row),
    description: claim.description,
    photos: claim.photos,
    estimate: claim.estimate == null ? null : Number(claim.estimate),
    survey: claim.survey,
    declineReason: claim.declineReason,
    assessment: claim.assessment,
    repair: claim.repair,
    refusalReason: claim.refusalReason,
    refusalCount: claim.refusalCount,
    settlement: claim.settlement,
    acceptedAt: claim.acceptedAt,
    decidedAt: claim.decidedAt,
    instanceId: claim.instanceId,
    openTask: openTask && { id: openTask.id, name: openTask.name, dueAt: openTask.dueAt },
    rating: rating && { stars: rating.stars, reasons: rating.reasons, comment: rating.comment, createdAt: rating.createdAt },
    timeline: timeline.map((t) => ({ at: t.at, what: t.label, who: t.actorName, detail: t.detail })),
  };
}

/** 报案 from an insurer's core system: the channel is the insurer's, whatever else the caller is. */
export async function apiReportClaim(actor: Actor, body: z.infer<typeof ReportClaimBody>) {
  const claim = await reportClaim(actor, { ...body, channel: "insurer" });
  return apiGetClaim(actor, claim.id);
}
