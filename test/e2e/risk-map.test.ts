import ExcelJS from "exceljs";
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
    const xishan = body.view.map.districts.find((d: { code: string }) => d.code === "530112");
    expect([xishan.projects, xishan.openEvents, xishan.severeProjects, xishan.eventsPerProject, xishan.severeShare]).toEqual([
      1, 1, 1, 1, 100,
    ]);
    const chenggong = body.view.map.districts.find((d: { code: string }) => d.code === "530114");
    expect([chenggong.projects, chenggong.openEvents, chenggong.eventsPerProject]).toEqual([2, 0, 0]);
    expect(body.view.map.markers.map((m: unknown[]) => m[0])[0]).toBe(red);
    expect([body.view.map.markers.length, body.view.map.located, body.view.map.unlocated]).toEqual([2, 2, 1]);
  });

  it("shows an insurer none of another insurer's projects, and answers its filter 404", async () => {
    const bureau = await loaderAs("regulator");
    const pingan = bureau.body.options.insurers.find((o: { name: string }) => o.name.includes("平安"));
    expect((await loaderAs("insurer-pingan")).body.view.map.total.projects).toBe(0);
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

describe("the map's 查看数据 as Excel", () => {
  it("holds each district's figures for the filters, scoped like the map, and refuses a bad filter", async () => {
    const download = async (username: string, query: string) => {
      const response = await fetch(`${url()}/map.xlsx?${query}`, { headers: { Cookie: await signInOverHttp(url(), username) } });
      return { status: response.status, type: response.headers.get("content-type"), bytes: Buffer.from(await response.arrayBuffer()) };
    };
    const rowsOf = async (bytes: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as never);
      return workbook.worksheets[0].getSheetValues().flatMap((r) => (r ? [(r as unknown[]).slice(1)] : []));
    };
    const bureau = await download("regulator", "");
    expect([bureau.status, bureau.type]).toEqual([200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
    const rows = await rowsOf(bureau.bytes);
    expect(rows[0]).toEqual(["风险地图各区县数据"]);
    expect(String(rows[1][0])).toMatch(/^统计全部未销项风险事件，数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const header = rows.findIndex((r) => r[0] === "区县");
    expect(rows[header]).toEqual([
      "区县",
      "项目数（个）",
      "未销项风险事件（件）",
      "平均每项目（件/项目）",
      "有重大风险的项目（个）",
      "占比（%）",
    ]);
    expect(rows.find((r) => r[0] === "西山区")).toEqual(["西山区", 1, 1, 1, 1, 100]);
    expect(rows.find((r) => r[0] === "呈贡区")).toEqual(["呈贡区", 2, 0, 0, 0, 0]);
    // Another insurer's download counts none of PICC's projects.
    const pingan = await rowsOf((await download("insurer-pingan", "")).bytes);
    expect(pingan.find((r) => r[0] === "西山区")?.[1]).toBe(0);
    expect((await download("regulator", "district=999999")).status).toBe(422);
  });
});

const CRITICAL_RED = [0xf5, 0x22, 0x2d];
/** The visual map's darkest blue: the district with the most open events per project (西山区 here). */
const RISKIEST_BLUE = [0x1d, 0x39, 0xc4];

/** What the map's canvas shows: how many pixels are painted (not blank), and where the first pixel of each colour is. */
async function canvasFacts(page: Page): Promise<{ painted: number; red: Point | null; blue: Point | null }> {
  return page.evaluate(
    ([red, blue]) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[aria-label="昆明市风险地图"] canvas');
      if (!canvas) return { painted: 0, red: null, blue: null };
      const { data, width, height } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      const box = canvas.getBoundingClientRect();
      const at = (i: number) => ({
        x: box.left + (((i / 4) % width) * box.width) / width,
        y: box.top + (Math.floor(i / 4 / width) * box.height) / height,
      });
      const is = (i: number, c: number[]) => data[i] === c[0] && data[i + 1] === c[1] && data[i + 2] === c[2];
      let painted = 0;
      let found: { red: Point | null; blue: Point | null } = { red: null, blue: null };
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) painted++;
        if (!found.red && is(i, red)) found = { ...found, red: at(i) };
        // Well inside the district: the same blue a few pixels on, so not a label's or border's edge.
        if (!found.blue && is(i, blue) && is(i + 16, blue) && is(i + 4 * width * 4, blue)) found = { ...found, blue: at(i + 8) };
      }
      return { painted, ...found };
    },
    [CRITICAL_RED, RISKIEST_BLUE],
  );
}
type Point = { x: number; y: number };

describe.skipIf(!browserAvailable)("the bureau's risk map in the browser", () => {
  it("draws the districts and the markers; a district filters the map to it, a marker opens its project", async () => {
    const page = await as("regulator");
    await page.getByRole("menuitem", { name: "地图" }).click();
    await page.waitForURL(/\/map$/);
    const ready = page.locator('[aria-label="昆明市风险地图"][data-chart-state="ready"]');
    await ready.waitFor();
    await expect.poll(() => page.getByTestId("map-notes").innerText()).toContain("地图标注 2 个项目");
    await expect(page.getByTestId("map-notes").innerText()).resolves.toContain("不显示 1 个无坐标项目");
    await expect(page.getByTestId("as-of").innerText()).resolves.toMatch(/^数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    // The districts are drawn (a good part of the canvas is painted), and the 重大 project's red marker.
    await expect.poll(async () => (await canvasFacts(page)).red).not.toBeNull();
    const { painted, blue } = await canvasFacts(page);
    expect(painted).toBeGreaterThan(50_000);
    // 查看数据: the districts' figures, each district opening the projects it counts.
    await page.getByRole("button", { name: "查看数据" }).click();
    const xishan = page.getByRole("row").filter({ hasText: "西山区" });
    await expect(xishan.innerText()).resolves.toMatch(/西山区\s+1\s+1\s+1\.00\s+1\s+100\.00/);
    await expect(xishan.getByRole("link").getAttribute("href")).resolves.toBe("/projects?stage=insured&district=530112");
    await page.getByRole("button", { name: "查看地图" }).click();
    await ready.waitFor();
    // A click on 西山区 shows the map of 西山区 alone.
    await page.mouse.click(blue!.x, blue!.y);
    await page.waitForURL(/\/map\?district=530112$/);
    await expect.poll(() => page.getByTestId("map-notes").innerText()).toContain("地图标注 1 个项目");
    // The filter bar says so too, and 查询 keeps the district.
    await expect.poll(() => page.locator("form .ant-select-selection-item").allInnerTexts()).toContain("西山区");
    // Its Excel is of the map as filtered (the file itself: "the map's 查看数据 as Excel" above).
    await expect(page.getByRole("link", { name: "下载Excel" }).getAttribute("href")).resolves.toBe("/map.xlsx?district=530112");
    await ready.waitFor();
    await expect.poll(async () => (await canvasFacts(page)).red).not.toBeNull();
    const { red: marker } = await canvasFacts(page);
    await page.mouse.click(marker!.x + 1, marker!.y + 1);
    await page.waitForURL(new RegExp(`/projects/${red}`));
    expect(pageErrors).toEqual([]);
  });
});
