import { z } from "zod";
import type { Actor } from "../auth/actor";
import { MAX_DIAGRAM_CHARS, MAX_REASON_CHARS, deployProcess } from "../process-admin/process-versions.server";
import { isoDate, type Operation } from "./contract-common.server";

// Deploying a process through the API (docs/decisions/035): the same deploy, check and reason as
// the modeler's, for an administrator's session or an API key given the admin role.

export const DeployProcessBody = z
  .object({
    xml: z.string().describe(`BPMN 2.0 XML（须为命名空间良构的 XML，含且仅含一个流程；不超过 ${MAX_DIAGRAM_CHARS} 个字符）`),
    reason: z.string().describe(`发布原因（必填，不超过 ${MAX_REASON_CHARS} 个字），显示在版本列表中并写入审计日志`),
  })
  // As the dry run's: a key the deploy does not read (a misspelt reason) is refused, never ignored.
  .strict()
  .meta({ id: "DeployProcess" });

export const ProcessVersion = z
  .object({
    key: z.string().describe("流程标识（即流程图中 bpmn:process 的 id）"),
    version: z.number().int(),
    name: z.string(),
    reason: z.string().nullable().describe("发布原因；平台启动时按 processes/ 发布的版本为空"),
    deployedByName: z.string(),
    deployedAt: isoDate,
    created: z.boolean().describe("true：本次发布了新版本（201）；false：流程图与表单均未变化，返回现有的最新版本（200）"),
  })
  .meta({ id: "ProcessVersion" });

export const PROCESS_ADMIN_OPERATIONS: Operation[] = [
  {
    id: "deployProcess",
    permission: "manage:processes",
    method: "post",
    path: "/api/v1/processes",
    summary: "发布流程图为新版本（管理员）；被拒时 problems 逐个列出有问题的元素（elementId）",
    body: DeployProcessBody,
    response: ProcessVersion,
    success: { 201: "已发布为新版本", 200: "流程图与表单均未变化：返回现有的最新版本" },
    errors: [401, 403, 409, 413, 422],
  },
];

export async function apiDeployProcess(actor: Actor, body: z.infer<typeof DeployProcessBody>): Promise<Response> {
  const { definition, created } = await deployProcess(actor, { xml: body.xml, reason: body.reason });
  const { key, version, name, reason, deployedByName, deployedAt } = definition;
  return Response.json({ key, version, name, reason, deployedByName, deployedAt, created }, { status: created ? 201 : 200 });
}
