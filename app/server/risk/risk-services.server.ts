import type { ServiceContext, WorkflowService } from "../workflow/index.server";
import { ValidationError } from "../errors.server";
import { scoreWeightsFrom } from "~/shared/risk-score";
import { recordCompletion, terminatePolicy } from "./life-cycle.server";
import { lockProject, moveStage, refuseTerminated } from "./risk-projects.server";
import { markOverdue, recordRectification, recordVerification } from "./risk-events.server";
import {
  decideLatestReport,
  issueFinalReport,
  recordAssessment,
  recordFinalReport,
  recordInspection,
  recordPlan,
  recordReinspection,
  recordRevisit,
} from "./risk-reports.server";
import { REINSPECTION } from "~/shared/risk-labels";

// The services processes/risk-management.bpmn and processes/risk-event.bpmn call. A project's
// flow has the project's id as its business key, an event's flow the event's id. Each reads the
// submissions before it (environment.output.<task id>) and records them through app/server/risk.

type Submission = Record<string, unknown>;
const submitted = (ctx: ServiceContext, taskId: string) => (ctx.output[taskId] ?? {}) as Submission;

/** The project of a risk-management step, locked; a terminated project takes no more steps. */
async function projectOf(ctx: ServiceContext) {
  const project = await lockProject(ctx.tx, ctx.instance.businessKey);
  refuseTerminated(project);
  return project;
}

function projectService(
  label: string,
  run: (ctx: ServiceContext, project: Awaited<ReturnType<typeof projectOf>>) => Promise<unknown>,
): WorkflowService {
  return { label, run: async (ctx) => run(ctx, await projectOf(ctx)) };
}

/** The TIS's verdict on a rectification: 销项 or back to the rectifier, with its 复核意见. */
function verification(label: string, close: boolean): WorkflowService {
  return {
    label,
    async run(ctx) {
      const reason = submitted(ctx, "verify").reason as string | undefined;
      const event = await recordVerification(ctx.tx, ctx.actor, ctx.instance.businessKey, { close, reason });
      return { status: event.status };
    },
  };
}

export const riskServices: Record<string, WorkflowService> = {
  openSiteRisk: projectService("开启施工现场风险管理", async (ctx, project) => {
    const plan = submitted(ctx, "plan");
    await recordPlan(ctx.tx, ctx.actor, project, plan, submitted(ctx, "planReview"));
    const sections = Array.isArray(plan.sections) ? plan.sections : [];
    await moveStage(ctx.tx, project.id, "construction", { sections: sections as never });
    return { stage: "construction" };
  }),

  recordInspection: projectService("保存现场检查记录", async (ctx, project) => {
    const { inspection, raised } = await recordInspection(
      { tx: ctx.tx, actor: ctx.actor, project, startFlow: ctx.startFlow },
      submitted(ctx, "inspection"),
    );
    return { inspectionId: inspection.id, events: raised.length };
  }),

  recordAssessment: projectService("保存风险过程评估报告", async (ctx, project) => {
    const weights = scoreWeightsFrom(ctx.params);
    if ("problem" in weights) throw new Error(weights.problem);
    return recordAssessment(ctx.tx, ctx.actor, project, submitted(ctx, "assessment"), weights);
  }),

  recordFinalReport: projectService("保存最终检查报告", async (ctx, project) =>
    recordFinalReport(ctx.tx, ctx.actor, project, submitted(ctx, "finalReport")),
  ),

  returnFinalReport: projectService("退回最终检查报告", async (ctx, project) => {
    await decideLatestReport(ctx.tx, ctx.actor, project.id, "final", "returned", submitted(ctx, "finalReview").reason as string);
    return { returned: true };
  }),

  approveFinalReport: projectService("通过最终检查报告", async (ctx, project) => {
    await decideLatestReport(ctx.tx, ctx.actor, project.id, "final", "approved", submitted(ctx, "finalReview").reason as string);
    await moveStage(ctx.tx, project.id, "completion");
    return { stage: "completion" };
  }),

  terminatePolicy: projectService("终止保险合同", async (ctx, project) => {
    const reason = String(submitted(ctx, "finalReview").reason ?? "").trim();
    if (!reason) throw new ValidationError({ reason: "终止保险合同必须填写原因" });
    await decideLatestReport(ctx.tx, ctx.actor, project.id, "final", "terminated", reason);
    return terminatePolicy(ctx.tx, ctx.actor, project, reason, ctx.instance.id);
  }),

  issueFinalReport: projectService("出具最终检查报告并评价风险管理机构", async (ctx, project) => {
    await issueFinalReport(ctx.tx, ctx.actor, project, submitted(ctx, "issue"));
    return { issued: true };
  }),

  // Parameter leadDays: how many days before the second anniversary of acceptance the re-inspection falls due (30).
  recordCompletion: projectService("登记竣工验收", async (ctx, project) => {
    const leadDays = ctx.params.leadDays ? Number(ctx.params.leadDays) : 30;
    if (!Number.isInteger(leadDays) || leadDays < 0 || leadDays > 365)
      throw new Error(`${REINSPECTION}提前天数“${ctx.params.leadDays}”应为0到365之间的整数`);
    return recordCompletion(ctx.tx, ctx.actor, project, submitted(ctx, "completion"), leadDays);
  }),

  recordRevisit: projectService("保存回访报告", async (ctx, project) => {
    const review = submitted(ctx, "revisitReview");
    await recordRevisit(ctx.tx, ctx.actor, project, submitted(ctx, "revisit"), review);
    return { finished: review.decision === "finish" };
  }),

  recordReinspection: projectService("保存复查报告并派发整改", async (ctx, project) =>
    recordReinspection({ tx: ctx.tx, actor: ctx.actor, project, startFlow: ctx.startFlow }, submitted(ctx, "reinspection")),
  ),

  // processes/risk-event.bpmn
  recordRectification: {
    label: "保存整改情况",
    async run(ctx) {
      const event = await recordRectification(ctx.tx, ctx.actor, ctx.instance.businessKey, submitted(ctx, "rectify"));
      return { status: event.status };
    },
  },
  closeRiskEvent: verification("风险事件销项", true),
  returnRectification: verification("退回整改", false),
  markRiskEventOverdue: {
    label: "标记已逾期并通知",
    async run(ctx) {
      return { overdue: await markOverdue(ctx.tx, ctx.actor, ctx.instance.businessKey) };
    },
  },
};
