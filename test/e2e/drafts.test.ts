import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { demoCreditCode } from "~/demo/demo-organisations";
import { browserAvailable, dialogsSettled, pickOption, useBrowser } from "../support/browser";
import { usePlatform } from "../support/platform";
import { date, formField as field } from "../support/form-page";
import { policy } from "../support/insurance";

// Drafts (草稿) of 录入报建信息 through the browser: half the form typed and a drawing uploaded, the
// page reloaded, everything back; submitted, the draft is gone, and the step that comes back after a
// return opens with its submission, not with a stale draft; 放弃草稿 puts the stored values back.

const { url } = usePlatform();
const { as, openTaskFromInbox, pageErrors } = useBrowser(url);

const PROJECT = `草稿花园 ${Date.now() % 100000}`;
const ADDRESS = "五华区草稿路1号";
// A long form typed field by field: more than the default 30 s on a busy two-core machine.
const LONG = 120_000;

/** The answer to the draft save whose values hold `text`: set up before the change that sends it. */
function draftSaved(page: Page, text: string) {
  return page.waitForResponse(
    (r) => r.url().endsWith("/draft") && r.request().method() === "POST" && (r.request().postData() ?? "").includes(text),
  );
}

/** The open task named `name` of this test's project, as its inbox links to it. */
async function taskIdFromInbox(page: Page, name: string): Promise<string> {
  await page.goto(`${url()}/inbox`);
  const href = await page.getByRole("row").filter({ hasText: PROJECT }).getByRole("link", { name }).getAttribute("href");
  return href!.split("/").at(-1)!;
}

/** Completes a task over the JSON API with the page's own session, for the steps this test is not about. */
async function completeOverApi(page: Page, taskId: string, submission: Record<string, unknown>) {
  const answer = await page.request.post(`${url()}/api/v1/tasks/${taskId}/complete`, { data: { submission }, headers: { Origin: url() } });
  expect(answer.status(), await answer.text()).toBe(200);
}

