import { RATING_REASONS, type RatingReason } from "@db/schema/claims";
import { ConflictError, NotFoundError, ValidationError } from "~/server/errors.server";
import { RATING_REASON_LABELS } from "~/shared/claim-labels";
import { RATING_COMMENT_MAX } from "~/shared/claim-limits";
import { NOT_FOUND_CLAIM, BACK, CANCEL, typedWords } from "./texts";
import { stay, text, to, type Services, type StepInput, type StepOf, type Transition } from "./transition";
import type { DialogueState, Reply } from "./types";

// 服务评价 of a closed claim: stars, then the reasons (several may be picked), then an optional comment.

type RateStep = StepOf<"rate">;

const STARS = [5, 4, 3, 2, 1];
const REASONS_DONE = { value: "reasons:done", label: "选好了" };
const SKIP = { value: "comment:skip", label: "跳过" };

/** Starts rating a claim, when it is the owner's and may be rated. */
export async function startRating(state: DialogueState, claimId: string, services: Services): Promise<Transition> {
  try {
    const timeline = await services.ownerClaimTimeline(state.phone!, claimId);
    if (!timeline.canRate) return to(state, { at: "claim", claimId }, text("该案件结案后才能评价，或已经评价过了。"));
    return to(state, { at: "rate", claimId, number: timeline.number, stage: "stars", reasons: [] });
  } catch (error) {
    if (error instanceof NotFoundError) return to(state, { at: "menu" }, text(NOT_FOUND_CLAIM));
    throw error;
  }
}

export function promptRate(step: RateStep): Reply {
  const nav = [BACK, CANCEL];
  if (step.stage === "stars") {
    return {
      text: `请为案件 ${step.number} 的理赔服务打分（5 星为非常满意）：`,
      choices: [...STARS.map((n) => ({ value: `star:${n}`, label: `${"★".repeat(n)} ${n} 星` })), ...nav],
    };
  }
  if (step.stage === "reasons") {
    const picked = step.reasons.length ? `已选：${step.reasons.map((r) => RATING_REASON_LABELS[r]).join("、")}。` : "";
    return {
      text: `您对哪些方面有意见？可以多选，再点一次取消选择；选好后点击“选好了”，没有意见也请直接点“选好了”。${picked}`,
      choices: [
        ...RATING_REASONS.map((r) => ({
          value: `reason:${r}`,
          label: `${step.reasons.includes(r) ? "✓ " : ""}${RATING_REASON_LABELS[r]}`,
        })),
        REASONS_DONE,
        ...nav,
      ],
    };
  }
  return { text: `还有其他意见吗？请直接输入（${RATING_COMMENT_MAX} 字以内），或点击“跳过”。`, choices: [SKIP, ...nav] };
}

export function backFromRate(step: RateStep) {
  if (step.stage === "comment") return { ...step, stage: "reasons" as const };
  if (step.stage === "reasons") return { ...step, stage: "stars" as const };
  return { at: "claim" as const, claimId: step.claimId };
}

export async function onRate(state: DialogueState, step: RateStep, input: StepInput, services: Services): Promise<Transition> {
  const choice = input.kind === "choice" ? input.value : null;
  const typed = input.kind === "text" ? input.text.trim() : null;
  if (step.stage === "stars") {
    const stars = Number(choice?.startsWith("star:") ? choice.slice(5) : typed && typedWords(typed));
    if (!STARS.includes(stars)) return stay(state, text("请点击星级按钮打分，或发送 1 到 5 的数字。"));
    return to(state, { ...step, stage: "reasons", stars });
  }
  if (step.stage === "reasons") {
    if (choice === REASONS_DONE.value) return to(state, { ...step, stage: "comment" });
    const reason = choice?.startsWith("reason:") ? (choice.slice(7) as RatingReason) : null;
    if (!reason || !RATING_REASONS.includes(reason)) return stay(state, text("请点击下方按钮选择，选好后点击“选好了”。"));
    const reasons = step.reasons.includes(reason) ? step.reasons.filter((r) => r !== reason) : [...step.reasons, reason];
    return to(state, { ...step, reasons });
  }
  if (choice === SKIP.value) return submit(state, step, undefined, services);
  if (!typed) return stay(state, text("请输入您的意见，或点击“跳过”。"));
  if ([...typed].length > RATING_COMMENT_MAX) return stay(state, text(`意见请不要超过 ${RATING_COMMENT_MAX} 个字。`));
  return submit(state, step, typed, services);
}

async function submit(state: DialogueState, step: RateStep, comment: string | undefined, services: Services): Promise<Transition> {
  try {
    await services.rateClaim(state.phone!, step.claimId, { stars: step.stars ?? 5, reasons: step.reasons, comment });
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError || error instanceof ValidationError) {
      return to(state, { at: "menu" }, text(error.message));
    }
    throw error;
  }
  return to(state, { at: "menu" }, text(`感谢您对案件 ${step.number} 的评价！您的意见会转达保险公司和监管部门。`));
}
