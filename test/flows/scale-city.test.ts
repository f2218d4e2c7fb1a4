import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { processInstances, projects, tasks } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { database, db } from "~/server/db.server";
import { listClaims } from "~/server/claims/claim-queries.server";
import { claimList } from "~/server/claims/claim-views.server";
import { listRiskEvents } from "~/server/risk/risk-event-queries.server";
import { riskEventList } from "~/server/risk/risk-views.server";
import { statisticsDashboard } from "~/server/statistics/index.server";
import { filterOptions } from "~/server/statistics/filters.server";
import { riskMapData } from "~/server/statistics/map.server";
import { processHeatmap } from "~/server/flow-views/heatmap.server";
import { clock } from "~/server/clock.server";
import { dayStarts, shiftDay } from "~/shared/time";
import { listTasks } from "~/server/tasks/inbox.server";
import { completeTask, deployBuiltIns, openTasksOf } from "~/server/workflow/index.server";
import type { Dashboard } from "~/shared/statistics";
import { seedScaleCity } from "~/demo/scale-city";
import { nameUuid } from "~/demo/scale-rows";
import { ownerActor } from "~/server/claims/owner-claims.server";
import { demoActor } from "../support/actors";
import { acceptance, claimRow, repairSubmission, surveySubmission } from "../support/claims";
import { resultRows, useTestDatabase } from "../support/database";

// npm run seed:scale, small (200 projects, 10,000 risk events, 3,000 claims) on the test's database:
// the dashboards give the figures counted straight from the seeded tables, for the bureau and for
// one insurer; the open steps are in the inboxes; a copied task completes through the engine.

useTestDatabase();

let bureau: Actor;
let cpic: Actor;
let picc: Actor;
const ALL_TIME = { period: "custom", from: "2010-01-01", to: "2099-12-31" };

beforeAll(async () => {
  await deployBuiltIns();
  const result = await seedScaleCity({ projects: 200 });
  expect(result).toMatchObject({ projects: 200, events: 10_000, claims: 3_000 });
  [bureau, cpic, picc] = await Promise.all(["regulator", "insurer-cpic", "insurer"].map(demoActor));
}, 300_000);

async function one(query: ReturnType<typeof sql>): Promise<number> {
  const [row] = resultRows<{ n: string | number | null }>(await db().execute(query));
  return row.n == null ? 0 : Number(row.n);
}
async function ids(query: ReturnType<typeof sql>): Promise<string[]> {
  return resultRows<{ id: string }>(await db().execute(query))
    .map((r) => r.id)
    .sort();
}
const kpi = (d: Dashboard, key: string) => d.kpis.find((k) => k.key === key)!.value;
/** The projects an insurer carries a share of (lead or co-insurer): its scope. */
const insures = (id: string) =>
  sql`(p.lead_insurer_id = ${id} or exists (select 1 from policy_shares s join policies pl on pl.id = s.policy_id
    where pl.project_id = p.id and s.kind = 'insurer' and s.organisation_id = ${id}))`;

