import type { Reply, Step } from "./types";

// What a button's value means, whichever message it is pressed on. Buttons that name what they act
// on (a menu entry, a claim, a page of 我的报案, a home's cover) act from any message, however old. Buttons of one step
// (a report's part, 完成, 返回, a rating's stars) carry the step they were offered at
// (`part:structure@1x9k2f`): pressed once the chat has left that step they are stale, never applied
// to the step the chat is at now.

const STANDALONE = /^(?:menu:|claim:|claims:\d+$|rate:|accept:|refuse:|cover:|nav:(?:start|menu|help)$)/;

/** A button that carries its object and acts from any message. */
export const standalone = (value: string): boolean => STANDALONE.test(value);

/** The step a button was offered at: which report and stage, which claim, which phone. */
export function stepKey(step: Step): string {
  return hash(stepName(step));
}

function stepName(step: Step): string {
  switch (step.at) {
    case "bind_code":
      return `bind_code:${step.phone}`;
    case "coverage":
      return `coverage:${step.unitId}`;
    case "report":
      return `report:${step.draft.id}:${step.stage}`;
    case "leave":
      return `leave:${step.report.draft.id}`;
    case "claim":
    case "accept":
    case "refuse":
      return `${step.at}:${step.claimId}`;
    case "rate":
      return `rate:${step.claimId}:${step.stage}`;
    default:
      return step.at;
  }
}

/** FNV-1a: a short, stable name (Telegram keeps at most 64 bytes of a button's value). */
function hash(name: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(name)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(36);
}

/** The replies as sent: each step button marked with the step it is offered at. */
export function markButtons(replies: Reply[], step: Step): Reply[] {
  const key = stepKey(step);
  return replies.map((reply) =>
    reply.choices
      ? { ...reply, choices: reply.choices.map((c) => (standalone(c.value) ? c : { ...c, value: `${c.value}@${key}` })) }
      : reply,
  );
}

/** What a pressed button means at the step the chat is at, or null when it is stale (another step's, or made up). */
export function pressedValue(value: string, step: Step): string | null {
  if (standalone(value)) return value;
  const at = value.lastIndexOf("@");
  return at > 0 && value.slice(at + 1) === stepKey(step) ? value.slice(0, at) : null;
}
