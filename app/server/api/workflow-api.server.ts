import { z } from "zod";
import { INSTANCE_STATUSES, TASK_STATUSES } from "@db/schema/workflow";
import type { Actor } from "../auth/actor";
import {
  MAX_MESSAGE_BYTES,
  completeTask,
  deliverMessage,
  messageSendableBy,
  startProcess,
  startableBy,
  startableDefinitions,
  taskComment,
  withdrawInstance,
} from "../workflow/index.server";
import { claimTask } from "../tasks/claim.server";
import { transferSchema, transferTask } from "../tasks/transfer.server";
import { recallStep } from "../tasks/recall.server";
import { copySchema, copyTask } from "../tasks/copy.server";
import { answerSign, askSign, signAnswerSchema, signSchema } from "../tasks/sign.server";
import { completedTaskRow, getTaskRow, listTasks } from "../tasks/inbox.server";
import { instanceView } from "../flow-views/instance-view.server";
import { taskView } from "../flow-views/task-view.server";
import { Ok, id, isoDate, pageOf, paging, type Operation } from "./contract-common.server";

// The workflow over the API: one's tasks (list, read, claim, complete), the flows one may start,
// and an instance's course (read, withdraw).

export const TaskQuery = z.object({
  view: z.enum(["todo", "done"]).optional().describe("todo：待办（默认）；done：已办"),
  process: z.string().optional().describe("流程标识"),
  q: z.string().optional().describe("按事项或任务名称搜索"),
  overdue: z.enum(["1"]).optional().describe("1：仅已逾期"),
  ...paging,
});

export const TaskSummary = z
  .object({
    kind: z
      .enum(["task", "sign"])
      .describe(
        "task：待办任务；sign：请我提出意见的加签（id 为加签标识，taskId 为其任务，以 POST /api/v1/tasks/{taskId}/signs/{id}/answer 答复）",
      ),
    id,
    taskId: id,
    name: z.string(),
    status: z.enum(TASK_STATUSES),
    title: z.string(),
    processKey: z.string(),
    processName: z.string(),
    instanceId: id,
    assigneeName: z.string().nullable(),
    createdAt: isoDate,
    dueAt: isoDate.nullable(),
    completedAt: isoDate.nullable(),
    overdue: z.boolean(),
  })
  .meta({ id: "TaskSummary" });

export const TaskPage = pageOf(TaskSummary).meta({ id: "TaskPage" });

export const HistoryEntry = z
  .object({ at: isoDate, who: z.string(), what: z.string(), comment: z.string().nullable() })
  .meta({ id: "HistoryEntry" });

export const InstanceDetail = z
  .object({
    id,
    title: z.string(),
    status: z.enum(INSTANCE_STATUSES).describe("running 进行中、completed 已完成、incident 异常、cancelled 已取消、withdrawn 已撤回"),
    businessType: z.string(),
    businessKey: z.string(),
    process: z.object({ key: z.string(), version: z.number().int(), name: z.string() }),
    startedAt: isoDate,
    endedAt: isoDate.nullable(),
    openTasks: z.array(z.object({ id, name: z.string(), dueAt: isoDate.nullable() })),
    history: z.array(HistoryEntry),
  })
  .meta({ id: "Instance" });

export const TaskDetail = z
  .object({
    id,
    name: z.string(),
    status: z.enum(TASK_STATUSES),
    formKey: z.string(),
    form: z.record(z.string(), z.unknown()).nullable().describe("Formily JSON Schema"),
    submission: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("已办理：提交的数据；待办：表单打开时的值（退回的步骤为上次提交的数据，否则为前面步骤已填写、本表单预填的字段）"),
    dueAt: isoDate.nullable(),
    canComplete: z.boolean(),
    canClaim: z.boolean(),
    recall: z
      .object({ refusal: z.string().nullable() })
      .nullable()
      .describe("已办理的任务，对其办理人：可以撤回时 refusal 为 null，否则为不能撤回的原因；其他情况为 null"),
    transferTo: z
      .array(z.object({ id: z.string(), name: z.string(), username: z.string() }))
      .describe("可以转办给的本单位同事（可办理该任务时才有）"),
    copyTo: z.array(z.object({ id, name: z.string() })).describe("可以抄送的单位：本流程的参与单位和住建局（可办理该任务时才有）"),
    signTo: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .describe("可以请其加签的人：本单位同事（user:<标识>）、本流程的参与单位和住建局（organisation:<标识>）（可办理该任务时才有）"),
    signs: z
      .array(
        z.object({
          id,
          kind: z.enum(["before", "after"]).describe("before 前加签；after 后加签"),
          signerName: z.string(),
          status: z
            .enum(["open", "approved", "returned", "cancelled"])
            .describe("open 待答复、approved 同意、returned 退回、cancelled 已取消"),
          note: z.string().nullable(),
          askedByName: z.string(),
          createdAt: isoDate,
          opinion: z.string().nullable(),
          answeredByName: z.string().nullable(),
          answeredAt: isoDate.nullable(),
        }),
      )
      .describe("该任务的加签及其意见"),
    signHold: z.string().nullable().describe("有未完成的加签时，不能提交的原因"),
    instance: InstanceDetail,
  })
  .meta({ id: "TaskDetail" });

