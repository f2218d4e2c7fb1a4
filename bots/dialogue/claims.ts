import { NotFoundError } from "~/server/errors.server";
import { acceptanceChoices } from "./acceptance";
import { BACK, NOT_FOUND_CLAIM, TO_MENU } from "./texts";
import { stay, text, to, type Services, type StepInput, type StepOf, type Transition } from "./transition";
import type { Choice, DialogueState, OwnerClaimItem, Reply } from "./types";

// 我的报案: the owner's claims, one claim's timeline, and from there the rating of a closed claim.
// Claims are always read through the owner's phone: another owner's claim id reads as not found.
// The list shows first what waits for the owner (验收, then a rating), and pages through the rest:
// 更多 carries the page it opens, so it works from any message.

const PER_PAGE = 10;

/** Waiting for the owner's 验收 first, then for a rating, then the rest; newest first within each. */
const urgency = (c: OwnerClaimItem) => (c.canConfirm ? 0 : c.canRate ? 1 : 2);

export async function promptClaims(state: DialogueState, step: StepOf<"claims">, services: Services): Promise<Reply> {
  const claims = (await services.ownerClaims(state.phone!)).sort((a, b) => urgency(a) - urgency(b));
  if (claims.length === 0) return { text: "您还没有报案记录。", choices: [{ value: "menu:report", label: "我要报修" }, TO_MENU] };
  const pages = Math.ceil(claims.length / PER_PAGE);
  const page = Math.min(Math.max(step.page ?? 1, 1), pages);
  const shown = claims.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const lines = shown.map((c) => `${c.number}  ${c.unitLabel}  ${c.partLabel}  ${c.statusLabel}（${c.reportedAt.slice(0, 10)} 报案）`);
  const paging =
    pages > 1
      ? `\n（共 ${claims.length} 件，第 ${page}/${pages} 页，需要您办理的排在前面${page < pages ? "；点击“更多”查看其余案件" : ""}。）`
      : "";
  const more: Choice[] = page < pages ? [{ value: `claims:${page + 1}`, label: "更多" }] : [];
  return {
    text: `您的报案：\n${lines.join("\n")}${paging}\n点击案件查看进度：`,
    choices: [...shown.map((c) => ({ value: `claim:${c.id}`, label: `${c.number} ${c.statusLabel}` })), ...more, TO_MENU],
  };
}

export async function onClaims(state: DialogueState): Promise<Transition> {
  return stay(state, text("请点击案件查看进度，或发送案件编号（如 LP000123）。"));
}

export async function promptClaim(state: DialogueState, step: StepOf<"claim">, services: Services): Promise<Reply> {
  const timeline = await services.ownerClaimTimeline(state.phone!, step.claimId);
  const steps = timeline.steps.map((s) => `${s.at}  ${s.label}${s.detail ? `：${s.detail}` : ""}`);
  const choices: Choice[] = [];
  if (timeline.canRate) choices.push({ value: `rate:${step.claimId}`, label: "评价服务" });
  if (timeline.canConfirm) choices.push(...acceptanceChoices(step.claimId));
  choices.push(BACK, TO_MENU);
  return {
    text: [
      `案件 ${timeline.number}（${timeline.unitLabel}）`,
      `当前状态：${timeline.statusLabel}`,
      "办理进度：",
      ...steps,
      ...(timeline.canConfirm ? ["维修已完成，请确认维修结果：满意请点“满意，同意验收”，不满意请点“不满意，退回重修”并说明原因。"] : []),
    ].join("\n"),
    choices,
  };
}

export async function onClaim(state: DialogueState, _input: StepInput): Promise<Transition> {
  return stay(state, text("请点击下方按钮继续。"));
}

/** Opens a claim the owner named (a button, or a number typed anywhere); another owner's claim is not found. */
export async function openClaim(state: DialogueState, claimId: string, services: Services): Promise<Transition> {
  try {
    await services.ownerClaimTimeline(state.phone!, claimId);
  } catch (error) {
    if (error instanceof NotFoundError) return to(state, { at: "menu" }, text(NOT_FOUND_CLAIM));
    throw error;
  }
  return to(state, { at: "claim", claimId });
}

/** The id of the owner's claim of that number (LP000123), or null when they have none such. */
export async function claimIdOf(state: DialogueState, number: string, services: Services): Promise<string | null> {
  return (await services.ownerClaims(state.phone!)).find((c) => c.number === number)?.id ?? null;
}
