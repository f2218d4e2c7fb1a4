import { describe, expect, it } from "vitest";
import { demoCreditCode } from "~/demo/demo-organisations";
import { browserAvailable, pickOption, useBrowser } from "../support/browser";
import { date, fieldError, fill, submit } from "../support/form-page";
import { englishNamesIn } from "../support/machine-text";
import { usePlatform } from "../support/platform";

// 保险审核 through the pages, as the insurer and the regulator do it: the registration and policy
// forms (selects, date pickers, lists of rows), the form's own checks and the services' checks shown
// on the fields, the return with a reason and the corrected resubmission, then the project's page.

const { url } = usePlatform();
const { as, openTaskFromInbox, pageErrors } = useBrowser(url);

const PROJECT = `螺蛳湾悦府 ${Date.now() % 100000}`;

const withWrongCheckCharacter = (code: string) => code.slice(0, 17) + (code[17] === "0" ? "1" : "0");

describe.skipIf(!browserAvailable)("insurance review (保险审核) through the browser", () => {
  it("the insurer starts a project from 项目 and registers it; form and server checks land on the fields", async () => {
    const insurer = await as("insurer", "/projects");
    await insurer.getByRole("button", { name: "新建承保项目" }).click();
    await insurer.waitForURL(/\/tasks\//);
    await expect.poll(() => insurer.getByText("录入报建信息").count()).toBeGreaterThan(0);
    // The pickers speak Chinese.
    expect(await insurer.getByLabel("开工日期", { exact: true }).getAttribute("placeholder")).toBe("请选择日期");

    await submit(insurer);
    await expect.poll(() => fieldError(insurer, "报建号").innerText()).toBe("请填写“报建号”");

    await fill(insurer, {
      报建号: "KM-E2E-0001",
      项目名称: PROJECT,
      小区名称: "螺蛳湾悦府",
      项目地址: "官渡区螺蛳湾路66号",
      经度: 102.73,
      纬度: 25.01,
      "建筑面积（平方米）": 64200,
      楼栋数: 6,
      户数: 540,
      "建安造价（元）": 238000000,
      // The developer's code belongs to a contractor: only the server knows that.
      建设单位统一社会信用代码: demoCreditCode("con-yj2"),
      施工单位统一社会信用代码: demoCreditCode("con-yj2"),
      监理单位统一社会信用代码: demoCreditCode("sup-hy"),
      勘察设计单位统一社会信用代码: withWrongCheckCharacter(demoCreditCode("des-ys")),
    });
    await pickOption(insurer, "区县", "官渡区");
    await date(insurer, "开工日期", "2026-04-01");
    await date(insurer, "计划竣工日期", "2028-09-30");
    // The number fields' steppers and the date fields' calendar and ✕ are named in Chinese.
    expect(await englishNamesIn(insurer)).toEqual([]);
    expect(await insurer.getByRole("button", { name: "增加" }).count()).toBeGreaterThan(0);
    await submit(insurer);
    // The shared credit-code rule runs in the browser before anything is sent.
    await expect.poll(() => fieldError(insurer, "勘察设计单位统一社会信用代码").innerText()).toContain("校验");

    await fill(insurer, { 勘察设计单位统一社会信用代码: demoCreditCode("des-ys") });
    await submit(insurer);
    await expect
      .poll(() => fieldError(insurer, "建设单位统一社会信用代码").innerText())
      .toBe("该信用代码登记的是施工单位“云南建设投资第二建筑工程有限公司”，不是建设单位");
    // The input stays as typed.
    expect(await insurer.getByLabel("项目名称", { exact: true }).inputValue()).toBe(PROJECT);

    await fill(insurer, { 建设单位统一社会信用代码: demoCreditCode("dev-dc") });
    await submit(insurer);
    await insurer.waitForURL(/\/inbox\?done=1/);
    await expect
      .poll(() => insurer.getByRole("row").filter({ hasText: PROJECT }).getByRole("link", { name: "录入保险信息" }).count())
      .toBe(1);
  });

  it("the insurer enters the policy: coverage defaults, rows added, premium and shares checked on the fields", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "录入保险信息", PROJECT);
    // docs/domain.md's coverage parts and periods come filled in, editable.
    await expect.poll(() => insurer.getByLabel("保险责任部位", { exact: true }).count()).toBe(3);
    expect(await insurer.getByLabel("保险期限（年）", { exact: true }).first().inputValue()).toBe("10");
    await fill(insurer, {
      保单号: "PICC-IDI-E2E-0001",
      "保险金额（元）": 238000000,
      "费率（%）": 1.2,
      "保费（元）": 2800000,
      "主承保份额（%）": 70,
      风险管理机构统一社会信用代码: demoCreditCode("tis-yjk"),
    });
    await date(insurer, "签单日期", "2026-03-20");
    await date(insurer, "保险起期", "2028-10-01");
    await date(insurer, "保险止期", "2038-09-30");
    await insurer.getByText("添加共保公司").click();
    await fill(insurer, { 共保公司统一社会信用代码: demoCreditCode("cpic"), "份额（%）": 20 });
    await insurer
      .locator("input[type=file]")
      .last()
      .setInputFiles({ name: "保单原件.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
    await expect.poll(() => insurer.getByRole("link", { name: "保单原件.pdf" }).count()).toBe(1);
    await submit(insurer);
    await expect.poll(() => fieldError(insurer, "保费（元）").innerText()).toBe("保费应等于保险金额×费率，即 2856000.00 元");
    await expect.poll(() => insurer.getByText("主承保与共保份额合计应为100%，当前为90%").count()).toBe(1);

    await fill(insurer, { "保费（元）": 2856000 });
    await insurer.getByLabel("份额（%）", { exact: true }).fill("30");
    // Changing the fields takes the server's messages away.
    await expect.poll(() => insurer.getByText("主承保与共保份额合计应为100%，当前为90%").count()).toBe(0);
    await submit(insurer);
    await insurer.waitForURL(/\/inbox\?done=1/);
  });

  it("the regulator must give a reason to return it; the insurer sees the reason and its earlier input, corrects and resubmits", async () => {
    const regulator = await as("regulator");
    await openTaskFromInbox(regulator, "住建局确认投保", PROJECT);
    await regulator.getByLabel("退回保险公司修改").check();
    await submit(regulator);
    await expect.poll(() => regulator.getByText("退回时必须填写退回原因").count()).toBe(1);
    await regulator.getByLabel("退回原因").fill("施工图纸未上传");
    await submit(regulator);
    await regulator.waitForURL(/\/inbox\?done=1/);

    const insurer = await as("insurer", `/projects?q=${encodeURIComponent(PROJECT)}`);
    await expect.poll(() => insurer.getByRole("row").filter({ hasText: PROJECT }).getByText("已退回").count()).toBe(1);
    await openTaskFromInbox(insurer, "录入报建信息", PROJECT);
    await expect.poll(() => insurer.getByTestId("returned").innerText()).toContain("施工图纸未上传");
    expect(await insurer.getByLabel("项目名称", { exact: true }).inputValue()).toBe(PROJECT);
    // A slow upload: submitting before it arrives is refused on the field, not sent without the file.
    let releaseUpload = () => {};
    const uploadHeld = new Promise<void>((resolve) => (releaseUpload = resolve));
    await insurer.route("**/attachments", async (route) => {
      await uploadHeld;
      await route.continue();
    });
    await insurer
      .locator("input[type=file]")
      .first()
      .setInputFiles({
        name: "总平面图.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
      });
    await submit(insurer);
    await expect.poll(() => insurer.getByText("文件正在上传，请上传完成后再提交").count()).toBe(1);
    releaseUpload();
    await expect.poll(() => insurer.getByRole("link", { name: "总平面图.pdf" }).count()).toBe(1);
    expect(await insurer.getByText("文件正在上传，请上传完成后再提交").count()).toBe(0);
    await submit(insurer);
    await insurer.waitForURL(/\/inbox\?done=1/);
  });

  it("the insurer corrects the returned policy: what cannot be stored is refused on its field, a refusal keeps every edit, the earlier files go again", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "录入保险信息", PROJECT);
    expect(await insurer.getByLabel("保单号", { exact: true }).inputValue()).toBe("PICC-IDI-E2E-0001");
    // A character the platform cannot store is refused on its field, not with a crash page.
    await fill(insurer, { 保单号: "PICC-IDI-E2E-0001\u0000R" });
    await submit(insurer);
    await expect.poll(() => fieldError(insurer, "保单号").innerText()).toContain("不允许的字符");
    // A refusal keeps every change the user made (the page reloads its data after each submission).
    await fill(insurer, { 保单号: "PICC-IDI-E2E-0001-R", "保费（元）": 1 });
    await submit(insurer);
    await expect.poll(() => fieldError(insurer, "保费（元）").innerText()).toBe("保费应等于保险金额×费率，即 2856000.00 元");
    expect(await insurer.getByLabel("保单号", { exact: true }).inputValue()).toBe("PICC-IDI-E2E-0001-R");
    // The policy scan uploaded in the first round comes back with the step and is accepted again.
    await fill(insurer, { "保费（元）": 2856000 });
    await submit(insurer);
    await insurer.waitForURL(/\/inbox\?done=1/);
  });

  it("the regulator confirms; the project page shows it insured with its policy and shares, and the TIS gets its first step", async () => {
    const regulator = await as("regulator");
    await openTaskFromInbox(regulator, "住建局确认投保", PROJECT);
    // The corrected submission comes forwards again: nothing was sent back to the regulator.
    expect(await regulator.getByTestId("returned").count()).toBe(0);
    await regulator.getByLabel("确认已投保").check();
    await submit(regulator);
    await regulator.waitForURL(/\/inbox\?done=1/);

    await regulator.goto(`${url()}/projects?q=${encodeURIComponent(PROJECT)}`);
    await regulator.getByRole("link", { name: PROJECT }).click();
    await regulator.waitForURL(/\/projects\//);
    // Its flows, with where each stands: the review done, risk management at the TIS's first step.
    await expect.poll(() => regulator.getByRole("row").filter({ hasText: "风险管理（第" }).innerText()).toContain("风险交底及检查计划");
    for (const text of [
      "已确认投保",
      "PICC-IDI-E2E-0001-R",
      "中国太平洋财产保险股份有限公司云南分公司",
      "总平面图.pdf",
      "云南建科工程质量风险管理有限公司",
    ])
      await expect.poll(() => regulator.getByText(text).count(), { message: text }).toBeGreaterThan(0);

    const tis = await as("tis", "/inbox");
    await expect.poll(() => tis.getByRole("row").filter({ hasText: PROJECT }).count()).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });
});
