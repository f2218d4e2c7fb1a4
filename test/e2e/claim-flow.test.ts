import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { demoCreditCode } from "~/demo/demo-organisations";
import { formatDateTime, shiftDay } from "~/shared/time";
import { browserAvailable, pickOption, useBrowser } from "../support/browser";
import { attach, countSubmissions, date, fieldError, fill, pngFile, submit } from "../support/form-page";
import { policy, registration } from "../support/insurance";
import { apiOverHttp, completeNextOverHttp, signInOverHttp, usePlatform } from "../support/platform";
import { goodUnitRows, unitsWorkbook } from "../support/units";

// 理赔 through the task pages, as each party does it: an insurer's core system reports a claim on a
// delivered home; the insurer accepts it (naming the repairer), surveys with photos, is refused a
// decline without a reason on its field, registers and assesses it; the repairer reports the repair
// with photos before and after; the hotline records the owner's acceptance; the insurer closes it
// with the amount, and the claim's page shows it closed.

const { url } = usePlatform();
const { as, openTaskFromInbox } = useBrowser(url);

const PROJECT = `春城理赔苑 ${Date.now() % 100000}`;
const today = () => formatDateTime(Date.now(), "YYYY-MM-DD");

/** An insured project whose developer imported its homes; returns the first home's id. */
async function deliveredHome(): Promise<string> {
  const insurer = await signInOverHttp(url(), "insurer");
  const { id, businessKey } = await apiOverHttp<{ id: string; businessKey: string }>(
    url(),
    insurer,
    "POST",
    "/api/v1/processes/insurance-review/instances",
    { title: "新建承保项目" },
  );
  await completeNextOverHttp(url(), insurer, id, registration({ permitNo: "KM-CLAIM-E2E-01", name: PROJECT, communityName: PROJECT }));
  await completeNextOverHttp(url(), insurer, id, policy({ policyNo: "PICC-CLAIM-E2E-01" }));
  await completeNextOverHttp(url(), await signInOverHttp(url(), "regulator"), id, { decision: "confirm" });
  const developer = await signInOverHttp(url(), "developer");
  const form = new FormData();
  form.append("file", new Blob([(await unitsWorkbook(goodUnitRows(4, "1370871"))) as Uint8Array<ArrayBuffer>]), "房屋清单.xlsx");
  const imported = await fetch(`${url()}/api/v1/projects/${businessKey}/units`, {
    method: "POST",
    headers: { Cookie: developer, Origin: url() },
    body: form,
  });
  expect(imported.status).toBe(200);
  const homes = await apiOverHttp<{ rows: { id: string }[] }>(url(), insurer, "GET", `/api/v1/projects/${businessKey}/units`);
  return homes.rows[0].id;
}

const card = (page: Page) => page.getByTestId("business-summary");

async function submitted(page: Page) {
  await submit(page);
  await page.waitForURL(/\/inbox\?done=1/);
}

