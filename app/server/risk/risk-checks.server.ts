import { eq } from "drizzle-orm";
import { projects } from "@db/schema";
import type { Tx } from "@db/client";
import type { FieldErrors } from "../errors.server";
import type { SubmissionCheck } from "../forms/server-checks.server";
import { completionProblems } from "./life-cycle.server";
import { raisedEventProblems, raisedEventSchema } from "./risk-events.server";
import { REINSPECTION } from "~/shared/risk-labels";

// Checks the risk forms name ("x-server-checks"): a rectifying party the project does not have, a
// completion before the project started.
// Run with the form's own rules, which judge what the submission alone decides (a deadline before
// the inspection: the schema's notBeforeField, in the browser as well).

async function eventsProblems(tx: Tx, projectId: string, values: Record<string, unknown>, listField: string) {
  const problems: FieldErrors = {};
  const [project] = await tx.select().from(projects).where(eq(projects.id, projectId));
  const list = Array.isArray(values[listField]) ? (values[listField] as unknown[]) : [];
  if (!project) return problems;
  // Rows that break the form's own rules are named by those rules; the rest are checked here.
  const rows = list.map((row) => raisedEventSchema.safeParse(row));
  const parsed = rows.map((r) => (r.success ? r.data : null));
  const checked = raisedEventProblems(
    project,
    parsed.filter((r) => r !== null),
    listField,
  );
  // Map problems back to the rows' own positions (rows that failed parsing were left out).
  const positions = parsed.flatMap((r, i) => (r ? [i] : []));
  for (const [path, message] of Object.entries(checked)) {
    const [, index, field] = path.split(".");
    problems[`${listField}.${positions[Number(index)]}.${field}`] = message;
  }
  return problems;
}

export const riskSubmissionChecks: Record<string, SubmissionCheck> = {
  "risk.inspection": {
    label: "现场检查核对（整改单位）",
    run: ({ tx, businessKey, values }) => eventsProblems(tx, businessKey, values, "events"),
  },
  "risk.reinspection": {
    label: `${REINSPECTION}核对（维修责任方）`,
    run: ({ tx, businessKey, values }) => eventsProblems(tx, businessKey, values, "defects"),
  },
  // Form versions deployed before the rule moved into the schema ("$flow.startDate") still name it.
  "risk.completion": {
    label: "竣工验收核对（不早于开工日期）",
    async run({ tx, businessKey, values }) {
      const [project] = await tx.select({ startDate: projects.startDate }).from(projects).where(eq(projects.id, businessKey));
      return project ? completionProblems(project, values.acceptedOn) : {};
    },
  },
};
