import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@db/client";
import { CATEGORY_TEXTS, INSPECTION_FINDINGS, INSPECTION_STAGES, INSPECTORS, RETURN_REASONS, REVISIT_FINDINGS } from "./demo-risk-texts";
import { DEFECTS, RATINGS, SURNAMES } from "./demo-claims-texts";
import { CENTRES, CONTRACTORS, DESIGNERS, DEVELOPERS, DISTRICTS, INSURERS, KINDS, PLACES, SPREAD, SUPERVISORS, TIS } from "./demo-projects";

// The city at scale's facts, generated inside the database (INSERT … SELECT over generate_series),
// never row by row: 20,000 projects with a million risk events take minutes, not hours. Every value
// is a function of the row's number through hashint8 (the same on PGlite and PostgreSQL), so two
// runs with the same size and day give the same figures (docs/decisions/028-city-at-scale.md).
// Organisations, districts, names and texts are the demo city's.

export interface ScaleSize {
  projects: number;
  events: number;
  claims: number;
}

/** The shape of the scaled city, by the day it is seeded on. */
export interface ScaleContext {
  ex: Executor;
  /** YYYY-MM-DD: the seed's today (Kunming). */
  today: string;
  /** The seed's now: nothing happens after it. */
  now: Date;
  /** Organisation ids by the demo city's keys. */
  org: Record<string, string>;
  /** Printed between batches. */
  progress: (message: string) => void;
}

/**
 * A row's id from its name ('project:' || n): an MD5 name-based UUID (version 3), the same on every
 * run and valid where ids are checked as UUIDs.
 */
export const nameUuid = (name: SQL): SQL => sql`overlay(overlay(md5(${name}) placing '3' from 13) placing '8' from 17)::uuid`;

/** A deterministic number in [0, 2^31) from a row's number and a salt. */
const h = (expr: SQL | string, salt: number): SQL =>
  sql`(hashint8((${typeof expr === "string" ? sql.raw(expr) : expr})::bigint * 1000003 + ${sql.raw(String(salt))}) & 2147483647)`;
/** The same as a fraction in [0, 1). */
const u = (expr: SQL | string, salt: number): SQL => sql`(${h(expr, salt)} / 2147483648.0)`;
/** The k-th element (k any integer expression) of a JSON list passed as a parameter. */
const pick = (list: unknown[], k: SQL): SQL => sql`(${JSON.stringify(list)}::jsonb ->> (${k} % ${sql.raw(String(list.length))})::int)`;
const ids = (ctx: ScaleContext, keys: readonly string[]) => keys.map((k) => ctx.org[k]);
const today = (ctx: ScaleContext) => sql`${ctx.today}::date`;
const nowOf = (ctx: ScaleContext) => sql`${ctx.now.toISOString()}::timestamptz`;
const at = (day: SQL, hour: number) => sql`((${day})::timestamp + interval '${sql.raw(String(hour))} hours') at time zone 'Asia/Shanghai'`;

const PROJECT_BATCH = 5_000;
const EVENT_BATCH = 100_000;
const CLAIM_BATCH = 50_000;
/** Homes of a delivered project on its list (the ones owners report from and a few more). */
export const UNITS_PER_PROJECT = 40;
/** Every 50th project waits for the bureau's confirmation (registered in the last week). */
const AWAITING_EVERY = 50;
/** Days between a TIS's site inspections. */
const INSPECTION_DAYS = 40;
/** Days between process assessment reports. */
const ASSESSMENT_DAYS = 90;
/** The re-inspection falls due this many days before the second anniversary of completion (risk-management.bpmn's leadDays). */
const REINSPECTION_LEAD_DAYS = 30;
/**
 * The projects seeded here, not the few taken through the real flows as templates (scale-flows.ts),
 * which have their facts from the flows already.
 */
const BULK = sql`not exists (select 1 from process_instances i where i.business_key = p.id::text)`;
/** A claim reported in the last hours is still waiting for the insurer to accept it. */
export const OPEN_CLAIM_HOURS = 10;

/**
 * Projects `from` … `to` (1-based numbers), with their policies and shares. Issued over the ten years
 * before today; the stage follows from the dates (planning in the first month, construction until
 * the planned completion, then completion acceptance and use); every 250th is terminated.
 */
