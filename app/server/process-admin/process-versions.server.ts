import { createRequire } from "node:module";
import { BpmnModdle } from "bpmn-moddle";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { processDefinitions, processDrafts, type ProcessDefinition, type ProcessDraft } from "@db/schema";
import { STAFF_ROLES } from "@db/schema/roles";
import { ROLE_LABELS } from "~/shared/labels";
import { flowElementsOf, type ModdleElement } from "~/shared/process-checks";
import { fillFlowReferences } from "~/shared/process-lint";
import { sampleSubmission } from "~/shared/form-sample";
import { MAX_REASON_CHARS, type ConditionField } from "~/shared/process-modeling";

export { MAX_REASON_CHARS };
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { isUniqueViolation } from "../db-errors.server";
import { ConflictError, NotFoundError, ValidationError } from "../errors.server";
import { parseInput, requiredString } from "../validation.server";
import { formSchema, latestFormVersions } from "../forms/registry.server";
import {
  camundaModdle,
  deployCheckOptions,
  deployDefinition,
  latestDefinition,
  readDiagram,
  workflowServiceList,
  xmlProblem,
} from "../workflow/index.server";

// bpmn-js-differ's node build (CommonJS); its ESM build is the browser's.
const { diff } = createRequire(import.meta.url)("bpmn-js-differ") as { diff: (a: unknown, b: unknown) => unknown };
type ModdleNamed = { name?: string };

// What administrators do with a process's versions besides running them (docs/decisions/035):
// the one draft of each definition kept on the server, deploying a draft or an uploaded file as a
// new version with a reason, the version list (who, when, why) and any version's file.

/** The longest diagram a draft or a deploy takes (the claim flow is 30 000 characters). */
export const MAX_DIAGRAM_CHARS = 500_000;

const xmlField = requiredString("请提供流程图 XML", "流程图 XML 应为文字")
  .min(1, "请提供流程图 XML")
  .max(MAX_DIAGRAM_CHARS, `流程图不能超过 ${MAX_DIAGRAM_CHARS} 个字符`);

export const deployInput = z.strictObject({
  xml: xmlField,
  reason: requiredString("请填写发布原因", "发布原因应为文字")
    .trim()
    .min(1, "请填写发布原因")
    .max(MAX_REASON_CHARS, `发布原因不能超过 ${MAX_REASON_CHARS} 个字`),
  /** From the modeler: the version of the draft it deploys, which the deploy then deletes. */
  draftVersion: z.number({ error: "草稿版本应为数字" }).int().positive().optional(),
});

const draftInput = z.strictObject({
  xml: xmlField,
  /** The draft's version the page was given (0: there was none): a draft saved since is not overwritten. */
  version: z.number({ error: "草稿版本应为数字" }).int().min(0),
});

export interface VersionRow {
  id: string;
  version: number;
  name: string;
  deployedByName: string;
  deployedAt: Date;
  reason: string | null;
  /** Deployed by the platform from processes/ at start-up, not by an administrator. */
  builtIn: boolean;
}

/** Every version of a definition, oldest first; 404 when there is none. */
export async function processVersions(actor: Actor, key: string): Promise<VersionRow[]> {
  assertCan(actor, "manage:processes");
  const rows = await db().select().from(processDefinitions).where(eq(processDefinitions.key, key)).orderBy(asc(processDefinitions.version));
  if (!rows.length) throw new NotFoundError("流程不存在");
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    name: r.name,
    deployedByName: r.deployedByName,
    deployedAt: r.deployedAt,
    reason: r.reason,
    builtIn: r.deployedBy === null,
  }));
}

/** One version of a definition, with its XML; 404 when it does not exist. */
export async function processVersion(actor: Actor, key: string, version: number): Promise<ProcessDefinition> {
  assertCan(actor, "manage:processes");
  if (!Number.isSafeInteger(version)) throw new NotFoundError("流程版本不存在");
  const [row] = await db()
    .select()
    .from(processDefinitions)
    .where(and(eq(processDefinitions.key, key), eq(processDefinitions.version, version)));
  if (!row) throw new NotFoundError("流程版本不存在");
  return row;
}