describe("the city at scale", () => {
  it("has the size asked for, every figure from the facts", async () => {
    expect(await one(sql`select count(*) as n from projects`)).toBe(200);
    expect(await one(sql`select count(*) as n from risk_events`)).toBe(10_000);
    expect(await one(sql`select count(*) as n from claims`)).toBe(3_000);
    // Co-insured projects: the shares of each policy's insurers make 100 %.
    expect(await one(sql`select count(*) as n from policy_shares where kind = 'insurer' and not is_lead`)).toBeGreaterThan(10);
    expect(
      await one(
        sql`select count(*) as n from (select policy_id from policy_shares where kind = 'insurer' group by 1 having sum(share) <> 100) x`,
      ),
    ).toBe(0);
  });

  it("gives the bureau's and an insurer's dashboards, map and lists the figures counted from the tables", async () => {
    for (const actor of [bureau, cpic]) {
      const scope = actor === bureau ? sql`true` : insures(actor.organisationId!);
      const holder = actor === bureau ? sql`true` : sql`s.organisation_id = ${actor.organisationId!}`;
      const underwriting = await statisticsDashboard(actor, "underwriting", ALL_TIME);
      expect(kpi(underwriting, "premium")).toBe(
        await one(sql`select round(sum(pl.premium * s.share / 100), 2) as n from projects p join policies pl on pl.project_id = p.id
          join policy_shares s on s.policy_id = pl.id and s.kind = 'insurer' where p.status = 'insured' and ${scope} and ${holder}`),
      );
      const risk = await statisticsDashboard(actor, "risk", ALL_TIME);
      expect(kpi(risk, "riskEvents")).toBe(
        await one(sql`select count(*) as n from risk_events e join projects p on p.id = e.project_id where ${scope}`),
      );
      expect(kpi(risk, "severeRiskEvents")).toBe(
        await one(
          sql`select count(*) as n from risk_events e join projects p on p.id = e.project_id where e.level = 'critical' and ${scope}`,
        ),
      );
      expect(kpi(risk, "constructionProjects")).toBe(
        await one(
          sql`select count(*) as n from projects p where p.stage in ('planning', 'construction') and p.status = 'insured' and ${scope}`,
        ),
      );
      expect(kpi(risk, "assessmentReports")).toBe(
        await one(
          sql`select count(*) as n from risk_reports r join projects p on p.id = r.project_id where r.kind = 'assessment' and ${scope}`,
        ),
      );
      const claims = await statisticsDashboard(actor, "claims", ALL_TIME);
      expect(kpi(claims, "claimCount")).toBe(
        await one(sql`select count(*) as n from claims c join projects p on p.id = c.project_id where ${scope}`),
      );
      expect(await statisticsDashboard(actor, "service", ALL_TIME)).toBeTruthy();
    }
    for (const actor of [bureau, cpic]) {
      const scope = actor === bureau ? sql`true` : insures(actor.organisationId!);
      const map = await riskMapData(actor, {});
      expect(map.total.projects).toBe(
        await one(sql`select count(*) as n from projects p where p.status = 'insured' and p.stage <> 'terminated' and ${scope}`),
      );
      expect(map.total.openEvents).toBe(
        await one(sql`select count(*) as n from risk_events e join projects p on p.id = e.project_id
          where e.status in ('open', 'rectifying', 'awaiting_review') and p.status = 'insured' and p.stage <> 'terminated' and ${scope}`),
      );
      expect((await listRiskEvents(actor, {})).total).toBe(
        await one(sql`select count(*) as n from risk_events e join projects p on p.id = e.project_id where ${scope}`),
      );
      expect((await listClaims(actor, {})).total).toBe(
        await one(sql`select count(*) as n from claims c join projects p on p.id = c.project_id where ${scope}`),
      );
      const claimPage = await claimList(actor, {});
      expect(claimPage.counts).toEqual({
        // The tallies count the list as it opens exactly, past the page's cap of rows counted.
        total: await one(sql`select count(*) as n from claims c join projects p on p.id = c.project_id where ${scope}`),
        capped: false,
        open: await one(sql`select count(*) as n from claims c join projects p on p.id = c.project_id
          where c.status not in ('closed', 'declined', 'withdrawn') and ${scope}`),
        overdue: await one(sql`select count(*) as n from claims c join projects p on p.id = c.project_id
          where c.status not in ('closed', 'declined', 'withdrawn') and cardinality(c.overdue_steps) > 0 and ${scope}`),
      });
      // The insurers of the claims seen, handling or co-insuring.
      expect(claimPage.insurerOptions.map((o) => o.id).sort()).toEqual(
        await ids(sql`select c.insurer_id as id from claims c join projects p on p.id = c.project_id where ${scope}
          union select s.organisation_id from claims c join projects p on p.id = c.project_id
          join policy_shares s on s.policy_id = c.policy_id and s.kind = 'insurer' where ${scope}`),
      );
      // The statistics' 风险管理机构 picker: the TIS of the projects seen (the bureau: every TIS).
      expect((await filterOptions(actor)).tis.map((o) => o.id).sort()).toEqual(
        await ids(
          actor === bureau
            ? sql`select id from organisations where type = 'tis'`
            : sql`select distinct p.tis_id as id from projects p where ${scope}`,
        ),
      );
      expect((await riskEventList(actor, {})).tisOptions.map((o) => o.id).sort()).toEqual(
        await ids(sql`select distinct e.tis_id as id from risk_events e join projects p on p.id = e.project_id where ${scope}`),
      );
    }
    const claims = await statisticsDashboard(bureau, "claims", ALL_TIME);
    expect(kpi(claims, "claimAmount")).toBe(
      await one(sql`select round(sum((settlement ->> 'paidAmount')::numeric), 2) as n from claims where status = 'closed'`),
    );
    const service = await statisticsDashboard(bureau, "service", ALL_TIME);
    expect(kpi(service, "insurerStars")).toBe(await one(sql`select round(avg(stars), 2) as n from claim_ratings`));
  });

  it("lists the seeded open steps in the bureau's and an insurer's inboxes", async () => {
    const confirmations = await listTasks(bureau, { process: "insurance-review", pageSize: 100 });
    expect(confirmations.total).toBe(await one(sql`select count(*) as n from projects where status = 'awaiting_confirmation'`));
    expect(confirmations.total).toBeGreaterThan(1);
  });

  it("has every open claim waiting at its step, in the inbox of the party whose step it is", async () => {
    // The step each open claim waits at, from its facts (the fast track skips survey, decision and assessment).
    const stepOf = sql`case c.status when 'reported' then 'accept' when 'accepted' then case when c.survey is null then 'survey' else 'decide' end
      when 'registered' then 'assess' when 'repairing' then 'repair' when 'confirming' then 'confirm' when 'settling' then 'settle' end`;
    const waiting = resultRows<{ step: string; n: string | number }>(
      await db().execute(sql`select ${stepOf} as step, count(*) as n from claims c where c.status not in ('closed', 'declined', 'withdrawn')
        group by 1 order by 1`),
    );
    const open = resultRows<{ step: string; n: string | number }>(
      await db().execute(sql`select t.element_id as step, count(*) as n from tasks t join process_instances i on i.id = t.instance_id
        where i.definition_key = 'claim' and t.status = 'open' group by 1 order by 1`),
    );
    expect(open.map((r) => [r.step, Number(r.n)])).toEqual(waiting.map((r) => [r.step, Number(r.n)]));
    expect(waiting.length).toBeGreaterThan(2);
    // Each claim's flow is its own: one open task, for its insurer, its repairer or its owner.
    expect(
      await one(sql`select count(*) as n from claims c where c.status not in ('closed', 'declined', 'withdrawn') and (select count(*)
        from tasks t where t.instance_id = c.instance_id and t.status = 'open') <> 1`),
    ).toBe(0);
    const insurerSteps = sql`c.status in ('reported', 'accepted', 'registered', 'settling')`;
    expect((await listTasks(picc, { process: "claim", pageSize: 100 })).total).toBe(
      await one(sql`select count(*) as n from claims c where ${insurerSteps} and c.insurer_id = ${picc.organisationId!}`),
    );
    const repairer = await demoActor("repairer");
    expect((await listTasks(repairer, { process: "claim", pageSize: 100 })).total).toBe(
      await one(sql`select count(*) as n from claims c where c.status = 'repairing' and c.repairer_id = ${repairer.organisationId!}`),
    );
  });

  it("has every project in use under its warranty flow: the next revisit and the re-inspection timed, or a revisit open", async () => {
    expect(
      await one(sql`select count(*) as n from projects p where p.stage = 'use' and not exists (select 1 from process_instances i
        where i.business_key = p.id::text and i.definition_key = 'risk-management' and i.status = 'running')`),
    ).toBe(0);
    const running = resultRows<{ waits: string; n: string | number }>(
      await db().execute(sql`select coalesce((select string_agg(t.element_id, ',' order by t.element_id) from tasks t
          where t.instance_id = i.id and t.status = 'open'), '') || '|' || coalesce((select string_agg(w.element_id, ',' order by w.element_id)
          from workflow_timers w where w.instance_id = i.id and w.status = 'pending'), '') as waits, count(*) as n
        from process_instances i join projects p on p.id::text = i.business_key
        where p.stage = 'use' and i.definition_key = 'risk-management' group by 1 order by 1`),
    );
    // Waiting for the next revisit, before or after the re-inspection; or at a revisit or its review.
    for (const { waits } of running)
      expect([
        "|reinspectionWait,revisitWait",
        "|revisitWait",
        "revisit|",
        "revisit|reinspectionWait",
        "revisitReview|",
        "revisitReview|reinspectionWait",
      ]).toContain(waits);
    expect(running.find((r) => r.waits === "|reinspectionWait,revisitWait")).toBeTruthy();
    expect(running.find((r) => r.waits === "|revisitWait")).toBeTruthy();
    // Their reports as the flows filed them: a revisit report for each cycle reviewed, the re-inspection's when it is past.
    expect(await one(sql`select count(*) as n from risk_reports where kind = 'revisit'`)).toBeGreaterThan(0);
  });

  it("gives the heatmap of the flow with the most steps from the tables, in one grouped query (docs/decisions/037)", async () => {
    const [busiest] = resultRows<{ key: string }>(
      await db().execute(sql`select i.definition_key as key from tasks t join process_instances i on i.id = t.instance_id
        group by 1 order by count(*) desc limit 1`),
    );
    const started = performance.now();
    const to = clock.today();
    const map = await processHeatmap(bureau, busiest.key, { from: shiftDay(to, -365, "day"), to });
    const took = performance.now() - started;
    const counted = resultRows<{ element_id: string; n: string | number; open: string | number }>(
      await db().execute(sql`select t.element_id, count(*) as n, count(*) filter (where t.status = 'open') as open from tasks t
        join process_instances i on i.id = t.instance_id where i.definition_key = ${busiest.key} and t.status <> 'cancelled'
        and t.created_at >= ${dayStarts(shiftDay(to, -365, "day")).toISOString()}::timestamptz group by 1 order by 1`),
    );
    expect(map.steps.map((s) => [s.elementId, s.count, s.open])).toEqual(counted.map((r) => [r.element_id, Number(r.n), Number(r.open)]));
    const steps = map.steps.reduce((sum, s) => sum + s.count, 0);
    expect(steps).toBeGreaterThan(20);
    console.info(`heatmap of ${steps} ${busiest.key} steps: ${Math.round(took)} ms`);
  });

  it("leaves no timer due: every copied flow waits for a time still to come", async () => {
    expect(await one(sql`select count(*) as n from workflow_timers where status = 'pending' and due_at <= now()`)).toBe(0);
  });

  it("reads without JIT compilation (which cost dashboards seconds) or parallel workers on PostgreSQL", async () => {
    if (database().kind !== "postgres") return;
    expect(resultRows<{ jit: string }>(await db().execute(sql`show jit`))[0].jit).toBe("off");
    const workers = resultRows<{ max_parallel_workers_per_gather: string }>(await db().execute(sql`show max_parallel_workers_per_gather`));
    expect(workers[0].max_parallel_workers_per_gather).toBe("0");
  });

  it("completes a copied task through the engine: the bureau confirms a project, its risk management starts", async () => {
    const [copy] = resultRows<{ task: string; project: string }>(
      await db().execute(sql`select t.id as task, i.business_key as project from tasks t join process_instances i on i.id = t.instance_id
        where t.status = 'open' and t.element_id = 'confirmation' and i.id = ${nameUuid(sql`'instance:' || i.business_key`)} limit 1`),
    );
    await completeTask(bureau, copy.task, { submission: { decision: "confirm" } });
    const [project] = await db().select().from(projects).where(eq(projects.id, copy.project));
    expect(project.status).toBe("insured");
    const [flow] = await db()
      .select()
      .from(processInstances)
      .where(sql`${processInstances.businessKey} = ${copy.project} and ${processInstances.definitionKey} = 'risk-management'`);
    expect((await openTasksOf(flow.id)).map((t) => t.name)).toEqual(["风险交底及检查计划"]);
    const [done] = await db().select().from(tasks).where(eq(tasks.id, copy.task));
    expect(done.status).toBe("completed");
  });
});

