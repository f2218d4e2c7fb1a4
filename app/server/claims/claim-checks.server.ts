import { eq } from "drizzle-orm";
import { claims } from "@db/schema";
import { formatDateTime } from "~/shared/time";
import type { FieldErrors } from "../errors.server";
import type { SubmissionCheck } from "../forms/server-checks.server";
import { findKnownParty } from "../projects/parties.server";

// Checks the claim forms name ("x-server-checks"), run with the form's own rules.

/**
 * The steps' dates and their names: none of them can come before the claim was reported. The forms
 * now say so themselves, against the claim's facts ("$flow.reportedOn", in the browser too); this
 * check stays for the form versions deployed before, which tasks already open still use.
 */
const STEP_DATES: Record<string, string> = {
  contactedOn: "联系业主日期",
  surveyedOn: "查勘日期",
  startedOn: "开工日期",
  finishedOn: "完工日期",
};

export const claimSubmissionChecks: Record<string, SubmissionCheck> = {
  "claim.afterReport": {
    label: "日期不早于报案日期",
    async run({ tx, values, businessKey }): Promise<FieldErrors> {
      const [claim] = await tx.select({ reportedAt: claims.reportedAt }).from(claims).where(eq(claims.id, businessKey));
      if (!claim) return {};
      const reportedOn = formatDateTime(claim.reportedAt, "YYYY-MM-DD");
      const errors: FieldErrors = {};
      for (const [field, title] of Object.entries(STEP_DATES)) {
        const value = values[field];
        if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && value < reportedOn)
          errors[field] = `${title}不能早于报案日期（${reportedOn}）`;
      }
      return errors;
    },
  },
  "claim.repairer": {
    label: "维修单位核对（平台已登记的维修单位）",
    async run({ tx, values }): Promise<FieldErrors> {
      const code = values.repairerCreditCode;
      if (typeof code !== "string" || !code.trim()) return {};
      const found = await findKnownParty(tx, "repairer", code);
      return "problem" in found ? { repairerCreditCode: found.problem } : {};
    },
  },
};