/**
 * A version's diagram as a .bpmn file to download: the XML it was deployed from, with each flow
 * node's <incoming>/<outgoing> written in when the sender left them out (the modeler writes them;
 * a file written by hand may not), so every exported diagram passes bpmnlint's recommended rules.
 */
export async function processVersionFile(actor: Actor, key: string, version: number): Promise<{ name: string; xml: string }> {
  const definition = await processVersion(actor, key, version);
  // A stored diagram the rewrite cannot write back (a prefix bound twice, deployed before the
  // deploy check refused that) is downloaded as it is stored.
  const xml = await withFlowReferences(definition.xml).catch(() => definition.xml);
  return { name: `${definition.key}-v${definition.version}.bpmn`, xml };
}

async function withFlowReferences(xml: string): Promise<string> {
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  const { rootElement, elementsById } = (await moddle.fromXML(xml, "bpmn:Definitions")) as unknown as {
    rootElement: object;
    elementsById: Record<string, { $type: string; sourceRef?: ModdleFlowNode; targetRef?: ModdleFlowNode }>;
  };
  const flows = Object.values(elementsById).filter((e) => e.$type === "bpmn:SequenceFlow");
  const complete = flows.every(
    (f) => (f.sourceRef?.get("outgoing").includes(f) ?? true) && (f.targetRef?.get("incoming").includes(f) ?? true),
  );
  if (complete) return xml;
  fillFlowReferences(flows);
  return (await moddle.toXML(rootElement, { format: true })).xml;
}

type ModdleFlowNode = { get(side: "incoming" | "outgoing"): unknown[] };

/** The current draft of a definition, or null. */
export async function processDraft(actor: Actor, key: string): Promise<ProcessDraft | null> {
  assertCan(actor, "manage:processes");
  const [row] = await db().select().from(processDrafts).where(eq(processDrafts.key, key));
  return row ?? null;
}

/** The process id of a diagram, or a 422 on `xml` saying why it cannot be read. */
async function processIdOf(xml: string): Promise<string> {
  const problem = xmlProblem(xml);
  if (problem) throw new ValidationError({ xml: `无法解析流程图 XML：${problem}` }, "流程图无法解析", undefined, [{ message: problem }]);
  try {
    return (await readDiagram(xml)).processId;
  } catch (error) {
    const message = (error as Error).message;
    throw new ValidationError({ xml: message }, "流程图无法解析", undefined, [{ message }]);
  }
}

/**
 * Saves the draft of a definition (an existing one, or a new process not deployed yet). A draft
 * need not pass the deploy check, but it must be namespace-well-formed BPMN whose process is the
 * definition's; `version` is the draft version the page started from, and a draft saved by someone
 * else since then is not overwritten (409).
 */
export async function saveProcessDraft(actor: Actor, key: string, input: unknown): Promise<ProcessDraft> {
  assertCan(actor, "manage:processes");
  const data = parseInput(draftInput, input, "草稿未保存");
  const processId = await processIdOf(data.xml);
  if (processId !== key) {
    throw new ValidationError({ xml: `流程图的流程标识是“${processId}”，不是“${key}”：草稿只能保存到它自己的流程` }, "草稿未保存");
  }
  return db().transaction(async (tx) => {
    const [current] = await tx.select().from(processDrafts).where(eq(processDrafts.key, key)).for("update");
    if ((current?.version ?? 0) !== data.version) {
      throw new ConflictError(`${current?.updatedByName ?? "他人"}已在此期间保存或发布了该草稿，请重新打开后再修改`);
    }
    const latest = await latestDefinition(key, tx);
    // A draft belongs to a deployed flow (its versions page shows it); a new flow is deployed.
    if (!latest) throw new NotFoundError("流程不存在");
    const values = {
      xml: data.xml,
      version: data.version + 1,
      updatedBy: actor.userId ?? "",
      updatedByName: actor.displayName,
      updatedAt: clock.now(),
    };
    let saved: ProcessDraft;
    try {
      [saved] = current
        ? await tx.update(processDrafts).set(values).where(eq(processDrafts.key, key)).returning()
        : await tx
            .insert(processDrafts)
            .values({ key, basedOnVersion: latest?.version ?? null, ...values })
            .returning();
    } catch (error) {
      // Two first saves of the same draft at once: the second finds the first's row.
      if (isUniqueViolation(error)) throw new ConflictError("他人已在此期间保存了该草稿，请重新打开后再修改");
      throw error;
    }
    await recordAudit(tx, actor, {
      action: "process.draft_save",
      subjectType: "process_draft",
      subjectId: key,
      after: { key, version: saved.version, basedOnVersion: saved.basedOnVersion },
    });
    return saved;
  });
}

