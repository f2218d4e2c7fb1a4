import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAvailable, dialogsSettled, useBrowser } from "../support/browser";
import { usePlatform } from "../support/platform";

// An administrator changes the claim flow in the browser (decision 035): opens it in the modeler,
// draws a step whose flow leads nowhere and sees the lint marker on it, removes it, saves the
// draft, deploys with a reason and finds the reason in the version list; a file whose form does
// not exist is refused by the server with the message on the element it names.

const { url } = usePlatform();
const { as, pageErrors } = useBrowser(url);

/** The lint overlay bpmn-js-bpmnlint puts on an element with problems. */
const lintMarker = (page: Page, id: string) => page.locator(`.djs-overlays[data-container-id="${id}"] .bjsl-overlay`);

/** The claim flow opened in the modeler, and a file with `text` chosen in its upload button. */
async function uploadToClaim(admin: Page, name: string, text: string) {
  await admin.goto(`${url()}/admin/processes/claim/modeler`);
  await expect.poll(() => admin.locator('[data-element-id="accept"]').count(), { timeout: 30_000 }).toBe(1);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "modeler-")), name);
  writeFileSync(file, text);
  await admin.locator('input[type="file"]').setInputFiles(file);
}

describe.skipIf(!browserAvailable)("the process modeler", () => {
  it("opens the claim flow, marks a dangling step, saves the fixed draft and deploys it with a reason", async () => {
    const admin = await as("admin", "/admin/processes");
    await admin.getByRole("row").filter({ hasText: "claim" }).getByRole("link", { name: "修改流程" }).click();
    await admin.waitForURL(/\/admin\/processes\/claim\/modeler$/);
    const accept = admin.locator('[data-element-id="accept"]');
    await expect.poll(() => accept.count(), { timeout: 30_000 }).toBe(1);
    // The palette and the panel speak Chinese.
    await expect.poll(() => admin.locator('.djs-palette [aria-label="任务"]').count()).toBe(1);

    // 受理报案 selected: the platform's group chooses its form and roles from lists.
    await accept.click();
    await expect.poll(() => admin.locator('[data-group-id="group-idi-platform"]').innerText()).toContain("表单");
    await expect.poll(() => admin.locator('[data-group-id="group-idi-platform"]').innerText()).toContain("本流程的保险公司");
    await expect.poll(() => admin.locator('[data-group-id="group-idi-platform"]').innerText()).toContain("表单版本");
    // Its deadline is the 24-hour timer on its boundary; the 12-hour reminder sets none.
    await expect.poll(() => admin.locator('[data-group-id="group-idi-platform"]').innerText()).toContain("办理期限：24小时后（");

    // 不予立案's condition, built from 立案决定's form: its field, comparison and value read back into the lists.
    // A short straight flow: the middle of its box is on the line.
    const flow = (await admin.locator('g.djs-connection[data-element-id="declined"]').boundingBox())!;
    await admin.mouse.click(flow.x + flow.width / 2, flow.y + flow.height / 2);
    const field = admin.locator('[data-entry-id="idi-condition-field"] select');
    await expect.poll(() => field.inputValue()).toBe("decide.decision");
    await expect.poll(() => admin.locator('[data-entry-id="idi-condition-operator"] select').inputValue()).toBe("eq");
    await expect.poll(() => admin.locator('[data-entry-id="idi-condition-value"] select').inputValue()).toBe("decline");
    await accept.click();

    // A task appended after it leads nowhere: lint marks it.
    await admin.locator('.djs-context-pad [data-action="append.append-task"]').click();
    await expect.poll(() => admin.locator(".djs-direct-editing-parent:visible").count()).toBe(1);
    await admin.keyboard.press("Escape");
    const added = await admin.locator("#bio-properties-panel-id").inputValue();
    expect(added).not.toBe("accept");
    await expect.poll(() => lintMarker(admin, added).count()).toBe(1);
    // Drawing advice (an implicit end), which a deploy does not refuse: a 提示, no error.
    expect(await admin.getByTestId("lint-errors").count()).toBe(0);
    await expect.poll(() => admin.getByTestId("lint-tag").innerText()).toMatch(/检查通过（\d+ 条提示）/);
    expect((await lintMarker(admin, added).locator(".bjsl-icon").boundingBox())!.width).toBeGreaterThanOrEqual(18);
    // The tag opens the list of problems; a problem chosen there selects its element.
    await accept.click();
    await expect.poll(() => admin.locator("#bio-properties-panel-id").inputValue()).toBe("accept");
    await admin.getByTestId("lint-tag").click();
    const problem = admin.getByTestId("lint-issues").getByRole("listitem").filter({ hasText: "隐式结束" }).first();
    await expect.poll(() => problem.innerText()).toContain("提示");
    await problem.locator("a").click();
    await expect.poll(() => admin.locator("#bio-properties-panel-id").inputValue()).toBe(added);

    // Removed again (still selected: the context pad's delete), the marker goes.
    await admin.locator('.djs-context-pad [data-action="delete"]').click();
    await expect.poll(() => admin.locator(`[data-element-id="${added}"]`).count()).toBe(0);
    await expect.poll(() => lintMarker(admin, added).count()).toBe(0);

    await admin.getByTestId("save-draft").click();
    await expect.poll(() => admin.getByTestId("saved").count()).toBe(1);

    await admin.getByTestId("deploy").click();
    await dialogsSettled(admin, admin.getByRole("dialog"));
    await admin.getByTestId("deploy-reason").fill("受理环节复核后重新发布");
    await admin.getByRole("dialog").getByRole("button", { name: "发布" }).click();
    await expect.poll(() => admin.getByTestId("deployed").innerText()).toContain("已发布为第2版");

    await admin.goto(`${url()}/admin/processes/claim`);
    const row = admin.getByRole("row").filter({ hasText: "第2版" });
    await expect.poll(() => row.innerText()).toContain("受理环节复核后重新发布");
    await expect.poll(() => row.innerText()).toContain("平台管理员");
    // The draft went with the deploy.
    await expect.poll(() => admin.getByText("有未发布的草稿").count()).toBe(0);

    // The two versions side by side: the step drawn and removed again was never deployed.
    for (const v of ["第1版", "第2版"]) await admin.getByRole("row").filter({ hasText: v }).getByRole("checkbox").check();
    await admin.getByRole("button", { name: "对比所选两个版本" }).click();
    await admin.waitForURL(/\/compare\?from=1&to=2$/);
    await expect.poll(() => admin.getByTestId("compare-summary").innerText()).toMatch(/新增\s*无/);
    await expect.poll(() => admin.locator('[data-testid="diagram"] svg').count()).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it("builds a gateway's condition from any earlier result, resets it with its field, and leaves the default flow alone", async () => {
    const admin = await as("admin", "/admin/processes/claim/modeler");
    await expect.poll(() => admin.locator('[data-element-id="accept"]').count(), { timeout: 30_000 }).toBe(1);
    const field = admin.locator('[data-entry-id="idi-condition-field"] select');
    const operator = admin.locator('[data-entry-id="idi-condition-operator"] select');
    // A point of a flow, as a share of its box's width and height (the fitted diagram is small).
    const clickFlow = async (id: string, x = 0.5, y = 0.5) => {
      const box = (await admin.locator(`g.djs-connection[data-element-id="${id}"]`).boundingBox())!;
      await admin.mouse.click(box.x + box.width * x, box.y + box.height * y);
    };

    // 小额快赔 reads 登记受理's result, a service's: shown as the field it reads, with its comparison and value.
    // Its first part is shared with the default flow 查勘: clicked near its end.
    await clickFlow("fastTrack", 0.9);
    await expect.poll(() => field.inputValue()).toBe("recordAcceptance.coveredEstimate");
    await expect.poll(() => field.locator("option:checked").innerText()).toContain("服务结果");
    await expect.poll(() => operator.inputValue()).toBe("lt");
    await expect.poll(() => admin.locator('[data-entry-id="idi-condition-value"] input').inputValue()).toBe("3000");
    // 小于 compares numbers: a text is refused in the panel; a cleared value is no crash, and the check names it.
    const value = admin.locator('[data-entry-id="idi-condition-value"]');
    await value.locator("input").fill("3000元");
    await expect.poll(() => value.innerText()).toContain("比较值应为数字，如 3000");
    await value.locator("input").fill("");
    await expect.poll(() => lintMarker(admin, "fastTrack").count()).toBe(1);
    await lintMarker(admin, "fastTrack").hover();
    await expect.poll(() => lintMarker(admin, "fastTrack").innerText()).toContain("条件缺少比较值");

    // The gateway's default flow 查勘 needs no condition: a note, no builder.
    // Chosen by its label, which selects the flow too.
    await admin.locator('[data-element-id="toSurvey_label"]').click();
    await expect.poll(() => admin.getByTestId("condition-default-note").innerText()).toContain("默认路径，无需条件");
    expect(await field.count()).toBe(0);

    // 不予立案 tests 立案决定's choice; another field (its 说明, a text) does not keep the choice's value.
    await clickFlow("declined");
    await expect.poll(() => field.inputValue()).toBe("decide.decision");
    await field.selectOption("decide.reason");
    await expect.poll(() => admin.locator('[data-entry-id="idi-condition-value"] input').inputValue()).toBe("");
    await expect.poll(() => operator.inputValue()).toBe("eq");

    // Changed and not saved: leaving asks first; 取消 stays, 确定 leaves.
    const asked: string[] = [];
    admin.once("dialog", (dialog) => void (asked.push(dialog.message()), dialog.dismiss()));
    await admin.getByRole("link", { name: "流程与异常" }).click();
    await expect.poll(() => asked).toEqual(["有未保存的修改，确定离开？"]);
    expect(admin.url()).toMatch(/\/modeler$/);
    admin.once("dialog", (dialog) => void dialog.accept());
    await admin.getByRole("link", { name: "流程与异常" }).click();
    await admin.waitForURL(/\/admin\/processes$/);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("previews a timer's date and repetition, refuses a zero one, and sets whether it interrupts its step", async () => {
    const admin = await as("admin", "/admin/processes/claim/modeler");
    await expect.poll(() => admin.locator('[data-element-id="accept"]').count(), { timeout: 30_000 }).toBe(1);
    // 受理已逾期: 24 hours on 受理报案's boundary, which leaves the step open.
    await admin.locator('g.djs-shape[data-element-id="acceptDue"]').click();
    const value = admin.locator('[data-entry-id="idi-timer-value"]');
    const kind = admin.locator('[data-entry-id="idi-timer-kind"] select');
    const interrupts = admin.locator('[data-entry-id="idi-timer-interrupts"] select');
    await expect.poll(() => value.innerText()).toContain("预览：24小时后");
    await expect.poll(() => interrupts.locator("option:checked").innerText()).toBe("不中断，作为办理期限");
    await interrupts.selectOption({ label: "中断当前步骤" });
    await expect.poll(() => interrupts.inputValue()).toBe("interrupt");
    // 受理提醒 (12 hours, a reminder) made interrupting is no reminder any more: it is 受理报案's limit too.
    await admin.locator('g.djs-shape[data-element-id="acceptReminder"]').click();
    await expect.poll(() => interrupts.inputValue()).toBe("reminder");
    await interrupts.selectOption({ label: "中断当前步骤" });
    await admin.locator('g.djs-shape[data-element-id="accept"]').click();
    await expect.poll(() => admin.locator('[data-entry-id="idi-task-rules"]').innerText()).toContain("12小时后");
    await admin.locator('g.djs-shape[data-element-id="acceptDue"]').click();

    await kind.selectOption("timeCycle");
    await value.locator("input").fill("R3/PT1H");
    await expect.poll(() => value.innerText()).toContain("预览：每1小时，共3次");
    await value.locator("input").fill("R/PT0S");
    await expect.poll(() => value.innerText()).toContain("重复间隔为0");
    await kind.selectOption("timeDate");
    await value.locator("input").fill("2027-01-01T09:00:00+08:00");
    await expect.poll(() => value.innerText()).toContain("预览：于 2027年1月1日 09:00");
    // A zero duration is refused in the preview and by the lint, the deploy's own check.
    await kind.selectOption("timeDuration");
    await value.locator("input").fill("P0D");
    await expect.poll(() => value.innerText()).toContain("定时器时长“P0D”为0，应大于0");
    await expect.poll(() => lintMarker(admin, "acceptDue").count()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("shows the server's refusal of an uploaded file on the element it names", async () => {
    const admin = await as("admin");
    const claim = readFileSync("processes/claim.bpmn", "utf8");
    await uploadToClaim(admin, "claim-bad.bpmn", claim.replace('camunda:formKey="claim-accept"', 'camunda:formKey="no-such-form"'));
    // The browser's lint knows the forms too: the element is marked before any deploy.
    await expect.poll(() => lintMarker(admin, "accept").count()).toBe(1);
    await admin.getByTestId("deploy").click();
    await dialogsSettled(admin, admin.getByRole("dialog"));
    // 发布 without a reason: the field says so, and no page error.
    await admin.getByRole("dialog").getByRole("button", { name: "发布" }).click();
    await expect.poll(() => admin.getByRole("dialog").innerText()).toContain("请填写发布原因");
    await admin.getByTestId("deploy-reason").fill("试一个不存在的表单");
    await admin.getByRole("dialog").getByRole("button", { name: "发布" }).click();
    await expect.poll(() => admin.getByTestId("refused").innerText()).toContain("表单“no-such-form”不存在");
    await expect.poll(() => admin.getByTestId("refused-accept").count()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("lays out an uploaded file that has no drawing, and says so", async () => {
    const admin = await as("admin");
    // The shipped claim flow without its BPMNDI, as a hand-written file or another engine's would be.
    const claim = readFileSync("processes/claim.bpmn", "utf8");
    const undrawn = claim.replace(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/, "").replace("受理报案", "受理报案（无图）");
    await uploadToClaim(admin, "claim-no-drawing.bpmn", undrawn);
    await expect.poll(() => admin.getByTestId("laid-out").innerText()).toContain("文件没有图形信息，已自动排版");
    // Drawn: the renamed step is the uploaded one, its form kept (no lint mark), every step on the canvas.
    await expect.poll(() => admin.locator('g.djs-shape[data-element-id="accept"] text').first().textContent()).toContain("无图");
    await expect.poll(() => admin.locator('g.djs-shape[data-element-id="fastTrackClaim"]').count()).toBe(1);
    expect(await lintMarker(admin, "accept").count()).toBe(0);
    expect(await admin.getByText("不是可读的 BPMN 2.0 流程图").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("compares a renamed process as one change of the process, no element coloured", async () => {
    const admin = await as("admin");
    const claim = readFileSync("processes/claim.bpmn", "utf8");
    await uploadToClaim(
      admin,
      "claim-renamed.bpmn",
      claim.replace('<bpmn:process id="claim" name="理赔"', '<bpmn:process id="claim" name="理赔（改名）"'),
    );
    await admin.getByTestId("deploy").click();
    await dialogsSettled(admin, admin.getByRole("dialog"));
    await admin.getByTestId("deploy-reason").fill("只改流程名称");
    await admin.getByRole("dialog").getByRole("button", { name: "发布" }).click();
    await expect.poll(() => admin.getByTestId("deployed").innerText()).toMatch(/已发布为第\d+版/);
    const version = Number((await admin.getByTestId("deployed").innerText()).match(/已发布为第(\d+)版/)![1]);
    await admin.goto(`${url()}/admin/processes/claim/compare?from=${version - 1}&to=${version}`);
    const summary = admin.getByTestId("compare-summary");
    await expect.poll(() => summary.innerText()).toContain("名称由“理赔”改为“理赔（改名）”");
    expect(await summary.innerText()).toMatch(/修改\s*无/);
    await expect.poll(() => admin.locator('[data-testid="diagram"] [data-element-id="accept"]').count()).toBe(2);
    expect(await admin.locator('[data-testid="diagram"] .idi-changed').count()).toBe(0);
    // Side by side, each diagram fits its card: nothing clipped or scrolled sideways.
    for (const box of await admin.getByTestId("diagram-box").all())
      expect(await box.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("dry-runs the drawing with samples: the path is marked, a refused sample names its field, nothing is deployed", async () => {
    const admin = await as("admin", "/admin/processes/demo-approval/modeler");
    await expect.poll(() => admin.locator('[data-element-id="review"]').count(), { timeout: 30_000 }).toBe(1);
    await admin.getByTestId("dry-run").click();
    const samples = admin.getByTestId("dry-run-samples");
    // It starts from one submission per user task of the drawing, filled from its form: a choice
    // takes its first option, required fields have a value of their type.
    await expect
      .poll(async () => JSON.parse(await samples.inputValue()).submissions.review)
      .toEqual([expect.objectContaining({ decision: "approve" })]);
    const request = JSON.parse(await samples.inputValue()).submissions.request[0];
    expect(typeof request.subject).toBe("string");
    expect(typeof request.amount).toBe("number");

    // A first run needs no typing: it runs to the end, on the approved branch.
    await admin.getByTestId("dry-run-start").click();
    await expect.poll(() => admin.getByTestId("dry-run-outcome").innerText()).toContain("流程按样例运行到结束");
    await expect.poll(() => admin.getByTestId("dry-run-steps").innerText()).toContain("生成待办“住建局审核”");
    // The path it took is marked on the drawing: the approved branch, not the one sent back.
    await expect.poll(() => admin.locator('[data-element-id="approved"].idi-dry-path').count()).toBeGreaterThan(0);
    await expect.poll(() => admin.locator('[data-element-id="returned"].idi-dry-path').count()).toBe(0);

    // An empty request is refused by its form, field by field, and the run stops there.
    await samples.fill(JSON.stringify({ submissions: { request: [{}], review: [{ decision: "approve" }] } }));
    await admin.getByTestId("dry-run-start").click();
    await expect.poll(() => admin.getByTestId("dry-run-outcome").innerText()).toContain("request 的样例未通过表单校验");
    await expect.poll(() => admin.getByTestId("dry-run-steps").innerText()).toContain("“提交申请”的样例未通过表单校验");
    // Nothing was deployed.
    await admin.goto(`${url()}/admin/processes/demo-approval`);
    await expect.poll(() => admin.getByRole("row").filter({ hasText: "第2版" }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
