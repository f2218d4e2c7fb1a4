import { z } from "zod";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors.server";
import { formVersion, formVersions, listForms, publishForm, REASON_MAX } from "../forms/publish.server";
import { id, isoDate, type Operation } from "./contract-common.server";

// Forms over the API, for administrators and systems holding an admin key: publish a form schema as
// a new version with a reason, list the forms and a form's versions, read one version's schema.

export const PublishFormBody = z
  .object({
    key: z.string().describe("表单标识：小写字母开头的小写字母、数字和连字符（如 claim-survey），即流程图中 camunda:formKey"),
    schema: z.record(z.string(), z.unknown()).describe("Formily JSON Schema（平台表单定义，见 forms/README.md）"),
    reason: z.string().describe(`发布原因（必填，不超过${REASON_MAX}个字）`),
    baseVersion: z.number().int().nullable().optional().describe("在哪个版本上修改：该表单已有更新的版本时拒绝（409），不会覆盖他人的修改"),
  })
  .meta({ id: "PublishForm" });

const FormVersionFields = {
  key: z.string(),
  version: z.number().int(),
  title: z.string(),
  reason: z.string().nullable().describe("发布原因；平台启动时发布的内置表单为 null"),
  deployedByName: z.string(),
  deployedAt: isoDate,
};

export const FormVersion = z
  .object({
    ...FormVersionFields,
    id,
    created: z.boolean().describe("true：发布了新版本（201）；false：与最新版本相同，未发布（200，即该版本）"),
  })
  .meta({ id: "FormVersion" });

export const FormSummary = z.object(FormVersionFields).describe("表单及其最新版本").meta({ id: "FormSummary" });

export const FormVersionUsage = z
  .object({
    ...FormVersionFields,
    id,
    processes: z
      .array(z.object({ key: z.string(), version: z.number().int(), name: z.string() }))
      .describe("固定使用此表单版本的流程版本（新发布的流程版本才会使用新表单版本）"),
    openTasks: z.number().int().describe("使用此表单版本的待办任务数"),
  })
  .meta({ id: "FormVersionUsage" });

export const FormVersionDetail = z
  .object({ ...FormVersionFields, id, schema: z.record(z.string(), z.unknown()).describe("Formily JSON Schema") })
  .meta({ id: "FormVersionDetail" });

export const FORM_OPERATIONS: Operation[] = [
  {
    id: "publishForm",
    permission: "manage:processes",
    method: "post",
    path: "/api/v1/forms",
    summary: "发布表单的新版本（新发布的流程版本才会使用）",
    body: PublishFormBody,
    response: FormVersion,
    success: { 201: "已发布新版本", 200: "与最新版本相同，未发布新版本：返回该版本" },
    errors: [401, 403, 409, 422],
  },
  {
    id: "listForms",
    permission: "manage:processes",
    method: "get",
    path: "/api/v1/forms",
    summary: "全部表单及其最新版本",
    response: z.array(FormSummary),
    errors: [401, 403],
  },
  {
    id: "listFormVersions",
    permission: "manage:processes",
    method: "get",
    path: "/api/v1/forms/{key}/versions",
    summary: "表单的各版本（谁、何时、为何发布；哪些流程版本和待办在用）",
    response: z.array(FormVersionUsage),
    errors: [401, 403, 404],
  },
  {
    id: "getFormVersion",
    permission: "manage:processes",
    method: "get",
    path: "/api/v1/forms/{key}/versions/{version}",
    summary: "表单某一版本的定义",
    response: FormVersionDetail,
    errors: [401, 403, 404],
  },
];

const summaryOf = (row: {
  key: string;
  version: number;
  title: string;
  reason: string | null;
  deployedByName: string;
  deployedAt: Date;
}) => ({
  key: row.key,
  version: row.version,
  title: row.title,
  reason: row.reason,
  deployedByName: row.deployedByName,
  deployedAt: row.deployedAt,
});

/** 201 with the new version, or 200 with the latest one when the schema is the same. */
export async function apiPublishForm(actor: Actor, body: z.infer<typeof PublishFormBody>): Promise<Response> {
  const { form, created } = await publishForm(actor, body);
  return Response.json({ id: form.id, ...summaryOf(form), created }, { status: created ? 201 : 200 });
}

export async function apiListForms(actor: Actor) {
  return (await listForms(actor)).map(summaryOf);
}

export async function apiListFormVersions(actor: Actor, key: string) {
  return (await formVersions(actor, key)).map((v) => ({ id: v.id, ...summaryOf(v), processes: v.processes, openTasks: v.openTasks }));
}

export async function apiGetFormVersion(actor: Actor, key: string, version: string) {
  if (!/^[1-9]\d{0,8}$/.test(version)) throw new NotFoundError("该表单没有这个版本");
  const row = await formVersion(actor, key, Number(version));
  return { id: row.id, ...summaryOf(row), schema: row.schema };
}
