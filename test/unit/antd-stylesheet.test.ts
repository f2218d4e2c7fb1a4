import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STAFF_COMPONENTS, antdStylesheet } from "~/styles/antd-stylesheet";

// The staff's stylesheet holds the antd components the pages draw, and only those (decision 045):
// read from the code itself, every antd component a page imports and every antd class a page's
// markup names is styled by the sheet. A component left out would still be styled (the server and
// antd in the browser write its styles into the page), only more slowly: these tests say which.

const root = path.resolve(__dirname, "../..");

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && /\.tsx?$/.test(f.name) && !f.parentPath.includes(`${path.sep}styles`))
    .map((f) => path.join(f.parentPath, f.name))
    .map((file) => ({ file: path.relative(root, file), text: readFileSync(file, "utf8") }));
}

const app = sources("app");
const css = antdStylesheet();

// Classes antd puts on its markup as states or hooks, with no rule of their own (nor in antd's
// whole stylesheet): the light components draw them as antd does.
const UNSTYLED_BY_ANTD = new Set([
  "ant-alert-no-icon",
  "ant-avatar-circle",
  "ant-avatar-string",
  "ant-btn-link",
  "ant-btn-text",
  "ant-drawer-open",
  "ant-dropdown-menu-item-only-child",
  "ant-dropdown-menu-light",
  "ant-dropdown-menu-root",
  "ant-menu-overflow-item",
  "ant-menu-submenu-horizontal",
  "ant-rate-star-active",
  "ant-space-horizontal",
  "ant-statistic-content-value-decimal",
  "ant-statistic-content-value-int",
  "ant-table-column-sorter-full",
  "ant-table-empty",
  "ant-table-expanded-row-level-1",
  "ant-table-fixed-header",
  "ant-table-row-level-0",
  "ant-tabs-content-top",
  "ant-tabs-tabpane-active",
  "ant-wave-target",
]);

/** antd's module folder ("date-picker") as its export ("DatePicker"); `message` is antd's lower-case one. */
const exportName = (folder: string) =>
  folder === "message" ? folder : folder.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

describe("the staff's antd stylesheet", () => {
  it("holds every antd component a page imports", () => {
    const notComponents = new Set(["theme", "locale", "config-provider"]);
    const missing = app.flatMap(({ file, text }) =>
      [...text.matchAll(/from "antd\/es\/([a-z-]+)/g)]
        .map((m) => m[1])
        .filter((folder) => !notComponents.has(folder) && !(STAFF_COMPONENTS as readonly string[]).includes(exportName(folder)))
        .map((folder) => `${file}: ${exportName(folder)}`),
    );
    expect(missing).toEqual([]);
  });

  it("styles every antd class the pages' markup names", () => {
    // Whole class names: not the start of one completed in code (`ant-space-gap-row-${size}`).
    const named = new Set(
      app.flatMap(({ text }) => [...text.matchAll(/\bant-(?!design\b)[a-z][a-z0-9-]*(?![a-z0-9-]|\$\{)/g)].map((m) => m[0])),
    );
    expect(named.size).toBeGreaterThan(200);
    const styled = (name: string) => new RegExp(`\\.${name}(?![\\w-])`).test(css);
    expect([...named].filter((name) => !UNSTYLED_BY_ANTD.has(name) && !styled(name))).toEqual([]);
  });

  it("holds each style once, as drawn under the platform's theme, and no component the pages do not draw", () => {
    // The map by which antd in the browser knows the sheet's styles: "hash|Component-Part|prefix…:…".
    const map = /\.data-ant-cssinjs-cache-path\{content:"([^"]*)"/
      .exec(css)![1]
      .split(";")
      .map((entry) => entry.split("|"));
    expect(new Set(map.filter(([, part]) => part !== "ant-design-icons").map(([hash]) => hash)).size).toBe(1);
    const components = new Set(map.map(([, part]) => part.split("-")[0]));
    expect(components).toContain("Table");
    expect(components).toContain("DatePicker");
    for (const unused of ["Cascader", "ColorPicker", "Tour", "Transfer", "TreeSelect", "Carousel", "Calendar", "Mentions"])
      expect(components, unused).not.toContain(unused);
  });
});
