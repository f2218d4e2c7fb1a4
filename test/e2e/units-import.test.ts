import { describe, expect, it } from "vitest";
import { browserAvailable, useBrowser } from "../support/browser";
import { policy, registration } from "../support/insurance";
import { apiOverHttp, signInOverHttp, usePlatform } from "../support/platform";
import { goodUnitRows, unitsWorkbook } from "../support/units";
import { demoCreditCode } from "../support/workflow";

// The developer's 房屋 tab at handover: a file with a bad row is refused with that row's message and
// imports nothing; the corrected file fills the table, with the count on the tab.

const { url } = usePlatform();
const { as, pageErrors } = useBrowser(url);

type Instance = { id: string; businessKey: string; openTasks: { id: string }[] };

/** A PICC project insured through the review (the demo developer's), as the insurer's system would send it. */
async function insuredProject(): Promise<string> {
  const insurer = await signInOverHttp(url(), "insurer");
  const regulator = await signInOverHttp(url(), "regulator");
  const api = <T>(cookie: string, method: string, path: string, body?: unknown) => apiOverHttp<T>(url(), cookie, method, path, body);
  const review = await api<Instance>(insurer, "POST", "/api/v1/processes/insurance-review/instances", { title: "房屋页面项目" });
  const steps: [string, unknown][] = [
    [insurer, registration({ permitNo: "KM-UNITS-E2E-1", name: "房屋页面花园", communityName: "房屋页面花园" })],
    [insurer, policy({ policyNo: "PICC-UNITS-E2E-1", tisCreditCode: demoCreditCode("tis-yjk") })],
    [regulator, { decision: "confirm" }],
  ];
  for (const [cookie, submission] of steps) {
    const { openTasks } = await api<Instance>(cookie, "GET", `/api/v1/instances/${review.id}`);
    await api(cookie, "POST", `/api/v1/tasks/${openTasks[0].id}/complete`, { submission });
  }
  return review.businessKey;
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

describe.skipIf(!browserAvailable)("the 房屋 tab", () => {
  it("the developer uploads a file with a bad row, reads the row's error, then uploads a good one and sees the homes", async () => {
    const projectId = await insuredProject();
    const developer = await as("developer", `/projects/${projectId}`);
    await developer.getByRole("tab", { name: "房屋（0）" }).click();
    await developer.waitForURL(/tab=units/);
    await expect.poll(() => developer.getByText("尚未导入房屋清单，请下载模板填写后导入").isVisible()).toBe(true);
    expect(await developer.getByRole("link", { name: /下载模板/ }).getAttribute("href")).toBe("/units-template.xlsx");
    // Whoever only reads the tab is told whose list is missing.
    const regulator = await as("regulator", `/projects/${projectId}?tab=units`);
    await expect.poll(() => regulator.getByText("建设单位尚未导入房屋清单").isVisible()).toBe(true);

    const bad = goodUnitRows(3);
    bad[1][5] = "123";
    const chooser = developer.locator('input[type="file"]');
    await chooser.setInputFiles({ name: "交付清单.xlsx", mimeType: XLSX, buffer: Buffer.from(await unitsWorkbook(bad)) });
    await expect.poll(() => developer.getByText("1 行有误，未导入任何房屋。请修改后重新上传").isVisible()).toBe(true);
    expect(await developer.locator(".unit-import-errors li").allInnerTexts()).toEqual(["第3行：业主电话“123”不是有效的手机号"]);
    expect(await developer.getByRole("tab", { name: "房屋（0）" }).isVisible()).toBe(true);

    await chooser.setInputFiles({ name: "交付清单.xlsx", mimeType: XLSX, buffer: Buffer.from(await unitsWorkbook(goodUnitRows(3))) });
    await expect.poll(() => developer.getByText("导入完成：新增 3 户，更新 0 户").isVisible()).toBe(true);
    await expect.poll(() => developer.getByRole("tab", { name: "房屋（3）" }).isVisible()).toBe(true);
    const rows = developer.locator(".ant-tabs-tabpane-active tr.ant-table-row");
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.first().innerText()).toMatch(/1\s+1\s+101\s+88\.50\s+业\*\*\s+138\*\*\*\*0000/);
    expect(pageErrors).toEqual([]);
  });
});