async function insertProjects(ctx: ScaleContext, from: number, to: number): Promise<void> {
  const T = today(ctx);
  const awaiting = sql`(i % ${sql.raw(String(AWAITING_EVERY))} = 7)`;
  const district = pick(DISTRICTS, h("i", 1));
  const centre = (axis: 0 | 1) =>
    sql`(${JSON.stringify(Object.fromEntries(Object.entries(CENTRES).map(([k, v]) => [k, v[axis]])))}::jsonb ->> ${district})::float8`;
  await ctx.ex.execute(sql`
    with base as (
      select i,
        ${district} as district,
        case when ${awaiting} then ${T} - (${h("i", 2)} % 7)::int else ${T} - (${h("i", 3)} % 3650)::int end as issued,
        round((20000 + ${u("i", 4)} * 160000)::numeric, 2) as area,
        3000 + ${h("i", 5)} % 2500 as cost_per_metre,
        (10 + ${h("i", 6)} % 11) / 10.0 as rate_percent,
        ${h("i", 7)} % 3 as insurer,
        ${h("i", 8)} % 5 = 0 as coinsured,
        ${h("i", 9)} % 3 as tis,
        ${pick(PLACES, h("i", 10))} || ${pick(KINDS, h("i", 11))} || case when i > ${PLACES.length * KINDS.length} then (i / ${sql.raw(String(PLACES.length * KINDS.length))}) || '期' else '' end as name
      from generate_series(${from}::int, ${to}::int) i
    ), dated as (
      select *, issued + 30 as start_date, issued + 30 + 730 + (${h("i", 12)} % 365)::int as planned,
        round(area * cost_per_metre, 2) as cost
      from base
    ), staged as (
      select *,
        case when ${awaiting} then 'insurance'
          when ${T} - issued < 30 then 'planning'
          when i % 250 = 3 and ${T} > start_date + 400 then 'terminated'
          when ${T} < planned then 'construction'
          when ${T} < planned + 60 then 'completion'
          else 'use' end as stage
      from dated
    ), inserted as (
      insert into projects (id, permit_no, name, community_name, district, address, longitude, latitude, gross_floor_area,
        building_count, home_count, construction_cost, start_date, planned_completion_date, developer_id, contractor_id,
        supervisor_id, designer_id, lead_insurer_id, tis_id, property_company_id, status, stage, sections,
        completion_accepted_on, reinspection_due_on, confirmed_at, created_at, updated_at)
      select ${nameUuid(sql`'project:' || i`)}, 'KM-' || extract(year from issued) || '-' || lpad(i::text, 6, '0'), name, name, district,
        name || '项目地块', round((${centre(0)} + (${u("i", 13)} - 0.5) * ${SPREAD})::numeric, 4)::float8,
        round((${centre(1)} + (${u("i", 14)} - 0.5) * ${SPREAD})::numeric, 4)::float8, area, 2 + floor(area / 15000)::int,
        round(area / 110)::int, cost, start_date, planned,
        (${JSON.stringify(ids(ctx, DEVELOPERS))}::jsonb ->> (${h("i", 15)} % 4)::int)::uuid,
        (${JSON.stringify(ids(ctx, CONTRACTORS))}::jsonb ->> (${h("i", 16)} % 4)::int)::uuid,
        (${JSON.stringify(ids(ctx, SUPERVISORS))}::jsonb ->> (${h("i", 17)} % 2)::int)::uuid,
        (${JSON.stringify(ids(ctx, DESIGNERS))}::jsonb ->> (${h("i", 18)} % 2)::int)::uuid,
        (${JSON.stringify(ids(ctx, INSURERS))}::jsonb ->> insurer::int)::uuid,
        (${JSON.stringify(ids(ctx, TIS))}::jsonb ->> tis::int)::uuid,
        case when stage = 'use' then (${JSON.stringify(ids(ctx, ["rep-lj", "rep-ax"]))}::jsonb ->> (i % 2))::uuid end,
        case when ${awaiting} then 'awaiting_confirmation' else 'insured' end, stage,
        jsonb_build_array(jsonb_build_object('name', '1号楼', 'structure', '剪力墙结构', 'floors', 18 + i % 16)),
        case when stage = 'use' then planned + 30 end,
        case when stage = 'use' then (planned + 30 + interval '2 years' - interval '${sql.raw(String(REINSPECTION_LEAD_DAYS))} days')::date end,
        case when not ${awaiting} then ${at(sql`issued + 2`, 10)} end,
        ${at(sql`issued`, 9)}, ${at(sql`issued`, 9)}
      from staged
    ), policy as (
      insert into policies (id, project_id, policy_no, insurance_type, coverage, period_start, period_end, sum_insured, rate, premium,
        issue_date, status, terminated_at, termination_reason, created_at, updated_at)
      select ${nameUuid(sql`'policy:' || i`)}, ${nameUuid(sql`'project:' || i`)},
        upper(${JSON.stringify(INSURERS)}::jsonb ->> insurer::int) || '-IDI-' || extract(year from issued) || '-S' || lpad(i::text, 6, '0'),
        '住宅工程质量潜在缺陷保险',
        '[{"part":"地基基础和主体结构","years":10},{"part":"保温和防水","years":5},{"part":"其他部位（装饰装修、电气管线、给排水管道、供热与供冷系统等）","years":2}]'::jsonb,
        planned + 30, (planned + 30 + interval '120 months')::date, cost, rate_percent / 100,
        round(cost * rate_percent / 100, 2), issued,
        case when stage = 'terminated' then 'terminated' else 'in_force' end,
        case when stage = 'terminated' then ${at(sql`start_date + 365`, 15)} end,
        case when stage = 'terminated' then '主体结构重大质量缺陷逾期未整改' end,
        ${at(sql`issued`, 9)}, ${at(sql`issued`, 9)}
      from staged
    )
    insert into policy_shares (id, policy_id, project_id, organisation_id, kind, is_lead, share)
    select ${nameUuid(sql`'share:' || i || ':' || s.n`)}, ${nameUuid(sql`'policy:' || i`)}, ${nameUuid(sql`'project:' || i`)}, s.org, s.kind, s.lead, s.share
    from staged, lateral (values
      (0, (${JSON.stringify(ids(ctx, INSURERS))}::jsonb ->> insurer::int)::uuid, 'insurer', true, case when coinsured then 60 else 100 end),
      (1, (${JSON.stringify(ids(ctx, INSURERS))}::jsonb ->> ((insurer + 1) % 3)::int)::uuid, 'insurer', false, 40),
      (2, ${ctx.org.chinare}::uuid, 'reinsurer', false, 30)
    ) s(n, org, kind, lead, share)
    where s.n = 0 or (s.n = 1 and coinsured) or (s.n = 2 and i % 3 = 0)`);
}

