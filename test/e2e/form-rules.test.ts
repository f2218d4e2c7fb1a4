import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { demoCreditCode } from "~/demo/demo-organisations";
import { creditCodeCheckCharacter } from "~/shared/credit-code";
import { browserAvailable, pickOption, useBrowser } from "../support/browser";
import { countSubmissions, date, fieldError, fill, submit, textCount } from "../support/form-page";
import { usePlatform } from "../support/platform";

// The insurance forms' rules as a user meets them: the cross-field rules (date order, premium,
// share totals) speak as the fields are typed and clear once corrected, wherever the correction is
// made; a submission the page will not send says why and shows the first error; the server answers
// every objection of the register in one round.

const { url } = usePlatform();
const { as, openTaskFromInbox, pageErrors } = useBrowser(url);

const PROJECT = `金马碧鸡苑 ${Date.now() % 100000}`;
const PERMIT = `KM-RULES-${Date.now() % 100000}`;
const unknownCode = (() => {
  const first17 = `91530100MA6Y${String(Date.now() % 100000).padStart(5, "0")}`;
  return first17 + creditCodeCheckCharacter(first17);
})();

/** A complete registration of PROJECT under PERMIT, but for `changes`. */
async function fillRegistration(page: Page, changes: Record<string, string | number>) {
  await fill(page, {
    报建号: PERMIT,
    项目名称: PROJECT,
    小区名称: "金马碧鸡苑",
    项目地址: "西山区金碧路1号",
    "建筑面积（平方米）": 52000,
    楼栋数: 5,
    户数: 420,
    "建安造价（元）": 180000000,
    建设单位统一社会信用代码: demoCreditCode("dev-dc"),
    施工单位统一社会信用代码: demoCreditCode("con-yj2"),
    监理单位统一社会信用代码: demoCreditCode("sup-hy"),
    勘察设计单位统一社会信用代码: demoCreditCode("des-ys"),
    ...changes,
  });
  await pickOption(page, "区县", "西山区");
  await date(page, "开工日期", "2026-05-01");
  await date(page, "计划竣工日期", "2028-10-31");
}

const refusal = (page: Page) => page.getByText(/^还有 \d+ 处填写有误，请按标红提示修改$/);

/** Whether the element is wholly inside the window. */
const inView = (page: Page, label: string) =>
  page
    .locator(".ant-formily-item")
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .first()
    .evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    });

