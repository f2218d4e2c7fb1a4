import { newReport } from "./report";
import { HELP_TEXT, hotlineText, noUnitsText } from "./texts";
import { stay, text, to, type Services, type StepInput, type Transition } from "./transition";
import type { DialogueState, MenuAction, Reply, Step } from "./types";

// The main menu and where each of its entries leads; entries that need the owner's homes ask for
// a verified phone first and come back here once it is verified.

export function bindStep(services: Services, next?: MenuAction): Step {
  return services.channel === "telegram" ? { at: "bind_contact", next } : { at: "bind_phone", next };
}

/** Opens a menu entry for a chat whose phone is verified (or asks to verify it first). */
export async function openEntry(state: DialogueState, action: MenuAction, services: Services): Promise<Transition> {
  const phone = state.phone;
  if (!phone) return to(state, bindStep(services, action));
  if (action === "claims") return to(state, { at: "claims" });
  const units = await services.ownerUnits(phone);
  if (units.length === 0) return to(state, { at: "menu" }, text(noUnitsText(phone, services)));
  if (action === "coverage") return to(state, units.length === 1 ? { at: "coverage", unitId: units[0].id } : { at: "coverage_unit" });
  return to(state, newReport(units.length === 1 ? units[0].id : undefined));
}

const ENTRIES: Record<string, MenuAction> = { "menu:coverage": "coverage", "menu:report": "report", "menu:claims": "claims" };

/** Menu entries work from any step (an older message's buttons too): they start over from there; the hotline number leaves the chat where it stood. */
export async function onMenuChoice(state: DialogueState, value: string, services: Services): Promise<Transition | null> {
  if (ENTRIES[value]) return openEntry(state, ENTRIES[value], services);
  if (value === "menu:bind") return to(state, bindStep(services));
  if (value === "menu:hotline") return stay(state, text(hotlineText(services)));
  return null;
}

/** Asks for a verified phone first (or keeps asking, when the chat is already verifying one), then goes on to `next`. */
export function askToBind(state: DialogueState, next: MenuAction, services: Services, ...say: Reply[]): Transition {
  const binding = state.step.at === "bind_contact" || state.step.at === "bind_phone" || state.step.at === "bind_code";
  return to(state, binding ? state.step : bindStep(services, next), ...say);
}

export async function onMenu(state: DialogueState, input: StepInput): Promise<Transition> {
  if (input.kind === "photo" || input.kind === "photo_refused") return stay(state, text("当前不需要上传照片。报修时会请您上传缺陷照片。"));
  // Whatever reaches the menu unanswered gets the help (the dispatcher shows the menu after it).
  return stay(state, text(HELP_TEXT));
}
