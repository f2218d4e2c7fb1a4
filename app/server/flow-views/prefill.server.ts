import type { Task } from "@db/schema";
import type { FormSchema } from "../forms/registry.server";
import type { FlowFacts } from "../workflow/index.server";
import { topLevelFields } from "~/shared/schema-fields";
import { validateSubmissionAgainst } from "../forms/validate.server";

// What a task's form opens with from its flow: a field that names `x-prefill` (a key) takes the
// latest value an earlier step of the same flow submitted under that key (结案's 缺陷部位 and 缺陷原因
// from 查勘, its 维修费用 from 定损's 核定损失金额), editable. Only fields that say so: the same key
// means other things in other steps (the plan review's 审核结论 is not the final review's, an
// inspection's 现场照片 not a revisit's) — docs/decisions/014.

const given = (v: unknown) => v !== undefined && v !== null && !(typeof v === "string" && !v.trim()) && !(Array.isArray(v) && !v.length);

/**
 * The prefilled values of `schema` from `done` (the flow's completed steps, oldest first), each one
 * the field accepts (its type, options and own rules); null when there is none.
 */
export async function prefilledValues(
  schema: FormSchema,
  done: Pick<Task, "submission">[],
  facts: FlowFacts = {},
): Promise<Record<string, unknown> | null> {
  const values: Record<string, unknown> = {};
  for (const [key, field] of topLevelFields(schema)) {
    const source = field["x-prefill"];
    if (typeof source !== "string") continue;
    const latest = done.map((t) => (t.submission as Record<string, unknown> | null)?.[source]).findLast(given);
    if (latest !== undefined) values[key] = latest;
  }
  if (!Object.keys(values).length) return null;
  // A value the field would refuse (an option this form lacks, a text over its limit) is left out.
  const { errors } = await validateSubmissionAgainst(schema, values, facts);
  for (const key of Object.keys(values))
    if (Object.keys(errors).some((path) => path === key || path.startsWith(`${key}.`))) delete values[key];
  return Object.keys(values).length ? values : null;
}
