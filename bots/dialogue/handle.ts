import { parseClaimNumber, claimNumber } from "~/shared/claim-labels";
import { onAccept, onRefusal, promptAccept, promptRefusal, startAcceptance } from "./acceptance";
import { backFromBind, bindPhone, onBind, onContact, promptBind } from "./bind";
import { markButtons, pressedValue } from "./buttons";
import { claimIdOf, onClaim, onClaims, openClaim, promptClaim, promptClaims } from "./claims";
import { onCoverage, onCoverageUnit, openCoverage, promptCoverage, promptCoverageUnit } from "./coverage";
import { askToBind, onMenu, onMenuChoice } from "./menu";
import { backFromRate, onRate, promptRate, startRating } from "./rating";
import { askToLeave, backInReport, onLeave, onReport, promptLeave, promptReport, REPORT_DROPPED, reportUnderway } from "./report";
import { NOT_FOUND_CLAIM, STALE_BUTTON, TYPED_COMMANDS, greeting, helpText, menu, typedWords } from "./texts";
import { stay, text, to, type StepInput, type Transition } from "./transition";
import type { DialogueInput, DialogueResult, DialogueServices, DialogueState, MenuAction, Reply, Step } from "./types";

// The owners' conversation: one input in, the new state and what to answer out. Everything it
// knows between messages is in the state; everything it reads or changes goes through the services.

const NEEDS_PHONE: Step["at"][] = ["coverage_unit", "coverage", "report", "leave", "claims", "claim", "rate", "accept", "refuse"];

/** What leaves the step the chat is at for another: asked first while a report is underway. */
const LEAVES = /^(?:menu:(?:coverage|report|claims|bind)|nav:(?:start|menu)|claims?:|rate:|accept:|refuse:|cover:)/;

export async function handle(state: DialogueState, input: DialogueInput, services: DialogueServices): Promise<DialogueResult> {
  const current = !state.phone && NEEDS_PHONE.includes(state.step.at) ? { ...state, step: { at: "menu" } as Step } : state;
  const next = await route(current, input, services);
  const replies = [...(next.say ?? [])];
  if (!next.quiet) replies.push(await prompt(next.state, services));
  return { state: next.state, replies: markButtons(replies, next.state.step) };
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
      return promptBind(step, services);
    case "coverage_unit":
      return promptCoverageUnit(state, services);
    case "coverage":
      return promptCoverage(state, step, services);
    case "report":
      return promptReport(state, step, services);
    case "leave":
      return promptLeave();
    case "claims":
      return promptClaims(state, step, services);
    case "claim":
      return promptClaim(state, step, services);
    case "rate":
      return promptRate(step);
    case "accept":
      return promptAccept(step);
    case "refuse":
      return promptRefusal(step);
  }
}

async function route(state: DialogueState, input: DialogueInput, services: DialogueServices): Promise<Transition> {
  if (input.kind === "start") return onChoice(state, "nav:start", services);
  // A page reloaded halfway through (a code to type, a report half written) carries on.
  if (input.kind === "open")
    return state.step.at === "menu"
      ? to(state, { at: "menu" }, text(greeting(services)))
      : to(state, state.step, text(`${greeting(services)}\n您上次的办理还没有完成，可以接着办理，或点击“取消”回到主菜单。`));
  if (input.kind === "contact") return onContact(state, input, services);
  if (input.kind === "choice") {
    const value = pressedValue(input.value, state.step);
    return value === null ? stay(state, text(STALE_BUTTON)) : onChoice(state, value, services);
  }
  if (input.kind === "text") {
    const typed = typedWords(input.text);
    if (Object.hasOwn(TYPED_COMMANDS, typed)) return onChoice(state, TYPED_COMMANDS[typed], services);
    const seq = parseClaimNumber(typed);
    if (seq !== null) return onClaimNumber(state, claimNumber(seq), services);
    const pressed = (await prompt(state, services)).choices?.find((c) => typedWords(c.label.replace(/^✓ /, "")) === typed);
    if (pressed) return onChoice(state, pressed.value, services);
  }
  return onStep(state, input, services);
}

/** A claim number typed anywhere opens it (once the phone is verified). */
async function onClaimNumber(state: DialogueState, number: string, services: DialogueServices): Promise<Transition> {
  if (!state.phone)
    return askToBind(state, "claims", services, text(`查看案件 ${number} 的进度需要先验证手机号，验证后可在“我的报案”中查看。`));
  const claimId = await claimIdOf(state, number, services);
  return claimId ? onChoice(state, `claim:${claimId}`, services) : stay(state, text(NOT_FOUND_CLAIM));
}

/** A button's value (or the words typed for it), meant for the step the chat is at or for the object it names. */
async function onChoice(state: DialogueState, value: string, services: DialogueServices): Promise<Transition> {
  const step = state.step;
  if (LEAVES.test(value) && reportUnderway(step)) return askToLeave(state, step, value);
  if (value === "nav:start") return to(state, { at: "menu" }, text(greeting(services)));
  if (value === "nav:menu") return to(state, { at: "menu" });
  if (value === "nav:help") return stay(state, text(helpText(services)));
  if (value === "nav:cancel")
    return to(state, { at: "menu" }, text(step.at === "report" || step.at === "leave" ? REPORT_DROPPED : "已取消。"));
  if (value === "nav:back") return step.at === "report" ? backInReport(state, step) : to(state, back(step));
  const entry = await onMenuChoice(state, value, services);
  if (entry) return entry;
  const page = /^claims:(\d+)$/.exec(value);
  if (page) return state.phone ? to(state, { at: "claims", page: Number(page[1]) }) : askToBind(state, "claims", services);
  const named = /^(claim|rate|accept|refuse|cover):(.*)$/.exec(value);
  if (named) return onNamed(state, named[1], named[2], services);
  return onStep(state, { kind: "choice", value }, services);
}

/** A button that names its claim or home: it acts on that one, for a verified phone. */
async function onNamed(state: DialogueState, kind: string, id: string, services: DialogueServices): Promise<Transition> {
  const next: MenuAction = kind === "cover" ? "coverage" : "claims";
  if (!state.phone) return askToBind(state, next, services);
  switch (kind) {
    case "cover":
      return openCoverage(state, id);
    case "claim":
      return openClaim(state, id, services);
    case "rate":
      return startRating(state, id, services);
    default:
      return startAcceptance(state, kind === "accept" ? "accept" : "refuse", id, services);
  }
}

function back(step: Step): Step {
  switch (step.at) {
    case "bind_contact":
    case "bind_phone":
    case "bind_code":
      return backFromBind(step);
    case "coverage":
      return { at: "coverage_unit" };
    case "leave":
      return step.report;
    case "claim":
      return { at: "claims" };
    case "rate":
      return backFromRate(step);
    case "accept":
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
      return onCoverageUnit(state);
    case "coverage":
      return onCoverage(state);
    case "report":
      return onReport(state, step, input, services);
    case "leave":
      return onLeave(state, step, input, (left, then) =>
        typeof then === "string" ? onChoice(left, then, services) : bindPhone(left, then.contact, services),
      );
    case "claims":
      return onClaims(state);
    case "claim":
      return onClaim(state, input);
    case "rate":
      return onRate(state, step, input, services);
    case "accept":
      return onAccept(state, step, input, services);
    case "refuse":
      return onRefusal(state, step, input, services);
  }
}
