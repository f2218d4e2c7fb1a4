import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import express from "express";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { claimRatings, claims, ownerChats } from "@db/schema";
import { RATING_COMMENT_MAX } from "~/shared/claim-limits";
import { resetClock, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { formatDateTime, shiftDay } from "~/shared/time";
import { useTestDatabase } from "../support/database";
import { gradientPng } from "../support/images";
import { fillReport, ownedHomes, ownersFiles, type OwnedHomes } from "../support/owners";
import { noticesSent, registerOwnerNotices, useTelegramApi } from "../../bots/notices";
import { mountWebhook } from "../../bots/telegram";
import { deliverOwnerMessages } from "~/server/claims/owner-claims.server";
import { acceptance, claimRow, complete, markClosed, surveySubmission, type DeliveredProject } from "../support/claims";
import {
  acceptanceAsksFirst,
  claimNumberBeforeBinding,
  claimsNeedingActionFirst,
  droppedReportKeepsNoPhotos,
  earlierButtons,
  LEAVE_PROMPT,
  menuWordsAnywhere,
  oneHomeIsNotPicked,
  descriptionLimit,
  photoOverTheLimit,
  photosKeptOnReturn,
  quickOwner,
  REPORT_DROPPED,
  STALE,
  startMidReport,
  typedWordsLoosely,
} from "../support/owner-dialogue";
import { claimAwaitingConfirmation, ownerWithManyClaims } from "../support/claim-progress";
import { claimNumber } from "~/shared/claim-labels";
import { FLOOD_LIMIT } from "../../bots/conversation";
import { FakeTelegram, TelegramOwner } from "../support/telegram";

// The owners' bot on Telegram, fully offline: updates are fed to the grammY bot and every Bot API
// call it makes (messages, getFile, file downloads) is answered and recorded by a fake server.

useTestDatabase();

const OWNER_PHONE = "13800000001";
const NEIGHBOUR_PHONE = "13900000002";
const HOTLINE = "0871-12345";
let homes: OwnedHomes;
let telegram: FakeTelegram;
let chat = 5000;
/** A new owner on Telegram (a chat of their own, so no test shares another's flood counter). */
const owner = () => new TelegramOwner(telegram, ++chat);

beforeAll(async () => {
  homes = await ownedHomes({ flat: OWNER_PHONE, shop: OWNER_PHONE, neighbour: NEIGHBOUR_PHONE });
  telegram = new FakeTelegram();
});

afterEach(() => resetClock());

async function verified(phone = OWNER_PHONE): Promise<TelegramOwner> {
  const o = owner();
  await o.say("/start");
  await o.press("验证手机号");
  await o.shareContact(`+86 ${phone}`);
  return o;
}

const claimsOf = (phone: string) => db().select().from(claims).where(eq(claims.reporterPhone, phone));

describe("owner bot on Telegram", () => {
  it("greets /start with the hotline number and the menu", async () => {
    const o = owner();
    const texts = await o.say("/start");
    expect(texts[0]).toContain("昆明市住宅工程质量潜在缺陷保险");
    expect(texts[0]).toContain(`服务热线：${HOTLINE}`);
    const menu = telegram.sentTo(o.userId).at(-1)!;
    expect(menu.buttons.map((b) => b.text)).toEqual(["查询房屋保障", "我要报修", "我的报案", "验证手机号", "服务热线"]);
  });

  it("answers text it does not understand with the help and the menu, never silence", async () => {
    const o = owner();
    const texts = await o.say("楼上漏水了怎么办啊");
    expect(texts[0]).toContain("没有理解您的意思");
    expect(texts.at(-1)).toBe("请选择您要办理的业务：");
    const sticker = await (async () => {
      await telegram.send({
        message: {
          message_id: 1,
          date: 0,
          chat: { id: o.userId, type: "private", first_name: "业主" },
          from: { id: o.userId, is_bot: false, first_name: "业主" },
          sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false },
        },
      } as never);
      return o.answers().map((m) => m.text);
    })();
    expect(sticker[0]).toContain("没有理解您的意思");
  });

  it("asks for the phone as the owner's own contact before anything about the homes", async () => {
    const o = owner();
    await o.say("/start");
    await o.press("我的报案");
    const ask = telegram.sentTo(o.userId).at(-1)!;
    expect(ask.text).toContain("请先验证手机号");
    expect(ask.keys).toContainEqual({ text: "发送我的手机号", request_contact: true });
    expect(await o.say(OWNER_PHONE)).toEqual(["为防止他人冒用，不能手动输入手机号，请点击下方“发送我的手机号”按钮。", ask.text]);
  });

  it("refuses a contact that is not the sender's own", async () => {
    const o = owner();
    await o.say("/start");
    await o.press("验证手机号");
    const texts = await o.shareContact(OWNER_PHONE, o.userId + 1);
    expect(texts[0]).toBe("只能验证您本人的手机号：请点击“发送我的手机号”按钮，不要转发他人的名片。");
    const [row] = await db()
      .select()
      .from(ownerChats)
      .where(eq(ownerChats.chatKey, String(o.userId)));
    expect(row.verifiedAt).toBeNull();
    // Still unverified: the claims are not shown.
    expect((await o.press("我的报案")).at(-1)).toContain("请先验证手机号");
  });

  it("binds no foreign number as a mainland one: a contact needs country code 86, with or without +", async () => {
    // +1 390 871 0001 (a North American number) has the digits of the mainland 139 0871 0001.
    for (const card of ["+1 390 871 0001", "13908710001", "14155550100"]) {
      const o = owner();
      await o.say("/start");
      await o.press("验证手机号");
      const texts = await o.shareContact(card);
      expect(texts[0], card).toBe(`该手机号不是中国大陆手机号，无法在此验证。请拨打服务热线 ${HOTLINE}，由客服为您办理。`);
      const [row] = await db()
        .select()
        .from(ownerChats)
        .where(eq(ownerChats.chatKey, String(o.userId)));
      expect(row, card).toMatchObject({ phone: null, verifiedAt: null });
      expect((await o.press("我的报案")).at(-1), card).toContain("请先验证手机号");
    }
    // A mainland number as Telegram sends it, with or without "+".
    for (const card of [`86${OWNER_PHONE}`, `+86${OWNER_PHONE}`]) {
      const o = owner();
      await o.say("/start");
      await o.press("验证手机号");
      expect((await o.shareContact(card))[0], card).toContain("手机号 138****0001 验证成功");
    }
  });

  it("tells a phone that owns no home so, with the hotline number", async () => {
    const o = owner();
    await o.say("/start");
    await o.press("验证手机号");
    const texts = await o.shareContact("+8613700000009");
    expect(texts[0]).toBe("手机号 137****0009 验证成功。");
    expect(texts[1]).toContain("未查到手机号 137****0009 名下登记的房屋");
    expect(texts[1]).toContain(HOTLINE);
    expect((await o.press("我要报修"))[0]).toContain("未查到手机号 137****0009 名下登记的房屋");
  });

  it("shows a home's cover: the insurer, each part's period and whether it is in force", async () => {
    const o = owner();
    await o.say("/start");
    await o.press("验证手机号");
    const welcome = (await o.shareContact(`86${OWNER_PHONE}`))[0];
    expect(welcome).toContain(`· ${homes.labels.flat}`);
    expect(welcome).toContain(`· ${homes.labels.shop}`);
    expect(welcome).not.toContain(homes.labels.neighbour);
    await o.press("查询房屋保障");
    const texts = await o.press(homes.labels.flat);
    expect(texts[0]).toContain(`承保保险公司：${homes.insurerName}`);
    const start = shiftDay(formatDateTime(new Date(), "YYYY-MM-DD"), -1, "year");
    const end = (years: number) => shiftDay(shiftDay(start, years, "year"), -1, "day");
    expect(texts[0]).toContain(`地基基础和主体结构（10 年）：${start} 至 ${end(10)}，在保`);
    expect(texts[0]).toContain(`保温和防水（5 年）：${start} 至 ${end(5)}，在保`);
    // Another owner's home is not offered, and its id pressed anyway is not shown.
    expect(telegram.sentTo(o.userId).flatMap((m) => m.buttons.map((b) => b.text))).not.toContain(homes.labels.neighbour);
    await o.press("返回");
    expect((await o.pressValue(`cover:${homes.units.neighbour}`))[0]).toBe("未找到该房屋，或该房屋不在您的名下。");
  });

  it("takes a report step by step, with a photo, and the claim exists with it", async () => {
    const o = owner();
    await o.say("/start");
    await o.press("我要报修");
    const afterBind = await o.shareContact(`+86${OWNER_PHONE}`);
    expect(afterBind[0]).toContain("验证成功");
    expect(afterBind.at(-1)).toContain("请选择有缺陷的房屋");
    await o.press(homes.labels.flat);
    expect((await o.press("防水渗漏"))[0]).toContain("请描述缺陷情况");
    expect((await o.say("卫生间天花板渗水，墙面起皮发霉"))[0]).toContain("请上传缺陷照片");
    telegram.keepFile("photo-1", gradientPng(64, 48));
    const received = await o.sendPhoto("photo-1", 2000);
    expect(received[0]).toBe("已收到第 1 张照片。");
    // The largest size was fetched, through getFile and a download with the bot's token.
    expect(telegram.calls.filter((c) => c.method === "getFile").at(-1)!.payload.file_id).toBe("photo-1");
    expect(telegram.downloads).toContain("photos/photo-1.jpg");
    expect((await o.press("完成"))[0]).toContain("如果您大致知道维修费用，请输入估计金额");
    expect((await o.say("五千左右"))[0]).toContain("请输入金额数字（元）");
    expect((await o.say("5,000元"))[0]).toContain("请输入联系人姓名（联系电话为您验证的手机号 138****0001）");
    const summary = (await o.say("王先生"))[0];
    expect(summary).toContain("部位：防水渗漏");
    expect(summary).toContain("照片：1 张");
    expect(summary).toContain("估计费用：5000 元");
    const done = await o.press("确认提交");
    expect(done[0]).toMatch(/^报案成功！案件编号：LP\d{6}。/);
    const number = /LP\d{6}/.exec(done[0])![0];

    const [claim] = (await claimsOf(OWNER_PHONE)).filter((c) => c.description === "卫生间天花板渗水，墙面起皮发霉");
    expect(claim).toMatchObject({ unitId: homes.units.flat, part: "waterproofing", channel: "telegram", reporterName: "王先生" });
    expect(Number(claim.estimate)).toBe(5000);
    expect(claim.photos).toHaveLength(1);

    // 报案成功 is the one confirmation of the report: no 已收到您的报案 notice follows it. Each
    // step after it reaches the chat, the acceptance first.
    registerOwnerNotices();
    useTelegramApi(telegram.bot.api);
    await deliverOwnerMessages();
    await noticesSent();
    const notices = () => telegram.sentTo(o.userId).filter((m) => m.text.startsWith("【案件进展】"));
    expect(notices()).toEqual([]);
    await complete(homes.insurer, claim.instanceId!, "accept", acceptance());
    await deliverOwnerMessages();
    await noticesSent();
    expect(notices().map((m) => m.text)).toEqual([`【案件进展】【${number}】保险公司已受理您的报案，将安排查勘或维修。\n当前状态：已受理`]);
    expect(notices()[0].buttons).toEqual([{ text: "查看进度", callback_data: `claim:${claim.id}` }]);
    // The survey too (it was the one step owners were not told of).
    await complete(homes.insurer, claim.instanceId!, "survey", await surveySubmission(homes.insurer));
    await deliverOwnerMessages();
    await noticesSent();
    expect(notices().at(-1)!.text).toMatch(
      new RegExp(
        `^【案件进展】【${number}】现场查勘已完成（查勘日期 \\d{4}-\\d{2}-\\d{2}），保险公司将据此作出是否立案的决定。\n当前状态：已受理$`,
      ),
    );
    o.answers();

    // 我的报案 lists it, and its progress opens.
    const list = await o.press("我的报案");
    expect(list[0]).toContain(number);
    const timeline = await o.press(`${number} 已受理`);
    expect(timeline[0]).toContain(`案件 ${number}（${homes.labels.flat}）`);
    expect(timeline[0]).toContain("当前状态：已受理");
    expect(timeline[0]).toContain("受理");
  });

  it("goes one step back with 返回 and keeps what was entered before", async () => {
    const o = await verified();
    await o.press("我要报修");
    await o.press(homes.labels.shop);
    expect((await o.press("返回"))[0]).toContain("请选择有缺陷的房屋");
    await o.press(homes.labels.shop);
    await o.press("保温");
    expect((await o.say("返回"))[0]).toContain("请选择缺陷所在的部位");
    await o.press("主体结构");
    await o.say("外墙出现多条斜向裂缝");
    await o.press("完成");
    await o.say("1.2万");
    await o.say("李女士");
    const summary = (await o.press("返回"))[0];
    expect(summary).toContain("请输入联系人姓名");
    expect((await o.press("返回"))[0]).toContain("如果您大致知道维修费用");
    await o.press("不清楚，跳过");
    const confirm = (await o.say("李女士"))[0];
    expect(confirm).toContain("部位：主体结构");
    expect(confirm).toContain("描述：外墙出现多条斜向裂缝");
    expect(confirm).toContain("估计费用：不清楚");
  });

  it("takes a description up to the claim's limit and refuses one over it", async () => {
    await descriptionLimit(await verified(), homes.labels.flat);
  });

  it("drops the draft with 取消 and reports nothing", async () => {
    const o = await verified();
    const before = (await claimsOf(OWNER_PHONE)).length;
    await o.press("我要报修");
    await o.press(homes.labels.flat);
    await o.press("装饰装修");
    const texts = await o.press("取消");
    expect(texts[0]).toBe("已取消本次报修，填写的内容没有保存。");
    expect(texts[1]).toBe("请选择您要办理的业务：");
    expect(await claimsOf(OWNER_PHONE)).toHaveLength(before);
    // The old buttons of the cancelled report are stale now, and a made-up one too.
    expect(await o.press("主体结构")).toEqual([STALE, "请选择您要办理的业务："]);
    expect((await o.pressValue("photos:done"))[0]).toBe(STALE);
  });

  it("does what a button of an earlier message names, or says it is stale", async () => {
    await earlierButtons(await verified(), { first: homes.labels.flat, second: homes.labels.shop });
  });

  it("takes the menu's words, 主菜单, 人工 and 帮助 at any step, asking first mid-report", async () => {
    await menuWordsAnywhere(await verified(), homes.labels.flat);
  });

  it("asks before /start drops a report, and the dropped report's buttons are stale", async () => {
    const before = (await claimsOf(OWNER_PHONE)).length;
    await startMidReport(await verified(), homes.labels.shop);
    expect(await claimsOf(OWNER_PHONE)).toHaveLength(before);
  });

  it("answers a claim number before the phone is verified with what is needed", async () => {
    const o = owner();
    await claimNumberBeforeBinding(o, "LP000001", "请先验证手机号");
    expect((await o.say("你好"))[0]).toBe("请先验证手机号：点击下方“发送我的手机号”按钮，验证后即可继续办理。");
  });

  it("refuses a PDF and a huge file without downloading them, and carries on", async () => {
    const o = await verified();
    await o.press("我要报修");
    await o.press(homes.labels.flat);
    await o.press("给排水");
    await o.say("厨房下水管漏水严重");
    const getFiles = telegram.calls.filter((c) => c.method === "getFile").length;
    const pdf = await o.sendDocument("doc-1", "application/pdf", 30_000, "报告.pdf");
    expect(pdf[0]).toBe("只能上传 JPG 或 PNG 格式的照片，不支持这个文件。");
    expect(pdf[1]).toBe("可以继续上传，或点击“完成”进入下一步。");
    const huge = await o.sendPhoto("photo-huge", 200 * 1024 * 1024);
    expect(huge[0]).toMatch(/^照片太大了，每张不能超过 \d+MB。$/);
    expect(telegram.calls.filter((c) => c.method === "getFile")).toHaveLength(getFiles);
    // A file that claims to be a JPEG but is not one is refused by what its bytes are.
    telegram.keepFile("fake-jpeg", new TextEncoder().encode("%PDF-1.4 not an image"));
    const fake = await o.sendDocument("fake-jpeg", "image/jpeg", 21, "照片.jpg");
    expect(fake[1]).toBe("可以继续上传，或点击“完成”进入下一步。");
    expect(fake[0]).not.toContain("已收到");
    expect((await o.press("完成"))[0]).toContain("如果您大致知道维修费用");
  });

  it("answers a photo sent outside the report's photo step without storing it", async () => {
    const o = await verified();
    const texts = await o.sendPhoto("stray", 2000);
    expect(texts[0]).toBe("当前不需要上传照片。报修时会请您上传缺陷照片。");
    expect(telegram.downloads).not.toContain("photos/stray.jpg");
  });

  it("never shows another owner's claim, by button or by number", async () => {
    const neighbour = await verified(NEIGHBOUR_PHONE);
    await fillReport(neighbour, {
      part: "防水渗漏",
      description: "阳台地面积水渗到楼下",
      name: "赵先生",
    });
    const number = /LP\d{6}/.exec((await neighbour.press("确认提交"))[0])![0];
    const [theirs] = await claimsOf(NEIGHBOUR_PHONE);

    const o = await verified();
    expect((await o.pressValue(`claim:${theirs.id}`))[0]).toBe("未找到该案件，或该案件不属于您名下的房屋。");
    expect((await o.say(number.toLowerCase()))[0]).toBe("未找到该案件，或该案件不属于您名下的房屋。");
    expect((await o.pressValue(`rate:${theirs.id}`))[0]).toBe("未找到该案件，或该案件不属于您名下的房屋。");
    expect((await o.press("我的报案"))[0]).not.toContain(number);
  });

  it("a small estimate given in the chat takes the fast track to repair once accepted", async () => {
    const o = await verified();
    await fillReport(o, { home: homes.labels.shop, part: "给排水", description: "卫生间地漏返水", name: "王先生", estimate: "约800块" });
    const number = /LP\d{6}/.exec((await o.press("确认提交"))[0])![0];
    const [claim] = (await claimsOf(OWNER_PHONE)).filter((c) => c.description === "卫生间地漏返水");
    expect(Number(claim.estimate)).toBe(800);
    await complete(homes.insurer, claim.instanceId!, "accept", acceptance());
    const [after] = await db().select().from(claims).where(eq(claims.id, claim.id));
    expect(after).toMatchObject({ status: "repairing", fastTrack: true });
    expect((await o.say(number))[0]).toContain("当前状态：维修中");
  });

  it("rates a closed claim: stars, reasons, a comment", async () => {
    const o = await verified();
    const [claim] = await claimsOf(OWNER_PHONE);
    await db().update(claims).set({ status: "closed", closedAt: new Date() }).where(eq(claims.id, claim.id));
    await o.pressValue(`claim:${claim.id}`);
    expect((await o.press("评价服务"))[0]).toContain("请为案件");
    expect((await o.press("★★★ 3 星"))[0]).toContain("您对哪些方面有意见");
    await o.press("工期");
    await o.press("服务态度");
    expect((await o.press("✓ 服务态度"))[0]).toContain("已选：工期。");
    await o.press("选好了");
    // The comment's limit is the rating service's (and the owner page's).
    expect((await o.say("慢".repeat(RATING_COMMENT_MAX + 1)))[0]).toBe(`意见请不要超过 ${RATING_COMMENT_MAX} 个字。`);
    const comment = `维修拖了两周才来${"，".repeat(300)}`;
    const thanks = await o.say(comment);
    expect(thanks[0]).toMatch(/^感谢您对案件 LP\d{6} 的评价！/);
    const [rating] = await db().select().from(claimRatings).where(eq(claimRatings.claimId, claim.id));
    expect(rating.comment).toBe(comment);
  });

  it("answers an update Telegram sends again only once: the report is made once, the photo fetched once", async () => {
    const o = await verified();
    await o.press("我要报修");
    await o.press(homes.labels.shop);
    expect(await o.again()).toEqual([]);
    await o.press("给排水");
    await o.say("阳台排水管接口漏水");
    telegram.keepFile("photo-again", gradientPng(32, 32));
    expect(await o.sendPhoto("photo-again", 2000)).toEqual(["已收到第 1 张照片。", "可以继续上传，或点击“完成”进入下一步。"]);
    const fetched = telegram.calls.filter((c) => c.method === "getFile").length;
    expect(await o.again()).toEqual([]);
    expect(telegram.calls.filter((c) => c.method === "getFile")).toHaveLength(fetched);
    await o.press("完成");
    await o.press("不清楚，跳过");
    expect((await o.say("钱先生"))[0]).toContain("照片：1 张");
    expect((await o.press("确认提交"))[0]).toMatch(/^报案成功/);
    expect(await o.again()).toEqual([]);
    const made = (await claimsOf(OWNER_PHONE)).filter((c) => c.description === "阳台排水管接口漏水");
    expect(made).toHaveLength(1);
    expect(made[0].photos).toHaveLength(1);
  });

  it("says how many photos it holds when the owner goes back to the photo step", async () => {
    await photosKeptOnReturn(await verified(), homes.labels.flat);
  });

  it("tells a photo over the limit the limit", async () => {
    await photoOverTheLimit(await verified(), homes.labels.flat);
  });

  it("understands typed words with punctuation, and 跳过 or 不清楚 typed at the estimate", async () => {
    await typedWordsLoosely(await verified(), homes.labels.shop);
  });

  it("lists the claims waiting for the owner first, and pages through the rest with 更多", async () => {
    const phone = "13600000052";
    const waiting = await ownerWithManyClaims(phone, 12);
    await claimsNeedingActionFirst(await verified(phone), waiting, 12);
  });

  it("asks before accepting a finished repair, from the claim's button or an older message's", async () => {
    const claim = await claimAwaitingConfirmation({ insurer: homes.insurer } as DeliveredProject, OWNER_PHONE, homes.units.flat);
    await acceptanceAsksFirst(await verified(), claimNumber(claim.seq));
    expect(await claimRow(claim.id)).toMatchObject({ status: "settling" });
  });

  it("does not ask an owner of one home to pick it", async () => {
    await oneHomeIsNotPicked(await verified(NEIGHBOUR_PHONE), homes.labels.neighbour);
  });

  it("keeps no photos of a report that is dropped", async () => {
    await droppedReportKeepsNoPhotos(await verified(), homes.labels.shop, () => ownersFiles(OWNER_PHONE));
  });

  it("asks before a contact card shared mid-report drops it, and keeps the report for the phone already verified", async () => {
    const o = await verified();
    await o.press("我要报修");
    await o.press(homes.labels.flat);
    await o.press("防水渗漏");
    const description = "第 3 步：请描述缺陷情况，如具体位置、现象、出现的时间和影响：";
    // The reply keyboard's 发送我的手机号 can still be on screen: the phone already verified keeps the report.
    expect(await o.shareContact(`+86${OWNER_PHONE}`)).toEqual(["手机号 138****0001 已验证，请继续填写报修。", description]);
    // Someone else's card, or a foreign number: refused, and the report stays.
    expect(await o.shareContact(`+86${NEIGHBOUR_PHONE}`, o.userId + 1)).toEqual([
      "只能验证您本人的手机号：请点击“发送我的手机号”按钮，不要转发他人的名片。",
      description,
    ]);
    expect((await o.shareContact("+1 415 555 0100")).at(-1)).toBe(description);
    // Another phone of one's own: asked first.
    expect(await o.shareContact(`+86${NEIGHBOUR_PHONE}`)).toEqual([LEAVE_PROMPT]);
    expect(await o.press("继续填写")).toEqual([description]);
    await o.shareContact(`+86${NEIGHBOUR_PHONE}`);
    const dropped = await o.press("放弃报修");
    expect(dropped[0]).toBe(REPORT_DROPPED);
    expect(dropped[1]).toContain("手机号 139****0002 验证成功");
  });

  it("lets a quick owner report with nine photos and rate every reason within one minute", async () => {
    // A clock a hundred times slower than the machine's: all of it falls in one minute however slow the machine.
    const started = Date.now();
    setClock(() => new Date(Date.parse("2026-11-26T09:00:00Z") + (Date.now() - started) / 100));
    const o = await verified();
    const sent = await quickOwner(o, homes.labels.shop, markClosed);
    // What the limit must stay above: the verification (3) and all of this.
    expect(3 + sent).toBeLessThan(FLOOD_LIMIT);
  });

  it("answers a flood once with 'too fast', then stays silent until the minute is over", async () => {
    setClock(runningFrom(new Date("2026-11-26T08:00:00Z")));
    const o = owner();
    const answered: string[][] = [];
    for (let i = 0; i < FLOOD_LIMIT + 4; i++) answered.push(await o.say(`消息${i}`));
    expect(answered.slice(0, FLOOD_LIMIT).every((texts) => texts.length > 0)).toBe(true);
    expect(answered[FLOOD_LIMIT]).toEqual(["您发送消息太快了，请稍等一分钟后再试。"]);
    expect(answered.slice(FLOOD_LIMIT + 1)).toEqual([[], [], []]);
    setClock(runningFrom(new Date("2026-11-26T08:01:01Z")));
    expect((await o.say("菜单"))[0]).toBe("请选择您要办理的业务：");
  });
});

