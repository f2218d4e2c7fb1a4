import { parseClaimNumber, claimNumber } from "~/shared/claim-labels";
import { acceptRepair, onRefusal, promptRefusal, startRefusal } from "./acceptance";
import { backFromBind, onBind, onContact, promptBind } from "./bind";
import { onClaim, onClaims, openClaim, openClaimByNumber, promptClaim, promptClaims } from "./claims";
import { onCoverage, onCoverageUnit, promptCoverage, promptCoverageUnit } from "./coverage";
import { onMenu, onMenuChoice } from "./menu";
import { backFromRate, onRate, promptRate, startRating } from "./rating";
import { backFromReport, onReport, promptReport } from "./report";
import { TYPED_COMMANDS, greeting, menu } from "./texts";
import { text, to, type StepInput, type Transition } from "./transition";
import type { DialogueInput, DialogueResult, DialogueServices, DialogueState, Reply, Step } from "./types";

// The owners' conversation: one input in, the new state and what to answer out. Everything it
// knows between messages is in the state; everything it reads or changes goes through the services.

const NEEDS_PHONE: Step["at"][] = ["coverage_unit", "coverage", "report", "claims", "claim", "rate", "refuse"];

export async function handle(state: DialogueState, input: DialogueInput, services: DialogueServices): Promise<DialogueResult> {
  const current = !state.phone && NEEDS_PHONE.includes(state.step.at) ? { ...state, step: { at: "menu" } as Step } : state;
  const next = await route(current, input, services);
  const replies = [...(next.say ?? [])];
  if (!next.quiet) replies.push(await prompt(next.state, services));
  return { state: next.state, replies };
}

/** What the chat shows at a step: the question and its buttons. */
export async function prompt(state: DialogueState, services: DialogueServices): Promise<Reply> {
  const step = state.step;
  switch (step.at) {
    case "menu":
      return menu(state);
    case "bind_contact":
    case "bind_phone":
    case "bind_code":
      return promptBind(step);
    case "coverage_unit":
      return promptCoverageUnit(state, services);
    case "coverage":
      return promptCoverage(state, step, services);
    case "report":
      return promptReport(state, step, services);
    case "claims":
      return promptClaims(state, services);
    case "claim":
      return promptClaim(state, step, services);
    case "rate":
      return promptRate(step);
    case "refuse":
      return promptRefusal(step);
  }
}

async function route(state: DialogueState, input: DialogueInput, services: DialogueServices): Promise<Transition> {
  if (input.kind === "start") return to(state, { at: "menu" }, text(greeting(services)));
  // A page reloaded halfway through (a code to type, a report half written) carries on.
  if (input.kind === "open")
    return state.step.at === "menu"
      ? to(state, { at: "menu" }, text(greeting(services)))
      : to(state, state.step, text(`${greeting(services)}\n您上次的办理还没有完成，可以接着办理，或点击“取消”回到主菜单。`));
  if (input.kind === "contact") return onContact(state, input, services);
  if (input.kind === "text") {
    const typed = input.text.trim();
    if (TYPED_COMMANDS[typed]) return onChoice(state, TYPED_COMMANDS[typed], services);
    const seq = parseClaimNumber(typed);
    if (seq !== null && state.phone) return openClaimByNumber(state, claimNumber(seq), services);
    const pressed = (await prompt(state, services)).choices?.find((c) => c.label === typed || c.label.replace(/^✓ /, "") === typed);
    if (pressed) return onChoice(state, pressed.value, services);
  }
  if (input.kind === "choice") return onChoice(state, input.value, services);
  return onStep(state, input, services);
}

async function onChoice(state: DialogueState, value: string, services: DialogueServices): Promise<Transition> {
  if (value === "nav:start") return to(state, { at: "menu" }, text(greeting(services)));
  if (value === "nav:menu") return to(state, { at: "menu" });
  if (value === "nav:cancel")
    return to(state, { at: "menu" }, text(state.step.at === "report" ? "已取消本次报修，填写的内容没有保存。" : "已取消。"));
  if (value === "nav:back") return to(state, back(state.step));
  const entry = await onMenuChoice(state, value, services);
  if (entry) return entry;
  if (state.phone && value.startsWith("claim:")) return openClaim(state, value.slice(6), services);
  if (state.phone && value.startsWith("rate:")) return startRating(state, value.slice(5), services);
  if (state.phone && value.startsWith("accept:")) return acceptRepair(state, value.slice(7), services);
  if (state.phone && value.startsWith("refuse:")) return startRefusal(state, value.slice(7), services);
  return onStep(state, { kind: "choice", value }, services);
}

function back(step: Step): Step {
  switch (step.at) {
    case "bind_contact":
    case "bind_phone":
    case "bind_code":
      return backFromBind(step);
    case "coverage":
      return { at: "coverage_unit" };
    case "report":
      return backFromReport(step);
    case "claim":
      return { at: "claims" };
    case "rate":
      return backFromRate(step);
    case "refuse":
      return { at: "claim", claimId: step.claimId };
    default:
      return { at: "menu" };
  }
}

async function onStep(state: DialogueState, input: StepInput, services: DialogueServices): Promise<Transition> {
  const step = state.step;
  switch (step.at) {
    case "menu":
      return onMenu(state, input);
    case "bind_contact":
    case "bind_phone":
    case "bind_code":
      return onBind(state, step, input, services);
    case "coverage_unit":
      return onCoverageUnit(state, input);
    case "coverage":
      return onCoverage(state);
    case "report":
      return onReport(state, step, input, services);
    case "claims":
      return onClaims(state);
    case "claim":
      return onClaim(state, input);
    case "rate":
      return onRate(state, step, input, services);
    case "refuse":
      return onRefusal(state, step, input, services);
  }
}