describe.skipIf(!browserAvailable)("a claim (理赔) through the browser", () => {
  let claimId: string;

  it("reported by the insurer's system, the insurer accepts it naming the repairer", async () => {
    const unitId = await deliveredHome();
    const insurerCookie = await signInOverHttp(url(), "insurer");
    const claim = await apiOverHttp<{ id: string; number: string }>(url(), insurerCookie, "POST", "/api/v1/claims", {
      unitId,
      part: "waterproofing",
      description: "主卧外墙雨后渗水，墙面起皮",
      reporterName: "业主1",
      reporterPhone: "13708710000",
      estimate: 8000,
    });
    claimId = claim.id;
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "受理报案", PROJECT);
    // The claim as reported, above the form.
    await expect.poll(() => card(insurer).innerText()).toContain("主卧外墙雨后渗水，墙面起皮");
    expect(await card(insurer).innerText()).toContain("1栋1单元101");
    await fill(insurer, { 委托维修单位统一社会信用代码: demoCreditCode("rep-lj") });
    await date(insurer, "联系业主日期", today());
    await submitted(insurer);
  });

  it("the survey with its photo; a decline without a reason is refused on its field; registered and assessed", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "现场查勘", PROJECT);
    // A survey that must have happened, and after the report (today), offers no day to come in its
    // picker, nor one before the report.
    await insurer.getByLabel("查勘日期", { exact: true }).click();
    const dayCell = (day: string) => insurer.locator(`.ant-picker-dropdown:visible td[title="${day}"]`);
    await expect.poll(() => dayCell(shiftDay(today(), 1, "day")).getAttribute("class")).toContain("ant-picker-cell-disabled");
    expect(await dayCell(shiftDay(today(), -1, "day")).getAttribute("class")).toContain("ant-picker-cell-disabled");
    expect(await dayCell(today()).getAttribute("class")).not.toContain("ant-picker-cell-disabled");
    await insurer.keyboard.press("Escape");
    // A day typed outside them is kept, and the field says why (the picker used to drop it without a word).
    const sent = countSubmissions(insurer);
    await date(insurer, "查勘日期", shiftDay(today(), 1, "day"));
    await expect.poll(() => fieldError(insurer, "查勘日期").innerText()).toBe("查勘日期不能晚于今天");
    await insurer.getByLabel("缺陷原因", { exact: true }).click();
    expect(await insurer.getByLabel("查勘日期", { exact: true }).inputValue()).toBe(shiftDay(today(), 1, "day"));
    // A survey cannot come before the report: the page says so as the date is typed, with the report's date.
    await date(insurer, "查勘日期", shiftDay(today(), -1, "day"));
    await expect.poll(() => fieldError(insurer, "查勘日期").innerText()).toBe(`查勘日期不能早于报案日期（${today()}）`);
    await date(insurer, "查勘日期", today());
    await expect.poll(() => fieldError(insurer, "查勘日期").count()).toBe(0);
    expect(sent.count).toBe(0);
    // A select asks for what it holds.
    const partField = insurer.locator(".ant-formily-item").filter({ hasText: "缺陷部位" }).first();
    expect(await partField.locator(".ant-select-selection-placeholder").innerText()).toBe("请选择缺陷部位");
    await pickOption(insurer, "缺陷部位", "防水渗漏");
    await fill(insurer, { 缺陷原因: "外墙防水层老化开裂", 损失程度及范围: "主卧外墙约3平方米", 维修建议: "外墙防水修补，室内墙面重做" });
    await attach(insurer, "查勘照片", pngFile("查勘.png"));
    await submitted(insurer);

    await openTaskFromInbox(insurer, "立案决定", PROJECT);
    await expect.poll(() => card(insurer).innerText()).toContain("外墙防水层老化开裂");
    await insurer.getByLabel("不属于保险责任，不予立案").check();
    await submit(insurer);
    await expect.poll(() => fieldError(insurer, "说明").innerText()).toBe("不予立案时必须填写原因，原因将告知业主");
    await insurer.getByLabel("属于保险责任，立案").check();
    await submitted(insurer);

    await openTaskFromInbox(insurer, "定损", PROJECT);
    // An earlier step read-only: the 说明 nobody wrote reads —, not N/A.
    await insurer.getByTestId("earlier-steps").getByText("立案决定", { exact: true }).click();
    const decided = insurer.getByTestId("earlier-steps").locator(".ant-formily-item").filter({ hasText: "说明" });
    await expect.poll(() => decided.innerText()).toMatch(/说明\s*:?\s*—$/);
    // The survey's 维修建议 is the plan to start from.
    await expect.poll(() => insurer.getByLabel("维修方案").inputValue()).toBe("外墙防水修补，室内墙面重做");
    // A negative amount is refused on its field as it is typed, not turned into 0 without a word.
    await fill(insurer, { 核定损失金额: -6500 });
    await expect.poll(() => fieldError(insurer, "核定损失金额").innerText()).toBe("核定损失金额不能为负数");
    await insurer.getByLabel("维修方案").click();
    expect(await insurer.getByLabel("核定损失金额").inputValue()).toMatch(/^-6,?500(\.00)?$/);
    await fill(insurer, { 维修方案: "外墙局部防水修补，主卧墙面铲除重做", 核定损失金额: 6500 });
    await submitted(insurer);
  });

  it("the repairer reports the repair with photos before and after; the hotline records the owner's acceptance", async () => {
    const repairer = await as("repairer");
    await openTaskFromInbox(repairer, "维修", PROJECT);
    await date(repairer, "开工日期", today());
    await date(repairer, "完工日期", today());
    await fill(repairer, { 维修内容: "外墙防水修补，主卧墙面重做" });
    await attach(repairer, "维修前照片", pngFile("维修前.png"));
    await attach(repairer, "维修后照片", pngFile("维修后.png"));
    await submitted(repairer);

    const hotline = await as("hotline");
    await openTaskFromInbox(hotline, "业主验收", PROJECT);
    await expect.poll(() => card(hotline).innerText()).toContain("外墙防水修补，主卧墙面重做");
    await hotline.getByLabel("维修合格，同意验收").check();
    await submitted(hotline);
  });

  it("the insurer closes it with the amount; the claim's page shows it closed with every step", async () => {
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "结案", PROJECT);
    // What the survey and the assessment hold is not typed again: part, cause and cost open filled, editable.
    const formCard = insurer.locator(".ant-card").filter({ has: insurer.getByText("办理", { exact: true }) });
    await expect.poll(() => formCard.locator(".ant-select").filter({ hasText: "防水渗漏" }).count()).toBe(1);
    expect(await insurer.getByLabel("缺陷原因").inputValue()).toBe("外墙防水层老化开裂");
    expect(await insurer.getByLabel("维修费用").inputValue()).toMatch(/^6,?500(\.00)?$/);
    // What the user types is their draft, and a draft wins over what was filled in for them.
    await fill(insurer, { 缺陷原因: "外墙防水层老化开裂，窗框周边密封失效" });
    await expect.poll(() => insurer.getByTestId("draft-status").innerText()).toMatch(/^草稿已自动保存/);
    await insurer.reload();
    await expect.poll(() => insurer.getByLabel("缺陷原因").inputValue()).toBe("外墙防水层老化开裂，窗框周边密封失效");
    await fill(insurer, { 维修费用: 6300, 赔付金额: 6300 });
    await submitted(insurer);
    await insurer.goto(`${url()}/claims/${claimId}`);
    await expect.poll(() => insurer.locator("body").innerText()).toContain("已结案");
    const text = await insurer.locator("body").innerText();
    for (const shown of ["查勘报告", "定损", "维修情况", "6,300.00 元", "昆明利家物业服务有限公司"]) expect(text).toContain(shown);
  });
});
