import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAvailable, dialogsSettled, pickOption, useBrowser } from "../support/browser";
import { completeRiskTaskOverHttp, insuredOverHttp } from "../support/risk-http";
import { inspectionSubmission, planSubmission, riskEventInput } from "../support/risk-submissions";
import { apiOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// The 风险 pages as their users see them: the insurer's list across projects with its filters and
// 催办, an event's page, the contractor's and another TIS's narrower view, and a project's 风险 tab.
// The data comes through the REST API, as the insurer's and the TIS's systems would send it.

const { url } = usePlatform();
const { as, pageErrors } = useBrowser(url);

const RUN = Date.now() % 100000;
const MAIN = `风险页面甲苑 ${RUN}`;
const OTHER = `风险页面乙苑 ${RUN}`;

/** A calendar day in Kunming, `days` from today. */
function day(days: number): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date(Date.now() + days * 86_400_000));
}

const api = <T>(cookie: string, method: string, path: string, body?: unknown) => apiOverHttp<T>(url(), cookie, method, path, body);
const completeRiskTask = (cookie: string, project: string, name: string, submission: unknown) =>
  completeRiskTaskOverHttp(url(), cookie, project, name, submission);

async function upload(cookie: string, name: string) {
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  const form = new FormData();
  form.append("file", new Blob([png], { type: "image/png" }), name);
  const response = await fetch(`${url()}/attachments`, { method: "POST", headers: { Cookie: cookie, Origin: url() }, body: form });
  if (response.status !== 200) throw new Error(`upload: ${response.status} ${await response.text()}`);
  return response.json() as Promise<{ id: string; name: string; size: number }>;
}

/** An insured project through the insurance review; its risk management waits for the TIS's plan. */
const insure = (name: string, n: number, tis: string, contractor: string) =>
  insuredOverHttp(url(), { name, permitNo: `KM-RP-${RUN}-${n}`, policyNo: `PICC-RP-${RUN}-${n}`, tis, contractor });

/** A description of many lines, whose end shows only once it is unfolded. */
const LONG_DESCRIPTION = `${"后浇带止水钢板缺失，附近混凝土浇筑不密实，局部有渗水痕迹。".repeat(12)}以上为全部描述。`;

/** An event found on site, due in 20 days unless said otherwise. */
const event = (overrides: Record<string, unknown>) => riskEventInput({ deadline: day(20), ...overrides });

/** A project through its approved plan, with an assessment (before any event: 94 points, A) and one inspection. */
async function riskManaged(project: string, tisCookie: string, events: Record<string, unknown>[], photos: unknown[] = []) {
  const insurer = await signInOverHttp(url(), "insurer");
  await completeRiskTask(tisCookie, project, "风险交底及检查计划", planSubmission);
  await completeRiskTask(insurer, project, "审核风险检查计划", { decision: "approve" });
  await completeRiskTask(tisCookie, project, "风险过程评估报告", {
    reportDate: day(-12),
    period: "开工至今",
    judgement: 80,
    summary: "施工准备充分",
  });
  await completeRiskTask(tisCookie, project, "现场风险检查", inspectionSubmission(events, { inspectedOn: day(-10), photos }));
}

/** Titles of the page's cards that reach past the right edge of the screen. */
function cardsOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll(".ant-card")]
      .filter((card) => card.getBoundingClientRect().right > window.innerWidth + 1)
      .map((card) => card.querySelector(".ant-card-head-title")?.textContent ?? "?"),
  );
}

/** The rows of the list's table, as text. */
async function tableRows(page: Page): Promise<string[]> {
  await page.locator(".ant-table-tbody").first().waitFor();
  return page.locator(".ant-table-tbody tr.ant-table-row").allInnerTexts();
}

