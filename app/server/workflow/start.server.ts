import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { processInstances, type ProcessInstance } from "@db/schema";
import type { Tx } from "@db/client";
import { recordAudit } from "../audit.server";
import { SYSTEM_ACTOR, type Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.server";
import { logger } from "../logger.server";
import { parseInput, requiredString } from "../validation.server";
import { businessObjectType } from "./business-objects.server";
import { latestDefinition, modelOf } from "./definitions.server";
import type { FlowStart } from "./services.server";
import {
  IncidentError,
  MissingPartyError,
  StepFailure,
  openEngine,
  persistStep,
  runToRest,
  stepTransaction,
  type InstanceInfo,
} from "./step.server";
import { drive } from "./engine.server";

const startSchema = z.object({
  key: requiredString("请指定流程").min(1, "请指定流程").max(64),
  // The process's own businessType property by default; a caller may not choose another object type.
  businessType: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, "业务类型应为小写字母开头的字母、数字和连字符，不超过40个字符")
    .optional(),
  // An existing business object to attach to; by default (absent or blank) a new key (the object the flow will create).
  businessKey: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((key) => key || undefined),
  title: requiredString("请填写标题").trim().min(1, "请填写标题").max(200, "标题不能超过200个字"),
  parties: z.record(z.string(), z.uuid()).default({}),
  variables: z.record(z.string(), z.unknown()).default({}),
});
export type StartProcessInput = z.input<typeof startSchema>;

/** The parties of something an actor starts by hand: its own organisation in each of its roles. */
function ownParties(actor: Actor): Record<string, string> {
  return actor.organisationId ? Object.fromEntries(actor.roles.map((r) => [r, actor.organisationId!])) : {};
}

/** The flow a service starts: as the platform, inside the step that asked for it. */
export function flowStarterIn(tx: Tx) {
  return (input: FlowStart) => startProcess(SYSTEM_ACTOR, input, tx);
}

/**
 * The latest version of a process and its model, when the actor may start it: 404 for no such
 * process, 403 for a role that may not. Asked before anything the actor sent is judged, so the
 * answer to who may not start it never depends on what they filled in.
 */
export async function startableBy(actor: Actor, key: string, outer?: Tx) {
  const definition = await latestDefinition(key, outer);
  if (!definition) throw new NotFoundError("流程不存在");
  const model = await modelOf(definition);
  if (actor !== SYSTEM_ACTOR && !actor.roles.some((r) => model.starterGroups.includes(r)))
    throw new ForbiddenError("您的角色不能发起该流程");
  return { definition, model };
}

/** Starts the latest version of a process and runs it to its first waits, in one transaction. */
export async function startProcess(actor: Actor, input: unknown, outer?: Tx): Promise<ProcessInstance> {
  // Who may start it is answered before what they filled in is judged (a title missing is no one's business but a starter's).
  // With no process named there is nothing to refuse: the request is incomplete (422 on 流程).
  const key = input && typeof input === "object" ? (input as { key?: unknown }).key : undefined;
  if (typeof key !== "string" || key.trim() === "") parseInput(startSchema, input);
  const { definition, model } = await startableBy(actor, key as string, outer);
  const data = parseInput(startSchema, input);
  const byUser = actor !== SYSTEM_ACTOR;
  const businessType = businessTypeOf(model.processProperties.businessType, data.businessType);
  const work = async (tx: Tx) => {
    const attachedKey =
      byUser && data.businessKey ? await attach(tx, actor, definition.key, businessType, data.businessKey) : data.businessKey;
    const instance: InstanceInfo = {
      id: crypto.randomUUID(),
      businessType,
      businessKey: attachedKey ?? crypto.randomUUID(),
      title: data.title,
      // Whoever starts a flow by hand is its party in each of their roles: its first tasks go to
      // their organisation, not to every organisation of the role.
      parties: { ...(byUser ? ownParties(actor) : {}), ...data.parties },
    };
    const ctx = { tx, actor, definition, model, instance, flowStarterIn };
    const step = await openEngine(ctx);
    await drive(step, () => step.engine.execute({ variables: data.variables }));
    await runToRest(step);
    const now = clock.now();
    const [inserted] = await tx
      .insert(processInstances)
      .values({
        ...instance,
        definitionId: definition.id,
        definitionKey: definition.key,
        definitionVersion: definition.version,
        state: {},
        rowVersion: 0,
        startedBy: actor.userId,
        startedAt: now,
        updatedAt: now,
      })
      .returning();
    const saved = await persistStep(ctx, step, inserted);
    await recordAudit(tx, actor, {
      action: "process.start",
      subjectType: "process_instance",
      subjectId: instance.id,
      after: { key: definition.key, version: definition.version, businessType: instance.businessType, businessKey: instance.businessKey },
    });
    return saved;
  };
  try {
    return await stepTransaction(work, outer);
  } catch (error) {
    // Nothing was created, so there is no instance to hold an incident: the starter is told.
    if (error instanceof MissingPartyError) throw new ValidationError({ parties: error.message }, error.message);
    if (error instanceof StepFailure) {
      logStartFailure(definition, error);
      throw new IncidentError();
    }
    throw error;
  }
}

/**
 * Why a start failed, for the operators: the starter hears only that it failed (503), and there is
 * no instance to hold an incident. The failure's own message (a failed query's parameters already
 * left out, as in an incident) and where the code stood: never the cause's message, which may
 * hold them.
 */
function logStartFailure(definition: { key: string; version: number }, error: StepFailure) {
  const cause = error.cause instanceof Error ? error.cause : error;
  const at = (cause.stack ?? "")
    .split("\n")
    .filter((line) => line.trimStart().startsWith("at "))
    .slice(0, 10)
    .map((line) => line.trim());
  logger.warn(
    { processKey: definition.key, processVersion: definition.version, failure: cause.name, cause: error.message, at },
    "process start failed",
  );
}

/**
 * The process decides what its flows are about. A caller may repeat it, or name a type for a
 * process that declares none, but never borrow the type of a business object (a project) for a
 * flow that is not one of its own.
 */
function businessTypeOf(declared: string | undefined, requested: string | undefined): string {
  if (requested && declared && requested !== declared)
    throw new ValidationError({ businessType: `该流程的业务类型为“${declared}”，不能指定为“${requested}”` });
  if (requested && !declared && businessObjectType(requested))
    throw new ValidationError({ businessType: `业务类型“${requested}”只能由办理${businessObjectType(requested)!.label}业务的流程使用` });
  return declared ?? requested ?? "manual";
}

/**
 * A flow started by a user about an existing object: the object's type decides whether this user
 * may act on it (422 unknown, 404 outside) and how its key is spelt, and locks it, so that one flow
 * of a kind runs about an object at a time even when starts race. Returns the key to store.
 */
async function attach(tx: Tx, actor: Actor, processKey: string, businessType: string, businessKey: string): Promise<string> {
  const type = businessObjectType(businessType);
  if (!type) return businessKey;
  const key = await type.attach(tx, actor, businessKey, processKey);
  const [running] = await tx
    .select({ id: processInstances.id })
    .from(processInstances)
    .where(
      and(
        eq(processInstances.businessType, businessType),
        eq(processInstances.businessKey, key),
        eq(processInstances.definitionKey, processKey),
        inArray(processInstances.status, ["running", "incident"]),
      ),
    )
    .limit(1);
  if (running) throw new ConflictError(`该${type.label}已有进行中的同类流程，请在该流程中办理`);
  return key;
}
