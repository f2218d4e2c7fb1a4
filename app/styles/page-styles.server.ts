import { readFileSync } from "node:fs";
import path from "node:path";
import { createCache, extractStyle } from "@ant-design/cssinjs";

// antd writes its styles from JavaScript (CSS-in-JS). The pages link one stylesheet built from
// every component (antd-stylesheet.tsx) instead of carrying their components' styles in each page:
// the browser loads it once and keeps it, and the server computes each component's styles once per
// process in this cache, not again for every page it renders.
export const pageStyleCache = createCache();

const STYLE_KEY = /^style%/;
const SHEET_MAP = /\.data-ant-cssinjs-cache-path\{content:"([^"]*)"/;
const MAP_TAG = /<style[^>]*data-ant-cssinjs-cache-path[^>]*>[\s\S]*?<\/style>/g;

/** The style paths the linked sheet holds: its map (path:hash;…), by which antd in the browser knows them. */
export function sheetPaths(css: string): Set<string> {
  const map = SHEET_MAP.exec(css)?.[1] ?? "";
  return new Set(map.split(";").map((entry) => entry.slice(0, entry.lastIndexOf(":"))));
}

let inSheet: Set<string> | undefined;
let keysSeen = -1;
let beyond = "";

/**
 * The sheet's paths, read once from the built asset the page links (`href`, under `assetsDir`).
 * Without the file (a build without its stylesheet), every style is written into the page.
 */
function pathsOf(href: string, assetsDir: string): Set<string> {
  if (!inSheet) {
    const file = path.join(assetsDir, href.replace(/^\/assets\//, ""));
    inSheet = (() => {
      try {
        return sheetPaths(readFileSync(file, "utf8"));
      } catch {
        return new Set<string>();
      }
    })();
  }
  return inSheet;
}

/**
 * What the pages need beyond the sheet: the styles of components it does not draw, as <style> tags
 * for the page's head. Without their map, so antd in the browser still trusts the sheet's (it writes
 * these few again itself). Recomputed only when a component not seen before was rendered.
 */
export function stylesBeyondSheet(sheetHref: string, assetsDir: string): string {
  const paths = pathsOf(sheetHref, assetsDir);
  const keys = [...pageStyleCache.cache.keys()];
  if (keys.length === keysSeen) return beyond;
  keysSeen = keys.length;
  const missing = keys.filter((key) => STYLE_KEY.test(key) && !paths.has(key.replace(STYLE_KEY, "").replace(/%/g, "|")));
  const subset = createCache();
  for (const key of missing) subset.cache.set(key, pageStyleCache.cache.get(key)!);
  beyond = missing.length ? extractStyle(subset).replace(MAP_TAG, "") : "";
  return beyond;
}
