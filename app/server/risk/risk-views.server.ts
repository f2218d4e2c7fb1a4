import type { Actor } from "../auth/actor";
import { LIST_COUNT_CAP, NO_ROWS, type Page } from "../pagination.server";
import { mayOpenInstance, mayOpenTask, stepAccess } from "../workflow/index.server";
import { urgesOf, type Urge } from "../tasks/urge.server";
import { stepWaitingOn, tasksWaitingOn, type StepWaitingOn } from "../tasks/open-steps.server";
import { projectRisk, riskFlowProgress, type ProjectRisk } from "./project-risk.server";
import { organisationOptions } from "../statistics/filters.server";
import { getRiskEvent, listRiskEvents, tisWithEvents, type RiskEventDetail, type RiskEventRow } from "./risk-event-queries.server";

// What the 风险 pages show around the scoped queries: the list with its summary and filter
// options, one event with what its viewer may do about it, a project's 风险 tab.

export interface RiskEventList {
  page: Page<RiskEventRow & { openStep: StepWaitingOn | null }>;
  /** Overdue among the events the filters select (共N项，已逾期M项). */
  overdue: number;
  /** The TIS organisations of the events the actor sees: the 风险管理机构 filter's options. */
  tisOptions: { id: string; name: string }[];
  /** The insurers the actor may filter by (the dashboards' rule): the 保险公司 filter's options. */
  insurerOptions: { id: string; name: string }[];
  canUrge: boolean;
}

export async function riskEventList(actor: Actor, query: Record<string, unknown>): Promise<RiskEventList> {
  // The TIS picker is those with events in scope (from the tallies); of the statistics' pickers the
  // list needs the insurers' alone.
  const [{ overdue, ...page }, tisOptions, insurerOptions] = await Promise.all([
    listRiskEvents(actor, query, { countCap: LIST_COUNT_CAP }),
    tisWithEvents(actor),
    organisationOptions(actor, "insurer"),
  ]);
  // Each open step with whom it waits on and when the viewer's organisation last urged it.
  const steps = await tasksWaitingOn(
    actor,
    page.rows.flatMap((r) => (r.openTaskId ? [r.openTaskId] : [])),
  );
  const rows = page.rows.map((r) => ({ ...r, openStep: (r.openTaskId && steps.get(r.openTaskId)) || null }));
  return { page: { ...page, rows }, overdue, tisOptions, insurerOptions, canUrge: mayUrge(actor) };
}

/** The list when its query was refused: no rows, the filters' options all the same. */
export async function emptyRiskEventList(actor: Actor): Promise<RiskEventList> {
  const [tisOptions, insurerOptions] = await Promise.all([tisWithEvents(actor), organisationOptions(actor, "insurer")]);
  return { page: NO_ROWS, overdue: 0, tisOptions, insurerOptions, canUrge: mayUrge(actor) };
}

export interface RiskEventView extends Omit<RiskEventDetail, "openTask"> {
  /** The open step, whom it waits on, and when the viewer's organisation last urged it. */
  openTask: StepWaitingOn | null;
  /** The open step's task, when the viewer may do it (its page is then linked). */
  canActOnTask: boolean;
  /** Whether the viewer may open the open step's page (to do it, or read-only). */
  taskVisible: boolean;
  canUrgeTask: boolean;
  /** Whether the viewer may open the event's flow (/instances/<id>). */
  flowVisible: boolean;
  canUrge: boolean;
  /** The insurer's urges of the event's rectification and verification, latest first. */
  urges: Urge[];
}

export async function riskEventView(actor: Actor, eventId: string): Promise<RiskEventView> {
  const { openTask, ...detail } = await getRiskEvent(actor, eventId);
  return {
    ...detail,
    // The page names the step and links it; who may do it stays on the server.
    openTask: await stepWaitingOn(actor, openTask),
    ...stepAccess(actor, openTask, !!openTask && (await mayOpenTask(actor, openTask.id))),
    flowVisible: await mayOpenInstance(actor, detail.event.instanceId),
    canUrge: mayUrge(actor) && !!openTask,
    urges: detail.event.instanceId ? await urgesOf({ instanceId: detail.event.instanceId }) : [],
  };
}

/** 催办 is the insurer's (urgeRiskEvent refuses anyone else): the pages offer it to insurers only. */
function mayUrge(actor: Actor): boolean {
  return actor.roles.includes("insurer");
}

export interface ProjectRiskTab {
  overview: ProjectRisk;
  events: RiskEventList;
  /** Where its risk management stands now (its flow's open steps, or what it waits for). */
  progress: string | null;
}

/** A project's 风险 tab: its risk view and its events, the list's filters applied with the project fixed. */
export async function projectRiskTab(actor: Actor, projectId: string, query: Record<string, unknown>): Promise<ProjectRiskTab> {
  const overview = await projectRisk(actor, projectId);
  const [events, progress] = await Promise.all([
    riskEventList(actor, { ...query, projectId: overview.project.id }),
    riskFlowProgress(overview.project.id),
  ]);
  return { overview, events, progress };
}