/**
 * The projects whose site the TIS inspected (construction had started), numbered densely for the
 * events and their inspections to be spread over, with the last day the site was inspected on.
 */
const sites = (ctx: ScaleContext) => sql`
  select row_number() over (order by q.id) - 1 as n, q.* from (
    select p.id, p.name, p.tis_id, p.lead_insurer_id, p.contractor_id, p.developer_id, p.building_count, p.start_date,
      case when p.stage = 'terminated' then p.start_date + 365
        when p.stage = 'construction' and p.home_count % 29 = 0 then least(${today(ctx)} - 1, p.planned_completion_date) - 75
        else least(${today(ctx)} - 1, p.planned_completion_date) end as site_end,
      p.planned_completion_date - p.start_date as span, p.stage
    from projects p
    where p.stage in ('construction', 'completion', 'use', 'terminated') and ${BULK}
  ) q where q.site_end - q.start_date >= 20`;

/** The site inspections of every project under way or past it, one each INSPECTION_DAYS; and the TIS's reports. */
async function insertInspections(ctx: ScaleContext): Promise<void> {
  const stages = JSON.stringify(INSPECTION_STAGES.map((s) => s.stage));
  const until = JSON.stringify(INSPECTION_STAGES.map((s) => (Number.isFinite(s.until) ? s.until : 99)));
  await ctx.ex.execute(sql`
    with s as (${sites(ctx)})
    insert into inspections (id, project_id, tis_id, inspected_on, stage, inspectors, findings, photos, created_at)
    select ${nameUuid(sql`'inspection:' || s.id || ':' || k`)}, s.id, s.tis_id, s.start_date + 20 + k * ${INSPECTION_DAYS},
      (select ${stages}::jsonb ->> (min(x.n) - 1)::int from jsonb_array_elements_text(${until}::jsonb) with ordinality x(v, n)
        where x.v::numeric > (20 + k * ${INSPECTION_DAYS})::numeric / greatest(s.span, 1)),
      ${sql`(${JSON.stringify(INSPECTORS)}::jsonb -> (select key from jsonb_each_text(${JSON.stringify(ctx.org)}::jsonb) where value = s.tis_id::text) ->> (k % 2)::int)`},
      ${pick(INSPECTION_FINDINGS, h(sql`s.n * 97 + k`, 20))}, '[]'::jsonb,
      ${at(sql`s.start_date + 20 + k * ${INSPECTION_DAYS}`, 10)}
    from s, generate_series(0, greatest(-1, (s.site_end - s.start_date - 20) / ${INSPECTION_DAYS})) k`);
  await ctx.ex.execute(sql`
    with s as (${sites(ctx)}), reports as (
      select s.*, 'plan' as kind, 0 as k, s.start_date - 10 as filed from s
      union all
      select s.*, 'assessment', k, s.start_date + k * ${ASSESSMENT_DAYS} from s, generate_series(1, (s.site_end - s.start_date) / ${ASSESSMENT_DAYS}) k
      union all
      select s.*, 'final', 0, s.site_end + 5 from s where s.stage in ('completion', 'use') and s.site_end + 5 <= ${today(ctx)}
    )
    insert into risk_reports (id, project_id, tis_id, kind, title, body, score, grade, decision, filed_on, created_at)
    select ${nameUuid(sql`'report:' || r.id || ':' || r.kind || ':' || r.k`)}, r.id, r.tis_id, r.kind,
      case r.kind when 'plan' then '风险交底及检查计划' when 'final' then '质量风险最终检查报告' else '风险过程评估报告（第' || r.k || '期）' end,
      jsonb_build_object('summary', ${pick(INSPECTION_FINDINGS, h("r.n", 21))}),
      case when r.kind = 'assessment' then 60 + ${h(sql`r.n * 31 + r.k`, 22)} % 40 end,
      case when r.kind = 'assessment' then (array['D', 'C', 'B', 'A'])[1 + least(3, (${h(sql`r.n * 31 + r.k`, 22)} % 40) / 10)] end,
      case when r.kind in ('plan', 'final') then 'approved' end,
      r.filed, ${at(sql`r.filed`, 16)}
    from reports r`);
  await ctx.ex.execute(sql`
    insert into tis_ratings (id, project_id, tis_id, insurer_id, stars, comment, created_at)
    select ${nameUuid(sql`'tis-rating:' || p.id`)}, p.id, p.tis_id, p.lead_insurer_id, 3 + ${h(sql`hashtext(p.permit_no)::bigint`, 23)} % 3,
      '风险管理工作规范，报告及时', ${at(sql`p.planned_completion_date + 6`, 11)}
    from projects p where p.stage in ('completion', 'use') and p.planned_completion_date + 6 <= ${today(ctx)} and ${BULK}`);
}

