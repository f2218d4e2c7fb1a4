import { claimSubmissionChecks } from "./claims/claim-checks.server";
import { claimObject } from "./claims/claim-object.server";
import { claimServices } from "./claims/claim-services.server";
import { deliverOwnerMessages } from "./claims/owner-claims.server";
import { registerSubmissionChecks } from "./forms/server-checks.server";
import { insuranceSubmissionChecks } from "./projects/insurance-checks.server";
import { projectObject } from "./projects/project-object.server";
import { insuranceServices } from "./projects/insurance-services.server";
import { reportServices } from "./reports/report-services.server";
import { riskSubmissionChecks } from "./risk/risk-checks.server";
import { riskEventObject } from "./risk/risk-event-object.server";
import { riskServices } from "./risk/risk-services.server";
import { discardDraftsOf } from "./tasks/drafts.server";
import { cancelSignsOf } from "./tasks/sign-cancel.server";
import { refuseWhileSigning } from "./tasks/sign.server";
import {
  onEachPoll,
  onTaskCompleting,
  onTasksClosed,
  platformServices,
  registerBusinessObjects,
  registerServices,
} from "./workflow/index.server";

// The app's composition root: what the business modules plug into the workflow runtime and the
// forms, done once at the app's entry (app/main.server.ts; the test setup does the same) before a
// diagram or form is checked or run. The runtime knows none of these modules; they know it.
export function composeApp(): void {
  // What diagrams may call, the server checks forms may name and the business objects flows may be about.
  registerServices({ ...platformServices, ...insuranceServices, ...reportServices, ...riskServices, ...claimServices });
  registerBusinessObjects({ project: projectObject, "risk-event": riskEventObject, claim: claimObject });
  registerSubmissionChecks({ ...insuranceSubmissionChecks, ...riskSubmissionChecks, ...claimSubmissionChecks });
  // A closed task's drafts go with it, in the step that closed it (docs/decisions/006).
  onTasksClosed("drafts", (tx, taskIds, _actor, step) => discardDraftsOf(tx, taskIds, step?.writes));
  // 加签 (docs/decisions/039): a task with an open sign is not completed; a closed task's open signs are cancelled.
  onTaskCompleting("signs", refuseWhileSigning);
  // A completed task has no open sign (its completion guard saw to it): only those the flow cancelled may.
  onTasksClosed("signs", async (tx, taskIds, actor, step) => ({
    signsCancelled: await cancelSignsOf(
      tx,
      taskIds.filter((id) => id !== step?.completedId),
      undefined,
      actor,
    ),
  }));
  // Every app process's scheduler hands owners' claim messages to their channels (the Telegram bot).
  onEachPoll("owner messages", () => deliverOwnerMessages());
}