describe.skipIf(!browserAvailable)("drafts of a task's form (草稿) through the browser", () => {
  it(
    "half of 录入报建信息 and an uploaded drawing are back after a reload; submitting it drops the draft",
    async () => {
      const insurer = await as("insurer", "/projects");
      await insurer.getByRole("button", { name: "新建承保项目" }).click();
      await insurer.waitForURL(/\/tasks\//);
      const taskUrl = insurer.url();
      await field(insurer, "报建号").fill("KM-E2E-DRAFT-1");
      await field(insurer, "项目名称").fill(PROJECT);
      await pickOption(insurer, "区县", "五华区");
      await date(insurer, "开工日期", "2026-03-01");
      await insurer
        .locator("input[type=file]")
        .first()
        .setInputFiles({
          name: "草稿图纸.pdf",
          mimeType: "application/pdf",
          buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        });
      await expect.poll(() => insurer.getByRole("link", { name: "草稿图纸.pdf" }).count()).toBe(1);
      const saved = draftSaved(insurer, ADDRESS);
      await field(insurer, "项目地址").fill(ADDRESS);
      expect((await saved).status()).toBe(200);
      await expect.poll(() => insurer.getByTestId("draft-status").innerText()).toMatch(/^草稿已自动保存 \d{2}:\d{2}:\d{2}/);

      await insurer.reload();
      await expect
        .poll(() => insurer.getByTestId("draft-restored").innerText())
        .toMatch(/已恢复您于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 保存的草稿/);
      expect(await field(insurer, "报建号").inputValue()).toBe("KM-E2E-DRAFT-1");
      expect(await field(insurer, "项目名称").inputValue()).toBe(PROJECT);
      expect(await field(insurer, "项目地址").inputValue()).toBe(ADDRESS);
      expect(await field(insurer, "开工日期").inputValue()).toBe("2026-03-01");
      expect(
        await insurer
          .locator(".ant-formily-item .ant-select")
          .filter({ has: insurer.getByLabel("区县", { exact: true }) })
          .innerText(),
      ).toContain("五华区");
      // In the form (the project's card above it lists the same drawing among its documents).
      const formCard = insurer.locator(".ant-card").filter({ has: insurer.getByText("办理", { exact: true }) });
      await expect.poll(() => formCard.getByRole("link", { name: "草稿图纸.pdf" }).count()).toBe(1);
      // Restoring is not typing: nothing is saved until the user changes something.
      expect(await insurer.getByTestId("draft-status").innerText()).toBe("");

      for (const [label, value] of Object.entries({
        小区名称: "草稿花园",
        经度: 102.71,
        纬度: 25.04,
        "建筑面积（平方米）": 52000,
        楼栋数: 5,
        户数: 420,
        "建安造价（元）": 312000000,
        建设单位统一社会信用代码: demoCreditCode("dev-dc"),
        施工单位统一社会信用代码: demoCreditCode("con-yj2"),
        监理单位统一社会信用代码: demoCreditCode("sup-hy"),
        勘察设计单位统一社会信用代码: demoCreditCode("des-ys"),
      }))
        await field(insurer, label).fill(String(value));
      await date(insurer, "计划竣工日期", "2028-06-30");
      await insurer.getByRole("button", { name: "提交", exact: true }).click();
      await insurer.waitForURL(/\/inbox\?done=1/);

      // The submitted task shows what was submitted, and no draft of it is left to restore.
      await insurer.goto(taskUrl);
      await expect.poll(() => insurer.getByText("已办理", { exact: true }).count()).toBeGreaterThan(0);
      expect(await insurer.getByTestId("draft-restored").count()).toBe(0);
      // In the form (the project's card above it now lists the same drawing among its documents),
      // drawn once the page's scripts have run: waited for, as a loaded machine may be slow to.
      await expect.poll(() => formCard.getByRole("link", { name: "草稿图纸.pdf" }).count()).toBe(1);
    },
    LONG,
  );

  it(
    "the step that comes back after a return opens with its submission; 放弃草稿 puts it back after typing",
    async () => {
      const insurer = await as("insurer");
      await completeOverApi(insurer, await taskIdFromInbox(insurer, "录入保险信息"), policy({ policyNo: "PICC-E2E-DRAFT-1" }));
      const regulator = await as("regulator");
      await completeOverApi(regulator, await taskIdFromInbox(regulator, "住建局确认投保"), { decision: "return", reason: "图纸不全" });

      await openTaskFromInbox(insurer, "录入报建信息", PROJECT);
      await expect.poll(() => insurer.getByTestId("returned").innerText()).toContain("图纸不全");
      expect(await insurer.getByTestId("draft-restored").count()).toBe(0);
      expect(await field(insurer, "项目地址").inputValue()).toBe(ADDRESS);

      const saved = draftSaved(insurer, "五华区改稿路2号");
      await field(insurer, "项目地址").fill("五华区改稿路2号");
      await saved;
      await insurer.reload();
      await expect.poll(() => field(insurer, "项目地址").inputValue()).toBe("五华区改稿路2号");
      // Clicked until its question is on the page (right after the reload the page may still be
      // hydrating, and a click on the server's HTML opens nothing), never once more: a second click
      // while it zooms open closes it again. Answered once it has stopped zooming open.
      const asked = insurer.locator(".ant-popconfirm").filter({ hasText: "确定放弃吗" });
      await expect
        .poll(async () => {
          if ((await asked.count()) === 0) await insurer.getByTestId("draft-restored").getByRole("button", { name: "放弃草稿" }).click();
          return asked.count();
        })
        .toBeGreaterThan(0);
      await expect.poll(() => asked.isVisible()).toBe(true);
      await dialogsSettled(insurer);
      await asked.getByRole("button", { name: "确定" }).click();
      await expect.poll(() => field(insurer, "项目地址").inputValue()).toBe(ADDRESS);
      expect(await insurer.getByTestId("draft-restored").count()).toBe(0);

      await insurer.reload();
      await expect.poll(() => field(insurer, "项目地址").inputValue()).toBe(ADDRESS);
      expect(await insurer.getByTestId("draft-restored").count()).toBe(0);
      expect(pageErrors).toEqual([]);
    },
    LONG,
  );

  it(
    "the draft route answers odd requests with a Chinese 4xx, never a server error, and keeps drafts to who may do the task",
    async () => {
      const insurer = await as("insurer");
      const started = await insurer.request.post(`${url()}/api/v1/processes/demo-approval/instances`, {
        data: { title: "草稿边界输入" },
        headers: { Origin: url() },
      });
      const { openTasks } = (await started.json()) as { openTasks: { id: string }[] };
      const draftUrl = `${url()}/tasks/${openTasks[0].id}/draft`;
      const send = async (page: Page, method: string, data?: unknown) => {
        const answer = await page.request.fetch(draftUrl, { method, data, headers: { Origin: url(), Accept: "application/json" } });
        const text = await answer.text();
        return { status: answer.status(), message: (JSON.parse(text || "{}") as { message?: string }).message };
      };

      const unstorable = await send(insurer, "POST", { values: { subject: "半截\u0000申请" } });
      expect(unstorable.status).toBe(422);
      expect(unstorable.message).toContain("不允许的字符");
      expect(await send(insurer, "POST", "不是 JSON")).toEqual({ status: 422, message: "提交的内容有误，请按提示修改" });
      expect(await send(insurer, "POST", { values: ["申请"] })).toEqual({ status: 422, message: "草稿的数据格式不正确" });
      expect(await send(insurer, "POST", { values: { subject: "滇".repeat(90_000) } })).toEqual({
        status: 422,
        message: "草稿内容超过 256KB，无法自动保存，请尽快提交",
      });
      expect(await send(insurer, "PUT", { values: {} })).toEqual({ status: 405, message: "不支持该请求方法" });
      const read = await insurer.request.get(draftUrl);
      expect(read.status()).toBeGreaterThanOrEqual(400);
      expect(read.status()).toBeLessThan(500);

      expect(await send(await as("insurer-cpic"), "POST", { values: { subject: "别人的草稿" } })).toMatchObject({ status: 404 });
      expect(await send(insurer, "POST", { values: { subject: "采购检测设备" } })).toMatchObject({ status: 200 });
      expect(await send(insurer, "DELETE")).toMatchObject({ status: 200 });
    },
    LONG,
  );
});