/** When a delivered project's completion acceptance was recorded: its day, at 10:00 in Kunming. */
export const completionTime = (day: SQL) => at(day, 10);

/**
 * When the k-th warranty revisit falls due: the cycle's timer (six months) is armed at completion
 * and again at each review, which comes five days after the revisit fell due (the TIS visits in two,
 * the insurer reviews in three).
 */
export const revisitDue = (completed: SQL, k: SQL) => sql`(${completed} + (${k}) * interval '6 months' + ((${k}) - 1) * interval '5 days')`;

/** The revisits reviewed and the re-inspections done before now: the reports their flows filed. */
async function insertWarrantyReports(ctx: ScaleContext): Promise<void> {
  const now = nowOf(ctx);
  const completed = completionTime(sql`p.completion_accepted_on`);
  await ctx.ex.execute(sql`
    insert into risk_reports (id, project_id, tis_id, kind, title, body, decision, filed_on, created_at)
    select ${nameUuid(sql`'report:' || p.id || ':revisit:' || k`)}, p.id, p.tis_id, 'revisit', p.name || ' 保修期回访报告',
      jsonb_build_object('visitedOn', to_char((${revisitDue(completed, sql`k`)} + interval '2 days') at time zone 'Asia/Shanghai', 'YYYY-MM-DD'),
        'inspectors', '回访小组', 'findings', ${pick(REVISIT_FINDINGS, sql`k`)}),
      'approved', ((${revisitDue(completed, sql`k`)} + interval '5 days') at time zone 'Asia/Shanghai')::date,
      ${revisitDue(completed, sql`k`)} + interval '5 days'
    from projects p, generate_series(1, 40) k
    where p.stage = 'use' and ${BULK} and ${revisitDue(completed, sql`k`)} + interval '5 days' <= ${now}`);
  await ctx.ex.execute(sql`
    insert into risk_reports (id, project_id, tis_id, kind, title, body, filed_on, created_at)
    select ${nameUuid(sql`'report:' || p.id || ':reinspection'`)}, p.id, p.tis_id, 'reinspection', p.name || ' 竣工验收满两年前复查报告',
      jsonb_build_object('inspectedOn', to_char(p.reinspection_due_on, 'YYYY-MM-DD'), 'inspectors', '复查小组',
        'conclusion', '未发现需维修的质量缺陷', 'defects', '[]'::jsonb),
      p.reinspection_due_on, ${at(sql`p.reinspection_due_on`, 16)}
    from projects p
    where p.stage = 'use' and ${BULK} and ${at(sql`p.reinspection_due_on`, 9)} <= ${now}`);
}

