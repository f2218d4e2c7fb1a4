import type { SubmissionCheck } from "../forms/server-checks.server";
import { policyProblems, registrationProblems } from "./insurance.server";

// The register's checks the insurance review's forms name ("x-server-checks"): run with the
// form's rules when the task is completed, before the flow's services (which check again).
export const insuranceSubmissionChecks: Record<string, SubmissionCheck> = {
  "insurance.registration": {
    label: "报建信息登记核对（报建号、参建单位）",
    run: ({ tx, businessKey, values }) => registrationProblems(tx, businessKey, values),
  },
  "insurance.policy": {
    label: "保险信息登记核对（保单号、共保、再保、风险管理机构）",
    run: ({ tx, businessKey, values }) => policyProblems(tx, businessKey, values),
  },
};
