import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAvailable, PHONE, pickOption, useBrowser } from "../support/browser";
import { callAs, closeClaimOverHttp, insuredHomesOverHttp } from "../support/claims-http";
import { signInOverHttp, useCluster } from "../support/platform";

// The 理赔 pages as their users see them: the regulator's list with its overdue filter and red
// rows, a claim's page with its sections, timeline and rating, another insurer's 404, and the
// 服务评价 rankings. Claims come in through the API as an insurer's core system sends them.

const cluster = useCluster();
const url = () => cluster().url;
const browser = useBrowser(url);
const signedIn = new Map<string, Promise<Page>>();
/** One desktop page per user for the whole file: signing in is the slow part of each step. */
const as = (username: string) => {
  if (!signedIn.has(username)) signedIn.set(username, browser.as(username));
  return signedIn.get(username)!;
};

const PICC = "中国人民财产保险股份有限公司昆明市分公司";
/** A caller's description of many lines, whose end shows only once it is unfolded. */
const LONG_DESCRIPTION = `${"卫生间地面渗水到楼下顶棚，墙角瓷砖空鼓，淋浴区玻璃隔断下方积水。".repeat(12)}以上为来电全部描述。`;
let closedId: string;
let overdueId: string;

/** The rows of the list's table, as text. */
async function tableRows(page: Page): Promise<string[]> {
  await page.locator(".ant-table-tbody").first().waitFor();
  return page.locator(".ant-table-tbody tr.ant-table-row").allInnerTexts();
}

beforeAll(async () => {
  if (!browserAvailable) return;
  const who: Record<string, string> = {};
  for (const username of ["regulator", "insurer", "repairer", "hotline"]) who[username] = await signInOverHttp(url(), username);
  const { projectId, unitIds } = await insuredHomesOverHttp(
    url(),
    { insurer: who.insurer, regulator: who.regulator },
    { permitNo: "KM-CLAIMS-E2E-1", name: "理赔页面花园", homes: 3, phonePrefix: "1397777" },
  );
  const ids: { id: string; instanceId: string }[] = [];
  for (const [i, unitId] of unitIds.slice(0, 3).entries()) {
    const reported = await callAs(url(), who.insurer, "/api/v1/claims", {
      method: "POST",
      json: {
        unitId,
        part: "waterproofing",
        description: i === 1 ? LONG_DESCRIPTION : `卫生间渗水 ${i + 1}`,
        reporterName: "张先生",
        reporterPhone: "13977770001",
      },
    });
    expect(reported.status).toBe(200);
    ids.push(reported.body);
  }
  await closeClaimOverHttp(url(), { insurer: who.insurer, repairer: who.repairer, hotline: who.hotline }, ids[0].instanceId);
  closedId = ids[0].id;
  overdueId = ids[1].id;
  // What the acceptance timer marks when its time runs out, and the ratings the owner (through the
  // owners' channels) and the insurer (with the TIS's final report) give: written as those would.
  await cluster().withSql(async (sql) => {
    await sql(`update claims set overdue_steps = '{accept}' where id = $1`, [overdueId]);
    await sql(
      `insert into claim_ratings (claim_id, insurer_id, repairer_id, stars, reasons, comment, channel)
       select id, insurer_id, repairer_id, 4, '{duration}', '维修工期偏长', 'web' from claims where id = $1`,
      [closedId],
    );
    await sql(
      `insert into tis_ratings (project_id, tis_id, insurer_id, stars, comment)
       select id, tis_id, lead_insurer_id, 5, '检查细致，报告及时' from projects where id = $1`,
      [projectId],
    );
  });
}, 120_000);

