import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claims, projects, riskEvents, users } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { loadActor } from "~/server/auth/current-user.server";
import { claimFilterSchema, claimWhere, listClaims } from "~/server/claims/claim-queries.server";
import { ownerActor } from "~/server/claims/owner-claims.server";
import { clock, resetClock, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { listParams } from "~/server/pagination.server";
import { listRiskEvents, riskEventFilterSchema, riskEventWhere } from "~/server/risk/risk-event-queries.server";
import { countUpTo } from "~/server/tallies.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { closedClaim } from "../support/claim-progress";
import {
  acceptance,
  claimRow,
  complete,
  deliveredProject,
  ownerReports,
  repairerActor,
  repairSubmission,
  surveySubmission,
  type DeliveredProject,
} from "../support/claims";
import { resultRows, useTestDatabase } from "../support/database";
import { inspectedWith, insuredProject, PINGAN_PARTIES, riskEventInput } from "../support/risk";

// What the statistics and the lists read beside the facts (docs/decisions/029) stays what the
// facts say while the real flows change them: the claims' figures PostgreSQL keeps from their
// documents, each claim's mark of a repair that did not hold, and the tallies the lists' 共N件 and
// 共N项 are summed from, compared after every step with the same figures computed from the rows.

useTestDatabase();
afterAll(resetClock);

const OWNER = "13900000029";
const NEIGHBOUR = "13900000030";
let p: DeliveredProject;

beforeAll(async () => {
  await deployBuiltIns();
  p = await deliveredProject([OWNER, NEIGHBOUR]);
});

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return resultRows<T>(await db().execute(query));
}

/** Every claim's kept figures next to what its documents and the home's other claims say now. */
async function claimFiguresAgainstFacts() {
  return rows<Record<string, unknown>>(sql`
    select c.seq,
      c.paid_amount is not distinct from (c.settlement ->> 'paidAmount')::numeric as paid,
      c.repair_cost is not distinct from (c.settlement ->> 'cost')::numeric as cost,
      c.found_part = coalesce(c.settlement ->> 'part', c.survey ->> 'part', c.part) as part,
      c.found_cause is not distinct from nullif(btrim(coalesce(c.settlement ->> 'cause', c.survey ->> 'cause')), '') as cause,
      c.assessed = (c.assessment is not null) as assessed,
      c.repair_days is not distinct from ((c.repair ->> 'finishedOn')::date - (c.reported_at at time zone 'Asia/Shanghai')::date) as days,
      c.repeat_within_year = exists (select 1 from claims later where later.unit_id = c.unit_id and later.part = c.part
        and later.id <> c.id
        and (later.reported_at at time zone 'Asia/Shanghai')::date >= (c.repair ->> 'finishedOn')::date
        and (later.reported_at at time zone 'Asia/Shanghai')::date <= (c.repair ->> 'finishedOn')::date + interval '1 year') as repeat
    from claims c order by c.seq`);
}

/** The tallies, and the same counted from the rows: each project's claims by insurer, its events by TIS. */
async function talliesAgainstRows() {
  const [claimTallies, claimCounts, eventTallies, eventCounts] = await Promise.all([
    rows(sql`select project_id, insurer_id, claims::int as n from claim_tallies order by 1, 2`),
    rows(sql`select project_id, insurer_id, count(*)::int as n from claims group by 1, 2 order by 1, 2`),
    rows(sql`select project_id, tis_id, events::int as n from risk_event_tallies order by 1, 2`),
    rows(sql`select project_id, tis_id, count(*)::int as n from risk_events group by 1, 2 order by 1, 2`),
  ]);
  return { claims: [claimTallies, claimCounts], events: [eventTallies, eventCounts] };
}

async function expectKeptFiguresExact() {
  const figures = await claimFiguresAgainstFacts();
  for (const claim of figures)
    expect(claim).toEqual({ ...claim, paid: true, cost: true, part: true, cause: true, assessed: true, days: true, repeat: true });
  const tallies = await talliesAgainstRows();
  expect(tallies.claims[0]).toEqual(tallies.claims[1]);
  expect(tallies.events[0]).toEqual(tallies.events[1]);
}

