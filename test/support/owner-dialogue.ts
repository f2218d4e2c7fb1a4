import { expect } from "vitest";
import { RATING_REASON_LABELS } from "~/shared/claim-labels";
import { DESCRIPTION_MAX } from "~/shared/claim-limits";

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

/** A description over its limit is told the limit and asked again; one at the limit is taken. */
export async function descriptionLimit(chat: DialogueDriver, home: string): Promise<void> {
  await reportToDescription(chat, home);
  const over = await chat.type("渗".repeat(DESCRIPTION_MAX + 1));
  expect(over[0]).toBe(`描述请不要超过 ${DESCRIPTION_MAX} 个字。`);
  expect(over.at(-1)).toContain("第 3 步：请描述缺陷情况");
  expect((await chat.type("渗".repeat(DESCRIPTION_MAX)))[0]).toContain("请上传缺陷照片");
  await chat.press("取消");
}

/** Back at the photo step with nine photos held, another photo is told the limit, not "not received". */
export async function photoOverTheLimit(chat: DialogueDriver, home: string): Promise<void> {
  await reportToDescription(chat, home);
  await chat.type("客厅墙面多处开裂");
  for (let i = 1; i < 9; i++) expect((await chat.photo())[0]).toBe(`已收到第 ${i} 张照片。`);
  expect((await chat.photo())[0]).toBe("已收到 9 张照片，已达上限。");
  // The ninth moved the chat on: another photo is one too many, not "this step takes none".
  const tenth = await chat.photo();
  expect(tenth[0]).toBe("最多上传 9 张照片，已达上限，这张没有保存。");
  expect(tenth.at(-1)).toContain("第 5 步：如果您大致知道维修费用");
  expect(await chat.press("返回")).toEqual(["第 4 步：已收到 9 张照片，已达上限。请点击“完成”。"]);
  expect(await chat.photo()).toEqual(["最多上传 9 张照片，已收到 9 张，这张没有保存。请点击“完成”进入下一步。"]);
  expect((await chat.press("完成"))[0]).toContain("第 5 步");
  await chat.press("取消");
}

/** Typed words are understood however they end (我的报案。) and in full-width; the estimate takes 跳过 and 不清楚 typed. */
export async function typedWordsLoosely(chat: DialogueDriver, home: string): Promise<void> {
  expect((await chat.type("我的报案。")).at(-1)).toMatch(CLAIMS_PROMPT);
  expect((await chat.type(" 主菜单！")).at(-1)).toBe(MENU_PROMPT);
  await reportToDescription(chat, home);
  await chat.type("卧室窗台渗水");
  expect((await chat.press("完成"))[0]).toContain("第 5 步");
  // An amount of many digits is too large, not "no number".
  expect((await chat.type("99999999999"))[0]).toBe("估计金额不能超过 1000 万元，请重新输入。");
  expect((await chat.type("跳过"))[0]).toContain("第 6 步：请输入联系人姓名");
  await chat.press("返回");
  expect((await chat.type("不清楚。"))[0]).toContain("第 6 步：请输入联系人姓名");
  expect(await chat.type("取消！")).toEqual([REPORT_DROPPED, MENU_PROMPT]);
}

/** A finished repair is accepted only once the owner confirms, from the claim's button or an older message's. */
export async function acceptanceAsksFirst(chat: DialogueDriver, number: string): Promise<void> {
  expect((await chat.type(number))[0]).toContain("维修已完成，请确认维修结果");
  const CONFIRM = `确认验收案件 ${number} 的维修结果吗？确认后将进入结案，不能撤回。`;
  expect(await chat.press("满意，同意验收")).toEqual([CONFIRM]);
  expect((await chat.press("返回"))[0]).toContain(`案件 ${number}`);
  // The older message's 满意 button asks too.
  await chat.type("我的报案");
  expect(await chat.press("满意，同意验收")).toEqual([CONFIRM]);
  expect((await chat.press("确认验收"))[0]).toBe("已确认验收，感谢您的配合！保险公司将尽快办理结案。");
}

/** An owner of one home is not asked to pick it; 返回 from the first question goes to the menu. */
export async function oneHomeIsNotPicked(chat: DialogueDriver, home: string): Promise<void> {
  const asked = await chat.type("我要报修");
  expect(asked.at(-1)).toBe(`报修房屋：${home}\n第 1 步（共 6 步）：请选择缺陷所在的部位：`);
  expect(await chat.press("返回")).toEqual([MENU_PROMPT]);
  await chat.type("我要报修");
  expect((await chat.press("给排水"))[0]).toContain("第 2 步：请描述缺陷情况");
  expect((await chat.press("返回"))[0]).toContain("第 1 步（共 6 步）");
  // A part was picked: leaving from here asks first.
  expect(await chat.press("返回")).toEqual([LEAVE_PROMPT]);
  expect(await chat.press("放弃报修")).toEqual([REPORT_DROPPED, MENU_PROMPT]);
}

/** The photos of a report that is dropped are not kept. */
export async function droppedReportKeepsNoPhotos(chat: DialogueDriver, home: string, stored: () => Promise<number>): Promise<void> {
  const before = await stored();
  await reportToDescription(chat, home);
  await chat.type("卫生间地面渗水到楼下");
  await chat.photo();
  await chat.photo();
  expect(await stored()).toBe(before + 2);
  await chat.press("取消");
  expect(await stored()).toBe(before);
}

/**
 * 我的报案 of an owner with more claims than one message lists: the one waiting for the owner's
 * 验收 (`waiting`, the oldest) comes first, and 更多 pages through the rest, from any message.
 */
export async function claimsNeedingActionFirst(chat: DialogueDriver, waiting: string, total: number): Promise<void> {
  const first = (await chat.type("我的报案")).at(-1)!;
  const lines = first.split("\n").filter((line) => /^LP\d{6}/.test(line));
  expect(lines).toHaveLength(10);
  expect(lines[0]).toMatch(new RegExp(`^${waiting} .*待业主验收`));
  expect(first).toContain(`共 ${total} 件，第 1/2 页`);
  const second = (await chat.press("更多")).at(-1)!;
  const rest = second.split("\n").filter((line) => /^LP\d{6}/.test(line));
  expect(rest).toHaveLength(total - 10);
  expect(second).toContain(`第 2/2 页`);
  expect(rest.join()).not.toContain(waiting);
  // The first page's 更多, pressed again from that older message, is still its page.
  expect((await chat.press("更多")).at(-1)).toContain("第 2/2 页");
}
