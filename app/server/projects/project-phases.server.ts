import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { inspections, policies, projects } from "@db/schema";
import { NO_INSPECTION_DAYS, type ProjectPhase } from "~/shared/project-labels";
import { shiftDay } from "~/shared/time";
import { clock } from "../clock.server";

// What a project's phase (报建, 在保, 施工中, 已竣工, 使用期) and a site left uninspected mean, once:
// the 项目 list filters by these, and the 风险 dashboard and 预警 count by them and link to the
// list with them, so a figure and the list it opens cannot mean different projects.

/**
 * 在保 today: confirmed insured, its policy not terminated and not past its 保险止期. Not "started":
 * a defects policy starts at completion, and the sites under construction it covers are in force
 * for the bureau (the risk map, the TIS's projects). The 风险 dashboard's 风险管理机构项目数量, the
 * map's 在保项目 and the projects list's 在保 all read this, and say so in IN_FORCE_NOTE.
 */
function inForce(): SQL {
  // The projects whose policy runs to today or later, a set computed once per query.
  const running = sql`${projects.id} in (select p.project_id from ${policies} p where p.period_end >= ${clock.today()}::date)`;
  return and(eq(projects.status, "insured"), sql`${projects.stage} <> 'terminated'`, running)!;
}

/**
 * Each phase as a condition on projects. 施工中 is an insured site before completion: 风险交底
 * (the TIS's briefing and plan, while building starts) and 施工阶段; 在保 is every policy in force
 * today (inForce).
 */
const PHASES: Record<ProjectPhase, () => SQL> = {
  registered: () => sql`${projects.status} <> 'insured'`,
  insured: inForce,
  construction: () => and(eq(projects.status, "insured"), inArray(projects.stage, ["planning", "construction"]))!,
  completed: () => eq(projects.stage, "completion"),
  use: () => eq(projects.stage, "use"),
};

export const inPhase = (phase: ProjectPhase): SQL => PHASES[phase]();

// Spelt out: drizzle leaves the table off a one-table select's columns, which the subquery would misread.
const project = sql`"projects"."id"`;

/** The day of a project's last site inspection; null before the first. */
export const lastInspection = sql<string | null>`(select max(i.inspected_on) from ${inspections} i where i.project_id = ${project})`;

/**
 * No site inspection for NO_INSPECTION_DAYS days, today in Kunming: since the last one, or since the
 * start date (coalesce(last inspection, start date) <= the day). Said as "none since the day, and
 * started by then or inspected before", so that the few recent inspections are one set (an index
 * on their day) the projects are checked against, not each project's last inspection looked up.
 */
export function uninspected(): SQL {
  const since = shiftDay(clock.today(), -NO_INSPECTION_DAYS, "day");
  return sql`(${projects.id} not in (select i.project_id from ${inspections} i where i.inspected_on > ${since}::date)
    and (${projects.startDate} <= ${since}::date or exists (select 1 from ${inspections} i where i.project_id = ${project})))`;
}
