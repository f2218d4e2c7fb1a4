import { describe, expect, it } from "vitest";
import { browserAvailable, useBrowser } from "../support/browser";
import { policy, registration } from "../support/insurance";
import { apiOverHttp, completeNextOverHttp, signInOverHttp, usePlatform } from "../support/platform";

// A task page to work from: the regulator's review shows the project it is about (with its policy
// and shares) and the steps before it, read-only; a step that comes back after a return says why,
// the policy step too; and a project started by mistake is withdrawn (撤回) and leaves the inbox.

const { url } = usePlatform();
const { as, openTaskFromInbox, pageErrors } = useBrowser(url);

const PROJECT = `翠湖雅苑 ${Date.now() % 100000}`;

const api = <T>(cookie: string, method: string, path: string, body?: unknown) => apiOverHttp<T>(url(), cookie, method, path, body);
const completeNext = (cookie: string, instanceId: string, submission: unknown) =>
  completeNextOverHttp(url(), cookie, instanceId, submission);

type Instance = { id: string; openTasks: { id: string; name: string }[] };

describe.skipIf(!browserAvailable)("the context of a task through the browser", () => {
  let insurerCookie: string;
  let instanceId: string;

  it("the regulator's review shows the project with its policy and shares, and the earlier steps open read-only", async () => {
    insurerCookie = await signInOverHttp(url(), "insurer");
    instanceId = (await api<Instance>(insurerCookie, "POST", "/api/v1/processes/insurance-review/instances", { title: "新建承保项目" })).id;
    await completeNext(insurerCookie, instanceId, registration({ permitNo: "KM-CTX-E2E-01", name: PROJECT }));
    await completeNext(insurerCookie, instanceId, policy({ policyNo: "PICC-CTX-E2E-01" }));

    const regulator = await as("regulator");
    await openTaskFromInbox(regulator, "住建局确认投保", PROJECT);
    const card = regulator.getByTestId("business-summary");
    await expect.poll(() => card.innerText()).toContain(`项目：${PROJECT}`);
    const text = await card.innerText();
    for (const shown of [
      "待住建局确认",
      "KM-CTX-E2E-01",
      "西山区",
      "昆明滇池湾置业有限公司",
      "PICC-CTX-E2E-01",
      "2028-07-01 至 2038-06-30",
      "312,000,000.00 元",
      "1.5%",
      "中国人民财产保险股份有限公司昆明市分公司 60%",
      "中国太平洋财产保险股份有限公司云南分公司 40%",
      "中国财产再保险有限责任公司 30%",
      "云南建科工程质量风险管理有限公司",
    ])
      expect(text, shown).toContain(shown);
    // No raw id or English on the card.
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(text).not.toMatch(/\b(draft|awaiting_confirmation|insurer|reinsurer|530112)\b/);

    // The earlier steps, collapsed: who did them and when; one click opens the form as submitted, read-only.
    const steps = regulator.getByTestId("earlier-steps");
    await expect.poll(() => steps.locator(".ant-collapse-item").count()).toBe(2);
    expect(await steps.innerText()).toContain("人保王经理");
    expect(await steps.getByText("PICC-CTX-E2E-01").count()).toBe(0);
    await steps.getByText("录入保险信息").click();
    await expect.poll(() => steps.getByText("PICC-CTX-E2E-01").count()).toBe(1);
    // Read-only: no field to type into.
    expect(await steps.getByLabel("保单号", { exact: true }).count()).toBe(0);
    expect(await steps.locator("input:not([type=radio]):not([type=checkbox])").count()).toBe(0);

    // The card links to the project's page.
    await card.getByRole("link", { name: "查看项目详情" }).click();
    await regulator.waitForURL(/\/projects\//);
    await expect.poll(() => regulator.getByText("PICC-CTX-E2E-01").count()).toBeGreaterThan(0);
  });

  it("the regulator returns it with a reason, which the registration step shows", async () => {
    // The decision form itself is tested with the review (insurance-review.test.ts).
    await completeNext(await signInOverHttp(url(), "regulator"), instanceId, { decision: "return", reason: "共保协议未上传" });
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "录入报建信息", PROJECT);
    await expect.poll(() => insurer.getByTestId("returned").innerText()).toContain("共保协议未上传");
  });

  it("once the registration is corrected, the policy step too shows who returned it and why", async () => {
    await completeNext(insurerCookie, instanceId, registration({ permitNo: "KM-CTX-E2E-01", name: PROJECT }));
    const insurer = await as("insurer");
    await openTaskFromInbox(insurer, "录入保险信息", PROJECT);
    const notice = insurer.getByTestId("returned");
    await expect.poll(() => notice.innerText()).toContain("共保协议未上传");
    expect(await notice.innerText()).toContain("住建局李科长");
    expect(await notice.innerText()).toContain("住建局确认投保");
  });

  it("the insurer withdraws a fresh 新建承保项目 after confirming, and it leaves the inbox", async () => {
    const insurer = await as("insurer", "/projects");
    await insurer.getByRole("button", { name: "新建承保项目" }).click();
    await insurer.waitForURL(/\/tasks\//);
    const taskPath = new URL(insurer.url()).pathname;
    const inbox = async () =>
      (await api<{ rows: { id: string }[] }>(insurerCookie, "GET", "/api/v1/tasks")).rows.map((t) => `/tasks/${t.id}`);
    expect(await inbox()).toContain(taskPath);

    await insurer.getByRole("button", { name: "撤回流程", exact: true }).click();
    // A confirmation first.
    await expect.poll(() => insurer.getByText("撤回后本流程结束").count()).toBe(1);
    await insurer.locator(".ant-popconfirm").getByRole("button", { name: "撤回", exact: true }).click();
    await insurer.waitForURL(/\/instances\//);
    await expect.poll(() => insurer.getByText("已撤回").count()).toBeGreaterThan(0);
    expect(await insurer.getByText("撤回流程").count()).toBeGreaterThan(0);
    expect(await insurer.getByRole("button", { name: "撤回流程", exact: true }).count()).toBe(0);

    expect(await inbox()).not.toContain(taskPath);
    await insurer.goto(`${url()}/inbox`);
    await expect.poll(() => insurer.getByRole("row").filter({ hasText: PROJECT }).count()).toBe(1);
    expect(await insurer.locator(`a[href="${taskPath}"]`).count()).toBe(0);
    expect(await insurer.getByText("新建承保项目（待录入报建信息）").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