export const CompleteBody = z
  .object({
    submission: z.record(z.string(), z.unknown()).describe("按任务表单填写的数据"),
    comment: taskComment,
  })
  // A mistyped key (commnet) is refused by name, not dropped with what it carried.
  .strict()
  .meta({ id: "Completion" });

export const TransferBody = transferSchema.meta({ id: "Transfer" });

export const TransferResult = z
  .object({ ok: z.literal(true), to: z.object({ id: z.string(), name: z.string(), username: z.string() }), notified: z.number().int() })
  .meta({ id: "TransferResult" });

export const CopyBody = copySchema.meta({ id: "Copy" });

export const CopyResult = z
  .object({ ok: z.literal(true), to: z.object({ id, name: z.string() }), notified: z.number().int() })
  .meta({ id: "CopyResult" });

export const SignBody = signSchema.meta({ id: "Sign" });

export const SignResult = z
  .object({ ok: z.literal(true), id, to: z.object({ id: z.string(), name: z.string() }), notified: z.number().int() })
  .meta({ id: "SignResult" });

export const SignAnswerBody = signAnswerSchema.meta({ id: "SignAnswer" });

export const SignAnswerResult = z.object({ ok: z.literal(true), decision: z.enum(["approve", "return"]) }).meta({ id: "SignAnswerResult" });

export const ProcessSummary = z.object({ key: z.string(), name: z.string(), version: z.number().int() }).meta({ id: "Process" });

export const StartBody = z
  .object({
    title: z.string().min(1).max(200).describe("事项标题"),
    businessType: z.string().min(1).max(40).optional().describe("业务类型，默认 manual"),
    businessKey: z.string().min(1).max(100).optional().describe("业务对象标识，默认生成"),
    variables: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: "StartProcess" });

export const MessageBody = z
  .record(z.string(), z.unknown(), { error: "消息内容应为 JSON 对象" })
  .describe(
    `消息携带的变量（JSON 对象，最多50个，共不超过${MAX_MESSAGE_BYTES / 1024}KB；变量名为字母或下划线开头的字母、数字和下划线，id 保留）。流程之后的步骤以 environment.output.<捕获事件标识> 读取`,
  )
  .meta({ id: "MessageVariables" });

export const MessageReceipt = z
  .object({ ok: z.literal(true), caughtBy: z.array(z.string()).describe("接收该消息的捕获事件标识") })
  .meta({ id: "MessageReceipt" });

export const WORKFLOW_OPERATIONS: Operation[] = [
  {
    id: "listTasks",
    permission: "view:inbox",
    method: "get",
    path: "/api/v1/tasks",
    summary: "我的待办或已办任务",
    query: TaskQuery,
    response: TaskPage,
    errors: [401, 403],
  },
  { id: "getTask", method: "get", path: "/api/v1/tasks/{id}", summary: "任务详情及其表单", response: TaskDetail, errors: [401, 404] },
  { id: "claimTask", method: "post", path: "/api/v1/tasks/{id}/claim", summary: "认领任务", response: Ok, errors: [401, 403, 404, 409] },
  {
    id: "completeTask",
    method: "post",
    path: "/api/v1/tasks/{id}/complete",
    summary: "办理任务（提交表单）",
    body: CompleteBody,
    response: TaskSummary,
    errors: [401, 403, 404, 409, 422, 503],
  },
  {
    id: "transferTask",
    method: "post",
    path: "/api/v1/tasks/{id}/transfer",
    summary: "转办任务给本单位的同事",
    body: TransferBody,
    response: TransferResult,
    errors: [401, 403, 404, 409, 422, 503],
  },
  {
    id: "copyTask",
    method: "post",
    path: "/api/v1/tasks/{id}/copy",
    summary: "抄送：把任务所在流程抄送给参与单位或住建局查看",
    body: CopyBody,
    response: CopyResult,
    errors: [401, 403, 404, 409, 422, 503],
  },
  {
    id: "signTask",
    method: "post",
    path: "/api/v1/tasks/{id}/signs",
    summary: "加签：办理前（前加签）或提交后（后加签）请本单位同事、参与单位或住建局提出意见",
    body: SignBody,
    response: SignResult,
    errors: [401, 403, 404, 409, 422, 503],
  },
  {
    id: "answerSign",
    method: "post",
    path: "/api/v1/tasks/{id}/signs/{signId}/answer",
    summary: "答复加签：同意或退回（退回须填写意见）；后加签经同意即按提交人的提交办理该任务",
    body: SignAnswerBody,
    response: SignAnswerResult,
    errors: [401, 403, 404, 409, 422, 503],
  },
  {
    id: "recallTask",
    method: "post",
    path: "/api/v1/tasks/{id}/recall",
    summary: "撤回本人已办理的步骤（下一步尚未被处理时）",
    response: TaskSummary,
    errors: [401, 403, 404, 409, 503],
  },
  {
    id: "listProcesses",
    permission: "view:inbox",
    method: "get",
    path: "/api/v1/processes",
    summary: "我可以发起的流程",
    response: z.array(ProcessSummary),
    errors: [401, 403],
  },
  {
    id: "startProcess",
    method: "post",
    path: "/api/v1/processes/{key}/instances",
    summary: "发起流程",
    authorize: async (actor, params) => void (await startableBy(actor, params.key ?? "")),
    body: StartBody,
    response: InstanceDetail,
    errors: [401, 403, 404, 409, 422, 503],
  },
  {
    id: "getInstance",
    method: "get",
    path: "/api/v1/instances/{id}",
    summary: "流程实例及其流转记录",
    response: InstanceDetail,
    errors: [401, 404],
  },
  {
    id: "withdrawInstance",
    method: "post",
    path: "/api/v1/instances/{id}/withdraw",
    summary: "撤回流程（仅发起人，且第一步尚未提交）",
    response: InstanceDetail,
    errors: [401, 404, 409],
  },
  {
    id: "sendMessage",
    method: "post",
    path: "/api/v1/instances/{id}/messages/{name}",
    summary: "向流程发送消息（如保险公司告知“付款完成”）：由消息捕获事件指定的角色（senderRole）在本流程中的参与单位或平台管理员发送",
    authorize: async (actor, params) => void (await messageSendableBy(actor, params.id ?? "", params.name ?? "")),
    body: MessageBody,
    response: MessageReceipt,
    errors: [401, 403, 404, 409, 422, 503],
  },
];

