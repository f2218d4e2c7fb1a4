import { and, asc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { claims, processInstances, projects, riskEvents, tasks, workflowTimers } from "@db/schema";
import type { Executor } from "@db/client";
import { SYSTEM_ACTOR, type Actor } from "~/server/auth/actor";
import { clock, clockSource, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { overdueAt } from "~/server/risk/risk-events.server";
import { completeTask, fireDueTimers, openTasksOf, startProcess } from "~/server/workflow/index.server";
import { ownerActor } from "~/server/claims/owner-claims.server";
import { claimNumber, CLAIM_PART_SHORT } from "~/shared/claim-labels";
import { formatDateTime } from "~/shared/time";
import { riskEventNumber, RISK_CATEGORY_LABELS } from "~/shared/risk-labels";
import { addMonths, demoProjects } from "./demo-projects";
import { demoCreditCode } from "./demo-organisations";
import { insuranceReview } from "./demo-projects-seed";
import { demoRiskProject, RISK_COURSES } from "./demo-risk";
import { REVISIT_FINDINGS } from "./demo-risk-texts";
import { seedDemoRisk, uploadDemoFiles } from "./demo-risk-seed";
import { completionTime, nameUuid, revisitDue } from "./scale-rows";
import { demoStaff, demoUser } from "./demo-site-staff";

// The open flows of the city at scale. Each kind of open step (a project awaiting the bureau's
// confirmation, a risk plan to write, a site under inspection, a risk event to rectify, overdue or
// to review, a claim to accept) is reached ONCE through the real engine, on a real object of the
// city; that instance (its engine state, open tasks and timers) is then copied in SQL to every
// other object in the same step, with its own ids, parties, title and times
// (docs/decisions/028-city-at-scale.md). So a seeded task is completed like any other.

/** One instance, as the engine left it, to be copied. */
interface FlowTemplate {
  definitionId: string;
  definitionKey: string;
  definitionVersion: number;
  businessType: string;
  instanceId: string;
  businessKey: string;
  parties: Record<string, string>;
  state: string;
  /** When the step was entered: the times of the copies keep their distance from it. */
  anchor: Date;
  startedAt: Date;
  tasks: {
    elementId: string;
    executionId: string;
    name: string;
    formKey: string;
    formVersion: number | null;
    candidateRoles: string[];
    organisationId: string | null;
    createdAt: Date;
    dueAt: Date | null;
  }[];
  timers: { elementId: string; executionId: string; dueAt: Date; createdAt: Date }[];
}

async function template(instanceId: string, anchor?: Date): Promise<FlowTemplate> {
  const [instance] = await db().select().from(processInstances).where(eq(processInstances.id, instanceId));
  if (instance.status !== "running") throw new Error(`scale seed: template ${instance.definitionKey} is ${instance.status}`);
  const open = await db()
    .select()
    .from(tasks)
    .where(and(eq(tasks.instanceId, instanceId), eq(tasks.status, "open")));
  const timers = await db()
    .select()
    .from(workflowTimers)
    .where(and(eq(workflowTimers.instanceId, instanceId), eq(workflowTimers.status, "pending")));
  return {
    definitionId: instance.definitionId,
    definitionKey: instance.definitionKey,
    definitionVersion: instance.definitionVersion,
    businessType: instance.businessType,
    instanceId,
    businessKey: instance.businessKey,
    parties: instance.parties,
    state: JSON.stringify(instance.state),
    anchor: anchor ?? instance.updatedAt,
    startedAt: instance.startedAt,
    tasks: open,
    timers,
  };
}

/** What each copy is: its business key, title, parties by role, when it entered the step; `subs` other template values to replace in the state. */
interface CopyTargets {
  /** A query with columns business_key (text), title, anchor (timestamptz) and those `parties` and `subs` name. */
  query: SQL;
  parties: Record<string, SQL>;
  subs?: [string, SQL][];
  /** Due times that are absolute for each copy (a risk event's deadline), by the timer's or task's element. */
  dues?: Record<string, SQL>;
}

const instanceIdOf = (key: SQL) => nameUuid(sql`'instance:' || ${key}`);
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Copies the template to every target, in three statements (instances, tasks, timers); returns how many. */
async function copyFlows(ex: Executor, t: FlowTemplate, targets: CopyTargets): Promise<number> {
  const missing = Object.keys(t.parties).filter((role) => !targets.parties[role]);
  if (missing.length) throw new Error(`scale seed: no party ${missing.join(", ")} for copies of ${t.definitionKey}`);
  // A party the copy lacks (a risk event's other rectifier roles) is left out, as the flow leaves it.
  const parties = sql`jsonb_strip_nulls(jsonb_build_object(${sql.join(
    Object.entries(targets.parties).map(([role, value]) => sql`${role}::text, ${value}`),
    sql`, `,
  )}))`;
  const shift = (d: Date) => sql`(t.anchor + (${ts(d)} - ${ts(t.anchor)}))`;
  let state: SQL = sql`replace(replace(${t.state}::text, ${t.instanceId}::text, ${instanceIdOf(sql`t.business_key`)}::text), ${t.businessKey}::text, t.business_key)`;
  for (const [from, to] of targets.subs ?? []) state = sql`replace(${state}, ${from}::text, ${to})`;
  // One statement: the targets are read once, before any copy exists (they are the objects without one).
  const inserts: SQL[] = [
    sql`instances as (
      insert into process_instances (id, definition_id, definition_key, definition_version, business_key, business_type, title, parties,
        status, state, row_version, started_at, updated_at)
      select ${instanceIdOf(sql`t.business_key`)}, ${t.definitionId}::uuid, ${t.definitionKey}, ${t.definitionVersion}, t.business_key,
        ${t.businessType}, t.title, ${parties}, 'running', (${state})::jsonb, 1, ${shift(t.startedAt)}, t.anchor
      from t
      returning id)`,
  ];
  t.tasks.forEach((task, k) => {
    const organisation = task.organisationId
      ? sql`coalesce(${sql.join(
          task.candidateRoles.filter((r) => targets.parties[r]).map((r) => sql`${parties} ->> ${r}::text`),
          sql`, `,
        )})::uuid`
      : sql`null::uuid`;
    const due = targets.dues?.[task.elementId] ?? (task.dueAt ? shift(task.dueAt) : sql`null::timestamptz`);
    inserts.push(sql`${sql.raw(`task${k}`)} as (
      insert into tasks (id, instance_id, element_id, execution_id, name, form_key, form_version, candidate_roles, organisation_id,
        status, created_at, due_at)
      select ${nameUuid(sql`'task:' || t.business_key || ':' || ${task.executionId}::text`)}, ${instanceIdOf(sql`t.business_key`)},
        ${task.elementId}, ${task.executionId}, ${task.name}, ${task.formKey}, ${task.formVersion}::int,
        string_to_array(${task.candidateRoles.join(",")}, ','), ${organisation}, 'open', ${shift(task.createdAt)}, ${due}
      from t)`);
  });
  t.timers.forEach((timer, k) => {
    inserts.push(sql`${sql.raw(`timer${k}`)} as (
      insert into workflow_timers (id, instance_id, element_id, execution_id, due_at, status, created_at)
      select ${nameUuid(sql`'timer:' || t.business_key || ':' || ${timer.executionId}::text`)}, ${instanceIdOf(sql`t.business_key`)},
        ${timer.elementId}, ${timer.executionId}, ${targets.dues?.[timer.elementId] ?? shift(timer.dueAt)}, 'pending', ${shift(timer.createdAt)}
      from t)`);
  });
  return rowsOf(await ex.execute(sql`with t as (${targets.query}), ${sql.join(inserts, sql`, `)} select id from instances`)).length;
}

/** The rows of db().execute(…), which PGlite answers as { rows } and postgres.js as the array itself. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The parties of a project's flows, by role. */
const PROJECT_PARTIES: Record<string, SQL> = {
  insurer: sql`t.lead_insurer_id::text`,
  tis: sql`t.tis_id::text`,
  developer: sql`t.developer_id::text`,
  contractor: sql`t.contractor_id::text`,
  supervisor: sql`t.supervisor_id::text`,
  designer: sql`t.designer_id::text`,
};

/** The parties a project's copies name: those the template's flow named. */
const projectParties = (t: FlowTemplate) => Object.fromEntries(Object.keys(t.parties).map((role) => [role, PROJECT_PARTIES[role]]));

/** The projects of a stage (or status) not yet holding a flow of `key`, as copy targets entering at `anchor`. */
const projectTargets = (where: SQL, key: string, anchor: SQL): SQL => sql`
  select p.id::text as business_key, p.name as title, ${anchor} as anchor, p.lead_insurer_id, p.tis_id, p.developer_id, p.contractor_id,
    p.supervisor_id, p.designer_id
  from projects p
  where ${where} and not exists (select 1 from process_instances i where i.business_key = p.id::text and i.definition_key = ${key})`;

export interface ProjectTemplates {
  confirmation: FlowTemplate;
  plan: FlowTemplate;
  site: FlowTemplate;
  warranty: WarrantyTemplates;
}

/**
 * A delivered project's risk management in its warranty (保修期): waiting for the next revisit, the
 * revisit open for the TIS, its report open for the insurer's review; each before and after the
 * re-inspection (竣工验收满两年前复查), which the seed has done on its day.
 */
interface WarrantyTemplates {
  phases: Record<`${WarrantyPhase}:${"before" | "after"}`, FlowTemplate>;
  /** The template's re-inspection time as its flow's state holds it. */
  reinspectionDue: string;
}
type WarrantyPhase = "wait" | "visit" | "review";

/**
 * Two projects of the demo city taken through the real flows: one registered and awaiting the
 * bureau's confirmation; one confirmed (its risk plan to write), then its plan approved (the site
 * under inspection). They are projects of the scaled city like the others.
 */
export async function projectTemplates(today: Date): Promise<ProjectTemplates> {
  const restore = clockSource();
  try {
    const seeded = demoProjects(today);
    const regulator = await demoUser("regulator");
    const waiting = seeded.findIndex((p) => p.stage === "awaiting_confirmation");
    const awaitingId = await insuranceReview(seeded[waiting], waiting, regulator);
    const confirmation = await template(await flowOf("insurance-review", awaitingId));

    const risk = demoRiskProject(0, today, (months) => demoProjects(addMonths(today, -months))[0]);
    setClock(runningFrom(risk.insuredAt));
    const siteId = await insuranceReview(risk.project, 0, regulator);
    const riskFlow = await flowOf("risk-management", siteId);
    const plan = await template(riskFlow);
    const staff = await demoStaff();
    const p = risk.project;
    const parties = {
      tis: await staff(p.tis),
      insurer: await staff(p.insurer),
      developer: await staff(p.developer),
      contractor: await staff(p.contractor),
    };
    const planSteps = risk.steps.filter((s) => s.element === "plan" || s.element === "planReview");
    await seedDemoRisk(siteId, { ...risk, steps: planSteps }, parties, today);
    const site = await template(riskFlow);
    const warranty = await warrantyTemplates(today, regulator);
    return { confirmation, plan, site, warranty };
  } finally {
    setClock(restore);
  }
}

/**
 * The demo city's project in use taken through its whole risk management (decision 028: a real
 * object of the city), waiting for its next revisit; then, at the seed's instant, each timer of the
 * warranty made due in turn and each step done, its state kept at every phase.
 */
async function warrantyTemplates(today: Date, regulator: Actor): Promise<WarrantyTemplates> {
  const n = RISK_COURSES.indexOf("use");
  const risk = demoRiskProject(n, today, (months) => demoProjects(addMonths(today, -months))[n]);
  setClock(runningFrom(risk.insuredAt));
  const projectId = await insuranceReview(risk.project, n, regulator);
  const flowId = await flowOf("risk-management", projectId);
  const staff = await demoStaff();
  const p = risk.project;
  const [tis, insurer, developer, contractor] = await Promise.all([p.tis, p.insurer, p.developer, p.contractor].map(staff));
  await seedDemoRisk(projectId, risk, { tis, insurer, developer, contractor }, today);
  setClock(() => new Date(today));
  const pendingTimer = async (element: string) => {
    const [timer] = await db()
      .select()
      .from(workflowTimers)
      .where(and(eq(workflowTimers.instanceId, flowId), eq(workflowTimers.elementId, element), eq(workflowTimers.status, "pending")));
    if (!timer) throw new Error(`scale seed: the warranty template has no pending ${element}`);
    return timer;
  };
  const fire = async (element: string) => {
    await db()
      .update(workflowTimers)
      .set({ dueAt: new Date(today.getTime() - 60_000) })
      .where(eq(workflowTimers.id, (await pendingTimer(element)).id));
    await fireDueTimers();
  };
  const done = async (actor: Actor, element: string, submission: Record<string, unknown>) => {
    const [task] = (await openTasksOf(flowId)).filter((t) => t.elementId === element);
    await completeTask(actor, task.id, { submission });
  };
  const day = formatDateTime(today, "YYYY-MM-DD");
  const cycle = async (when: "before" | "after") => {
    const wait = await template(flowId, (await pendingTimer("revisitWait")).createdAt);
    await fire("revisitWait");
    const visit = await template(flowId, today);
    await done(tis, "revisit", { visitedOn: day, inspectors: "回访小组", findings: REVISIT_FINDINGS[0] });
    const review = await template(flowId, today);
    await done(insurer, "revisitReview", { decision: "continue" });
    return { [`wait:${when}`]: wait, [`visit:${when}`]: visit, [`review:${when}`]: review };
  };
  const before = await cycle("before");
  const [project] = await db().select().from(projects).where(eq(projects.id, projectId));
  const reinspectionDue = `${project.reinspectionDueOn}T09:00:00+08:00`;
  await fire("reinspectionWait");
  await done(tis, "reinspection", {
    inspectedOn: day,
    inspectors: "复查小组",
    conclusion: "未发现需维修的质量缺陷",
    documents: await uploadDemoFiles(tis, ["复查报告.pdf"]),
    defects: [],
  });
  const after = await cycle("after");
  return { phases: { ...before, ...after } as WarrantyTemplates["phases"], reinspectionDue };
}

/**
 * The delivered projects' warranty flows, each copied from the template of its phase: where the
 * revisits have come to (the last one fell due, was visited, was reviewed) and whether the
 * re-inspection was done, with the next revisit's and the re-inspection's times their own.
 */
async function warrantyFlows(ex: Executor, w: WarrantyTemplates): Promise<number> {
  const now = ts(clock.now());
  const completed = completionTime(sql`p.completion_accepted_on`);
  const due = (k: SQL) => revisitDue(sql`completed`, k);
  let copied = 0;
  for (const [key, t] of Object.entries(w.phases)) {
    const [phase, when] = key.split(":") as [WarrantyPhase, "before" | "after"];
    copied += await copyFlows(ex, t, {
      query: sql`
        with w as (
          select p.*, ${completed} as completed,
            (select max(k) from generate_series(1, 40) k where ${revisitDue(completed, sql`k`)} <= ${now}) as k,
            (p.reinspection_due_on + time '09:00') at time zone 'Asia/Shanghai' as reinspection_at
          from projects p
          where p.stage = 'use' and p.completion_accepted_on is not null and not exists (select 1 from process_instances i
            where i.business_key = p.id::text and i.definition_key = 'risk-management')
        ), phased as (
          select w.*,
            case when k is null or ${now} >= ${due(sql`k`)} + interval '5 days' then 'wait'
              when ${now} < ${due(sql`k`)} + interval '2 days' then 'visit' else 'review' end as phase
          from w
        )
        select id::text as business_key, name as title, lead_insurer_id, tis_id, developer_id, contractor_id, supervisor_id, designer_id,
          case phase when 'visit' then ${due(sql`k`)} when 'review' then ${due(sql`k`)} + interval '2 days'
            else coalesce(${due(sql`k`)} + interval '5 days', completed) end as anchor,
          ${due(sql`coalesce(k, 0) + 1`)} as next_revisit,
          reinspection_at, to_char(reinspection_due_on, 'YYYY-MM-DD') || 'T09:00:00+08:00' as reinspection_due
        from phased
        where phase = ${phase} and (reinspection_at <= ${now}) = ${when === "after"}`,
      parties: projectParties(t),
      subs: [[w.reinspectionDue, sql`t.reinspection_due`]],
      dues: { revisitWait: sql`t.next_revisit`, reinspectionWait: sql`t.reinspection_at` },
    });
  }
  return copied;
}

async function flowOf(key: string, businessKey: string): Promise<string> {
  const [row] = await db()
    .select({ id: processInstances.id })
    .from(processInstances)
    .where(and(eq(processInstances.definitionKey, key), eq(processInstances.businessKey, businessKey)));
  if (!row) throw new Error(`scale seed: no ${key} flow for ${businessKey}`);
  return row.id;
}

/** The flow of one seeded risk event, started as raising it starts it (risk-events.server.ts). */
async function startRiskEventFlow(event: typeof riskEvents.$inferSelect): Promise<string> {
  const [project] = await db().select().from(projects).where(eq(projects.id, event.projectId));
  const flow = await startProcess(SYSTEM_ACTOR, {
    key: "risk-event",
    businessType: "risk-event",
    businessKey: event.id,
    title: `${project.name}：${RISK_CATEGORY_LABELS[event.category]}风险事件 ${riskEventNumber(event.seq)}`,
    parties: { tis: project.tisId!, insurer: project.leadInsurerId, [event.rectifierRole]: event.rectifierId },
    variables: { overdueAt: overdueAt(event.deadline) },
  });
  await db().update(riskEvents).set({ instanceId: flow.id }).where(eq(riskEvents.id, event.id));
  return flow.id;
}

async function firstEvent(where: SQL) {
  const [event] = await db().select().from(riskEvents).where(where).orderBy(asc(riskEvents.seq)).limit(1);
  return event;
}

/** The demo key of an organisation id. */
type KeyOf = (id: string) => string;

/** Copies of the risk-event flows: open before the deadline, open past it (marked overdue), awaiting review. */
async function riskEventFlows(keyOf: KeyOf): Promise<number> {
  const eventTargets = (where: SQL) => sql`
    select e.id::text as business_key, p.name || '：' || (${JSON.stringify(RISK_CATEGORY_LABELS)}::jsonb ->> e.category) || '风险事件 FX'
        || lpad(e.seq::text, 6, '0') as title,
      case when e.status = 'awaiting_review' then e.rectified_at else e.raised_at end as anchor,
      to_char(e.deadline + 1, 'YYYY-MM-DD') || 'T00:00:00+08:00' as overdue,
      (e.deadline + 1)::timestamp at time zone 'Asia/Shanghai' as overdue_at,
      p.tis_id, p.lead_insurer_id, e.rectifier_role, e.rectifier_id
    from risk_events e join projects p on p.id = e.project_id
    where e.instance_id is null and ${where}`;
  const parties = {
    tis: sql`t.tis_id::text`,
    insurer: sql`t.lead_insurer_id::text`,
    ...Object.fromEntries(
      ["contractor", "developer", "supervisor", "designer"].map((r) => [
        r,
        sql`case when t.rectifier_role = ${r} then t.rectifier_id::text end`,
      ]),
    ),
  };
  const kinds: { where: SQL; first: SQL; prepare?: (event: typeof riskEvents.$inferSelect, flowId: string) => Promise<void> }[] = [
    { where: sql`e.status = 'open' and e.overdue_at is null`, first: and(eq(riskEvents.status, "open"), isNull(riskEvents.overdueAt))! },
    {
      where: sql`e.status = 'open' and e.overdue_at is not null`,
      first: and(eq(riskEvents.status, "open"), isNotNull(riskEvents.overdueAt))!,
      // Its deadline has passed: the timer fires now, as the scheduler fired it on the day.
      prepare: async () => void (await fireDueTimers()),
    },
    {
      where: sql`e.status = 'awaiting_review'`,
      first: eq(riskEvents.status, "awaiting_review"),
      prepare: async (event, flowId) => {
        const staff = await demoStaff();
        const rectifier: Actor = await staff(keyOf(event.rectifierId));
        const [task] = await openTasksOf(flowId);
        await completeTask(rectifier, task.id, {
          submission: {
            measures: event.rectification?.measures ?? "已按要求整改",
            rectifiedOn: clock.now().toISOString().slice(0, 10),
            photos: await uploadDemoFiles(rectifier, ["整改后.png"]),
          },
        });
      },
    },
  ];
  let copied = 0;
  for (const kind of kinds) {
    const event = await firstEvent(and(isNull(riskEvents.instanceId), kind.first)!);
    if (!event) continue;
    const flowId = await startRiskEventFlow(event);
    await kind.prepare?.(event, flowId);
    const t = await template(flowId);
    copied += await db().transaction(async (tx) => {
      const n = await copyFlows(tx, t, {
        query: eventTargets(kind.where),
        parties,
        subs: [[overdueAt(event.deadline), sql`t.overdue`]],
        dues: { deadline: sql`t.overdue_at`, rectify: sql`t.overdue_at` },
      });
      await tx.execute(
        sql`update risk_events e set instance_id = ${nameUuid(sql`'instance:' || e.id::text`)} where e.instance_id is null and ${kind.where}`,
      );
      return n;
    });
  }
  return copied;
}

/** When a seeded claim's repair was reported finished: its finish day, at the hour it was reported. */
const REPAIRED = sql`(((c.repair ->> 'finishedOn')::date + (c.reported_at at time zone 'Asia/Shanghai')::time) at time zone 'Asia/Shanghai')`;

/**
 * The steps a seeded open claim waits at (scale-rows.ts, insertClaims): which claims wait there,
 * since when, and the elements a claim completes to get there. The fast track skips the survey, the
 * decision and the assessment; a repair past its seven days has had its limit's timer fire.
 */
const CLAIM_STAGES: { where: SQL; since: SQL; walk: ClaimElement[]; late?: true }[] = [
  { where: sql`c.status = 'reported'`, since: sql`c.reported_at`, walk: [] },
  { where: sql`c.status = 'accepted' and c.survey is null`, since: sql`c.accepted_at`, walk: ["accept"] },
  { where: sql`c.status = 'accepted' and c.survey is not null`, since: sql`c.reported_at + interval '1 day'`, walk: ["accept", "survey"] },
  { where: sql`c.status = 'registered'`, since: sql`c.decided_at`, walk: ["accept", "survey", "decide"] },
  ...[false, true].flatMap((late) => {
    const overdue = late ? sql`'repair' = any(c.overdue_steps)` : sql`not 'repair' = any(c.overdue_steps)`;
    return [
      {
        where: sql`c.status = 'repairing' and not c.fast_track and ${overdue}`,
        since: sql`c.reported_at + interval '3 days'`,
        walk: ["accept", "survey", "decide", "assess"] as ClaimElement[],
        ...(late ? { late: true as const } : {}),
      },
      {
        where: sql`c.status = 'repairing' and c.fast_track and ${overdue}`,
        since: sql`c.accepted_at`,
        walk: ["accept"] as ClaimElement[],
        ...(late ? { late: true as const } : {}),
      },
    ];
  }),
  ...[false, true].flatMap((fast) => {
    const track = fast ? sql`c.fast_track` : sql`not c.fast_track`;
    const before: ClaimElement[] = fast ? ["accept"] : ["accept", "survey", "decide", "assess"];
    return [
      { where: sql`c.status = 'confirming' and ${track}`, since: REPAIRED, walk: [...before, "repair"] as ClaimElement[] },
      {
        where: sql`c.status = 'settling' and ${track}`,
        since: sql`${REPAIRED} + interval '1 day'`,
        walk: [...before, "repair", "confirm"] as ClaimElement[],
      },
    ];
  }),
];

/**
 * Claims that wait at each step of their flow: the first of them is taken there through the engine
 * (its seeded course set back to the report, then each step completed by its parties with what the
 * seed had recorded, at the time it entered the step), the others copied from it.
 */
async function claimFlows(keyOf: KeyOf): Promise<number> {
  let copied = 0;
  const now = clock.now();
  for (const stage of CLAIM_STAGES) {
    const [first] = rowsOf<{ id: string; since: Date | string }>(
      await db().execute(
        sql`select c.id, ${stage.since} as since from claims c where c.instance_id is null and ${stage.where} order by c.seq limit 1`,
      ),
    );
    if (!first) continue;
    const instanceId = await claimTemplate(first.id, new Date(first.since), stage.walk, keyOf);
    setClock(() => new Date(now));
    // A repair past its limit: the limit's timer fired on its day, as the scheduler fired it.
    if (stage.late) await fireDueTimers();
    const t = await template(instanceId, new Date(first.since));
    copied += await db().transaction(async (tx) => {
      const n = await copyFlows(tx, t, {
        query: sql`
          select c.id::text as business_key, p.name || '：' || (${JSON.stringify(CLAIM_PART_SHORT)}::jsonb ->> c.part) || '报案 LP'
              || lpad(c.seq::text, 6, '0') as title, ${stage.since} as anchor, c.insurer_id, c.repairer_id
          from claims c join projects p on p.id = c.project_id
          where c.instance_id is null and ${stage.where}`,
        parties: { insurer: sql`t.insurer_id::text`, repairer: sql`t.repairer_id::text` },
      });
      await tx.execute(
        sql`update claims c set instance_id = ${nameUuid(sql`'instance:' || c.id::text`)} where c.instance_id is null and ${stage.where}`,
      );
      return n;
    });
  }
  return copied;
}

type ClaimElement = "accept" | "survey" | "decide" | "assess" | "repair" | "confirm";

/**
 * Takes a seeded claim to its step through the engine, at `since` (when it entered it): its row set
 * back to the report, its flow started as reporting starts it, then each element of `walk` completed
 * by the party whose step it is, with what the seed had recorded. Returns the flow's id.
 */
async function claimTemplate(claimId: string, since: Date, walk: ClaimElement[], keyOf: KeyOf): Promise<string> {
  const [seeded] = await db().select().from(claims).where(eq(claims.id, claimId));
  const [project] = await db().select().from(projects).where(eq(projects.id, seeded.projectId));
  setClock(runningFrom(since));
  await db()
    .update(claims)
    .set({
      status: "reported",
      repairerId: null,
      fastTrack: false,
      survey: null,
      assessment: null,
      repair: null,
      overdueSteps: [],
      acceptedAt: null,
      decidedAt: null,
    })
    .where(eq(claims.id, claimId));
  const flow = await startProcess(SYSTEM_ACTOR, {
    key: "claim",
    businessType: "claim",
    businessKey: claimId,
    title: `${project.name}：${CLAIM_PART_SHORT[seeded.part]}报案 ${claimNumber(seeded.seq)}`,
    parties: { insurer: project.leadInsurerId },
    variables: { estimate: seeded.estimate == null ? null : Number(seeded.estimate) },
  });
  await db().update(claims).set({ instanceId: flow.id }).where(eq(claims.id, claimId));
  const staff = await demoStaff();
  const insurer = await staff(keyOf(seeded.insurerId));
  const repairer = seeded.repairerId ? await staff(keyOf(seeded.repairerId)) : null;
  const today = clock.today();
  const submissions: Record<ClaimElement, () => Promise<[Actor, Record<string, unknown>]>> = {
    accept: async () => [insurer, { repairerCreditCode: demoCreditCode(keyOf(seeded.repairerId!)), contactedOn: today }],
    survey: async () => [insurer, { ...seeded.survey!, photos: await uploadDemoFiles(insurer, ["查勘照片.png"]) }],
    decide: async () => [insurer, { decision: "register" }],
    assess: async () => [insurer, seeded.assessment!],
    repair: async () => [
      repairer!,
      {
        ...seeded.repair!,
        beforePhotos: await uploadDemoFiles(repairer!, ["维修前.png"]),
        afterPhotos: await uploadDemoFiles(repairer!, ["维修后.png"]),
      },
    ],
    confirm: async () => [ownerActor(seeded.homeOwnerPhone!, "web"), { decision: "accept" }],
  };
  for (const element of walk) {
    const [task] = (await openTasksOf(flow.id)).filter((t) => t.elementId === element);
    if (!task) throw new Error(`scale seed: claim ${claimNumber(seeded.seq)} has no open ${element}`);
    const [actor, submission] = await submissions[element]();
    await completeTask(actor, task.id, { submission });
  }
  return flow.id;
}

/** Every open step of the city, copied from its template; returns how many instances were made. */
export async function openFlows(templates: ProjectTemplates, keyOf: KeyOf): Promise<number> {
  let copied = await db().transaction(async (tx) => {
    const confirmations = await copyFlows(tx, templates.confirmation, {
      query: projectTargets(sql`p.status = 'awaiting_confirmation'`, "insurance-review", sql`p.created_at + interval '2 hours'`),
      parties: projectParties(templates.confirmation),
    });
    const plans = await copyFlows(tx, templates.plan, {
      query: projectTargets(sql`p.stage = 'planning'`, "risk-management", sql`p.confirmed_at`),
      parties: projectParties(templates.plan),
    });
    const sites = await copyFlows(tx, templates.site, {
      query: projectTargets(
        sql`p.stage = 'construction'`,
        "risk-management",
        sql`(p.start_date::timestamp + interval '10 hours') at time zone 'Asia/Shanghai'`,
      ),
      parties: projectParties(templates.site),
    });
    const warranty = await warrantyFlows(tx, templates.warranty);
    return confirmations + plans + sites + warranty;
  });
  copied += await riskEventFlows(keyOf);
  copied += await claimFlows(keyOf);
  return copied;
}