describe("the city at scale's copied claim flows", () => {
  /** The demo user of an organisation in a role, as a signed-in request would have it. */
  async function staff(organisationId: string, role: string): Promise<Actor> {
    const [row] = resultRows<{ username: string }>(
      await db().execute(sql`select username from users where organisation_id = ${organisationId} and ${role} = any(roles) limit 1`),
    );
    return demoActor(row.username);
  }

  it("take their next step through the engine: a copied claim's task completes and its flow moves on", async () => {
    const [copy] = resultRows<{ task: string; element: string; claim: string; phone: string; insurer: string; repairer: string | null }>(
      await db().execute(sql`select t.id as task, t.element_id as element, c.id as claim, c.home_owner_phone as phone,
          c.insurer_id as insurer, c.repairer_id as repairer
        from claims c join tasks t on t.instance_id = c.instance_id and t.status = 'open'
        where c.instance_id = ${nameUuid(sql`'instance:' || c.id::text`)}
        order by array_position(array['repair', 'confirm', 'settle', 'assess', 'decide', 'survey', 'accept'], t.element_id), c.seq limit 1`),
    );
    const insurer = await staff(copy.insurer, "insurer");
    const repairer = copy.repairer ? await staff(copy.repairer, "repairer") : null;
    const steps: Record<string, () => Promise<[Actor, Record<string, unknown>]>> = {
      accept: async () => [insurer, acceptance()],
      survey: async () => [insurer, await surveySubmission(insurer)],
      decide: async () => [insurer, { decision: "register" }],
      assess: async () => [insurer, { plan: "重做防水", estimatedCost: 6500 }],
      repair: async () => [repairer!, await repairSubmission(repairer!)],
      confirm: async () => [ownerActor(copy.phone, "web"), { decision: "accept" }],
      settle: async () => [insurer, { part: "waterproofing", cause: "防水层破损", cost: 6200, paidAmount: 6200 }],
    };
    const before = (await claimRow(copy.claim)).status;
    const [actor, submission] = await steps[copy.element]();
    await completeTask(actor, copy.task, { submission });
    const after = await claimRow(copy.claim);
    expect(after.status).not.toBe(before);
    const [done] = await db().select().from(tasks).where(eq(tasks.id, copy.task));
    expect(done.status).toBe("completed");
  });
});