describe.skipIf(!browserAvailable)("the 风险 pages", () => {
  let mainProjectId: string;
  let otherTisUser: string;

  it("prepares two insured projects with events: one of the demo TIS, one of another TIS and another contractor", async () => {
    const admin = await signInOverHttp(url(), "admin");
    const form = await api<{ organisations: { id: string; name: string }[] }>(
      admin,
      "GET",
      "/admin/users/new?_data=routes%2F_app.admin.users.new",
    );
    const antai = form.organisations.find((o) => o.name === "昆明安泰建设工程技术咨询有限公司")!;
    otherTisUser = `antai-${RUN}`;
    const created = await fetch(`${url()}/admin/users/new?_data=routes%2F_app.admin.users.new`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Cookie: admin, Origin: url() },
      body: JSON.stringify({
        username: otherTisUser,
        password: "kunming2026",
        displayName: "安泰赵工",
        organisationId: antai.id,
        roles: ["tis"],
      }),
    });
    expect([200, 204, 302]).toContain(created.status);

    mainProjectId = await insure(MAIN, 1, "tis-yjk", "con-yj2");
    await insure(OTHER, 2, "tis-at", "con-km3");
    const tis = await signInOverHttp(url(), "tis");
    const site = await upload(tis, "现场全景.png");
    const crack = await upload(tis, "渗水点.png");
    await riskManaged(
      MAIN,
      tis,
      [
        event({ level: "critical", category: "structure", location: "2号楼屋面", description: "屋面板裂缝渗水", photos: [crack] }),
        event({ level: "general", category: "insulation", location: "1号楼外墙", description: "保温板粘贴不牢", deadline: day(-3) }),
        event({ level: "major", location: "地下室B区外墙", description: LONG_DESCRIPTION }),
      ],
      [site],
    );
    const antaiCookie = await signInOverHttp(url(), otherTisUser, "kunming2026");
    await riskManaged(OTHER, antaiCookie, [
      event({ level: "critical", category: "foundation", location: "3号楼基坑", description: "基坑支护位移超限" }),
    ]);
  });

  it("the insurer sees every event of its projects, filters by 等级=重大, urges one (once in 30 minutes) and opens it", async () => {
    const insurer = await as("insurer", "/risk");
    expect(await insurer.getByTestId("risk-summary").innerText()).toBe("共4项，已逾期1项");
    const all = await tableRows(insurer);
    expect(all).toHaveLength(4);
    expect(all.filter((r) => r.includes(MAIN))).toHaveLength(3);
    expect(all.filter((r) => r.includes(OTHER))).toHaveLength(1);
    const overdue = all.find((r) => r.includes("1号楼外墙"))!;
    expect(overdue).toContain(`${day(-3)} 已逾期`);
    expect(overdue).toContain("一般");
    expect(overdue).toContain("云南建科工程质量风险管理有限公司");
    expect(overdue).toContain("云南建设投资第二建筑工程有限公司");
    expect(overdue).toMatch(/FX\d{6}/);
    // A page past the last (an old link) says so, with the pages there are.
    await insurer.goto(`${url()}/risk?page=99`);
    await expect.poll(() => insurer.getByText("第99页已超出范围（共1页），请选择页码").isVisible()).toBe(true);
    await insurer.goto(`${url()}/risk`);

    // Each filter asks for what it filters by.
    const levelFilter = insurer.locator(".ant-select").filter({ has: insurer.getByLabel("等级", { exact: true }) });
    expect(await levelFilter.locator(".ant-select-selection-placeholder").innerText()).toBe("请选择等级");
    await pickOption(insurer, "等级", "重大");
    await insurer.getByRole("button", { name: "查询" }).click();
    await insurer.waitForURL(/level=critical/);
    await expect.poll(async () => (await tableRows(insurer)).length).toBe(2);
    const critical = await tableRows(insurer);
    for (const row of critical) expect(row).toContain("重大");
    expect(critical.some((r) => r.includes("2号楼屋面"))).toBe(true);
    expect(critical.some((r) => r.includes("3号楼基坑"))).toBe(true);
    expect(await insurer.getByTestId("risk-summary").innerText()).toBe("共2项，已逾期0项");

    // Each filter says whole what it asks for (请选择等级, not 请选择…).
    const prompts = insurer.locator(".ant-select-selection-placeholder");
    await expect.poll(() => prompts.count()).toBeGreaterThan(3);
    const cut = await prompts.evaluateAll((spans) => spans.filter((s) => s.scrollWidth > s.clientWidth).map((s) => s.textContent));
    expect(cut).toEqual([]);
    // A long description folds after two lines in the list, 展开 shows it whole, 收起 folds it again.
    await pickOption(insurer, "等级", "较大");
    await insurer.getByRole("button", { name: "查询" }).click();
    await insurer.waitForURL(/level=major/);
    const long = insurer.locator(".ant-table-tbody tr.ant-table-row").filter({ hasText: "地下室B区外墙" }).getByTestId("folded-text");
    await expect.poll(() => long.innerText()).not.toContain("以上为全部描述");
    await long.getByRole("button", { name: "展开" }).click();
    await expect.poll(() => long.innerText()).toContain("以上为全部描述。");
    await long.getByRole("button", { name: "收起" }).click();
    await expect.poll(() => long.innerText()).not.toContain("以上为全部描述");
    await pickOption(insurer, "等级", "重大");
    await insurer.getByRole("button", { name: "查询" }).click();
    await insurer.waitForURL(/level=critical/);

    // 催办 asks first, naming the organisation and the step it reminds, and can be cancelled; it takes
    // a word for the urged party (200 characters at most).
    const row = insurer.locator(".ant-table-tbody tr.ant-table-row").filter({ hasText: "2号楼屋面" });
    await row.getByRole("button", { name: "催办" }).click();
    const dialog = insurer.getByRole("dialog", { name: "催办" });
    await expect.poll(() => dialog.innerText()).toContain("将通知云南建设投资第二建筑工程有限公司尽快办理“风险事件整改”，确认催办吗？");
    // A click while the dialog still zooms in can be lost (CI's slower machine lost this one).
    await dialogsSettled(insurer, dialog);
    await dialog.getByRole("button", { name: "取消" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await row.getByTestId("urged").count()).toBe(0);
    await row.getByRole("button", { name: "催办" }).click();
    await dialogsSettled(insurer);
    await dialog.getByLabel("催办说明（可选）").fill("催".repeat(201));
    await dialog.getByRole("button", { name: "确认催办" }).click();
    await expect.poll(() => dialog.innerText()).toContain("催办说明不能超过200个字");
    await dialog.getByLabel("催办说明（可选）").fill("屋面裂缝请于本周五前完成整改");
    await dialog.getByRole("button", { name: "确认催办" }).click();
    await expect.poll(() => insurer.locator(".ant-message").innerText()).toMatch(/已催办（通知 \d+ 人）/);
    await expect.poll(() => dialog.isVisible()).toBe(false);
    // The row says it was urged, and when, so that nobody urges it again unawares.
    const urgedAt = /^已催办 \d{2}-\d{2} \d{2}:\d{2}$/;
    await expect.poll(() => row.getByTestId("urged").innerText()).toMatch(urgedAt);
    await row.getByRole("button", { name: "催办" }).click();
    await dialogsSettled(insurer);
    // A repeat is told in the dialog before anything is sent, in the server's words: when, and from
    // when it may be urged again; there is nothing to confirm.
    const repeated = /^本单位已于 \d{2}:\d{2} 催办过该任务，同一单位30分钟内只催办一次，请于 \d{2}:\d{2} 后再催办$/;
    await expect.poll(() => dialog.getByRole("alert").innerText()).toMatch(repeated);
    expect(await dialog.getByRole("button", { name: "确认催办" }).count()).toBe(0);
    await dialog.getByRole("button", { name: "关闭" }).click();

    await row.getByRole("link", { name: /^FX\d{6}$/ }).click();
    await insurer.waitForURL(/\/risk\/events\//);
    await insurer.getByText("主体结构风险事件").waitFor();
    const text = await insurer.locator("body").innerText();
    for (const shown of [
      "主体结构风险事件",
      MAIN,
      "重大",
      "2号楼屋面",
      "屋面板裂缝渗水",
      day(20),
      "待整改",
      "云南建设投资第二建筑工程有限公司（施工单位）",
      "云南建科工程质量风险管理有限公司",
      "整改单位尚未提交整改情况",
    ])
      expect(text, shown).toContain(shown);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(text).not.toMatch(/\b(critical|structure|open|contractor)\b/);
    // The site photo as a thumbnail that really loads through /attachments.
    const thumbnail = insurer.getByRole("img", { name: "渗水点.png" });
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // The step waits for the contractor: named, not a link for the insurer; the flow is linked; 催办 is here too.
    expect(await insurer.getByTestId("current-step").innerText()).toBe("风险事件整改（查看），待云南建设投资第二建筑工程有限公司办理");
    expect(await insurer.getByTestId("urged").innerText()).toMatch(urgedAt);
    expect(await insurer.getByRole("link", { name: /去办理/ }).count()).toBe(0);
    expect(await insurer.getByRole("link", { name: "查看流程记录" }).count()).toBe(1);
    expect(await insurer.getByTestId("urges").innerText()).toContain("催办：屋面裂缝请于本周五前完成整改");
    // The event's page knows the last urge too: its dialog says so before anything is sent.
    await insurer.getByRole("button", { name: "催办" }).click();
    await expect.poll(() => insurer.getByRole("dialog", { name: "催办" }).getByRole("alert").innerText()).toMatch(repeated);
  });

  it("the contractor sees only its site's events, and can go from an event to its rectification task", async () => {
    const contractor = await as("contractor", "/risk");
    expect(await contractor.getByTestId("risk-summary").innerText()).toBe("共3项，已逾期1项");
    const rows = await tableRows(contractor);
    expect(rows.every((r) => r.includes(MAIN))).toBe(true);
    expect(await contractor.getByRole("button", { name: "催办" }).count()).toBe(0);
    await contractor
      .locator(".ant-table-tbody tr.ant-table-row")
      .filter({ hasText: "2号楼屋面" })
      .getByRole("link", { name: /^FX/ })
      .click();
    await contractor.waitForURL(/\/risk\/events\//);
    // The insurer's word, on the event and on the task, and in the notice.
    const urged = /中国人民财产保险股份有限公司昆明市分公司 .+ 催办：屋面裂缝请于本周五前完成整改/;
    expect(await contractor.getByTestId("urges").innerText()).toMatch(urged);
    await contractor.getByRole("link", { name: /（去办理）$/ }).click();
    await contractor.waitForURL(/\/tasks\//);
    await expect.poll(() => contractor.getByRole("alert").filter({ hasText: "该任务已被催办" }).innerText()).toMatch(urged);
    await contractor.goto(`${url()}/notifications`);
    await expect.poll(() => contractor.locator("body").innerText()).toContain("：屋面裂缝请于本周五前完成整改");
    // Overdue is 已逾期 in the inbox's filter, on its rows and on the task.
    await contractor.goto(`${url()}/inbox`);
    await contractor.getByRole("checkbox", { name: "仅看已逾期" }).check();
    await contractor.getByRole("button", { name: "查询" }).click();
    await contractor.waitForURL(/overdue=/);
    const late = contractor.locator(".ant-table-tbody tr.ant-table-row").first();
    expect(await late.getByText("已逾期", { exact: true }).count()).toBe(1);
    await late.getByRole("link").first().click();
    await contractor.waitForURL(/\/tasks\//);
    await expect.poll(() => contractor.locator(".ant-card-extra").first().innerText()).toContain("已逾期");
  });

  it("another TIS, not appointed to the project, sees none of its events and meets the 404 page in its frame", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    const page = await api<{ page: { rows: { id: string; projectName: string }[] } }>(
      insurer,
      "GET",
      `/risk?projectId=${mainProjectId}&_data=routes%2F_app.risk._index`,
    );
    const eventId = page.page.rows[0].id;

    const antai = await as(otherTisUser, "/risk");
    expect(await antai.getByTestId("risk-summary").innerText()).toBe("共1项，已逾期0项");
    const rows = await tableRows(antai);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(OTHER);
    const response = await antai.goto(`${url()}/risk/events/${eventId}`);
    expect(response?.status()).toBe(404);
    expect(await antai.locator(".ant-result-title").innerText()).toBe("页面不存在");
    // Still inside the frame: the navigation is there.
    expect(await antai.getByRole("link", { name: "风险" }).count()).toBeGreaterThan(0);
  });

  it("the project's 风险 tab shows the plan, the inspection timeline, its events and the report with its score", async () => {
    const developer = await as("developer", `/projects/${mainProjectId}?tab=risk`);
    const tab = developer.locator(".ant-tabs-tabpane-active");
    await tab.getByText("风险管理概况").waitFor();
    const text = await tab.innerText();
    for (const shown of [
      "施工阶段",
      planSubmission.briefing,
      planSubmission.riskPoints,
      planSubmission.inspectionPlan,
      "剪力墙结构",
      "地下车库",
      "地基与基础施工",
      "周工、李工",
      "发现风险事件 3 项",
      "共3项，已逾期1项",
      "2号楼屋面",
      "风险过程评估报告",
      "94分 A（优）",
      "风险交底及检查计划",
      "已通过",
    ])
      expect(text, shown).toContain(shown);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    // The score trend is drawn like the dashboards' charts, and says its scores in words.
    const trend = tab.getByRole("img", { name: /评分趋势：.*94分/ });
    expect(await trend.count()).toBe(1);
    await tab.locator('[data-chart-state="ready"][aria-label^="评分趋势"] canvas').waitFor();
    expect(await tab.getByRole("img", { name: "现场全景.png" }).count()).toBe(1);
    expect(await developer.getByTestId("risk-counts").innerText()).toMatch(/发现风险事件\s*3\s*项/);

    // Its filters keep the tab.
    await pickOption(developer, "等级", "一般");
    await developer.getByRole("button", { name: "查询" }).click();
    await developer.waitForURL(/tab=risk.*level=general|level=general.*tab=risk/);
    await expect.poll(async () => (await tableRows(developer)).filter((r) => r.includes("1号楼外墙")).length).toBe(1);
  });

  it("works at 375 px: the list's table scrolls inside itself and the event page fits", async () => {
    const insurer = await as("insurer");
    await insurer.setViewportSize({ width: 375, height: 800 });
    await insurer.goto(`${url()}/risk`);
    await tableRows(insurer);
    // The page's own content (the frame around it is the app shell's): cards inside the screen,
    // the table wider than its box and scrolled within it.
    expect(await cardsOverflow(insurer)).toEqual([]);
    // The rows' box: .ant-table-body under a sticky header (the lists keep their sideways scrollbar in view).
    const table = await insurer
      .locator(".ant-table-body, .ant-table-content")
      .first()
      .evaluate((e) => ({ scroll: e.scrollWidth, box: e.clientWidth }));
    expect(table.scroll).toBeGreaterThan(table.box);
    await insurer.locator(".ant-table-tbody tr.ant-table-row").first().getByRole("link", { name: /^FX/ }).click();
    await insurer.waitForURL(/\/risk\/events\//);
    await insurer.getByText("整改情况", { exact: true }).waitFor();
    expect(await cardsOverflow(insurer)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