const DEADLINE_DAYS = sql`(case level when 'critical' then 5 when 'major' then 10 else 15 end)`;

/**
 * Risk events `from` … `to` (0-based), spread over the city's inspections in date order. Those
 * whose deadline is still ahead are open (three in ten already rectified, awaiting the TIS's
 * review); one in 2,000 of the last 120 days' is open past its deadline; the rest were closed (or
 * ended with the policy).
 */
async function insertRiskEvents(ctx: ScaleContext, from: number, to: number, total: number, inspectionCount: number): Promise<void> {
  const categories = JSON.stringify(INSPECTION_STAGES.map((s) => s.categories));
  const until = JSON.stringify(INSPECTION_STAGES.map((s) => (Number.isFinite(s.until) ? s.until : 99)));
  const texts = JSON.stringify(CATEGORY_TEXTS);
  // The j-th event is raised at the inspection j / total of the way through the city's inspections in
  // date order: events are numbered (FX…) in the order they were raised, as on the platform.
  await ctx.ex.execute(sql`
    with s as (${sites(ctx)}), ins as (
      select row_number() over (order by i.inspected_on, i.id) - 1 as m, i.id as inspection_id, i.inspected_on as inspected, s.*
      from inspections i join s on s.id = i.project_id
    ), e as (
      select j, ins.*,
        (select min(x.n) - 1 from jsonb_array_elements_text(${until}::jsonb) with ordinality x(v, n)
          where x.v::numeric > (ins.inspected - ins.start_date)::numeric / greatest(ins.span, 1)) as stage_index,
        case when ${u("j", 31)} < 0.70 then 'general' when ${u("j", 31)} < 0.92 then 'major' else 'critical' end as level,
        case when ${h("j", 32)} % 10 = 0 then 'developer' else 'contractor' end as rectifier_role
      from generate_series(${from}::int, ${to}::int) j
      join ins on ins.m = (j::bigint * ${inspectionCount} / ${total})
    ), c as (
      select e.*, ${categories}::jsonb -> stage_index::int ->> (${h("j", 34)} % jsonb_array_length(${categories}::jsonb -> stage_index::int))::int as category,
        inspected + ${DEADLINE_DAYS} as deadline
      from e
    ), st as (
      select c.*,
        case when ${at(sql`deadline + 1`, 0)} > ${nowOf(ctx)} then case when ${h("j", 35)} % 10 < 3 then 'awaiting_review' else 'open' end
          when ${h("j", 36)} % 2000 = 0 and inspected > ${today(ctx)} - 120 then 'open'
          when stage = 'terminated' and ${h("j", 37)} % 5 = 0 then 'cancelled'
          else 'closed' end as status,
        ${at(sql`inspected`, 10)} + (j % 600) * interval '1 second' as raised,
        1 + ${h("j", 38)} % ${DEADLINE_DAYS} as took
      from c
    )
    insert into risk_events (id, project_id, inspection_id, source, tis_id, rectifier_role, rectifier_id, category, level, location,
      description, photos, deadline, status, overdue_at, rectification, return_reason, return_count, raised_at, rectified_at, closed_at, updated_at)
    select ${nameUuid(sql`'risk-event:' || j`)}, st.id, st.inspection_id, 'inspection', st.tis_id, rectifier_role,
      case rectifier_role when 'developer' then st.developer_id else st.contractor_id end, category, level,
      replace(${texts}::jsonb -> category -> 'locations' ->> (${h("j", 39)} % jsonb_array_length(${texts}::jsonb -> category -> 'locations'))::int,
        '{b}', (1 + ${h("j", 40)} % least(6, st.building_count)) || '号楼'),
      ${texts}::jsonb -> category -> 'findings' ->> (${h("j", 41)} % jsonb_array_length(${texts}::jsonb -> category -> 'findings'))::int,
      '[]'::jsonb, deadline, status,
      case when status in ('open', 'awaiting_review') and ${at(sql`deadline + 1`, 0)} <= ${nowOf(ctx)} then ${at(sql`deadline + 1`, 0)} end,
      case when status in ('closed', 'awaiting_review') then jsonb_build_object(
        'measures', ${texts}::jsonb -> category -> 'measures' ->> (${h("j", 42)} % jsonb_array_length(${texts}::jsonb -> category -> 'measures'))::int,
        'rectifiedOn', to_char(least(inspected + took, ${today(ctx)}), 'YYYY-MM-DD'), 'photos', '[]'::jsonb) end,
      case when status = 'closed' and ${h("j", 43)} % 12 = 0 then ${pick(RETURN_REASONS, h("j", 44))} end,
      case when status = 'closed' and ${h("j", 43)} % 12 = 0 then 1 else 0 end,
      raised,
      case when status = 'closed' then raised + took * interval '1 day'
        when status = 'awaiting_review' then least(raised + took * interval '1 day', ${nowOf(ctx)} - interval '1 hour') end,
      case when status = 'closed' then raised + (took + 1 + ${h("j", 45)} % 3) * interval '1 day' end,
      raised
    from st
    order by j`);
}

