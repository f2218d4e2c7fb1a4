import { z } from "zod";
import type { Actor } from "../auth/actor";
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from "../errors.server";
import { logger } from "../logger.server";
import { waitingActivities } from "./bpmn-engine-adapter.server";
import type { MessageInfo } from "./bpmn-model.server";
import { definitionById, modelOf } from "./definitions.server";
import { getInstance } from "./instances.server";
import { flowStarterIn } from "./start.server";
import { StepFailure, finishSignalledStep, lockInstance, recoverEngine, stepContext, stepTransaction } from "./step.server";
import { drive } from "./engine.server";

// Messages into a running instance (POST /api/v1/instances/{id}/messages/{name}): an outside system
// (an insurer's saying 付款完成) moves a flow waiting at a message catch event. One step, like a
// completion: lock the instance, recover the engine, signal the message, run to the next waits,
// persist, audit. Who may send it is named by the catch event (camunda property senderRole): the
// instance's party in that role, or an administrator (docs/decisions/034).

const NO_INSTANCE = "流程实例不存在，或您无权查看";

/** A message whose step failed (a service, the engine): nothing was received, the sender may send it again. */
export class MessageFailedError extends DomainError {
  constructor() {
    super(503, "message_failed", "消息未能处理，流程没有变化，请稍后重新发送；如持续失败请联系平台管理员");
  }
}
/** The most a message's variables may take, as JSON. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
const MAX_VARIABLES = 50;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The message an instance's diagram names, when `actor` may send it: 404 outside scope or unknown, 403 for one who may not send it. */
export async function messageSendableBy(actor: Actor, instanceId: string, name: string): Promise<MessageInfo> {
  if (!z.uuid().safeParse(instanceId).success) throw new NotFoundError(NO_INSTANCE);
  const instance = await getInstance(actor, instanceId).catch((error) => {
    throw error instanceof NotFoundError ? new NotFoundError(NO_INSTANCE) : error;
  });
  const model = await modelOf(await definitionById(instance.definitionId));
  const message = model.messages.get(name);
  if (!message) throw new NotFoundError(`该流程没有名为“${name.slice(0, 64)}”的消息`);
  if (!maySend(actor, message, instance.parties)) throw new ForbiddenError(`您无权向该流程发送“${message.name}”消息`);
  return message;
}

/** An administrator, or the instance's party in a role the message's catch events name. */
function maySend(actor: Actor, message: MessageInfo, parties: Record<string, string>): boolean {
  if (actor.roles.includes("admin")) return true;
  return message.senderRoles.some(
    (role) => actor.roles.includes(role as never) && !!actor.organisationId && parties[role] === actor.organisationId,
  );
}

/** The variables a message carries: a JSON object of at most 50 named values and 16 KB. */
function messageVariables(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ValidationError({ body: "消息内容应为 JSON 对象" }, "消息内容应为 JSON 对象");
  const fields: Record<string, string> = {};
  const keys = Object.keys(body);
  if (keys.length > MAX_VARIABLES) fields.body = `消息最多携带${MAX_VARIABLES}个变量`;
  else if (Buffer.byteLength(JSON.stringify(body), "utf8") > MAX_MESSAGE_BYTES)
    fields.body = `消息内容不能超过${MAX_MESSAGE_BYTES / 1024}KB`;
  for (const key of keys.slice(0, MAX_VARIABLES)) {
    if (!VARIABLE_NAME.test(key)) fields[key.slice(0, 64)] = "变量名应为字母或下划线开头的字母、数字和下划线，不超过64个字符";
    else if (key === "id") fields.id = "变量名 id 由平台保留，请换一个名称";
  }
  if (Object.keys(fields).length) throw new ValidationError(fields, "消息内容有误");
  return body as Record<string, unknown>;
}

/**
 * Delivers a message to an instance in one step. 404 outside the sender's scope or for a message
 * the diagram does not name, 403 for one who may not send it, 422 for a body that is not a small
 * object of named variables, 409 when the instance has ended or waits for no such message now.
 * The variables become environment.output.<catch event id> for the steps that follow.
 */
export async function deliverMessage(actor: Actor, instanceId: string, name: string, body: unknown): Promise<{ caughtBy: string[] }> {
  await messageSendableBy(actor, instanceId, name);
  const variables = messageVariables(body);
  try {
    return await stepTransaction(async (tx) => {
      const instance = (await lockInstance(tx, instanceId))!;
      const ctx = await stepContext(tx, actor, instance, flowStarterIn);
      const message = ctx.model.messages.get(name)!;
      const { step, execution } = await recoverEngine(ctx, instance.state);
      const caughtBy = [
        ...new Set(
          waitingActivities(step.engine)
            .filter((a) => message.catchEvents.includes(a.id))
            .map((a) => a.id),
        ),
      ];
      if (!caughtBy.length) throw new ConflictError(`该流程当前没有在等待“${message.name}”消息`);
      await drive(step, () => execution.signal({ ...variables, id: message.id }));
      await finishSignalledStep(ctx, step, instance, { action: "process.message", after: { name: message.name, caughtBy, variables } });
      return { caughtBy };
    });
  } catch (error) {
    // Nothing was received: the sender is told to try again, and the cause is logged for administrators.
    if (error instanceof StepFailure) {
      logger.warn({ err: error, instanceId, message: name }, "workflow message failed");
      throw new MessageFailedError();
    }
    throw error;
  }
}