export function apiListTasks(actor: Actor, query: z.infer<typeof TaskQuery>) {
  return listTasks(actor, query);
}

function instanceBody(view: Awaited<ReturnType<typeof instanceView>>) {
  return {
    ...view.instance,
    process: { key: view.definition.key, version: view.definition.version, name: view.definition.name },
    openTasks: view.openTasks,
    history: view.history,
  };
}

export async function apiGetTask(actor: Actor, id: string) {
  const view = await taskView(actor, id);
  return {
    id: view.task.id,
    name: view.task.name,
    status: view.task.status,
    formKey: view.task.formKey,
    form: view.schema,
    submission: view.task.submission,
    dueAt: view.task.dueAt,
    canComplete: view.canComplete,
    canClaim: view.canClaim,
    recall: view.recall,
    transferTo: view.transferTo,
    copyTo: view.copyTo,
    signTo: view.signTo,
    signs: view.signs.map(({ kindLabel: _label, ...sign }) => sign),
    signHold: view.signHold,
    instance: instanceBody(view),
  };
}

export async function apiClaimTask(actor: Actor, id: string) {
  await claimTask(actor, id);
  return { ok: true as const };
}

export async function apiTransferTask(actor: Actor, id: string, body: z.infer<typeof TransferBody>) {
  return { ok: true as const, ...(await transferTask(actor, id, body)) };
}

export async function apiCopyTask(actor: Actor, id: string, body: z.infer<typeof CopyBody>) {
  return { ok: true as const, ...(await copyTask(actor, id, body)) };
}

export async function apiSignTask(actor: Actor, id: string, body: z.infer<typeof SignBody>) {
  return { ok: true as const, ...(await askSign(actor, id, body)) };
}

export async function apiAnswerSign(actor: Actor, taskId: string, signId: string, body: z.infer<typeof SignAnswerBody>) {
  return { ok: true as const, ...(await answerSign(actor, signId, body, taskId)) };
}

export async function apiRecallTask(actor: Actor, id: string) {
  await recallStep(actor, id);
  return getTaskRow(actor, id);
}

export async function apiCompleteTask(actor: Actor, id: string, body: z.infer<typeof CompleteBody>) {
  return completedTaskRow(actor, await completeTask(actor, id, { submission: body.submission, comment: body.comment }));
}

export function apiListProcesses(actor: Actor) {
  return startableDefinitions(actor);
}

export async function apiStartProcess(actor: Actor, key: string, body: z.infer<typeof StartBody>) {
  const instance = await startProcess(actor, {
    key,
    businessType: body.businessType,
    businessKey: body.businessKey,
    title: body.title,
    variables: body.variables ?? {},
  });
  return instanceBody(await instanceView(actor, instance.id));
}

export async function apiGetInstance(actor: Actor, id: string) {
  return instanceBody(await instanceView(actor, id));
}

export async function apiWithdrawInstance(actor: Actor, id: string) {
  await withdrawInstance(actor, id);
  return instanceBody(await instanceView(actor, id));
}

export async function apiSendMessage(actor: Actor, id: string, name: string, body: unknown) {
  const { caughtBy } = await deliverMessage(actor, id, name, body);
  return { ok: true as const, caughtBy };
}
