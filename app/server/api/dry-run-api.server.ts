import { z } from "zod";
import { ValidationError } from "../errors.server";
import { parseInput } from "../validation.server";
import { dryRun, DryRunRefused, DRY_RUN_STEPS } from "../workflow/index.server";
import { isoDate, type Operation } from "./contract-common.server";

// 试运行: an administrator runs a diagram that is not deployed, on the server, with sample
// submissions; nothing is written (app/server/workflow/dry-run.server.ts).

const Sample = z.record(z.string(), z.unknown());
/** Enough samples for any real flow's loops; more only makes the run longer. */
const MAX_SAMPLES = DRY_RUN_STEPS;

export const DryRunBody = z
  .object({
    xml: z.string().min(1, "请提供流程图 XML").describe("BPMN 2.0 XML，可以是尚未发布的草稿"),
    submissions: z
      .record(z.string(), z.array(Sample).max(MAX_SAMPLES, `每个任务最多${MAX_SAMPLES}份样例`))
      .optional()
      .describe("按用户任务 ID 的样例提交，任务每打开一次按顺序使用一份"),
    serviceResults: z.record(z.string(), Sample).optional().describe("按服务任务 ID 的样例结果（服务不会真正执行）"),
    fireTimers: z.array(z.string()).max(MAX_SAMPLES).optional().describe("无样例可提交时触发的定时事件 ID，每列一次触发一次"),
    variables: Sample.optional().describe("发起时的流程变量"),
  })
  .strict()
  .meta({ id: "DryRun" });

const Fields = z.record(z.string(), z.string());

export const DryRunStepSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("task"),
      elementId: z.string(),
      name: z.string(),
      formKey: z.string(),
      candidateRoles: z.array(z.string()),
      dueAt: isoDate.nullable(),
    }),
    z.object({ kind: z.literal("submit"), elementId: z.string(), name: z.string(), submission: Sample }),
    z.object({ kind: z.literal("refused"), elementId: z.string(), name: z.string(), fields: Fields }),
    z.object({ kind: z.literal("service"), elementId: z.string(), service: z.string(), label: z.string(), answer: Sample }),
    z.object({ kind: z.literal("timer"), elementId: z.string(), dueAt: isoDate }),
    z.object({ kind: z.literal("timerFired"), elementId: z.string() }),
    z.object({ kind: z.literal("end"), elementId: z.string(), name: z.string().nullable() }),
  ])
  .meta({ id: "DryRunStep" });

export const DryRunResultSchema = z
  .object({
    path: z.object({ elements: z.array(z.string()), flows: z.array(z.string()) }).describe("经过的元素和连线，按到达顺序"),
    steps: z.array(DryRunStepSchema),
    outcome: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("ended"), end: z.string().nullable() }),
      z.object({ kind: z.literal("waiting"), tasks: z.array(z.string()), timers: z.array(z.string()) }),
      z.object({ kind: z.literal("refused"), elementId: z.string() }),
      z.object({ kind: z.literal("failed"), message: z.string() }),
      z.object({ kind: z.literal("stepLimit") }),
    ]),
  })
  .meta({ id: "DryRunResult" });

export const DRY_RUN_OPERATIONS: Operation[] = [
  {
    id: "dryRunProcess",
    permission: "manage:processes",
    method: "post",
    path: "/api/v1/processes/dry-run",
    summary: "试运行流程图（不发布、不写入任何数据）",
    body: DryRunBody,
    response: DryRunResultSchema,
    errors: [401, 403, 422],
  },
];

/** The modeler page's 试运行: its body read as the API's, refused the same way. */
export function dryRunDrawing(body: unknown) {
  return apiDryRun(parseInput(DryRunBody, body));
}

export async function apiDryRun(body: z.infer<typeof DryRunBody>) {
  try {
    return await dryRun(body);
  } catch (error) {
    if (error instanceof DryRunRefused)
      throw new ValidationError({ xml: error.problems.map((p) => p.message).join("\n") }, error.message, undefined, error.problems);
    throw error;
  }
}