export interface DeployResult {
  definition: ProcessDefinition;
  /** False when the diagram (and its forms) are the latest version's: nothing new was deployed. */
  created: boolean;
}

/**
 * Deploys a diagram (the modeler's draft, an uploaded file, the API's body) as the next version of
 * its definition, with the administrator's reason, in one transaction with its audit event. From
 * the modeler, `draftVersion` names the draft it deploys: the draft is deleted with the deploy, and
 * a draft saved by someone else since then stops it (409), and `only` refuses a diagram of another
 * process. An unchanged diagram deploys nothing and answers the latest version (`created: false`).
 */
export async function deployProcess(actor: Actor, input: unknown, only?: { key: string }): Promise<DeployResult> {
  assertCan(actor, "manage:processes");
  const data = parseInput(deployInput, input, "流程未发布");
  const key = await processIdOf(data.xml);
  // The modeler of one definition deploys that definition only, not another a file was uploaded for.
  if (only && only.key !== key) {
    throw new ValidationError({ xml: `流程图的流程标识是“${key}”，不是“${only.key}”：请在该流程自己的建模页面发布` }, "流程未发布");
  }
  try {
    return await db().transaction(async (tx) => {
      const before = await latestDefinition(key, tx);
      const definition = await deployDefinition(actor, data.xml, tx, data.reason);
      if (data.draftVersion !== undefined) {
        const deleted = await tx
          .delete(processDrafts)
          .where(and(eq(processDrafts.key, key), eq(processDrafts.version, data.draftVersion)))
          .returning({ key: processDrafts.key });
        if (!deleted.length) throw new ConflictError("草稿已在此期间被他人保存或发布，请重新打开后再发布");
      }
      return { definition, created: definition.id !== before?.id };
    });
  } catch (error) {
    if (isUniqueViolation(error, "process_definitions_key_version_key")) {
      throw new ConflictError("他人同时发布了该流程的新版本，请刷新后再试");
    }
    throw error;
  }
}

type SchemaNode = { type?: string; title?: string; enum?: unknown[]; "x-component"?: string; properties?: Record<string, SchemaNode> };

/** The fields of a form a condition may test: those with a title, inside layout containers too. */
function conditionFields(schema: SchemaNode): ConditionField[] {
  const fields: ConditionField[] = [];
  for (const [name, node] of Object.entries(schema.properties ?? {})) {
    if (node.type === "void" || (node.type === "object" && !node.title)) fields.push(...conditionFields(node));
    else if (node.title && node.type !== "array" && node.type !== "object") {
      const options = (node.enum ?? []).map((o) =>
        typeof o === "object" && o !== null
          ? { value: (o as { value: string }).value, label: String((o as { label?: string }).label ?? (o as { value: string }).value) }
          : { value: o as string, label: String(o) },
      );
      // A date is a string to the schema; the builder compares it as a date (ISO text orders as time does).
      const type = node["x-component"] === "DatePicker" ? "date" : (node.type ?? "string");
      fields.push({ name, title: node.title, type, ...(options.length ? { options } : {}) });
    }
  }
  return fields;
}

/**
 * What the modeler offers an administrator to choose from (docs/decisions/035): the deployed forms
 * (latest version, with the fields a condition may test), the roles by their Chinese names, the
 * registered services; and what its lint rules must know (`checks`).
 */
