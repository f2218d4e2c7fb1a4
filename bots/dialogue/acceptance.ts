import { ConflictError, NotFoundError, ValidationError } from "~/server/errors.server";
import { BACK, CANCEL, NOT_FOUND_CLAIM } from "./texts";
import { stay, text, to, type Services, type StepInput, type StepOf, type Transition } from "./transition";
import type { Choice, DialogueState, Reply } from "./types";

// 业主验收: when the repairer has finished, the claim's page in the chat offers 满意 (asked once more,
// since it cannot be undone, and the claim goes on to settlement) or 不满意 (the owner says why, and
// it goes back to the repairer). Both buttons name their claim, so an older message's act too.

type AcceptStep = StepOf<"accept">;
type RefuseStep = StepOf<"refuse">;

const REASON_MAX = 500;
const CONFIRM = { value: "acceptance:confirm", label: "确认验收" };
const NOT_WAITING = "该案件当前不需要您验收，可能已经处理过了。";

/** The two buttons a claim waiting for the owner's 验收 shows. */
export const acceptanceChoices = (claimId: string): Choice[] => [
  { value: `accept:${claimId}`, label: "满意，同意验收" },
  { value: `refuse:${claimId}`, label: "不满意，退回重修" },
];

/** 满意，同意验收 or 不满意，退回重修 pressed: the question that comes before acting, when the claim waits for the owner. */
export async function startAcceptance(state: DialogueState, at: "accept" | "refuse", claimId: string, services: Services): Promise<Transition> {
  try {
    const timeline = await services.ownerClaimTimeline(state.phone!, claimId);
    if (!timeline.canConfirm) return to(state, { at: "claim", claimId }, text(NOT_WAITING));
    return to(state, { at, claimId, number: timeline.number });
  } catch (error) {
    if (error instanceof NotFoundError) return to(state, { at: "menu" }, text(NOT_FOUND_CLAIM));
    throw error;
  }
}

export function promptAccept(step: AcceptStep): Reply {
  return { text: `确认验收案件 ${step.number} 的维修结果吗？确认后将进入结案，不能撤回。`, choices: [CONFIRM, BACK] };
}

export async function onAccept(state: DialogueState, step: AcceptStep, input: StepInput, services: Services): Promise<Transition> {
  if (input.kind !== "choice" || input.value !== CONFIRM.value) return stay(state, text("请点击“确认验收”，或点击“返回”。"));
  return decide(state, step.claimId, { decision: "accept" }, services, "已确认验收，感谢您的配合！保险公司将尽快办理结案。");
}

export function promptRefusal(step: RefuseStep): Reply {
  return { text: `请说明案件 ${step.number} 的维修哪里仍不满意，我们将退回维修单位重修：`, choices: [BACK, CANCEL] };
}

export async function onRefusal(state: DialogueState, step: RefuseStep, input: StepInput, services: Services): Promise<Transition> {
  const reason = input.kind === "text" ? input.text.trim() : "";
  if (!reason) return stay(state, text("请用文字说明不满意的原因。"));
  if ([...reason].length > REASON_MAX) return stay(state, text(`原因请不要超过 ${REASON_MAX} 个字。`));
  return decide(
    state,
    step.claimId,
    { decision: "refuse", reason },
    services,
    "已退回重修，维修单位将再次上门处理，完成后会请您再次验收。",
  );
}

async function decide(
  state: DialogueState,
  claimId: string,
  input: { decision: "accept" | "refuse"; reason?: string },
  services: Services,
  done: string,
): Promise<Transition> {
  try {
    await services.confirmRepair(state.phone!, claimId, input);
    return to(state, { at: "claim", claimId }, text(done));
  } catch (error) {
    if (error instanceof NotFoundError) return to(state, { at: "menu" }, text(NOT_FOUND_CLAIM));
    if (error instanceof ConflictError) return to(state, { at: "claim", claimId }, text(NOT_WAITING));
    if (error instanceof ValidationError) return stay(state, text(Object.values(error.fields ?? {})[0] ?? error.message));
    throw error;
  }
}