// Each step drives a long form through several submissions: more than the default 30 s on a loaded machine.
describe.skipIf(!browserAvailable)("form rules in the browser", { timeout: 90_000 }, () => {
  let registrationTask = "";

  it("a submission the page will not send says why and brings the first error into view", async () => {
    const insurer = await as("insurer", "/projects");
    await insurer.getByRole("button", { name: "新建承保项目" }).click();
    await insurer.waitForURL(/\/tasks\//);
    registrationTask = insurer.url();
    const sent = countSubmissions(insurer);
    // The date rule speaks as the date is picked, before any submission.
    await fill(insurer, { 项目名称: PROJECT, "建筑面积（平方米）": 52000 });
    await date(insurer, "开工日期", "2026-05-01");
    await date(insurer, "计划竣工日期", "2026-04-30");
    await expect.poll(() => fieldError(insurer, "计划竣工日期").innerText()).toBe("计划竣工日期应晚于开工日期");
    // Text over its limit: the count and the field say so as it is typed; nothing is cut.
    await fill(insurer, { 项目地址: "滇".repeat(201) });
    await expect.poll(() => fieldError(insurer, "项目地址").innerText()).toBe("项目地址不能超过200个字");
    expect(await textCount(insurer, "项目地址").innerText()).toBe("201 / 200");
    expect(await insurer.getByLabel("项目地址", { exact: true }).inputValue()).toHaveLength(201);
    await insurer.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await inView(insurer, "报建号")).toBe(false);
    await submit(insurer);
    await expect.poll(() => refusal(insurer).count()).toBe(1);
    await expect.poll(() => inView(insurer, "报建号")).toBe(true);
    expect(await fieldError(insurer, "报建号").innerText()).toBe("请填写“报建号”");
    expect(await fieldError(insurer, "项目地址").innerText()).toBe("项目地址不能超过200个字");
    expect(sent.count).toBe(0);
    // The summary follows the fields as they are put right, not the last 提交.
    const wrong = Number(/\d+/.exec(await refusal(insurer).innerText())![0]);
    await fill(insurer, { 项目地址: "昆明市呈贡区" });
    await expect.poll(() => refusal(insurer).innerText()).toBe(`还有 ${wrong - 1} 处填写有误，请按标红提示修改`);
  });

  it("corrected, the registration goes through", async () => {
    const insurer = await as("insurer");
    await insurer.goto(registrationTask);
    await fillRegistration(insurer, {});
    await submit(insurer);
    await insurer.waitForURL(/\/inbox\?done=1/);
  });

  it("another registration with the same 报建号 and wrong parties gets every objection of the register in one submission", async () => {
    const insurer = await as("insurer", "/projects");
    await insurer.getByRole("button", { name: "新建承保项目" }).click();
    await insurer.waitForURL(/\/tasks\//);
    const sent = countSubmissions(insurer);
    await fillRegistration(insurer, {
      项目名称: `${PROJECT} 二期`,
      // A contractor's code as the developer, an unknown supervisor without its name.
      建设单位统一社会信用代码: demoCreditCode("con-yj2"),
      监理单位统一社会信用代码: unknownCode,
    });
    await submit(insurer);
    await expect.poll(() => fieldError(insurer, "报建号").innerText()).toBe(`报建号“${PERMIT}”已登记，不能重复投保`);
    expect(await fieldError(insurer, "建设单位统一社会信用代码").innerText()).toBe(
      "该信用代码登记的是施工单位“云南建设投资第二建筑工程有限公司”，不是建设单位",
    );
    expect(await fieldError(insurer, "监理单位名称").innerText()).toBe("平台尚未登记该单位，请填写监理单位名称");
    expect(sent.count).toBe(1);
  });

  it("the policy's rules speak as it is typed, come together on one submission, clear once corrected, and 提交 then sends", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "录入保险信息", PROJECT);
    const sent = countSubmissions(insurer);
    await fill(insurer, {
      保单号: `PICC-RULES-${Date.now() % 100000}`,
      "保险金额（元）": 238000000,
      "费率（%）": 1.2,
      "保费（元）": 2800000,
      "主承保份额（%）": 70,
      风险管理机构统一社会信用代码: demoCreditCode("tis-yjk"),
    });
    await date(insurer, "签单日期", "2026-03-20");
    await date(insurer, "保险起期", "2028-11-01");
    await date(insurer, "保险止期", "2028-10-31");
    await insurer.getByText("添加共保公司").click();
    await fill(insurer, { 共保公司统一社会信用代码: demoCreditCode("cpic"), "份额（%）": 20 });

    const shareTotal = (percent: number) => insurer.getByText(`主承保与共保份额合计应为100%，当前为${percent}%`);
    await expect.poll(() => fieldError(insurer, "保费（元）").innerText()).toBe("保费应等于保险金额×费率，即 2856000.00 元");
    await expect.poll(() => shareTotal(90).count()).toBe(1);
    await expect.poll(() => fieldError(insurer, "保险止期").innerText()).toBe("保险止期应晚于保险起期");

    // All of them at once, and the page says why nothing was sent.
    await submit(insurer);
    await expect.poll(() => refusal(insurer).innerText()).toBe("还有 3 处填写有误，请按标红提示修改");
    expect(sent.count).toBe(0);

    // The share in the row: the total is judged again, the same row stays.
    await insurer.getByLabel("份额（%）", { exact: true }).fill("30");
    await expect.poll(() => shareTotal(90).count()).toBe(0);
    // The lead share, outside the list, counts too.
    await fill(insurer, { "主承保份额（%）": 60 });
    await expect.poll(() => shareTotal(90).count()).toBe(1);
    await fill(insurer, { "主承保份额（%）": 70 });
    await expect.poll(() => shareTotal(90).count()).toBe(0);
    // The premium follows the sum insured it is computed from.
    await fill(insurer, { "保险金额（元）": 233333333.33 });
    await expect.poll(() => fieldError(insurer, "保费（元）").count()).toBe(0);
    await date(insurer, "保险止期", "2038-10-31");
    await expect.poll(() => fieldError(insurer, "保险止期").count()).toBe(0);
    expect(await insurer.getByLabel("共保公司统一社会信用代码", { exact: true }).count()).toBe(1);

    // What only the server knows lands on the row; it never stops the next submission (the server
    // is asked again), and correcting the row takes it away.
    await fill(insurer, { 共保公司统一社会信用代码: demoCreditCode("picc") });
    await submit(insurer);
    await expect.poll(() => fieldError(insurer, "共保公司统一社会信用代码").innerText()).toBe("主承保公司不能同时作为共保公司");
    expect(sent.count).toBe(1);
    await submit(insurer);
    await expect.poll(() => sent.count).toBe(2);
    await expect.poll(() => fieldError(insurer, "共保公司统一社会信用代码").innerText()).toBe("主承保公司不能同时作为共保公司");
    await fill(insurer, { 共保公司统一社会信用代码: demoCreditCode("cpic") });
    await expect.poll(() => fieldError(insurer, "共保公司统一社会信用代码").count()).toBe(0);

    await submit(insurer);
    await insurer.waitForURL(/\/inbox\?done=1/);
    expect(sent.count).toBe(3);
    expect(pageErrors).toEqual([]);
  });
});
