import { expect } from "vitest";
import { RATING_REASON_LABELS } from "~/shared/claim-labels";

// The owners' dialogue as an owner meets it, written once and played on each channel's real
// adapter (the grammY bot, the web chat's routes): each scenario drives a chat and checks what the
// owner reads.

/** A chat on either channel; every call answers the texts the owner read. */
export interface DialogueDriver {
  /** /start on Telegram, the panel's start on the web. */
  start(): Promise<string[]>;
  type(text: string): Promise<string[]>;
  /** Presses the button of that label on the latest message that shows it (an earlier one's, when the latest has none). */
  press(label: string): Promise<string[]>;
  /** Sends a photo (a small PNG). */
  photo(): Promise<string[]>;
}

export const STALE = "这个按钮已失效，请按最新的提示操作。";
export const LEAVE_PROMPT = "您的报修还没有提交，离开后填写的内容不会保存。要放弃本次报修吗？";
export const REPORT_DROPPED = "已取消本次报修，填写的内容没有保存。";
const MENU_PROMPT = "请选择您要办理的业务：";
const CLAIMS_PROMPT = /^(您的报案：|您还没有报案记录。)/;

/** Opens a report and fills it to its description step. */
async function reportToDescription(chat: DialogueDriver, home: string): Promise<void> {
  await chat.type("我要报修");
  await chat.press(home);
  expect((await chat.press("防水渗漏")).at(-1)).toContain("第 3 步：请描述缺陷情况");
}

/** Buttons of earlier messages do what they name (a home's cover), or say they are stale (a step the chat has left). */
export async function earlierButtons(chat: DialogueDriver, homes: { first: string; second: string }): Promise<void> {
  expect((await chat.type("查询房屋保障")).at(-1)).toBe("请选择要查询的房屋：");
  expect((await chat.press(homes.first))[0]).toContain(`【${homes.first}】`);
  // The earlier list's other home: that home's cover, not the current one again.
  expect((await chat.press(homes.second))[0]).toContain(`【${homes.second}】`);

  await reportToDescription(chat, homes.first);
  // The part step's buttons once the report has moved on: stale, and the current question again.
  const stale = await chat.press("主体结构");
  expect(stale[0]).toBe(STALE);
  expect(stale.at(-1)).toContain("第 3 步：请描述缺陷情况");
  await chat.press("取消");
}

/** The menu's words, /start, 主菜单, 人工 and 帮助 work at any step; mid-report, leaving asks first. */
export async function menuWordsAnywhere(chat: DialogueDriver, home: string): Promise<void> {
  expect((await chat.type("我的报案")).at(-1)).toMatch(CLAIMS_PROMPT);
  expect((await chat.type("查询房屋保障")).at(-1)).toBe("请选择要查询的房屋：");
  // At report step 1 nothing is lost: the word goes where it says.
  expect((await chat.type("我要报修")).at(-1)).toContain("报修第 1 步");
  expect((await chat.type("我的报案")).at(-1)).toMatch(CLAIMS_PROMPT);

  await reportToDescription(chat, home);
  expect(await chat.type("我的报案")).toEqual([LEAVE_PROMPT]);
  expect((await chat.press("继续填写")).at(-1)).toContain("第 3 步：请描述缺陷情况");
  // 人工 and 帮助 answer and leave the report where it stood.
  const hotline = await chat.type("人工");
  expect(hotline[0]).toContain("平台服务热线");
  expect(hotline.at(-1)).toContain("第 3 步：请描述缺陷情况");
  const help = await chat.type("帮助");
  expect(help[0]).toContain("“主菜单”回到主菜单");
  expect(help.at(-1)).toContain("第 3 步：请描述缺陷情况");
  expect(await chat.type("主菜单")).toEqual([LEAVE_PROMPT]);
  expect(await chat.press("放弃报修")).toEqual([REPORT_DROPPED, MENU_PROMPT]);
}

/** /start mid-report asks before dropping it; dropped, its buttons are stale. */
export async function startMidReport(chat: DialogueDriver, home: string): Promise<void> {
  await reportToDescription(chat, home);
  expect((await chat.type("墙角渗水，涂料起皮"))[0]).toContain("第 4 步：请上传缺陷照片");
  expect(await chat.start()).toEqual([LEAVE_PROMPT]);
  const dropped = await chat.press("放弃报修");
  expect(dropped[0]).toBe(REPORT_DROPPED);
  expect(dropped[1]).toContain("业主服务");
  expect(dropped.at(-1)).toBe(MENU_PROMPT);
  // The dropped report's 完成: stale, not "not understood".
  expect(await chat.press("完成")).toEqual([STALE, MENU_PROMPT]);
}

/** Before the phone is verified, a claim number is answered with what is needed: the phone first. */
export async function claimNumberBeforeBinding(chat: DialogueDriver, number: string, bindPrompt: string): Promise<void> {
  await chat.start();
  const asked = await chat.type(number);
  expect(asked[0]).toBe(`查看案件 ${number} 的进度需要先验证手机号，验证后可在“我的报案”中查看。`);
  expect(asked.at(-1)).toContain(bindPrompt);
  // Typed again while the phone is asked for: the same answer, and the chat still asks for it.
  expect(await chat.type(number)).toEqual(asked);
}

/** Back at the photo step from a later one, the chat says how many photos it holds. */
export async function photosKeptOnReturn(chat: DialogueDriver, home: string): Promise<void> {
  await reportToDescription(chat, home);
  await chat.type("阳台顶棚渗水发黄");
  expect((await chat.photo())[0]).toBe("已收到第 1 张照片。");
  expect((await chat.photo())[0]).toBe("已收到第 2 张照片。");
  await chat.press("完成");
  expect(await chat.press("返回")).toEqual(["第 4 步：已收到 2 张照片，还可以再传 7 张。上传好后点击“完成”。"]);
  await chat.press("取消");
}

/**
 * A quick owner, all in one minute: a report with nine photos and a rating with every reason, never
 * told to slow down. Answers how many messages it sent.
 */
export async function quickOwner(chat: DialogueDriver, home: string, close: (number: string) => Promise<void>): Promise<number> {
  const answers: string[][] = [];
  const act = async (sent: Promise<string[]>) => {
    answers.push(await sent);
    return answers.at(-1)!;
  };
  await act(chat.type("我要报修"));
  await act(chat.press(home));
  await act(chat.press("防水渗漏"));
  await act(chat.type("主卧飘窗下沿渗水，墙面发霉"));
  for (let i = 0; i < 9; i++) await act(chat.photo());
  await act(chat.type("3000"));
  await act(chat.type("云先生"));
  const number = /LP\d{6}/.exec((await act(chat.press("确认提交")))[0])![0];
  await close(number);
  await act(chat.type("我的报案"));
  await act(chat.press(`${number} 已结案`));
  await act(chat.press("评价服务"));
  await act(chat.press("★★ 2 星"));
  for (const reason of Object.values(RATING_REASON_LABELS)) await act(chat.press(reason));
  await act(chat.press("选好了"));
  expect((await act(chat.type("维修拖了很久，沟通不畅")))[0]).toBe(`感谢您对案件 ${number} 的评价！您的意见会转达保险公司和监管部门。`);
  expect(answers.flat().filter((t) => t.includes("太快") || t.includes("还在处理中"))).toEqual([]);
  return answers.length;
}