/** The homes of every delivered project: UNITS_PER_PROJECT each, with their owners. */
async function insertUnits(ctx: ScaleContext): Promise<void> {
  await ctx.ex.execute(sql`
    insert into units (id, project_id, building, unit_no, room, area, owner_name, owner_phone, imported_at)
    select ${nameUuid(sql`'unit:' || p.id || ':' || k`)}, p.id, (1 + k % 4)::text, (1 + (k / 4) % 2)::text, (1 + k / 8) || '0' || (1 + k % 2),
      round((80 + ${h(sql`hashtext(p.permit_no)::bigint + k`, 50)} % 60)::numeric, 2),
      ${pick(SURNAMES, h(sql`hashtext(p.permit_no)::bigint + k`, 51))} || case when k % 2 = 0 then '先生' else '女士' end,
      '139' || lpad((${h(sql`hashtext(p.permit_no)::bigint * 64 + k`, 52)} % 100000000)::text, 8, '0'),
      ${at(sql`p.completion_accepted_on`, 15)}
    from projects p, generate_series(0, ${UNITS_PER_PROJECT - 1}) k
    where ${DELIVERED}`);
}

/** The projects whose homes were handed over, listed, and may have claims. */
const DELIVERED = sql`p.stage = 'use' and p.completion_accepted_on is not null and ${BULK}`;

/** Which parts fall under which coverage group's years (the policy's coverage list). */
const COVER_YEARS = sql`(case when part in ('foundation', 'structure') then 10 when part in ('waterproofing', 'insulation') then 5 else 2 end)`;

/** How the fast track's 定损 reads (claim-steps.server.ts, fastTrackClaim). */
const FAST_TRACK_PLAN = "小额快赔：免于查勘，按报案估损直接维修";

/**
 * Claims `from` … `to` (0-based) on the homes of delivered projects, reported at even intervals
 * from the first completion acceptance to now (as the projects were issued over the ten years),
 * each on a home of a project delivered before its day. A claim has come as far along its course as
 * its age allows: the insurer accepts within hours and names the repairer; the survey takes a day,
 * the decision another (the fast track skips both), the assessment a day, the repair `took` days,
 * the owner's confirmation a day, the settlement two. Claims of the last OPEN_CLAIM_HOURS await
 * acceptance; some were withdrawn, some declined (outside the cover, or not a defect); the others
 * are open at their step or closed, seven in ten of the closed rated by their owner.
 */
