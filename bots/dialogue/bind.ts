import { contactPhone, foreignNumberMessage, isForeignNumber, maskPhone, normaliseCode, normalisePhone } from "~/shared/phone";
import { openEntry } from "./menu";
import { askToLeave, reportUnderway } from "./report";
import { noUnitsText, typedWords } from "./texts";
import { stay, text, to, type Services, type StepInput, type StepOf, type Transition } from "./transition";
import type { DialogueState, MenuAction, Reply } from "./types";

// Binding a chat to the owner's phone: on Telegram by the sender's own contact card, on the web by
// a one-time code sent to the phone. Only a verified phone ever reaches the claim services.

type BindStep = StepOf<"bind_contact" | "bind_phone" | "bind_code">;

/** The button that asks for a new code: the code service's answers name it. */
export const RESEND_CODE = { value: "bind:resend", label: "重新获取验证码" };
const OTHER_PHONE = { value: "nav:back", label: "更换手机号" };
const CODE_CHOICES = [RESEND_CODE, OTHER_PHONE, { value: "nav:cancel", label: "取消" }];

export async function promptBind(step: BindStep, services: Services): Promise<Reply> {
  if (step.at === "bind_contact") {
    return {
      text: "为保护您的信息，请先验证手机号：点击下方“发送我的手机号”按钮，分享您本人 Telegram 账号的手机号。该手机号须与开发商登记的业主手机号一致。",
      askContact: true,
      choices: [{ value: "nav:cancel", label: "取消" }],
    };
  }
  if (step.at === "bind_phone") {
    return {
      text: "为保护您的信息，请先验证手机号。请输入您在开发商处登记的业主手机号（11 位）：",
      choices: [{ value: "nav:cancel", label: "取消" }],
    };
  }
  // Said as the code stands now (a panel reopened after it expired, or after wrong tries), never as it was sent.
  const until = await services.codeValidUntil(step.phone);
  return {
    text: until
      ? `验证码已发送至 ${maskPhone(step.phone)}，${until} 前有效。请输入短信中的 6 位数字验证码：`
      : `发送至 ${maskPhone(step.phone)} 的验证码已失效，请点击“${RESEND_CODE.label}”获取新的验证码。`,
    choices: CODE_CHOICES,
  };
}

/**
 * A contact card, at any step: only the sender's own phone is accepted. Mid-report (Telegram can
 * keep 发送我的手机号 on screen) the report stays: a card refused, or the phone already verified,
 * leaves it where it was; another phone asks first whether to drop it.
 */
export async function onContact(
  state: DialogueState,
  contact: { phone: string; fromSender: boolean },
  services: Services,
): Promise<Transition> {
  const underway = reportUnderway(state.step) ? state.step : null;
  const next = state.step.at === "bind_contact" ? state.step.next : undefined;
  const step = underway ?? (state.step.at === "bind_contact" ? state.step : ({ at: "bind_contact", next } as const));
  if (!contact.fromSender) {
    return to(state, step, text("只能验证您本人的手机号：请点击“发送我的手机号”按钮，不要转发他人的名片。"));
  }
  // A contact card's number carries its country code: only +86 is a mainland owner's.
  const phone = contactPhone(contact.phone);
  if (!phone) {
    return to(
      state,
      underway ?? { at: "menu" },
      text(`该手机号不是中国大陆手机号，无法在此验证。请拨打服务热线 ${services.hotline}，由客服为您办理。`),
    );
  }
  if (underway && phone === state.phone) return stay(state, text(`手机号 ${maskPhone(phone)} 已验证，请继续填写报修。`));
  if (underway) return askToLeave(state, underway, { contact: phone });
  return verified(state, phone, next, services);
}

/** Binds a phone the sender proved is theirs (a contact card they confirmed when asked to leave a report). */
export const bindPhone = (state: DialogueState, phone: string, services: Services): Promise<Transition> =>
  verified(state, phone, undefined, services);

export async function onBind(state: DialogueState, step: BindStep, input: StepInput, services: Services): Promise<Transition> {
  if (step.at === "bind_contact") {
    // A typed number is refused for what it is; anything else is told what is needed.
    const typedPhone = input.kind === "text" && /\d{7}/.test(input.text.replace(/[\s\-+]/g, ""));
    return stay(
      state,
      text(
        typedPhone
          ? "为防止他人冒用，不能手动输入手机号，请点击下方“发送我的手机号”按钮。"
          : "请先验证手机号：点击下方“发送我的手机号”按钮，验证后即可继续办理。",
      ),
    );
  }
  if (input.kind !== "text" && !(input.kind === "choice" && input.value === RESEND_CODE.value)) {
    return stay(state, text(step.at === "bind_phone" ? "请输入 11 位手机号。" : "请输入短信中的 6 位数字验证码。"));
  }
  if (step.at === "bind_phone") return askCode(state, input.kind === "text" ? typedWords(input.text) : "", step.next, services);
  if (input.kind === "choice") return askCode(state, step.phone, step.next, services);
  // Typed as the SMS groups it (123 456, 123-456): the six digits.
  const code = normaliseCode(typedWords(input.text));
  if (!code) return stay(state, text("请输入短信中的 6 位数字验证码。"));
  const checked = await services.verifyCode(step.phone, code);
  // A spent code is said once, with the buttons (the prompt would say it again).
  if (!checked.ok && checked.spent) return { ...stay(state, { text: checked.message, choices: CODE_CHOICES }), quiet: true };
  // A wrong code: the tries left, not the whole prompt again (the owner is typing the code already).
  if (!checked.ok) return { ...stay(state, { text: checked.message, choices: CODE_CHOICES }), quiet: true };
  return verified(state, step.phone, step.next, services);
}

export function backFromBind(step: BindStep) {
  return step.at === "bind_code" ? ({ at: "bind_phone", next: step.next } as const) : ({ at: "menu" } as const);
}

async function askCode(state: DialogueState, typed: string, next: MenuAction | undefined, services: Services): Promise<Transition> {
  const phone = normalisePhone(typed);
  if (!phone && isForeignNumber(typed)) return stay(state, text(foreignNumberMessage(services.hotline)));
  if (!phone) return stay(state, text("手机号格式不正确，请输入 11 位手机号，例如 13812345678。"));
  const sent = await services.requestCode(phone);
  // Refused (too soon after a code that is spent, the day's codes used): the chat stays where it was.
  if (!sent.ok && !sent.pending) return stay(state, text(sent.message));
  // A code sent a moment ago is still good: the owner is asked for it all the same.
  return to(state, { at: "bind_code", phone, next }, ...(sent.ok ? [] : [text(sent.message)]));
}

async function verified(state: DialogueState, phone: string, next: MenuAction | undefined, services: Services): Promise<Transition> {
  const bound: DialogueState = { phone, step: { at: "menu" } };
  const units = await services.ownerUnits(phone);
  if (units.length === 0)
    return to(bound, { at: "menu" }, text(`手机号 ${maskPhone(phone)} 验证成功。`), text(noUnitsText(phone, services)));
  const homes = units.map((u) => `· ${u.communityName} ${u.label}`).join("\n");
  const welcome = text(`手机号 ${maskPhone(phone)} 验证成功。您名下登记的房屋：\n${homes}`);
  if (!next) return to(bound, { at: "menu" }, welcome);
  const entry = await openEntry(bound, next, services);
  return { ...entry, say: [welcome, ...(entry.say ?? [])] };
}
