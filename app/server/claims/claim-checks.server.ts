import type { FieldErrors } from "../errors.server";
import type { SubmissionCheck } from "../forms/server-checks.server";
import { findKnownParty } from "../projects/parties.server";

// Checks the claim forms name ("x-server-checks"), run with the form's own rules.
export const claimSubmissionChecks: Record<string, SubmissionCheck> = {
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
