import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatDateTime } from "~/shared/time";
import { browserAvailable, pickOption, useBrowser } from "../support/browser";
import { attach, countSubmissions, date, fieldError, fill, pngFile, submit } from "../support/form-page";
import { policy, registration } from "../support/insurance";
import { apiOverHttp, completeNextOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// 风险管理 through the task pages, as each party does it: the TIS's plan returned by the insurer and
// corrected, a site inspection with a risk event and its photo (a wrong deadline refused on its
// field), the contractor's rectification sent back once and then closed (销项) by the TIS, the
// assessment and final report, the insurer's approval and issue with the TIS's rating, and the
// developer's completion acceptance. The project is insured through the API beforehand.

const { url } = usePlatform();
const { as, openTaskFromInbox, pageErrors } = useBrowser(url);

const PROJECT = `金马碧鸡苑 ${Date.now() % 100000}`;

/** A calendar day in Beijing, `offset` days from today: the platform's clock is the real one here. */
const day = (offset = 0) => formatDateTime(Date.now() + offset * 86_400_000, "YYYY-MM-DD");

/** The project confirmed as insured (insurance review through the API), its risk management at the TIS's plan. */
async function insuredProject() {
  const insurer = await signInOverHttp(url(), "insurer");
  const { id } = await apiOverHttp<{ id: string }>(url(), insurer, "POST", "/api/v1/processes/insurance-review/instances", {
    title: "新建承保项目",
  });
  await completeNextOverHttp(url(), insurer, id, registration({ permitNo: "KM-RISK-E2E-01", name: PROJECT }));
  await completeNextOverHttp(url(), insurer, id, policy({ policyNo: "PICC-RISK-E2E-01" }));
  await completeNextOverHttp(url(), await signInOverHttp(url(), "regulator"), id, { decision: "confirm" });
}

/** The links of the project's tasks in the user's 待办. */
async function inboxTasks(page: Page): Promise<string[]> {
  await page.goto(`${url()}/inbox`);
  const links = page.getByRole("row").filter({ hasText: PROJECT }).getByRole("link");
  return (await links.allInnerTexts()).filter((t) => !t.includes(PROJECT)).sort();
}

/** The task page's heading: the task's name beside its flow's title. */
const heading = (page: Page) => page.locator(".ant-card-head-title").filter({ hasText: PROJECT }).first().innerText();
const card = (page: Page) => page.getByTestId("business-summary");

async function submitted(page: Page) {
  await submit(page);
  await page.waitForURL(/\/inbox\?done=1/);
}

describe.skipIf(!browserAvailable)("risk management (风险管理) through the browser", () => {
  it("the TIS files the briefing and plan with a building; the insurer returns it with a reason", async () => {
    await insuredProject();
    const tis = await as("tis");
    expect(await inboxTasks(tis)).toEqual(["风险交底及检查计划"]);
    await openTaskFromInbox(tis, "风险交底及检查计划", PROJECT);
    expect(await heading(tis)).toContain("风险交底及检查计划");
    await fill(tis, {
      风险交底情况: "开工前向参建各方交底：防水、保温、主体结构为重点",
      主要质量风险点: "地下室防水、外墙保温、屋面渗漏",
      "检查方式及计划（关键节点、频次）": "每月检查一次",
    });
    await tis.getByText("添加单体").click();
    await fill(tis, { 单体名称: "1号楼", 地上层数: 33, "建筑面积（㎡）": 21000 });
    await pickOption(tis, "结构类型", "剪力墙结构");
    await submitted(tis);

    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "审核风险检查计划", PROJECT);
    expect(await heading(insurer)).toContain("审核风险检查计划");
    // The plan as the TIS filed it, read-only.
    await insurer.getByTestId("earlier-steps").getByText("风险交底及检查计划").click();
    await expect.poll(() => insurer.getByTestId("earlier-steps").getByText("每月检查一次").count()).toBe(1);
    await insurer.getByLabel("退回修改").check();
    await submit(insurer);
    await expect.poll(() => fieldError(insurer, "退回原因").innerText()).toBe("退回时必须填写退回原因");
    await insurer.getByLabel("退回原因").fill("检查频次不足，请补充主体结构阶段的检查安排");
    await submitted(insurer);
  });

  it("the TIS sees the reason and its earlier input, corrects the plan; the insurer approves it", async () => {
    const tis = await as("tis");
    await openTaskFromInbox(tis, "风险交底及检查计划", PROJECT);
    await expect.poll(() => tis.getByTestId("returned").innerText()).toContain("检查频次不足，请补充主体结构阶段的检查安排");
    // The earlier input comes back, the building row too.
    expect(await tis.getByLabel("单体名称", { exact: true }).inputValue()).toBe("1号楼");
    await fill(tis, { "检查方式及计划（关键节点、频次）": "每两周检查一次，主体结构每层检查" });
    await submitted(tis);

    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "审核风险检查计划", PROJECT);
    expect(await insurer.getByTestId("returned").count()).toBe(0);
    await insurer.getByLabel("通过，开启施工现场风险管理").check();
    await submitted(insurer);
    // Site risk management is open: the TIS's three loops.
    expect(await inboxTasks(tis)).toEqual(["现场风险检查", "质量风险最终检查报告", "风险过程评估报告"].sort());
  });

  it("the TIS records a site inspection with a risk event and its photo; a deadline before the inspection is refused on its field", async () => {
    const tis = await as("tis");
    await openTaskFromInbox(tis, "现场风险检查", PROJECT);
    expect(await heading(tis)).toContain("现场风险检查");
    await date(tis, "检查日期", day(-1));
    await pickOption(tis, "施工阶段（关键节点）", "地基与基础施工");
    await fill(tis, { 检查人员: "周工、李工", 检查情况: "地下室防水施工中，发现后浇带处理不规范" });
    await tis.getByText("添加风险事件").click();
    await pickOption(tis, "风险类别", "防水");
    await pickOption(tis, "风险等级", "较大");
    await fill(tis, { "部位/位置": "地下室B区外墙", 问题描述: "后浇带止水钢板缺失" });
    // The rule is the form's: it speaks as the deadline is picked, and again when the date it reads moves.
    await date(tis, "整改期限", day(-2));
    await expect.poll(() => fieldError(tis, "整改期限").innerText()).toBe("整改期限不能早于检查日期");
    await date(tis, "检查日期", day(-3));
    await expect.poll(() => fieldError(tis, "整改期限").count()).toBe(0);
    await date(tis, "检查日期", day(-1));
    await expect.poll(() => fieldError(tis, "整改期限").innerText()).toBe("整改期限不能早于检查日期");
    // The event's own photo: the last 现场照片 field, in its row.
    await attach(tis, "现场照片", pngFile("后浇带.png"));
    const sent = countSubmissions(tis);
    await submit(tis);
    await expect.poll(() => tis.getByRole("alert").innerText()).toBe("还有 1 处填写有误，请按标红提示修改");
    expect(sent.count).toBe(0);
    expect(await tis.getByLabel("部位/位置", { exact: true }).inputValue()).toBe("地下室B区外墙");

    await date(tis, "整改期限", day(20));
    await submitted(tis);
    // The inspection loop stays open for the next visit.
    expect(await inboxTasks(tis)).toContain("现场风险检查");
  });

  it("the contractor rectifies the event from its card; the TIS sends it back with a reason", async () => {
    const contractor = await as("contractor");
    expect(await inboxTasks(contractor)).toEqual(["风险事件整改"]);
    // Due on the event's 整改期限, a day (not 00:00 of the day after).
    const due = contractor.getByRole("row").filter({ hasText: PROJECT }).getByRole("cell").nth(3);
    expect((await due.innerText()).trim()).toBe(day(20));
    await openTaskFromInbox(contractor, "风险事件整改", PROJECT);
    await expect.poll(() => card(contractor).innerText()).toContain("风险事件：");
    expect(await contractor.locator(".ant-descriptions-item").filter({ hasText: "办理期限" }).innerText()).toMatch(
      new RegExp(`办理期限\\s*${day(20)}$`),
    );
    const shown = await card(contractor).innerText();
    for (const text of [
      "防水",
      "较大",
      "待整改",
      "地下室B区外墙",
      "后浇带止水钢板缺失",
      day(20),
      "后浇带.png",
      "云南建科工程质量风险管理有限公司",
    ])
      expect(shown, text).toContain(text);
    expect(shown).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|waterproofing|major|open\b/);
    // Not before the inspection that found the event, said as the date is picked.
    await date(contractor, "整改完成日期", day(-2));
    await expect.poll(() => fieldError(contractor, "整改完成日期").innerText()).toBe(`整改完成日期不能早于检查日期（${day(-1)}）`);
    await date(contractor, "整改完成日期", day());
    await fill(contractor, { 整改措施及结果: "补设止水钢板" });
    await submit(contractor);
    await expect.poll(() => fieldError(contractor, "整改后照片").innerText()).toBe("请上传“整改后照片”");
    await attach(contractor, "整改后照片", pngFile("整改后.png"));
    await submitted(contractor);

    const tis = await as("tis");
    await openTaskFromInbox(tis, "整改复核", PROJECT);
    await expect.poll(() => card(tis).innerText()).toContain("待复核");
    expect(await card(tis).innerText()).toContain("补设止水钢板");
    await tis.getByLabel("整改不到位，退回整改").check();
    await submit(tis);
    await expect.poll(() => fieldError(tis, "复核意见").innerText()).toBe("退回整改时必须填写原因");
    await tis.getByLabel("复核意见").fill("止水钢板搭接长度不足");
    await submitted(tis);
  });

  it("the contractor sees the reason on the event and resubmits; the TIS closes it (销项)", async () => {
    const contractor = await as("contractor");
    await openTaskFromInbox(contractor, "风险事件整改", PROJECT);
    await expect.poll(() => contractor.getByTestId("returned").innerText()).toContain("止水钢板搭接长度不足");
    const shown = await card(contractor).innerText();
    expect(shown).toContain("整改中");
    expect(shown).toContain("止水钢板搭接长度不足");
    // The earlier photo comes back with the step and goes again.
    expect(await contractor.getByRole("link", { name: "整改后.png" }).count()).toBeGreaterThan(0);
    await fill(contractor, { 整改措施及结果: "按规范重新搭接止水钢板" });
    await submitted(contractor);

    const tis = await as("tis");
    await openTaskFromInbox(tis, "整改复核", PROJECT);
    await expect.poll(() => card(tis).innerText()).toContain("按规范重新搭接止水钢板");
    await tis.getByLabel("整改到位，销项").check();
    await submitted(tis);
    expect(await inboxTasks(contractor)).toEqual([]);
  });

  it("the closed event's card, opened from the TIS's 已办, shows it 已销项", async () => {
    const tis = await as("tis", "/inbox?view=done");
    await tis.getByRole("row").filter({ hasText: PROJECT }).getByRole("link", { name: "整改复核" }).first().click();
    await tis.waitForURL(/\/tasks\//);
    await expect.poll(() => card(tis).innerText()).toContain("已销项");
    expect(await card(tis).innerText()).toContain("销项时间");
  });

  it("the TIS files a process assessment and the final report", async () => {
    const tis = await as("tis");
    await openTaskFromInbox(tis, "风险过程评估报告", PROJECT);
    await date(tis, "报告日期", day());
    await fill(tis, { 评估期间: "2026年11月", "检查人员评分（0–100）": 80, 风险状况综述: "防水施工质量有待提高" });
    await submitted(tis);
    // Assessments go on: the next period's report waits.
    expect(await inboxTasks(tis)).toEqual(["现场风险检查", "质量风险最终检查报告", "风险过程评估报告"].sort());

    await openTaskFromInbox(tis, "质量风险最终检查报告", PROJECT);
    await date(tis, "报告日期", day());
    await fill(tis, {
      工程质量检查情况综述: "整体质量良好",
      质量缺陷整改情况: "风险事件1项，已全部销项",
      综合评价结论: "同意竣工验收",
    });
    await attach(tis, "最终检查报告文件", pngFile("最终检查报告.png"));
    await submitted(tis);
  });

  it("the insurer approves the final report, which ends the site's loops, then issues it and rates the TIS", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "审核最终检查报告", PROJECT);
    expect(await heading(insurer)).toContain("审核最终检查报告");
    await insurer.getByLabel("通过，结束施工阶段风险管理").check();
    await submitted(insurer);
    // The site's loops end with the approval.
    expect(await inboxTasks(await as("tis"))).toEqual([]);

    await openTaskFromInbox(insurer, "出具报告并评价风险管理机构", PROJECT);
    await submit(insurer);
    // The files are asked for as uploads.
    for (const label of ["盖章的最终检查报告", "责任范围说明书", "住宅工程质量潜在缺陷保险告知书"])
      await expect.poll(() => fieldError(insurer, label).innerText(), { message: label }).toBe(`请上传“${label}”`);
    expect(await fieldError(insurer, "对风险管理机构的评价").innerText()).toBe("请选择“对风险管理机构的评价”");
    await attach(insurer, "盖章的最终检查报告", pngFile("盖章报告.png"));
    await attach(insurer, "责任范围说明书", pngFile("责任范围说明书.png"));
    await attach(insurer, "住宅工程质量潜在缺陷保险告知书", pngFile("告知书.png"));
    await insurer.getByLabel("4星 满意").check();
    await insurer.getByLabel("评价说明").fill("检查及时，报告规范");
    await submitted(insurer);
  });

  it("the developer records completion acceptance (竣工验收), the last step before the warranty years", async () => {
    const developer = await as("developer");
    expect(await inboxTasks(developer)).toEqual(["登记竣工验收"]);
    await openTaskFromInbox(developer, "登记竣工验收", PROJECT);
    // Not before the project started (registered as 2026-03-01), said as the date is picked.
    await date(developer, "竣工验收日期", "2026-02-27");
    await expect.poll(() => fieldError(developer, "竣工验收日期").innerText()).toBe("竣工验收日期不能早于开工日期（2026-03-01）");
    await date(developer, "竣工验收日期", day());
    await attach(developer, "竣工验收材料", pngFile("竣工验收备案表.png"));
    await submitted(developer);
    expect(await inboxTasks(developer)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("in its use stage the project says what its risk management waits for, not a step nobody has", async () => {
    const insurer = await as("insurer", `/projects?q=${encodeURIComponent(PROJECT)}`);
    await insurer.getByRole("link", { name: PROJECT }).first().click();
    await insurer.waitForURL(/\/projects\/[0-9a-f-]{36}/);
    const waiting = /^等待：回访周期（6个月）至 \d{4}-\d{2}-\d{2}、竣工验收满两年前复查至 \d{4}-\d{2}-\d{2}$/;
    const flow = insurer.getByRole("row").filter({ hasText: "风险管理（第" });
    await expect.poll(async () => (await flow.getByRole("cell").nth(3).innerText()).trim()).toMatch(waiting);
    await insurer.getByRole("tab", { name: "风险" }).click();
    const progress = insurer.locator(".ant-descriptions-item").filter({ hasText: "当前环节" });
    await expect.poll(async () => (await progress.innerText()).replace(/^当前环节\s*/, "").trim()).toMatch(waiting);
    expect(pageErrors).toEqual([]);
  });
});
