import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, PHONE, useBrowser } from "../support/browser";
import { gradientPng } from "../support/images";
import { homeOverSql } from "../support/owners";
import { useCluster } from "../support/platform";

// The owners' web chat on the owners' page, on a phone and without an account: the greeting and
// the menu, a verified phone (the code read from the server log, where it goes without an SMS
// provider), and the owner's homes.

const cluster = useCluster({ env: { LOG_LEVEL: "info" } });
const { newPage, pageErrors } = useBrowser(() => cluster().url);
const OWNER = "13600000051";

beforeAll(async () => {
  await cluster().withSql((sql) =>
    homeOverSql(sql, { permitNo: "KM-CHAT-E2E", community: "在线服务花园", building: "2", room: "601", phone: OWNER }),
  );
});

describe.skipIf(!browserAvailable)("the owners' web chat", () => {
  it("greets, verifies the owner's phone by a texted code and lists the homes", async () => {
    const page = await newPage(PHONE);
    await page.goto(`${cluster().url}/owner`);
    const chat = page.getByRole("log", { name: "对话记录" });
    await expect.poll(() => chat.getByText("服务热线：0871-12345").isVisible()).toBe(true);
    await page.getByRole("button", { name: "验证手机号" }).click();
    await expect.poll(() => chat.getByText("请输入您在开发商处登记的业主手机号").isVisible()).toBe(true);
    await page.getByLabel("消息").fill(OWNER);
    await page.getByRole("button", { name: "发送" }).click();
    await expect.poll(() => chat.getByText("验证码已发送至 136****0051").isVisible()).toBe(true);
    const code = new RegExp(`"phone":"${OWNER}","code":"(\\d{6})"`).exec(cluster().processes[0].log())![1];
    await page.getByLabel("消息").fill(code);
    await page.getByLabel("消息").press("Enter");
    await expect.poll(() => chat.getByText("手机号 136****0051 验证成功").isVisible()).toBe(true);
    expect(await chat.getByText("在线服务花园 2栋1单元601").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "我要报修" }).isVisible()).toBe(true);

    // Several photos chosen at once are sent one after the other.
    await page.getByRole("button", { name: "我要报修" }).click();
    await page.getByRole("button", { name: "防水渗漏" }).click();
    await expect.poll(() => chat.getByText("请描述缺陷情况").last().isVisible()).toBe(true);
    await page.getByLabel("消息").fill("卫生间地面渗水到楼下");
    await page.getByRole("button", { name: "发送" }).click();
    await expect.poll(() => chat.getByText("请上传缺陷照片").last().isVisible()).toBe(true);
    const photo = (name: string) => ({ name, mimeType: "image/png", buffer: Buffer.from(gradientPng(48, 32)) });
    expect(await page.locator("input[type=file]").getAttribute("multiple")).not.toBeNull();
    await page.locator("input[type=file]").setInputFiles([photo("一.png"), photo("二.png")]);
    await expect.poll(() => chat.getByText("已收到第 2 张照片。").isVisible()).toBe(true);
    expect(await chat.getByText("已收到第 1 张照片。").isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("on a phone, the page's top leads to the chat", async () => {
    const page = await newPage(PHONE);
    await page.goto(`${cluster().url}/owner`);
    const jump = page.getByRole("link", { name: "在线报修与咨询" });
    const box = await jump.boundingBox();
    expect(box && box.y + box.height).toBeLessThan(PHONE.height);
    await jump.click();
    await expect
      // At the page's end the card cannot reach the very top: its title in the upper third of the screen.
      .poll(() =>
        page.getByTestId("owner-chat").evaluate((card) => card.getBoundingClientRect().top >= 0 && card.getBoundingClientRect().top < innerHeight / 3),
      )
      .toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("shows a refused message's own reason, not only that something was wrong", async () => {
    const page = await newPage(PHONE);
    await page.goto(`${cluster().url}/owner`);
    const chat = page.getByRole("log", { name: "对话记录" });
    await expect.poll(() => chat.getByText("服务热线：0871-12345").isVisible()).toBe(true);
    await page.getByLabel("消息").fill("长".repeat(5001));
    await page.getByRole("button", { name: "发送" }).click();
    await expect.poll(() => chat.getByText("消息不能超过5000个字").isVisible()).toBe(true);
    expect(await chat.getByText("提交的内容有误").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
