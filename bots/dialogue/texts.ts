import { maskPhone } from "~/shared/phone";
import type { Choice, DialogueServices, DialogueState, Reply } from "./types";

// What owners read, in one place: the greeting, the menu, the buttons every step offers.

export const BACK: Choice = { value: "nav:back", label: "返回" };
export const CANCEL: Choice = { value: "nav:cancel", label: "取消" };
export const TO_MENU: Choice = { value: "nav:menu", label: "主菜单" };

/**
 * The words owners type instead of pressing a button, wherever they are: the menu's own labels
 * too. Those that leave a report underway ask first whether to drop it.
 */
export const TYPED_COMMANDS: Record<string, string> = {
  "/start": "nav:start",
  "/menu": "nav:menu",
  "/help": "nav:help",
  菜单: "nav:menu",
  主菜单: "nav:menu",
  帮助: "nav:help",
  人工: "menu:hotline",
  人工服务: "menu:hotline",
  服务热线: "menu:hotline",
  查询房屋保障: "menu:coverage",
  我要报修: "menu:report",
  我的报案: "menu:claims",
  验证手机号: "menu:bind",
  更换验证手机号: "menu:bind",
  返回: "nav:back",
  上一步: "nav:back",
  取消: "nav:cancel",
};

/**
 * What owners typed, as words to match (commands, button labels, 跳过, a claim number, a code):
 * full-width letters, digits and signs as half-width, the spaces and punctuation at the ends
 * dropped (我的报案。 is 我的报案). Free text (a description, a name) is kept as typed.
 */
export function typedWords(text: string): string {
  return text
    .normalize("NFKC")
    .trim()
    .replace(/[\s.,!?;:~。，、！？；：～…]+$/u, "");
}

export function greeting(services: DialogueServices): string {
  return [
    "您好，这里是昆明市住宅工程质量潜在缺陷保险业主服务。",
    "您可以在这里查询房屋的保险保障、报修房屋质量缺陷、查看报案进度，并在结案后评价服务。",
    `服务热线：${services.hotline}`,
  ].join("\n");
}

export function menu(state: DialogueState, text = "请选择您要办理的业务："): Reply {
  const choices: Choice[] = [
    { value: "menu:coverage", label: "查询房屋保障" },
    { value: "menu:report", label: "我要报修" },
    { value: "menu:claims", label: "我的报案" },
    { value: "menu:bind", label: state.phone ? "更换验证手机号" : "验证手机号" },
    { value: "menu:hotline", label: "服务热线" },
  ];
  return { text, choices };
}

export const HELP_TEXT = "抱歉，没有理解您的意思。请点击下方按钮选择要办理的业务，或发送“菜单”随时回到这里。";

/** 帮助: what can be typed at any step; the chat then goes on where it stood. */
export function helpText(services: DialogueServices): string {
  return [
    "随时可以发送：",
    "“查询房屋保障”“我要报修”“我的报案”直接办理；",
    "“主菜单”回到主菜单，“返回”回到上一步，“取消”放弃正在办理的业务；",
    `“人工”获取服务热线 ${services.hotline}。`,
  ].join("\n");
}

export function hotlineText(services: DialogueServices): string {
  return `平台服务热线：${services.hotline}\n可咨询房屋保障、报案和理赔进度，也可由客服代为报案。`;
}

export function noUnitsText(phone: string, services: DialogueServices): string {
  return [
    `未查到手机号 ${maskPhone(phone)} 名下登记的房屋。`,
    "如您已收房，请联系开发商或物业核对业主登记的手机号，",
    `或拨打服务热线 ${services.hotline}，由客服为您查询和代为报案。`,
  ].join("");
}

export const STALE_BUTTON = "这个按钮已失效，请按最新的提示操作。";
export const NOT_FOUND_CLAIM = "未找到该案件，或该案件不属于您名下的房屋。";
export const BUSY = "系统繁忙，本次消息未能处理，请稍后再试。";