describe("owner bot behind a webhook", () => {
  it("takes updates only with Telegram's secret header", async () => {
    const app = express();
    mountWebhook(app, telegram.bot, "webhook-secret_1");
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bots/telegram`;
    const chatId = ++chat;
    const update = {
      update_id: telegram.updateId() + 1000,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: chatId, type: "private" },
        from: { id: chatId, is_bot: false, first_name: "业主" },
        text: "你好",
      },
    };
    const post = (headers: Record<string, string>, body = JSON.stringify(update)) =>
      fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
    try {
      expect((await post({})).status).toBe(401);
      expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "wrong" })).status).toBe(401);
      expect(telegram.sentTo(chatId)).toEqual([]);
      expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "webhook-secret_1" }, "{broken")).status).toBe(400);
      expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "webhook-secret_1" })).status).toBe(200);
      expect(telegram.sentTo(chatId)[0].text).toContain("没有理解您的意思");
      const answered = telegram.sentTo(chatId).length;
      // Telegram retries an update it thinks was not taken: answered once, whether after the first or beside it.
      expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "webhook-secret_1" })).status).toBe(200);
      expect(telegram.sentTo(chatId)).toHaveLength(answered);
      const next = JSON.stringify({ ...update, update_id: update.update_id + 1 });
      const both = await Promise.all([1, 2].map(() => post({ "X-Telegram-Bot-Api-Secret-Token": "webhook-secret_1" }, next)));
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      expect(telegram.sentTo(chatId)).toHaveLength(2 * answered);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
