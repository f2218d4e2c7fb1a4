import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { currentBuild, usePlatform } from "../support/platform";
import { navigationJs, routeWeights, type RouteWeight } from "../support/weights";

// What the pages weigh in the browser, held to the budgets of issue 27 (docs/decisions/042), from
// the build `npm test` makes first: every staff page's first load of JavaScript, what moving to it
// from another staff page loads, its stylesheets, and the owners' page in all (its HTML as the platform serves it,
// its JavaScript and CSS), gzipped as a server sends them. A page over its budget fails the suite
// by name and size: lighten it (load what it draws later or on demand where it is drawn) rather
// than raise the budget.

const KB = 1024;
const BUDGET = {
  /** The owners' page, read on phones: HTML + JavaScript + CSS of its first load. */
  ownerInAll: 120 * KB,
  /** A staff page's first load of JavaScript. */
  staffFirstLoad: 300 * KB,
  /** What a client-side navigation to a staff page loads beyond what the frame loaded. */
  staffRouteChange: 100 * KB,
  /** The stylesheets every staff page links: antd's, of the components the pages draw (decision 045), and the frame's. */
  staffCss: 80 * KB,
  /** Script files of a staff page's first load: each costs a request, a parse and a link (decision 046). */
  staffFiles: 50,
};

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
/** The rows over `budget` by `size`, as "path (route): 312.4 KB". */
const over = (rows: RouteWeight[], size: (r: RouteWeight) => number, budget: number) =>
  rows.filter((r) => size(r) > budget).map((r) => `${r.path} (${r.route}): ${kb(size(r))}`);

currentBuild();
const weights = routeWeights("build");
// The signed-in frame's pages (and layouts under it); the frame itself is loaded with any of them.
const staff = weights.filter((r) => r.frame === "routes/_app" && r.route !== "routes/_app");
const owner = weights.find((r) => r.route === "routes/owner._index")!;

describe("the staff's pages", () => {
  it("each load at most 300 KB of JavaScript first", () => {
    expect(staff.length).toBeGreaterThan(30);
    expect(over(staff, (r) => r.firstLoadJs, BUDGET.staffFirstLoad)).toEqual([]);
  });

  it("each load at most 100 KB more when opened from another page of the frame, or from the login", () => {
    expect(over(staff, (r) => r.routeChangeJs, BUDGET.staffRouteChange)).toEqual([]);
    const fromLogin = staff.map((r) => ({ ...r, routeChangeJs: navigationJs("build", "routes/login", r.route) }));
    expect(over(fromLogin, (r) => r.routeChangeJs, BUDGET.staffRouteChange)).toEqual([]);
  });

  it("each load their first scripts in at most 50 files", () => {
    expect(staff.filter((r) => r.files > BUDGET.staffFiles).map((r) => `${r.path}: ${r.files} files`)).toEqual([]);
  });

  it("link at most 80 KB of stylesheets with the frame", () => {
    // Beyond it, a page links only what it alone draws (the modeler bpmn-js's).
    const frame = weights.find((r) => r.route === "routes/_app")!;
    expect(frame.css, kb(frame.css)).toBeLessThanOrEqual(BUDGET.staffCss);
  });

  it("load the diagram viewer, the charts, the map, the editors and the forms only where they are drawn", () => {
    // bpmn-js (viewer, modeler, properties panel), ECharts, CodeMirror, Formily, the form and
    // process checks' parsers, drizzle: in no page's first load, only in the chunks its
    // components import when they draw them.
    const drawnLater =
      /^(bpmn-js.*|diagram-js|@bpmn-io\/.*|echarts|zrender|codemirror|@codemirror\/.*|@uiw\/.*|@formily\/.*|re2js|@0dep\/piso|drizzle-orm|exceljs)$/;
    const carried = weights.flatMap((r) => r.packages.filter((p) => drawnLater.test(p)).map((p) => `${r.path}: ${p}`));
    expect(carried).toEqual([]);
  });
});

describe("the owners' page", () => {
  const platform = usePlatform();

  it("loads no admin UI library: its scripts are React's, Remix's and its own", () => {
    const library = /^(antd|@ant-design\/.*|rc-.*|@rc-component\/.*|@formily\/.*|dayjs)$/;
    expect(owner.packages.filter((p) => library.test(p))).toEqual([]);
  });

  it("weighs at most 120 KB in all on a first load: HTML, JavaScript and CSS", async () => {
    const response = await fetch(`${platform.url()}/owner`);
    expect(response.status).toBe(200);
    const html = await response.text();
    // No antd stylesheet, nor antd's styles written into the page.
    expect(html).not.toMatch(/antd\.generated|data-css-hash|class="ant-/);
    const htmlGz = gzipSync(html).length;
    const total = htmlGz + owner.firstLoadJs + owner.css;
    expect(
      total,
      `/owner: ${kb(total)} (HTML ${kb(htmlGz)}, JavaScript ${kb(owner.firstLoadJs)}, CSS ${kb(owner.css)})`,
    ).toBeLessThanOrEqual(BUDGET.ownerInAll);
  });
});