async function insertClaims(ctx: ScaleContext, from: number, to: number): Promise<void> {
  const defects = JSON.stringify(DEFECTS);
  const now = nowOf(ctx);
  const open = sql.raw(`interval '${OPEN_CLAIM_HOURS} hours'`);
  await ctx.ex.execute(sql`
    with d as (
      select row_number() over (order by p.completion_accepted_on, p.id) - 1 as n, p.id, p.name, p.lead_insurer_id,
        p.completion_accepted_on, pl.id as policy_id, pl.period_start
      from projects p join policies pl on pl.project_id = p.id
      where ${DELIVERED}
    ), span as (
      select min(completion_accepted_on) + 1 as first_day from d
    ), delivered as (
      -- For each day, how many projects were delivered before it (their homes can report that day).
      select day::date, coalesce(sum(count(d.id)) over (order by day rows between unbounded preceding and 1 preceding), 0) as before
      from span, generate_series(span.first_day - 1, ${today(ctx)}, interval '1 day') day
      left join d on d.completion_accepted_on = day::date
      group by day
    ), r as (
      select j, ${at(sql`span.first_day`, 0)} + ${u("j", 64)} * (${now} - interval '1 minute' - ${at(sql`span.first_day`, 0)}) as reported
      from generate_series(${from}::int, ${to}::int) j, span
    ), c as (
      select r.j, r.reported, d.*, ${defects}::jsonb -> (${h("r.j", 61)} % ${DEFECTS.length})::int as defect,
        ${h("r.j", 62)} % ${UNITS_PER_PROJECT} as k
      from r
      join delivered on delivered.day = (r.reported at time zone 'Asia/Shanghai')::date
      join d on d.n = floor(${u("r.j", 60)} * delivered.before)::int
    ), f as (
      select c.*, defect ->> 'part' as part, (defect ->> 'cost')::numeric as cost,
        (reported at time zone 'Asia/Shanghai')::date as reported_day,
        extract(epoch from ${now} - reported) / 86400 as age
      from c
    ), g as materialized (
      -- Materialized here and below: each value once per claim, not once per use of it.
      select f.*,
        reported_day >= period_start and reported_day < period_start + ${COVER_YEARS} * interval '1 year' as in_coverage,
        (defect ->> 'estimate')::numeric as estimate,
        ${h("j", 66)} % 100 as roll,
        1 + ${h("j", 67)} % 20 as took
      from f
    ), fated as (
      select g.*,
        case when reported > ${now} - ${open} then 'reported'
          when roll < 2 then 'withdrawn'
          when not in_coverage or roll < 10 then 'declined'
          else 'closed' end as fate,
        in_coverage and estimate is not null and estimate < 3000 as fast
      from g
    ), s as materialized (
      -- Where the claim's course has come to: the step it waits at, or how it ended.
      select fated.*,
        case when fate in ('reported', 'withdrawn') then fate
          when fate = 'declined' then case when age < 1 then 'accepted' when age < 2 then 'surveyed' else 'declined' end
          when fast then case when age < 3 + took then 'repairing' when age < 4 + took then 'confirming'
            when age < 6 + took then 'settling' else 'closed' end
          else case when age < 1 then 'accepted' when age < 2 then 'surveyed' when age < 3 then 'registered'
            when age < 3 + took then 'repairing' when age < 4 + took then 'confirming' when age < 6 + took then 'settling'
            else 'closed' end
        end as stage
      from fated
    ), t as materialized (
      select s.*, case stage when 'surveyed' then 'accepted' else stage end as status,
        stage not in ('reported', 'withdrawn') as accepted,
        stage in ('surveyed', 'declined') or (not fast and stage in ('registered', 'repairing', 'confirming', 'settling', 'closed')) as surveyed,
        stage in ('repairing', 'confirming', 'settling', 'closed') as assessed,
        stage in ('confirming', 'settling', 'closed') as repaired
      from s
    )
    insert into claims (id, project_id, unit_id, policy_id, insurer_id, repairer_id, channel, part, in_coverage, description, photos,
      reporter_name, reporter_phone, home_owner_phone, estimate, fast_track, status, survey, decline_reason, assessment, repair,
      refusal_reason, refusal_count, settlement, overdue_steps, reported_at, accepted_at, decided_at, closed_at, updated_at)
    select ${nameUuid(sql`'claim:' || j`)}, t.id, ${nameUuid(sql`'unit:' || t.id || ':' || k`)}, policy_id, lead_insurer_id,
      case when accepted then (${JSON.stringify(ids(ctx, ["rep-lj", "rep-ax"]))}::jsonb ->> (j % 2))::uuid end,
      (array['telegram', 'web', 'hotline', 'insurer'])[1 + ${h("j", 68)} % 4], part, in_coverage, defect ->> 'description', '[]'::jsonb,
      u.owner_name, u.owner_phone, u.owner_phone, estimate, fast and assessed, status,
      case when surveyed then jsonb_build_object(
        'surveyedOn', to_char(reported_day + 1, 'YYYY-MM-DD'), 'cause', defect ->> 'cause', 'part', part, 'extent', defect ->> 'extent',
        'photos', '[]'::jsonb, 'recommendation', defect ->> 'recommendation') end,
      case when status = 'declined' then coalesce(defect ->> 'declineReason', '报案时该部位不在保险期间内，不属于保险责任') end,
      case when assessed and fast then jsonb_build_object('plan', ${FAST_TRACK_PLAN}::text, 'estimatedCost', estimate)
        when assessed then jsonb_build_object('plan', defect ->> 'plan', 'estimatedCost', cost) end,
      case when repaired then jsonb_build_object('startedOn', to_char(reported_day + 3, 'YYYY-MM-DD'),
        'finishedOn', to_char(reported_day + 3 + took, 'YYYY-MM-DD'), 'description', defect ->> 'repair',
        'beforePhotos', '[]'::jsonb, 'afterPhotos', '[]'::jsonb) end,
      -- Sent back once before it was accepted: the count stays, the reason goes with the acceptance.
      null,
      case when stage = 'closed' and roll % 15 = 0 then 1 else 0 end,
      case when status = 'closed' then jsonb_build_object('paidAmount', case when fast then estimate else cost end, 'cause', defect ->> 'cause',
        'part', part, 'cost', case when fast then estimate else cost end,
        'repairerName', (select o.name from organisations o
          where o.id = (${JSON.stringify(ids(ctx, ["rep-lj", "rep-ax"]))}::jsonb ->> (j % 2))::uuid)) end,
      -- An open repair past its seven days (from the assessment, or the acceptance on the fast track).
      case when status = 'closed' and roll % 25 = 11 then array['survey'] when status = 'closed' and roll % 40 = 13 then array['repair']
        when stage = 'repairing' and age > case when fast then 7 + 4 / 24.0 else 10 end then array['repair']
        else '{}'::text[] end,
      reported,
      case when accepted then reported + interval '4 hours' end,
      case when status = 'declined' or (assessed and not fast) or stage = 'registered' then reported + interval '2 days'
        when assessed then reported + interval '4 hours' end,
      case when status = 'closed' then reported + (took + 6) * interval '1 day' when status = 'declined' then reported + interval '2 days' end,
      reported
    from t join units u on u.id = ${nameUuid(sql`'unit:' || t.id || ':' || k`)}`);
}