describe.skipIf(!browserAvailable)("the 理赔 pages", () => {
  it("the regulator's list counts open and overdue claims; the overdue filter leaves the red row", async () => {
    const regulator = await as("regulator");
    await regulator.goto(`${url()}/claims`);
    expect(await regulator.getByTestId("claim-summary").innerText()).toBe("共3件，未结2件，已逾期1件");
    expect(await tableRows(regulator)).toHaveLength(3);
    await pickOption(regulator, "是否逾期", "已逾期");
    await regulator.getByRole("button", { name: "查询" }).click();
    await regulator.waitForURL(/overdue=true/);
    await expect.poll(async () => (await tableRows(regulator)).length).toBe(1);
    const [row] = await tableRows(regulator);
    expect(row).toContain("已报案·已逾期");
    expect(row).toContain("保险公司系统");
    expect(row).toContain(PICC);
    const background = await regulator
      .locator(".ant-table-tbody tr.ant-table-row td")
      .first()
      .evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(background).toBe("rgb(255, 241, 240)");
  });

  it("a closed claim's page shows its sections, its timeline with who did each step, the rating and the flow", async () => {
    const insurer = await as("insurer");
    await insurer.goto(`${url()}/claims/${closedId}`);
    await insurer.getByTestId("claim-status").waitFor();
    expect(await insurer.getByTestId("claim-status").innerText()).toBe("已结案");
    const text = await insurer.locator("main, body").first().innerText();
    for (const shown of [
      "报案信息",
      "案件处理",
      "受理时间",
      "立案时间",
      "查勘报告",
      "定损",
      "维修情况",
      "结案",
      "卫生间防水层破损",
      "昆明利家物业服务有限公司",
      "6,200",
    ])
      expect(text, shown).toContain(shown);
    const timeline = await insurer.getByTestId("claim-timeline").innerText();
    for (const step of [
      "报案",
      "受理报案",
      "提交查勘报告",
      "立案",
      "定损",
      "提交维修情况",
      "业主验收",
      "结案",
      "热线坐席小杨",
      "利家物业蔡经理",
    ])
      expect(timeline, step).toContain(step);
    expect(await insurer.getByTestId("claim-rating").innerText()).toContain("维修工期偏长");
    expect(await insurer.getByRole("link", { name: "查看流程记录" }).count()).toBe(1);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(text).not.toMatch(/\b(closed|waterproofing|insurer|duration)\b/);
  });

  it("an open claim's page links its step for the insurer who must accept it", async () => {
    const insurer = await as("insurer");
    await insurer.goto(`${url()}/claims/${overdueId}`);
    expect(await insurer.getByTestId("claim-status").innerText()).toBe("已报案·已逾期");
    expect(await insurer.getByTestId("current-step").innerText()).toBe(
      "受理报案（去办理），待中国人民财产保险股份有限公司昆明市分公司办理",
    );
    // The long description folds after a few lines: 展开 shows it whole, 收起 folds it again.
    const described = insurer.getByTestId("folded-text");
    await expect.poll(() => described.innerText()).not.toContain("以上为来电全部描述");
    await described.getByRole("button", { name: "展开" }).click();
    await expect.poll(() => described.innerText()).toContain("以上为来电全部描述。");
    await described.getByRole("button", { name: "收起" }).click();
    await expect.poll(() => described.innerText()).not.toContain("以上为来电全部描述");
    await insurer.getByRole("link", { name: /（去办理）$/ }).click();
    await insurer.waitForURL(/\/tasks\//);
  });

  it("another insurer meets the 404 page for the claim", async () => {
    const cpic = await as("insurer-cpic");
    const response = await cpic.goto(`${url()}/claims/${closedId}`);
    expect(response?.status()).toBe(404);
    expect(await cpic.locator(".ant-result-title").innerText()).toBe("页面不存在");
  });

  it("服务评价 ranks insurers, repairers and TIS with the share of complaint reasons and the latest comments", async () => {
    const regulator = await as("regulator");
    await regulator.goto(`${url()}/claims`);
    await regulator.getByRole("link", { name: "服务评价" }).click();
    await regulator.waitForURL(/\/claims\/ratings/);
    const insurers = await regulator.getByTestId("insurer-ranking").innerText();
    expect(insurers).toContain("排名");
    expect(insurers).toContain(PICC);
    expect(insurers).toContain("4.0");
    expect(insurers).toMatch(/工期[\s\S]*100%/);
    expect(await regulator.getByTestId("repairer-ranking").innerText()).toContain("昆明利家物业服务有限公司");
    const tis = await regulator.getByTestId("tis-ranking").innerText();
    expect(tis).toContain("云南建科工程质量风险管理有限公司");
    expect(tis).toContain("5.0");
    const text = await regulator.locator("body").innerText();
    expect(text).toContain("维修工期偏长");
    expect(text).toContain("检查细致，报告及时");
    expect(await regulator.getByTestId("scope-note").count()).toBe(0);
  });

  it("服务评价 tells an insurer its rows are its own, not the city's ranking, and numbers no rank", async () => {
    const insurer = await as("insurer");
    await insurer.goto(`${url()}/claims/ratings`);
    await expect.poll(() => insurer.getByTestId("scope-note").innerText()).toContain("不是全市排名");
    const own = await insurer.getByTestId("insurer-ranking").innerText();
    expect(own).toContain(PICC);
    expect(own).not.toContain("排名");
    await insurer.getByRole("link", { name: "统计 · 服务评价" }).click();
    await insurer.waitForURL(/\/stats\?tab=service/);
  });

  it("the list fits a phone: the table scrolls inside itself", async () => {
    const regulator = await browser.as("regulator", "/claims", PHONE);
    await regulator.getByTestId("claim-summary").waitFor();
    const width = await regulator.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    expect(browser.pageErrors).toEqual([]);
  });
});
