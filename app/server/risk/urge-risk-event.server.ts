import type { Actor } from "../auth/actor";
import { ConflictError, ForbiddenError } from "../errors.server";
import { parseInput } from "../validation.server";
import { urgeOpenTask, urgeSchema } from "../tasks/urge.server";
import { getRiskEvent } from "./risk-event-queries.server";

/** The event, when the actor may urge it: 404 outside the scope, 403 for anyone but an insurer, before any message is judged. */
export async function urgeableRiskEvent(actor: Actor, eventId: string) {
  const detail = await getRiskEvent(actor, eventId);
  if (!actor.roles.includes("insurer")) throw new ForbiddenError("只有保险公司可以催办风险事件整改");
  return detail;
}

/**
 * 催办 from the risk-event list: an insurer of the project reminds whoever must act now on an event
 * (its rectifier, or the TIS verifying it). Outside the insurer's scope the event does not exist.
 */
export async function urgeRiskEvent(actor: Actor, eventId: string, input: unknown): Promise<number> {
  const detail = await urgeableRiskEvent(actor, eventId);
  const { message } = parseInput(urgeSchema, input ?? {});
  if (!detail.openTask) throw new ConflictError("该风险事件已销项或已终止，无需催办");
  return urgeOpenTask(actor, detail.openTask, message);
}