export async function modelerChoices(actor: Actor) {
  assertCan(actor, "manage:processes");
  const checks = await deployCheckOptions();
  const versions = await latestFormVersions();
  const forms = await Promise.all(
    [...versions].map(async ([key, version]) => {
      const schema = (await formSchema(key, version)) as SchemaNode | undefined;
      return {
        key,
        version,
        versions: checks.formVersions[key] ?? [version],
        title: schema?.title ?? key,
        fields: schema ? conditionFields(schema) : [],
        // The dry run's sample for a task of this form: 试运行 runs without typing.
        sample: schema ? sampleSubmission(schema, clock.today()) : {},
      };
    }),
  );
  return {
    choices: {
      forms: forms.sort((a, b) => a.key.localeCompare(b.key)),
      roles: STAFF_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] })),
      services: workflowServiceList(),
    },
    checks,
  };
}

export interface VersionComparison {
  from: { version: number; xml: string };
  to: { version: number; xml: string };
  /** Element ids, each with the name it has (in the version where it is). */
  added: { id: string; name: string }[];
  removed: { id: string; name: string }[];
  changed: { id: string; name: string }[];
  /** Moved or resized only. */
  moved: { id: string; name: string }[];
  /**
   * The process itself (its id, name, who may start it…), apart from its elements: a process renamed
   * is one change, not every element of the drawing (its elements keep their ids).
   */
  process: { changed: boolean; from: { id: string; name: string }; to: { id: string; name: string } };
}

/**
 * What changed between two versions of a definition, element by element: bpmn-js-differ gives the
 * ids of the elements added, removed, changed (an attribute, a nested definition) or only moved.
 */
export async function compareVersions(actor: Actor, key: string, from: number, to: number): Promise<VersionComparison> {
  const [a, b] = [await processVersion(actor, key, from), await processVersion(actor, key, to)];
  const parse = async (xml: string) => {
    const root = (await new BpmnModdle({ camunda: camundaModdle }).fromXML(xml, "bpmn:Definitions")).rootElement as {
      rootElements?: ModdleElement[];
    };
    // A node's <incoming>/<outgoing> repeat its flows (the modeler writes them, the shipped files
    // leave them out): not a change of the node.
    for (const process of root.rootElements ?? []) {
      for (const e of flowElementsOf(process)) {
        delete e.incoming;
        delete e.outgoing;
      }
    }
    return root;
  };
  const [before, after] = [await parse(a.xml), await parse(b.xml)];
  const processOf = (root: typeof before) =>
    root.rootElements?.find((e) => e.$type === "bpmn:Process") as (ModdleNamed & { id: string }) | undefined;
  const [processBefore, processAfter] = [processOf(before), processOf(after)];
  const changes = diff(before, after) as {
    _added: Record<string, ModdleNamed>;
    _removed: Record<string, ModdleNamed>;
    _changed: Record<string, { model: ModdleNamed }>;
    _layoutChanged: Record<string, ModdleNamed>;
  };
  const named = (id: string, element?: ModdleNamed) => ({ id, name: element?.name || id });
  // The process is matched as the one of each version, whatever its id: a renamed id is a change of
  // it, not a process removed and another added.
  const processIds = new Set([processBefore?.id, processAfter?.id].filter(Boolean));
  const elements = <T>(found: Record<string, T>) => Object.entries(found).filter(([id]) => !processIds.has(id));
  return {
    from: { version: a.version, xml: a.xml },
    to: { version: b.version, xml: b.xml },
    added: elements(changes._added).map(([id, e]) => named(id, e)),
    removed: elements(changes._removed).map(([id, e]) => named(id, e)),
    changed: elements(changes._changed).map(([id, c]) => named(id, c.model)),
    moved: elements(changes._layoutChanged)
      .filter(([id]) => !(id in changes._changed) && !(id in changes._added) && !(id in changes._removed))
      .map(([id, e]) => named(id, e)),
    process: {
      changed: processBefore?.id !== processAfter?.id || [...processIds].some((id) => id! in changes._changed),
      from: named(processBefore?.id ?? "", processBefore),
      to: named(processAfter?.id ?? "", processAfter),
    },
  };
}
