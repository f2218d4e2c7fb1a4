import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, desc, eq } from "drizzle-orm";
import { formDefinitions, type FormDefinition } from "@db/schema";
import type { Executor } from "@db/client";
import { recordAudit } from "../audit.server";
import { SYSTEM_ACTOR, type Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { clock } from "../clock.server";
import { db, perDatabase } from "../db.server";
import { ValidationError } from "../errors.server";
import { formSchemaProblems } from "./check.server";

// Form schemas, versioned in the database. forms/<form-key>.json are the built-in ones.
export const FORMS_DIR = path.resolve(process.cwd(), "forms");

export interface FormSchema {
  type: "object";
  title?: string;
  /** Server checks (forms/server-checks.server.ts) run on a submission beside the schema's rules. */
  "x-server-checks"?: string[];
  properties: Record<string, unknown>;
}

const checksumOf = (schema: unknown) => createHash("sha256").update(JSON.stringify(schema)).digest("hex");

type Node = { properties?: Record<string, Node>; items?: Node; [key: string]: unknown };

// PostgreSQL's jsonb does not keep the order of keys; Formily's x-index does, so the fields of a
// stored schema render in the order they were written.
function withFieldOrder(node: Node): Node {
  const out: Node = { ...node };
  if (node.properties) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, child], index) => [key, { "x-index": index, ...withFieldOrder(child) }]),
    );
  }
  if (node.items) out.items = withFieldOrder(node.items);
  return out;
}

export async function latestForm(key: string, ex: Executor = db()): Promise<FormDefinition | undefined> {
  const [row] = await ex.select().from(formDefinitions).where(eq(formDefinitions.key, key)).orderBy(desc(formDefinitions.version)).limit(1);
  return row;
}

/** The latest version of every form, by key: what a process deployed now pins. */
export async function latestFormVersions(ex: Executor = db()): Promise<Map<string, number>> {
  const rows = await ex
    .selectDistinctOn([formDefinitions.key], { key: formDefinitions.key, version: formDefinitions.version })
    .from(formDefinitions)
    .orderBy(formDefinitions.key, desc(formDefinitions.version));
  return new Map(rows.map((r) => [r.key, r.version]));
}

/**
 * Deploys a schema as the next version of its form, unless it is the same as the latest. `reason`:
 * why an administrator publishes it (publish.server.ts requires one; the platform's own have none).
 */
export async function deployForm(
  actor: Actor,
  key: string,
  schema: FormSchema,
  ex: Executor = db(),
  reason: string | null = null,
): Promise<FormDefinition> {
  if (actor !== SYSTEM_ACTOR) assertCan(actor, "manage:processes");
  const problems = formSchemaProblems(schema);
  if (Object.keys(problems).length) throw new ValidationError(problems);
  const checksum = checksumOf(schema);
  const latest = await latestForm(key, ex);
  if (latest?.checksum === checksum) return latest;
  const [created] = await ex
    .insert(formDefinitions)
    .values({
      key,
      version: (latest?.version ?? 0) + 1,
      title: schema.title ?? key,
      schema: withFieldOrder(schema as unknown as Node) as Record<string, unknown>,
      checksum,
      deployedBy: actor.userId,
      deployedByName: actor.displayName,
      deployedAt: clock.now(),
      reason,
    })
    .returning();
  await recordAudit(ex, actor, {
    action: "form.deploy",
    subjectType: "form_definition",
    subjectId: created.id,
    after: { key, version: created.version, ...(reason ? { reason } : {}) },
  });
  return created;
}

/**
 * At start-up: each schema in forms/ becomes a new version of its form when it changed, as long as
 * the platform itself deployed the latest one. Once an administrator has edited a form, the file
 * no longer overrides it.
 */
export async function deployBuiltInForms(ex: Executor = db()): Promise<FormDefinition[]> {
  const deployed: FormDefinition[] = [];
  for (const file of readdirSync(FORMS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const key = file.slice(0, -".json".length);
    const schema = JSON.parse(readFileSync(path.join(FORMS_DIR, file), "utf8")) as FormSchema;
    const latest = await latestForm(key, ex);
    if (latest && latest.deployedBy !== null) continue;
    if (latest?.checksum === checksumOf(schema)) continue;
    deployed.push(await deployForm(SYSTEM_ACTOR, key, schema, ex));
  }
  return deployed;
}

// Versions never change once deployed, so a version read once can be kept (with the database it
// was read from): not business state.
const cached = perDatabase(() => new Map<string, FormSchema>());

export async function formSchema(key: string, version: number | null, ex: Executor = db()): Promise<FormSchema | undefined> {
  const cache = cached();
  const cacheKey = `${key}@${version ?? "latest"}`;
  if (version !== null && cache.has(cacheKey)) return cache.get(cacheKey);
  const row =
    version === null
      ? await latestForm(key, ex)
      : (
          await ex
            .select()
            .from(formDefinitions)
            .where(and(eq(formDefinitions.key, key), eq(formDefinitions.version, version)))
        )[0];
  if (!row) return undefined;
  const schema = row.schema as unknown as FormSchema;
  if (version !== null) cache.set(cacheKey, schema);
  return schema;
}
