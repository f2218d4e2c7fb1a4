import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { formatDateTime } from "~/shared/time";
import { PHONE, browserAvailable, pickOption, useBrowser } from "../support/browser";
import { date, fill, pngFile, submit } from "../support/form-page";
import { gradientPng, jpegSize } from "../support/images";
import { apiOverHttp, signInOverHttp, usePlatform } from "../support/platform";
import { completeRiskTaskOverHttp, insuredOverHttp, riskTaskOverHttp } from "../support/risk-http";
import { planSubmission } from "../support/risk-submissions";

// An inspector on site works with a phone: the pages fit 375 px without sideways scrolling, the
// navigation is behind the menu button, a task's form comes first with its context folded below,
// several photos are chosen at once, and a photo from the camera is scaled down before upload.

const { url } = usePlatform();
const { as, pageErrors } = useBrowser(url);

/** How far the page reaches sideways: more than the screen means the user must scroll it. */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function openFromMenu(page: Page, item: string): Promise<void> {
  await page.getByRole("button", { name: "菜单" }).click();
  await page
    .getByRole("dialog")
    .getByRole("menuitem", { name: new RegExp(`^${item}`) })
    .click();
  await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
}

describe.skipIf(!browserAvailable)("on a phone 375 px wide", () => {
  const title = `手机现场 ${Date.now()}`;
  let photoId = "";

  it("the insurer opens 待办 from the menu, starts a request, takes a large photo and submits; the photo is stored as a JPEG of at most 1920 px", async () => {
    const insurer = await as("insurer", "/", PHONE);
    // The navigation waits behind the menu button; the header stays one line.
    expect(await insurer.getByRole("menu", { name: "主导航" }).count()).toBe(0);
    expect((await insurer.locator(".ant-layout-header").boundingBox())!.height).toBeLessThanOrEqual(64);
    await openFromMenu(insurer, "待办");
    await insurer.waitForURL(/\/inbox/);
    expect(await pageWidth(insurer)).toBeLessThanOrEqual(PHONE.width);

    await insurer.getByRole("button", { name: "发起流程" }).click();
    await insurer.getByLabel("事项标题").fill(title);
    await insurer.getByRole("button", { name: "发起", exact: true }).click();
    await insurer.waitForURL(/\/tasks\//);
    await expect.poll(() => insurer.getByLabel("申请事项").count()).toBe(1);
    expect(await pageWidth(insurer)).toBeLessThanOrEqual(PHONE.width);

    const photoField = insurer.locator(".ant-formily-item").filter({ has: insurer.getByText("现场照片", { exact: true }) });
    // 拍照 opens the phone's rear camera; 上传文件 beside it picks several photos from the album.
    await photoField.getByRole("button", { name: "现场照片（拍照）" }).waitFor();
    const picker = photoField.locator("input[capture]");
    expect(await picker.getAttribute("capture")).toBe("environment");
    expect(await picker.getAttribute("accept")).toBe("image/*");
    const original = gradientPng(4000, 3000);
    // Decoding and scaling 12 megapixels takes a while on a busy machine.
    const uploaded = insurer.waitForResponse((r) => r.url().endsWith("/attachments") && r.request().method() === "POST", {
      timeout: 60_000,
    });
    await picker.setInputFiles({ name: "现场.png", mimeType: "image/png", buffer: original });
    const stored = (await (await uploaded).json()) as { id: string; name: string; size: number };
    photoId = stored.id;
    expect(stored.name).toBe("现场.jpg");
    // The inspector sees the photo taken, as a thumbnail.
    await expect.poll(() => photoField.locator(".ant-upload-list-item-done img").count()).toBe(1);

    await fill(insurer, { 申请事项: "三号楼外墙渗水现场核查", "金额（元）": 800 });
    await submit(insurer);
    await insurer.waitForURL(/\/inbox\?done=1/);

    const download = await insurer.request.get(`${url()}/attachments/${photoId}`);
    expect(download.headers()["content-type"]).toBe("image/jpeg");
    const bytes = await download.body();
    expect(jpegSize(bytes)).toEqual({ width: 1920, height: 1440 });
  });

  it("the regulator opens the task from 待办, reads the request and its photo, and approves it without sideways scrolling", async () => {
    const regulator = await as("regulator", "/", PHONE);
    await openFromMenu(regulator, "待办");
    await regulator.waitForURL(/\/inbox/);
    // A card a task, with what it is about, its deadline and when it came: no table to scroll sideways.
    const card = regulator.getByRole("listitem").filter({ hasText: title });
    await expect.poll(() => card.innerText()).toMatch(/^住建局审核\n.+\n办理期限：.+\n到达时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await regulator.getByRole("table").count()).toBe(0);
    await card.getByRole("link", { name: "住建局审核" }).click();
    await regulator.waitForURL(/\/tasks\//);
    await expect.poll(() => regulator.getByLabel("同意").count()).toBe(1);
    expect(await pageWidth(regulator)).toBeLessThanOrEqual(PHONE.width);

    // The earlier steps wait folded below the form.
    await regulator.getByRole("button", { name: /查看已办环节/ }).click();
    await regulator.getByTestId("earlier-steps").getByText("提交申请").click();
    await expect.poll(() => regulator.getByRole("link", { name: "现场.jpg" }).count()).toBe(1);
    // The flow diagram scrolls inside its own box.
    await regulator.getByRole("tab", { name: "流程图" }).click();
    await expect.poll(() => regulator.locator("[data-testid=diagram] svg .djs-element.idi-current").count()).toBeGreaterThan(0);
    expect(await pageWidth(regulator)).toBeLessThanOrEqual(PHONE.width);

    await regulator.getByLabel("同意").check();
    await submit(regulator);
    await regulator.waitForURL(/\/inbox\?done=1/);
    expect(pageErrors).toEqual([]);
  });

  it("a form laid out in columns on a desktop shows one field a row", async () => {
    const insurer = await as("insurer", "/projects", PHONE);
    await insurer.getByRole("button", { name: "新建承保项目" }).click();
    await insurer.waitForURL(/\/tasks\//);
    // Where 项目名称 stands beside 报建号, the field before it.
    const layout = async (page: Page) => {
      const [permitNo, projectName] = await Promise.all(
        ["报建号", "项目名称"].map(async (label) => (await page.getByLabel(label, { exact: true }).boundingBox())!),
      );
      return projectName.x === permitNo.x && projectName.y > permitNo.y ? "below" : projectName.y === permitNo.y ? "beside" : "elsewhere";
    };
    await expect.poll(() => layout(insurer)).toBe("below");
    expect(await pageWidth(insurer)).toBeLessThanOrEqual(PHONE.width);

    // The same form on a desktop keeps its columns.
    const desktop = await as("insurer");
    await desktop.goto(insurer.url(), { waitUntil: "domcontentloaded" });
    await expect.poll(() => layout(desktop)).toBe("beside");
  });
});

describe.skipIf(!browserAvailable)("the TIS's site inspection on a phone", () => {
  const project = `手机检查苑 ${Date.now() % 100000}`;
  /** Where an element's box ends, from the top of the page. */
  const bottomOf = async (page: Page, label: string) => {
    const box = (await page.getByLabel(label, { exact: true }).boundingBox())!;
    return box.y + box.height;
  };

  it("the form's first field is on the first screen, the project and the earlier steps folded below it; three photos chosen at once are three photos", async () => {
    const run = Date.now() % 100000;
    const projectId = await insuredOverHttp(url(), { name: project, permitNo: `KM-PHONE-${run}`, policyNo: `PICC-PHONE-${run}` });
    const tisCookie = await signInOverHttp(url(), "tis");
    await completeRiskTaskOverHttp(url(), tisCookie, project, "风险交底及检查计划", planSubmission);
    await completeRiskTaskOverHttp(url(), await signInOverHttp(url(), "insurer"), project, "审核风险检查计划", { decision: "approve" });
    const taskId = await riskTaskOverHttp(url(), tisCookie, project, "现场风险检查");

    const tis = await as("tis", `/tasks/${taskId}`, PHONE);
    await tis.getByLabel("检查日期", { exact: true }).waitFor();
    expect(await bottomOf(tis, "检查日期")).toBeLessThanOrEqual(PHONE.height);
    // The project and the plan are there, folded below the form, one tap away.
    expect(await tis.getByTestId("business-summary").isVisible()).toBe(false);
    expect(await tis.getByTestId("earlier-steps").isVisible()).toBe(false);
    const unfold = tis.getByRole("button", { name: /项目信息与已办环节/ });
    expect((await unfold.boundingBox())!.y).toBeGreaterThan(await bottomOf(tis, "检查日期"));
    await unfold.click();
    await expect.poll(() => tis.getByTestId("business-summary").isVisible()).toBe(true);
    expect(await tis.getByTestId("earlier-steps").getByText("风险交底及检查计划").isVisible()).toBe(true);
    expect(await pageWidth(tis)).toBeLessThanOrEqual(PHONE.width);

    const photoField = tis.locator(".ant-formily-item").filter({ has: tis.getByText("现场照片", { exact: true }) });
    await photoField.locator("input[multiple]").setInputFiles([pngFile("东立面.png"), pngFile("后浇带.png"), pngFile("屋面.png")]);
    await expect.poll(() => photoField.locator(".ant-upload-list-item-done").count()).toBe(3);

    await date(tis, "检查日期", formatDateTime(Date.now(), "YYYY-MM-DD"));
    await pickOption(tis, "施工阶段（关键节点）", "地基与基础施工");
    await fill(tis, { 检查人员: "周工", 检查情况: "东立面、后浇带、屋面各一处" });
    await submit(tis);
    await tis.waitForURL(/\/inbox\?done=1/);
    const risk = await apiOverHttp<{ inspections: { photos: { name: string }[] }[] }>(
      url(),
      tisCookie,
      "GET",
      `/api/v1/projects/${projectId}/risk`,
    );
    expect(risk.inspections[0].photos.map((p) => p.name).sort()).toEqual(["东立面.png", "后浇带.png", "屋面.png"].sort());
    expect(pageErrors).toEqual([]);
  });
});
