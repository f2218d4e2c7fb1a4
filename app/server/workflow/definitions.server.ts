import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { asc, desc, eq } from "drizzle-orm";
import { formDefinitions, processDefinitions, type ProcessDefinition } from "@db/schema";
import { pinnedFormVersion, type ProcessCheckOptions } from "~/shared/process-checks";
import { DEFINITION_KEY_PATTERN } from "~/shared/definition-key";
import { OBJECT_MACHINERY } from "~/shared/safe-expressions";
import type { Executor } from "@db/client";
import { recordAudit } from "../audit.server";
import { SYSTEM_ACTOR, type Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { NotFoundError, ValidationError } from "../errors.server";
import { deployBuiltInForms, latestFormVersions } from "../forms/registry.server";
import { readDiagram, type DiagramModel } from "./bpmn-model.server";
import { checkDiagram } from "./deploy-check.server";
import { workflowServiceNames } from "./services.server";
import { versionCache } from "./version-cache.server";

export const PROCESSES_DIR = path.resolve(process.cwd(), "processes");

/** What the deploy check is told only the server knows: the deployed forms (and their versions) and the registered services. */
export async function deployCheckOptions(ex: Executor = db()): Promise<ProcessCheckOptions & { formVersions: Record<string, number[]> }> {
  const rows = await ex
    .select({ key: formDefinitions.key, version: formDefinitions.version })
    .from(formDefinitions)
    .orderBy(asc(formDefinitions.key), asc(formDefinitions.version));
  // Keyed by the forms' keys, which came from users: no prototype to collide with ("constructor").
  const formVersions: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  for (const { key, version } of rows) (formVersions[key] ??= []).push(version);
  return { forms: Object.keys(formVersions), services: workflowServiceNames(), formVersions };
}

/** The version of each form a diagram's user tasks use: the one a task pins, or the latest. */
function pinnedForms(model: DiagramModel, latest: Map<string, number>): Record<string, number> {
  const pins = new Map<string, number>();
  for (const e of model.elements) {
    if (e.$type !== "bpmn:UserTask" || typeof e.formKey !== "string") continue;
    pins.set(e.formKey, pinnedFormVersion(e) ?? latest.get(e.formKey)!);
  }
  // fromEntries defines own properties: a key named after Object's machinery stays data.
  return Object.fromEntries(pins);
}

/**
 * Deploys a diagram as the next version of its definition (the key is the process id), with the
 * administrator's reason. Refused, with every problem named (`fields.xml` the whole list,
 * `problems` each with its element), when the check fails; an unchanged diagram is not deployed
 * again: the latest version is returned as it is.
 */
export async function deployDefinition(
  actor: Actor,
  xml: string,
  ex: Executor = db(),
  reason: string | null = null,
): Promise<ProcessDefinition> {
  if (actor !== SYSTEM_ACTOR) assertCan(actor, "manage:processes");
  const formVersions = await latestFormVersions(ex);
  const check = await checkDiagram(xml, await deployCheckOptions(ex));
  if (!check.ok) {
    throw new ValidationError({ xml: check.problems.map((p) => p.message).join("\n") }, "流程图未通过发布检查", undefined, check.problems);
  }
  const key = check.model.processId;
  if (!DEFINITION_KEY_PATTERN.test(key) || OBJECT_MACHINERY.has(key)) {
    const message = OBJECT_MACHINERY.has(key)
      ? `流程标识“${key}”是保留名称，请换一个`
      : `流程标识“${key}”应为小写字母开头的字母、数字和连字符`;
    throw new ValidationError({ xml: message }, "流程图未通过发布检查", undefined, [{ elementId: key, message }]);
  }
  const checksum = checksumOf(xml);
  const latest = await latestDefinition(key, ex);
  // Unchanged diagram and unchanged forms: nothing new to deploy.
  const pins = pinnedForms(check.model, formVersions);
  if (latest?.checksum === checksum && sameVersions(latest.formVersions, pins)) return latest;
  const [created] = await ex
    .insert(processDefinitions)
    .values({
      key,
      version: (latest?.version ?? 0) + 1,
      name: check.model.processName,
      xml,
      checksum,
      formVersions: pins,
      deployedBy: actor.userId,
      deployedByName: actor.displayName,
      deployedAt: clock.now(),
      reason,
    })
    .returning();
  await recordAudit(ex, actor, {
    action: "process.deploy",
    subjectType: "process_definition",
    subjectId: created.id,
    after: { key, version: created.version, checksum, ...(reason ? { reason } : {}) },
  });
  return created;
}

function sameVersions(pinned: Record<string, number>, pins: Record<string, number>): boolean {
  return Object.entries(pins).every(([key, version]) => pinned[key] === version);
}

const checksumOf = (xml: string) => createHash("sha256").update(xml).digest("hex");

export async function latestDefinition(key: string, ex: Executor = db()): Promise<ProcessDefinition | undefined> {
  const [row] = await ex
    .select()
    .from(processDefinitions)
    .where(eq(processDefinitions.key, key))
    .orderBy(desc(processDefinitions.version))
    .limit(1);
  return row;
}

// Definition versions by id: a version never changes once deployed (see versionCache), so every
// step after the first of a version reads it from here, not from its row (the diagram's XML with it).
// Kept only with its diagram read: a row whose diagram cannot be read (damaged) is read again next time.
const versions = versionCache<ProcessDefinition>();

export function definitionById(id: string, ex: Executor = db()): Promise<ProcessDefinition> {
  return versions(id, async () => {
    const [row] = await ex.select().from(processDefinitions).where(eq(processDefinitions.id, id));
    if (!row) throw new NotFoundError("流程定义不存在");
    await modelOf(row);
    return row;
  });
}

export async function listLatestDefinitions(ex: Executor = db()): Promise<ProcessDefinition[]> {
  return ex
    .selectDistinctOn([processDefinitions.key])
    .from(processDefinitions)
    .orderBy(processDefinitions.key, desc(processDefinitions.version));
}

// Parsed diagrams by definition id: not business state (see versionCache).
const models = versionCache<DiagramModel>();

export function modelOf(definition: ProcessDefinition): Promise<DiagramModel> {
  return models(definition.id, () => readDiagram(definition.xml));
}

/**
 * At start-up: the built-in forms, then each diagram in processes/ as a new version of its
 * definition when it (or a form it uses) changed, as long as the platform itself deployed the
 * latest one. Versions deployed by administrators are never overridden by the files.
 */
export async function deployBuiltIns(ex: Executor = db()): Promise<ProcessDefinition[]> {
  await deployBuiltInForms(ex);
  const files = readdirSync(PROCESSES_DIR)
    .filter((f) => f.endsWith(".bpmn"))
    .sort();
  // Each definition's latest version by its diagram's checksum, read once: a file found there with
  // every form it pins still the latest needs no new version, told without parsing it (every start
  // of every app process goes through all of them). Anything else (a new or changed diagram, a form
  // published since, a task pinned to an older form) goes through the deploy, which decides.
  const latestByChecksum = new Map((await listLatestDefinitions(ex)).map((d) => [d.checksum, d]));
  const latestForms = Object.fromEntries(await latestFormVersions(ex));
  const deployed: ProcessDefinition[] = [];
  for (const file of files) {
    const xml = readFileSync(path.join(PROCESSES_DIR, file), "utf8");
    const same = latestByChecksum.get(checksumOf(xml));
    if (same && sameVersions(latestForms, same.formVersions)) continue;
    const { processId } = await readDiagram(xml);
    const latest = await latestDefinition(processId, ex);
    if (latest && latest.deployedBy !== null) continue;
    const definition = await deployDefinition(SYSTEM_ACTOR, xml, ex);
    if (definition.id !== latest?.id) deployed.push(definition);
  }
  return deployed;
}

/** The processes the actor's roles may start (camunda:candidateStarterGroups), latest versions. */
export async function startableDefinitions(actor: Actor): Promise<{ key: string; name: string; version: number }[]> {
  const latest = await listLatestDefinitions();
  const out: { key: string; name: string; version: number }[] = [];
  for (const d of latest) {
    const model = await modelOf(d);
    if (model.starterGroups.some((g) => actor.roles.includes(g as never))) out.push({ key: d.key, name: d.name, version: d.version });
  }
  return out;
}
