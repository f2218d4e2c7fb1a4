import type { ServiceContext, WorkflowService } from "../workflow/index.server";
import {
  acceptClaim,
  confirmRepair,
  deemConfirmed,
  decideClaim,
  fastTrackClaim,
  markStepOverdue,
  recordAssessment,
  recordRepair,
  recordSurvey,
  remindOwnerToConfirm,
  remindStep,
  settleClaim,
} from "./claim-steps.server";

// The services processes/claim.bpmn calls. A claim's flow has the claim's id as its business key;
// each service reads the submission before it (environment.output.<task id>) and records it on
// the claim through claim-steps.server.ts.

type Submission = Record<string, unknown>;
const submitted = (ctx: ServiceContext, taskId: string) => (ctx.output[taskId] ?? {}) as Submission;

function step(label: string, run: (ctx: ServiceContext, claimId: string) => Promise<unknown>): WorkflowService {
  return { label, run: (ctx) => run(ctx, ctx.instance.businessKey) };
}

export const claimServices: Record<string, WorkflowService> = {
  recordClaimAcceptance: step("登记受理", (ctx, id) => acceptClaim(ctx.tx, ctx.actor, id, submitted(ctx, "accept"))),
  fastTrackClaim: step("小额快赔立案", (ctx, id) => fastTrackClaim(ctx.tx, ctx.actor, id)),
  recordClaimSurvey: step("保存查勘报告", (ctx, id) => recordSurvey(ctx.tx, ctx.actor, id, submitted(ctx, "survey"))),
  registerClaim: step("立案", (ctx, id) => decideClaim(ctx.tx, ctx.actor, id, true, submitted(ctx, "decide").reason as string)),
  declineClaim: step("不予立案并告知业主", (ctx, id) =>
    decideClaim(ctx.tx, ctx.actor, id, false, submitted(ctx, "decide").reason as string),
  ),
  recordClaimAssessment: step("保存定损结果", (ctx, id) => recordAssessment(ctx.tx, ctx.actor, id, submitted(ctx, "assess"))),
  recordClaimRepair: step("保存维修情况", (ctx, id) => recordRepair(ctx.tx, ctx.actor, id, submitted(ctx, "repair"))),
  refuseClaimRepair: step("退回重修", (ctx, id) => confirmRepair(ctx.tx, ctx.actor, id, false, submitted(ctx, "confirm").reason as string)),
  confirmClaimRepair: step("登记验收", (ctx, id) => confirmRepair(ctx.tx, ctx.actor, id, true, null)),
  closeClaim: step("结案并邀请评价", (ctx, id) => settleClaim(ctx.tx, ctx.actor, id, submitted(ctx, "settle"))),
  // Parameters: step (accept, survey, decide, repair, settle); escalate ("true": the regulator is told too).
  markClaimOverdue: step("理赔环节已逾期", (ctx, id) =>
    markStepOverdue(ctx.tx, ctx.actor, id, ctx.params.step, ctx.params.escalate === "true"),
  ),
  // Parameter: step.
  remindClaimStep: step("提醒办理", (ctx, id) => remindStep(ctx.tx, id, ctx.params.step)),
  remindOwnerToConfirm: step("提醒业主验收", (ctx, id) => remindOwnerToConfirm(ctx.tx, id)),
  deemClaimConfirmed: step("视为验收合格", (ctx, id) => deemConfirmed(ctx.tx, ctx.actor, id)),
};
