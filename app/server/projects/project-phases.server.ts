import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { inspections, projects } from "@db/schema";
import { NO_INSPECTION_DAYS, type ProjectPhase } from "~/shared/project-labels";
import { formatDateTime, shiftDay } from "~/shared/time";
import { clock } from "../clock.server";

// What a project's phase (报建, 在保, 施工中, 已竣工, 使用期) and a site left uninspected mean, once:
// the 项目 list filters by these, and the 风险 dashboard and 预警 count by them and link to the
// list with them, so a figure and the list it opens cannot mean different projects.

/**
 * Each phase as a condition on projects. 施工中 is an insured site before completion: 风险交底
 * (the TIS's briefing and plan, while building starts) and 施工阶段; 在保 is every policy not
 * terminated.
 */
const PHASES: Record<ProjectPhase, () => SQL> = {
  registered: () => sql`${projects.status} <> 'insured'`,
  insured: () => and(eq(projects.status, "insured"), sql`${projects.stage} <> 'terminated'`)!,
  construction: () => and(eq(projects.status, "insured"), inArray(projects.stage, ["planning", "construction"]))!,
  completed: () => eq(projects.stage, "completion"),
  use: () => eq(projects.stage, "use"),
};

export const inPhase = (phase: ProjectPhase): SQL => PHASES[phase]();

// Spelt out: drizzle leaves the table off a one-table select's columns, which the subquery would misread.
const project = sql`"projects"."id"`;

/** The day of a project's last site inspection; null before the first. */
export const lastInspection = sql<string | null>`(select max(i.inspected_on) from ${inspections} i where i.project_id = ${project})`;

/** No site inspection for NO_INSPECTION_DAYS days, today in Kunming: since the last one, or since the start date. */
export function uninspected(): SQL {
  const since = shiftDay(formatDateTime(clock.now(), "YYYY-MM-DD"), -NO_INSPECTION_DAYS, "day");
  return sql`coalesce(${lastInspection}, ${projects.startDate}) <= ${since}::date`;
}
