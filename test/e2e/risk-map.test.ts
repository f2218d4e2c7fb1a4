import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAvailable, useBrowser } from "../support/browser";
import { signInOverHttp, usePlatform } from "../support/platform";
import { completeRiskTaskOverHttp, insuredOverHttp } from "../support/risk-http";
import { inspectionSubmission, planSubmission, riskEventInput } from "../support/risk-submissions";

// 风险地图 on the built platform: its loader over HTTP (figures, scope, refusals) and, in Chromium,
// the bureau's map drawn with its districts and markers, a marker opening its project.
// Three PICC projects: one in 西山区 with an open 重大 event, one in 呈贡区 with none, one without
// coordinates.

const { url } = usePlatform();
const { as, pageErrors } = useBrowser(url);

const RUN = Date.now() % 100000;
const MAP_DATA = "_data=routes%2F_app.map";
let red: string;

async function loaderAs(username: string, query = "") {
  const cookie = await signInOverHttp(url(), username);
  const response = await fetch(`${url()}/map?${query}${query ? "&" : ""}${MAP_DATA}`, { headers: { Cookie: cookie } });
  const text = await response.text();
  return { status: response.status, text, body: response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null };
}

beforeAll(async () => {
  const insure = (name: string, n: number, registration: Record<string, unknown>) =>
    insuredOverHttp(url(), { name, permitNo: `KM-MAP-${RUN}-${n}`, policyNo: `PICC-MAP-${RUN}-${n}`, registration });
  red = await insure(`地图红苑 ${RUN}`, 1, { district: "530112", longitude: 102.66, latitude: 24.995 });
  await insure(`地图绿苑 ${RUN}`, 2, { district: "530114", longitude: 102.822, latitude: 24.885 });
  await insure(`地图无坐标苑 ${RUN}`, 3, { district: "530114", longitude: undefined, latitude: undefined });
  const [tis, insurer] = [await signInOverHttp(url(), "tis"), await signInOverHttp(url(), "insurer")];
  const project = `地图红苑 ${RUN}`;
  await completeRiskTaskOverHttp(url(), tis, project, "风险交底及检查计划", planSubmission);
  await completeRiskTaskOverHttp(url(), insurer, project, "审核风险检查计划", { decision: "approve" });
  await completeRiskTaskOverHttp(url(), tis, project, "现场风险检查", inspectionSubmission([riskEventInput({ level: "critical" })]));
}, 180_000);

describe("the map's loader", () => {
  it("gives the bureau each district's open risk and the projects with a position", async () => {
    const { status, body } = await loaderAs("regulator");
    expect(status).toBe(200);
    const xishan = body.map.districts.find((d: { code: string }) => d.code === "530112");
    expect([xishan.projects, xishan.openEvents, xishan.severeProjects, xishan.eventsPerProject, xishan.severeShare]).toEqual([
      1, 1, 1, 1, 100,
    ]);
    const chenggong = body.map.districts.find((d: { code: string }) => d.code === "530114");
    expect([chenggong.projects, chenggong.openEvents, chenggong.eventsPerProject]).toEqual([2, 0, 0]);
    expect(body.map.markers.map((m: unknown[]) => m[0])[0]).toBe(red);
    expect([body.map.markers.length, body.map.located, body.map.unlocated]).toEqual([2, 2, 1]);
  });

  it("shows an insurer none of another insurer's projects, and answers its filter 404", async () => {
    const bureau = await loaderAs("regulator");
    const pingan = bureau.body.options.insurers.find((o: { name: string }) => o.name.includes("平安"));
    expect((await loaderAs("insurer-pingan")).body.map.total.projects).toBe(0);
    const refused = await loaderAs("insurer", `insurer=${pingan.id}`);
    expect([refused.status, refused.body?.message]).toEqual([404, "该保险公司不存在，或不在您的查看范围内"]);
  });

  it("refuses a bad period or district with a Chinese message (422) naming what is wrong", async () => {
    const cookie = await signInOverHttp(url(), "regulator");
    const page = await fetch(`${url()}/map?period=week&district=999999`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(422);
    const html = await page.text();
    expect(html).toContain("统计周期应为");
    expect(html).toContain("区县代码无效");
  });
});

const CRITICAL_RED = [0xf5, 0x22, 0x2d];

/** What the map's canvas shows: how many pixels are painted (not blank), and where the first 重大-red one is. */
async function canvasFacts(page: Page): Promise<{ painted: number; red: { x: number; y: number } | null }> {
  return page.evaluate((colour) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[aria-label="昆明市风险地图"] canvas');
    if (!canvas) return { painted: 0, red: null };
    const { data, width, height } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
    const box = canvas.getBoundingClientRect();
    let painted = 0;
    let red: { x: number; y: number } | null = null;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) painted++;
      if (!red && data[i] === colour[0] && data[i + 1] === colour[1] && data[i + 2] === colour[2]) {
        const p = i / 4;
        red = { x: box.left + ((p % width) * box.width) / width, y: box.top + (Math.floor(p / width) * box.height) / height };
      }
    }
    return { painted, red };
  }, CRITICAL_RED);
}

describe.skipIf(!browserAvailable)("the bureau's risk map in the browser", () => {
  it("draws the districts and the markers; a marker opens its project", async () => {
    const page = await as("regulator");
    await page.getByRole("menuitem", { name: "地图" }).click();
    await page.waitForURL(/\/map$/);
    await page.locator('[aria-label="昆明市风险地图"][data-chart-state="ready"]').waitFor();
    await expect.poll(() => page.getByTestId("map-notes").innerText()).toContain("地图标注 2 个项目");
    await expect(page.getByTestId("map-notes").innerText()).resolves.toContain("不显示 1 个无坐标项目");
    await expect(page.getByTestId("as-of").innerText()).resolves.toMatch(/^数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    // The districts are drawn (a good part of the canvas is painted), and the 重大 project's red marker.
    await expect.poll(async () => (await canvasFacts(page)).red).not.toBeNull();
    const { painted, red: marker } = await canvasFacts(page);
    expect(painted).toBeGreaterThan(50_000);
    await page.getByRole("button", { name: "查看数据" }).click();
    await expect(page.getByRole("row").filter({ hasText: "西山区" }).innerText()).resolves.toMatch(/西山区\s+1\s+1\s+1\s+1\s+100/);
    await page.getByRole("button", { name: "查看地图" }).click();
    await page.locator('[aria-label="昆明市风险地图"][data-chart-state="ready"]').waitFor();
    await expect.poll(async () => (await canvasFacts(page)).red).toEqual(marker);
    await page.mouse.click(marker!.x + 1, marker!.y + 1);
    await page.waitForURL(new RegExp(`/projects/${red}`));
    expect(pageErrors).toEqual([]);
  });
});
