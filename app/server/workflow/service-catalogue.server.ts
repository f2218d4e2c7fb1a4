import { claimSubmissionChecks } from "../claims/claim-checks.server";
import { claimObject } from "../claims/claim-object.server";
import { claimServices } from "../claims/claim-services.server";
import { registerSubmissionChecks } from "../forms/server-checks.server";
import { insuranceSubmissionChecks } from "../projects/insurance-checks.server";
import { projectObject } from "../projects/project-object.server";
import { insuranceServices } from "../projects/insurance-services.server";
import { reportServices } from "../reports/report-services.server";
import { riskSubmissionChecks } from "../risk/risk-checks.server";
import { riskEventObject } from "../risk/risk-event-object.server";
import { riskServices } from "../risk/risk-services.server";
import { platformServices } from "./builtin-services.server";
import { registerBusinessObjects } from "./business-objects.server";
import { registerServices } from "./services.server";

// Everything diagrams may call, the server checks forms may name and the business objects flows
// may be about, registered once at the app's entry (app/main.server.ts; the test setup does the
// same) before a diagram or form is checked or run.
export function registerCatalogue(): void {
  registerServices({ ...platformServices, ...insuranceServices, ...reportServices, ...riskServices, ...claimServices });
  registerBusinessObjects({ project: projectObject, "risk-event": riskEventObject, claim: claimObject });
  registerSubmissionChecks({ ...insuranceSubmissionChecks, ...riskSubmissionChecks, ...claimSubmissionChecks });
}