const step = async (actor: Actor, claimId: string, elementId: string, submission: unknown) =>
  complete(actor, (await claimRow(claimId)).instanceId!, elementId, submission);

describe("figures kept beside the facts", () => {
  it("follow a claim through every step of its flow: paid, cost, part and cause found, assessment, days to repair", async () => {
    const claim = await ownerReports(OWNER, p.homes[0].id);
    await expectKeptFiguresExact();
    await step(p.insurer, claim.id, "accept", acceptance());
    await step(p.insurer, claim.id, "survey", { ...(await surveySubmission(p.insurer)), part: "insulation", cause: " 保温层空鼓 " });
    await expectKeptFiguresExact();
    expect(await claimRow(claim.id)).toMatchObject({ foundPart: "insulation", foundCause: "保温层空鼓", assessed: false });
    await step(p.insurer, claim.id, "decide", { decision: "register" });
    await step(p.insurer, claim.id, "assess", { plan: "重做保温层", estimatedCost: 6500 });
    expect(await claimRow(claim.id)).toMatchObject({ assessed: true, repairDays: null });
    const repairer = await repairerActor();
    await step(repairer, claim.id, "repair", await repairSubmission(repairer));
    await step(ownerActor(OWNER, "web"), claim.id, "confirm", { decision: "accept" });
    await step(p.insurer, claim.id, "settle", { part: "waterproofing", cause: "防水层破损", cost: 6200.5, paidAmount: 6000.25 });
    await expectKeptFiguresExact();
    expect(await claimRow(claim.id)).toMatchObject({
      status: "closed",
      paidAmount: "6000.25",
      repairCost: "6200.5",
      foundPart: "waterproofing",
      foundCause: "防水层破损",
      repairDays: 0,
    });
  });

  it("mark a repair that did not hold when the home reports the same part again within a year, and only then", async () => {
    const first = await closedClaim(p, NEIGHBOUR, p.homes[1].id);
    expect((await claimRow(first.id)).repeatWithinYear).toBe(false);
    // Another part on the same home: the plumbing repair held.
    await ownerReports(NEIGHBOUR, p.homes[1].id, { part: "waterproofing" });
    expect((await claimRow(first.id)).repeatWithinYear).toBe(false);
    await expectKeptFiguresExact();
    // Eleven months later the plumbing fails again: the first repair did not hold.
    setClock(runningFrom(new Date(clock.now().getTime() + 330 * 86_400_000)));
    await ownerReports(NEIGHBOUR, p.homes[1].id, { part: "plumbing", estimate: 1500 });
    expect((await claimRow(first.id)).repeatWithinYear).toBe(true);
    await expectKeptFiguresExact();
    resetClock();
  });

  it("mark it as well when the repair is recorded after the home's next report of that part", async () => {
    const first = await ownerReports(OWNER, p.homes[0].id, { part: "finishing", estimate: 9000 });
    await step(p.insurer, first.id, "accept", acceptance());
    await step(p.insurer, first.id, "survey", { ...(await surveySubmission(p.insurer)), part: "finishing" });
    await step(p.insurer, first.id, "decide", { decision: "register" });
    await step(p.insurer, first.id, "assess", { plan: "修补墙面", estimatedCost: 9000 });
    await ownerReports(OWNER, p.homes[0].id, { part: "finishing", estimate: 2000 });
    expect((await claimRow(first.id)).repeatWithinYear).toBe(false);
    // The repair finished today, the day the home reported the finishing again: it did not hold.
    const repairer = await repairerActor();
    await step(repairer, first.id, "repair", await repairSubmission(repairer));
    expect((await claimRow(first.id)).repeatWithinYear).toBe(true);
    await expectKeptFiguresExact();
  });

  it("count each raised risk event in its project's tally, by the TIS that raised it", async () => {
    const project = await insuredProject("留存数字项目", PINGAN_PARTIES);
    await inspectedWith(project, [riskEventInput(), riskEventInput({ level: "critical" })]);
    await expectKeptFiguresExact();
    const [{ n }] = await db().select({ n: count() }).from(riskEvents).where(eq(riskEvents.projectId, project.projectId));
    expect(n).toBe(2);
  });

  it("let a list page count a selection the tallies cannot count only up to its cap, and say when there are more", async () => {
    const project = await insuredProject("计数上限项目", PINGAN_PARTIES, { district: "530112" });
    await inspectedWith(project, [riskEventInput({ level: "critical" }), riskEventInput({ level: "critical" }), riskEventInput()]);
    const [regulator] = await db().select({ id: users.id }).from(users).where(eq(users.username, "regulator"));
    const bureau = (await loadActor(db(), regulator.id, "127.0.0.1"))!;
    const selecting = (query: Record<string, string>) => riskEventWhere(bureau, listParams(riskEventFilterSchema, query));
    const critical = selecting({ projectId: project.projectId, level: "critical" });
    expect(await countUpTo("riskEvents", critical, 3)).toEqual({ total: 2, capped: false });
    expect(await countUpTo("riskEvents", critical, 2)).toEqual({ total: 2, capped: false });
    expect(await countUpTo("riskEvents", critical, 1)).toEqual({ total: 1, capped: true });
    // The project's tally counts it exactly, however far the page would count rows.
    expect(await countUpTo("riskEvents", selecting({ projectId: project.projectId }), 1)).toEqual({ total: 3, capped: false });
    // The API counts exactly; the page says whether it stopped.
    expect((await listRiskEvents(bureau, { projectId: project.projectId, level: "critical" })).total).toBe(2);
    expect(await listRiskEvents(bureau, { projectId: project.projectId, level: "critical" }, { countCap: 1 })).toMatchObject({
      total: 1,
      capped: true,
    });
    expect(await listRiskEvents(bureau, { district: "530112", level: "critical" }, { countCap: 1 })).toMatchObject({
      total: 1,
      capped: true,
    });
  });

  it("give every role's list the total its rows give, whatever the project, district or insurer asked for", async () => {
    const everyone = await db().select({ id: users.id, username: users.username }).from(users);
    const [project] = await db()
      .select({ id: projects.id, district: projects.district })
      .from(projects)
      .where(eq(projects.id, p.projectId));
    const queries = [{}, { district: project.district }, { projectId: project.id }, { district: "530102" }];
    for (const user of everyone) {
      const actor = await loadActor(db(), user.id, "127.0.0.1");
      if (!actor) continue;
      for (const query of queries) {
        const claimQuery = listParams(claimFilterSchema, query);
        const [claimRows] = await db()
          .select({ n: count() })
          .from(claims)
          .leftJoin(projects, eq(projects.id, claims.projectId))
          .where(claimWhere(actor, claimQuery));
        expect((await listClaims(actor, query)).total, `${user.username} claims ${JSON.stringify(query)}`).toBe(claimRows.n);
        const eventQuery = listParams(riskEventFilterSchema, query);
        const [eventRows] = await db()
          .select({ n: count() })
          .from(riskEvents)
          .leftJoin(projects, eq(projects.id, riskEvents.projectId))
          .where(riskEventWhere(actor, eventQuery));
        expect((await listRiskEvents(actor, query)).total, `${user.username} risk events ${JSON.stringify(query)}`).toBe(eventRows.n);
      }
      // A district with a level: counted row by row, the district as the set of its projects (forCount).
      for (const level of ["critical", "major"]) {
        const query = { district: project.district, level };
        const [eventRows] = await db()
          .select({ n: count() })
          .from(riskEvents)
          .leftJoin(projects, eq(projects.id, riskEvents.projectId))
          .where(riskEventWhere(actor, listParams(riskEventFilterSchema, query)));
        expect((await listRiskEvents(actor, query)).total, `${user.username} risk events ${JSON.stringify(query)}`).toBe(eventRows.n);
      }
    }
  });
});
