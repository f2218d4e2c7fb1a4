import type { Page } from "playwright-core";

// What a page says or shows that is meant for machines, not its Chinese readers: English words
// (antd's own icon names among them) and raw ids.

// Codes users work with (报建号, 保单号, 信用代码, 案件号 LP000123, 风险事件号 FX000123) are data, not
// words, as is a key named in Chinese (antd's calendar: 上一年 (Control键加左方向键)); a few
// abbreviations are Chinese usage.
const CODES = /[A-Z0-9]+(?:-[A-Z0-9]+)+|\b[0-9A-Z]{18}\b|\b(?:LP|FX)\d{6,}\b|Control(?=键)/g;
const ALLOWED_WORDS = new Set(["IDI", "PDF", "API", "DWG", "JPG", "PNG", "IP", "Excel"]);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** English words and raw ids in the page's main content (the frame has its own test). */
export async function machineTextIn(page: Page): Promise<string[]> {
  const text = await page.locator(".ant-layout-content").innerText();
  const words = (text.replace(CODES, " ").match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !ALLOWED_WORDS.has(w));
  const ids = text.match(UUID) ?? [];
  return [...words, ...ids];
}

/**
 * Names a screen reader says (an aria-label, an image's alt) with an English word in them, the
 * frame's included: an icon left to its own name announces "bell" or "calendar".
 */
export async function englishNamesIn(page: Page): Promise<string[]> {
  const names = await page.evaluate(() =>
    [...document.querySelectorAll("[aria-label], img[alt]")]
      .filter((e) => !e.closest('[aria-hidden="true"]'))
      .map((e) => e.getAttribute("aria-label") ?? e.getAttribute("alt") ?? ""),
  );
  return names.filter((name) => (name.replace(CODES, " ").match(/[A-Za-z]{2,}/g) ?? []).some((w) => !ALLOWED_WORDS.has(w)));
}