/** Seven in ten closed claims rated by their owner, the day after. */
async function insertRatings(ctx: ScaleContext): Promise<void> {
  const now = nowOf(ctx);
  await ctx.ex.execute(sql`
    insert into claim_ratings (id, claim_id, insurer_id, repairer_id, stars, reasons, comment, channel, created_at)
    select ${nameUuid(sql`'rating:' || c.id`)}, c.id, c.insurer_id, c.repairer_id, (r.value ->> 'stars')::smallint,
      array(select jsonb_array_elements_text(r.value -> 'reasons')), r.value ->> 'comment', c.channel,
      least(c.closed_at + interval '1 day', ${now} - interval '1 minute')
    from claims c
    cross join lateral (select ${JSON.stringify(RATINGS)}::jsonb -> (${h("c.seq", 70)} % ${RATINGS.length})::int as value) r
    where c.status = 'closed' and ${h("c.seq", 71)} % 10 < 7 `);
}

async function count(ex: Executor, query: SQL): Promise<number> {
  const result = await ex.execute(query);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number | string }[];
  return Number(rows[0].n);
}

/** The city's facts: projects, policies, inspections, reports, risk events, homes, claims and ratings. */
export async function insertScaleRows(ctx: ScaleContext, size: ScaleSize): Promise<void> {
  for (let from = 1; from <= size.projects; from += PROJECT_BATCH) {
    const to = Math.min(size.projects, from + PROJECT_BATCH - 1);
    await insertProjects(ctx, from, to);
    ctx.progress(`projects ${to}/${size.projects}`);
  }
  await insertInspections(ctx);
  await insertWarrantyReports(ctx);
  ctx.progress("inspections, risk reports, revisits and TIS ratings");
  // The templates' flows raised a few already.
  const events = size.events - (await count(ctx.ex, sql`select count(*) as n from risk_events`));
  const inspectionCount = await count(
    ctx.ex,
    sql`select count(*) as n from inspections i join projects p on p.id = i.project_id where ${BULK}`,
  );
  for (let from = 0; from < events && inspectionCount; from += EVENT_BATCH) {
    const to = Math.min(events, from + EVENT_BATCH) - 1;
    await insertRiskEvents(ctx, from, to, events, inspectionCount);
    ctx.progress(`risk events ${to + 1}/${events}`);
  }
  await insertUnits(ctx);
  ctx.progress("homes of the delivered projects");
  const delivered = await count(ctx.ex, sql`select count(*) as n from projects p where ${DELIVERED}`);
  for (let from = 0; from < size.claims && delivered; from += CLAIM_BATCH) {
    const to = Math.min(size.claims, from + CLAIM_BATCH) - 1;
    await insertClaims(ctx, from, to);
    ctx.progress(`claims ${to + 1}/${size.claims}`);
  }
  await insertRatings(ctx);
  ctx.progress("owners' ratings");
}
