import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { formDefinitions, processDefinitions, processInstances, tasks, type FormDefinition } from "@db/schema";
import { formKeyProblem, formSchemaIssues } from "~/shared/form-check";
import { editableSchema, sameFormSchema } from "~/shared/form-diff";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { ConflictError, NotFoundError, ValidationError } from "../errors.server";
import { parseInput, requiredString } from "../validation.server";
import { deployForm, type FormSchema } from "./registry.server";
import { submissionCheckInfo, submissionCheckNames } from "./server-checks.server";

// Forms as administrators publish them (the form editor's pages and POST /api/v1/forms): a new
// version with a reason, audited; the versions of a form with who published each, when and why;
// which process versions and open tasks use each. A new version is used only by process versions
// deployed after it: a process version pins the form versions it was deployed with
// (workflow/definitions.server.ts), so running flows keep theirs (docs/decisions/036).

export const REASON_MAX = 500;

const formKey = requiredString("请填写表单标识", "表单标识应为文字").superRefine((key, ctx) => {
  const problem = formKeyProblem(key);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const publishSchema = z.object({
  key: formKey,
  // Judged by the form check (which names the field), not here: any JSON value is taken.
  schema: z.unknown(),
  reason: requiredString("请填写发布原因", "发布原因应为文字")
    .trim()
    .min(1, "请填写发布原因")
    .max(REASON_MAX, `发布原因不能超过${REASON_MAX}个字`),
  /** The version the editor started from: another published meanwhile is a conflict, not overwritten. */
  baseVersion: z
    .number({ error: "基础版本应为正整数" })
    .int({ error: "基础版本应为正整数" })
    .positive({ error: "基础版本应为正整数" })
    .nullable()
    .optional(),
  /** From the new-form page: the key must not exist yet. */
  isNew: z.boolean().optional(),
});

export interface Published {
  form: FormDefinition;
  /** False when the schema was the same as the latest version's: nothing was published. */
  created: boolean;
}

/** The form check's problems as the API and the editor's page name them: under "schema". */
export function schemaFieldErrors(schema: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const { path, message } of formSchemaIssues(schema, { serverChecks: submissionCheckNames() }))
    fields[path === "schema" ? "schema" : `schema.${path}`] ??= message;
  return fields;
}

/**
 * Publishes a form schema as the next version of its form, with the administrator's reason. The
 * same schema as the latest version (fields in the same order, keys in any order) publishes
 * nothing and answers that version (created: false): a double submit is harmless.
 */
export async function publishForm(actor: Actor, input: unknown): Promise<Published> {
  assertCan(actor, "manage:processes");
  const data = parseInput(publishSchema, input);
  const problems = schemaFieldErrors(data.schema);
  if (Object.keys(problems).length) throw new ValidationError(problems, "表单定义未通过发布检查");
  const schema = editableSchema(data.schema) as unknown as FormSchema;
  return db().transaction(async (tx) => {
    // One publisher of a form at a time: two double-submitted requests must not both take version N+1.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`form:${data.key}`}))`);
    const [latest] = await tx
      .select()
      .from(formDefinitions)
      .where(eq(formDefinitions.key, data.key))
      .orderBy(desc(formDefinitions.version))
      .limit(1);
    if (data.isNew && latest) throw new ValidationError({ key: `已有标识为“${data.key}”的表单，请换一个标识，或打开该表单发布新版本` });
    if (latest && sameFormSchema(latest.schema, schema)) return { form: latest, created: false };
    if (data.baseVersion !== undefined && data.baseVersion !== null && latest && latest.version !== data.baseVersion)
      throw new ConflictError(`该表单已有第${latest.version}版（${latest.deployedByName}发布），请刷新后在最新版本上修改`);
    const form = await deployForm(actor, data.key, schema, tx, data.reason);
    return { form, created: true };
  });
}

/** Every form with its latest version: key, title, version, who published it, when and why. */
export async function listForms(actor: Actor) {
  assertCan(actor, "manage:processes");
  const latest = await db()
    .selectDistinctOn([formDefinitions.key], {
      key: formDefinitions.key,
      title: formDefinitions.title,
      version: formDefinitions.version,
      deployedByName: formDefinitions.deployedByName,
      deployedAt: formDefinitions.deployedAt,
      reason: formDefinitions.reason,
    })
    .from(formDefinitions)
    .orderBy(formDefinitions.key, desc(formDefinitions.version));
  return latest;
}

export type FormVersionSummary = Awaited<ReturnType<typeof formVersions>>[number];

/**
 * A form's versions, newest first, each with who published it, when and why, the process versions
 * that pin it and how many open tasks (of the actor's scope) show it. 404 for a key no form has.
 */
export async function formVersions(actor: Actor, key: string) {
  assertCan(actor, "manage:processes");
  const rows = await db()
    .select({
      id: formDefinitions.id,
      key: formDefinitions.key,
      version: formDefinitions.version,
      title: formDefinitions.title,
      checksum: formDefinitions.checksum,
      deployedByName: formDefinitions.deployedByName,
      deployedAt: formDefinitions.deployedAt,
      reason: formDefinitions.reason,
    })
    .from(formDefinitions)
    .where(eq(formDefinitions.key, key))
    .orderBy(desc(formDefinitions.version));
  if (!rows.length) throw new NotFoundError("表单不存在");
  const usage = await formUsage(actor, key);
  return rows.map((row) => ({
    ...row,
    processes: usage.processes.filter((p) => p.formVersion === row.version).map(({ formVersion: _v, ...p }) => p),
    openTasks: usage.openTasks.find((t) => t.formVersion === row.version)?.count ?? 0,
  }));
}

/** Which process versions pin a version of the form, and how many open tasks show each version. */
export async function formUsage(actor: Actor, key: string) {
  const pinned = sql<number>`(${processDefinitions.formVersions} ->> ${key})::int`;
  const [processes, openTasks] = await Promise.all([
    db()
      .select({ key: processDefinitions.key, version: processDefinitions.version, name: processDefinitions.name, formVersion: pinned })
      .from(processDefinitions)
      .where(sql`${processDefinitions.formVersions} ? ${key}`)
      .orderBy(asc(processDefinitions.key), desc(processDefinitions.version)),
    db()
      .select({ formVersion: tasks.formVersion, count: count() })
      .from(tasks)
      .where(and(eq(tasks.formKey, key), eq(tasks.status, "open"), scope(actor, "task")))
      .groupBy(tasks.formVersion),
  ]);
  return { processes, openTasks };
}

/** The open tasks (of the actor's scope) that show one version of a form, newest first: at most `limit`. */
export async function openTasksOfFormVersion(actor: Actor, key: string, version: number, limit = 50) {
  assertCan(actor, "manage:processes");
  return db()
    .select({ id: tasks.id, name: tasks.name, instanceId: tasks.instanceId, title: processInstances.title, createdAt: tasks.createdAt })
    .from(tasks)
    .innerJoin(processInstances, eq(tasks.instanceId, processInstances.id))
    .where(and(eq(tasks.formKey, key), eq(tasks.formVersion, version), eq(tasks.status, "open"), scope(actor, "task")))
    .orderBy(desc(tasks.createdAt))
    .limit(limit);
}

/** One version of a form, its schema as the editor shows it (fields in order, no x-index). 404 when it has none. */
export async function formVersion(actor: Actor, key: string, version: number | null) {
  assertCan(actor, "manage:processes");
  const [row] = await db()
    .select()
    .from(formDefinitions)
    .where(version === null ? eq(formDefinitions.key, key) : and(eq(formDefinitions.key, key), eq(formDefinitions.version, version)))
    .orderBy(desc(formDefinitions.version))
    .limit(1);
  if (!row) throw new NotFoundError(version === null ? "表单不存在" : "该表单没有这个版本");
  return { ...row, schema: editableSchema(row.schema) as Record<string, unknown> };
}

/**
 * What the form editor's page needs beside the schema: the server checks the platform has, with
 * their names (the page builds its JSON Schema from them with the shared registries).
 */
export function formEditorSettings() {
  return { serverChecks: submissionCheckInfo() };
}
