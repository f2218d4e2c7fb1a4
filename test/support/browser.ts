import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Dialog, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { DEMO_PASSWORD } from "./database";
import { signInOverHttp } from "./platform";

// Debian's Chromium, never a downloaded browser: its headless shell (package chromium-headless-shell)
// where installed, as Playwright's own headless runs use, else the whole browser run headless. The
// shell draws the same pages with about a fifth less CPU (no browser window code: a page load's
// browser process works a third as much); docs/decisions/048. CHROMIUM_PATH points elsewhere if needed.
// The binary itself: /usr/bin/chromium-headless-shell is a shell script that runs it as its child.
const HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell";
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium");

/** Browser tests run wherever Chromium is installed; CI installs it, so there they always run. */
export const browserAvailable = existsSync(CHROMIUM_PATH) || process.env.CI === "true";

export interface Viewport {
  width: number;
  height: number;
}
const DESKTOP: Viewport = { width: 1280, height: 900 };
/** An inspector's phone on site. */
export const PHONE: Viewport = { width: 375, height: 740 };

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // A user's pages (one browser profile) share one renderer process, as tabs of one site may:
      // about a tenth less of Chromium's CPU in a test file (docs/decisions/047).
      "--process-per-site",
    ],
  });
}

/**
 * The worker's Chromium: a worker runs one file after another (docs/decisions/047), and each file
 * opens its own browser profiles in it, closed after the file, instead of launching a browser of its
 * own (about a second of the machine's CPU per file). A browser that has gone is launched again.
 */
let workerBrowser: Promise<Browser> | undefined;
async function theWorkersBrowser(): Promise<Browser> {
  const browser = await workerBrowser?.catch(() => undefined);
  if (browser?.isConnected()) return browser;
  workerBrowser = launchChromium();
  return workerBrowser;
}

/**
 * Chromium for a test file with a signed-in page per demo user (separate cookies each), failing a
 * step quickly (10 s) rather than waiting for the test's timeout. Uncaught page errors are kept.
 */
export function useBrowser(url: () => string) {
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    if (browserAvailable) browser = await theWorkersBrowser();
  });
  afterAll(async () => {
    // The file's profiles, with their pages and cookies; the browser stays for the next file.
    await Promise.all(browser?.contexts().map((c) => c.close()) ?? []);
  });
  // A failed step leaves a picture of every page the test had open, under test-results/. The tabs a
  // test leaves open in a signed-in profile are kept for the file's later tests (spareTab).
  const pages: Page[] = [];
  const spareTabs = new Map<BrowserContext, Page[]>();
  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      const name = context.task.name.replace(/[^\p{L}\p{N}]+/gu, "-").slice(0, 60);
      for (const [i, page] of pages.entries())
        await page.screenshot({ path: `test-results/failed-${name}-${i}.png`, fullPage: true }).catch(() => {});
    }
    const profiles = new Set(signedIn.values());
    for (const page of pages.splice(0)) {
      if (page.isClosed() || !profiles.has(page.context())) continue;
      if (!spareTabs.has(page.context())) spareTabs.set(page.context(), []);
      spareTabs.get(page.context())!.push(page);
    }
  });
  /** Every page is watched the same way: a quick step timeout, page errors and what the CSP refused kept. */
  function watch(page: Page): Page {
    pages.push(page);
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (e) => pageErrors.push(e.message));
    // What the page's Content-Security-Policy refused (a script, a style, an image) is a page error too.
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
    return page;
  }
  const openPage = async (context: BrowserContext) => watch(await context.newPage());
  /**
   * A tab an earlier test of the file left open in this profile, made as a new one would be: that
   * test's listeners and routes dropped, the profile's screen size, media and headers again. Opening
   * a tab costs Chromium about 0.6 s of CPU more than moving one to another page (decision 048).
   */
  async function spareTab(context: BrowserContext, viewport: Viewport): Promise<Page | undefined> {
    const tabs = spareTabs.get(context) ?? [];
    let page: Page | undefined;
    while ((page = tabs.pop()) && page.isClosed());
    if (!page) return undefined;
    await page.removeAllListeners(undefined, { behavior: "ignoreErrors" });
    await page.unrouteAll({ behavior: "ignoreErrors" });
    const size = page.viewportSize();
    if (size?.width !== viewport.width || size.height !== viewport.height) await page.setViewportSize(viewport);
    await page.emulateMedia({ media: null });
    await page.setExtraHTTPHeaders({});
    return watch(page);
  }
  /**
   * Goes to `address` in the tab: a form an earlier test left with unsaved changes in a spare tab
   * asks before the tab leaves it (beforeunload), and the tab leaves.
   */
  async function moveTab(page: Page, address: string): Promise<void> {
    const leave = (dialog: Dialog) => void (dialog.type() === "beforeunload" ? dialog.accept() : dialog.dismiss());
    page.on("dialog", leave);
    try {
      await page.goto(address);
    } finally {
      page.off("dialog", leave);
    }
  }
  /** A browser profile on a desktop screen unless given another size. */
  const newContext = (viewport: Viewport) => browser!.newContext({ viewport });
  /** A page with cookies of its own, on a desktop screen unless given another size. */
  async function newPage(viewport: Viewport = DESKTOP): Promise<Page> {
    return openPage(await newContext(viewport));
  }
  /** Fills in and sends the login form (where it leads is the caller's to check). */
  async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
    await page.goto(`${url()}/login`);
    await page.getByLabel("用户名").fill(username);
    await page.getByLabel("密码").fill(password);
    await page.getByRole("button", { name: "登录" }).click();
  }
  /** One browser profile per user and screen, signed in once: what a person's second tab would share. */
  const signedIn = new Map<string, BrowserContext>();
  async function signInContext(context: BrowserContext, username: string): Promise<void> {
    const cookie = await signInOverHttp(url(), username);
    const at = cookie.indexOf("=");
    await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: url(), httpOnly: true }]);
  }
  /**
   * A tab signed in as `username`, on the page at `at` (the role's home unless given): one an earlier
   * test of the file left in the user's profile where there is one (spareTab), else a new one. The
   * session is a real sign-in's, made over HTTP and handed to the page's cookies: the login form has
   * tests of its own (sign-in, role-navigation), and typing it for each of some eighty pages was a
   * minute of every run. The user's pages share one browser profile, as a person's tabs do: its
   * cached scripts make every later page of the file quicker. A session that has ended meanwhile is
   * signed in again.
   */
  async function as(username: string, at = "/", viewport: Viewport = DESKTOP): Promise<Page> {
    const key = `${username} ${viewport.width}x${viewport.height}`;
    let context = signedIn.get(key);
    if (!context) {
      context = await newContext(viewport);
      signedIn.set(key, context);
      await signInContext(context, username);
    }
    const page = (await spareTab(context, viewport)) ?? (await openPage(context));
    await moveTab(page, `${url()}${at}`);
    if (new URL(page.url()).pathname.startsWith("/login")) {
      await signInContext(context, username);
      await page.goto(`${url()}${at}`);
    }
    // "/" sends the user on to its home.
    await page.waitForURL((u) => !u.pathname.startsWith("/login") && (at !== "/" || u.pathname !== "/"));
    return page;
  }
  /** Opens the task named `taskName` of the flow titled `title` from the inbox. */
  async function openTaskFromInbox(page: Page, taskName: string, title: string): Promise<void> {
    await page.goto(`${url()}/inbox`);
    await page.getByRole("row").filter({ hasText: title }).getByRole("link", { name: taskName }).click();
    await page.waitForURL(/\/tasks\//);
  }
  return { as, newPage, signIn, openTaskFromInbox, pageErrors };
}

/**
 * Chooses `option` in the antd Select labelled `label` (empty or not), and waits until the select shows it: antd
 * animates the list open, and a click that lands during the animation can be lost.
 */
export async function pickOption(page: Page, label: string, option: string): Promise<void> {
  const select = page.getByRole("combobox").and(page.getByLabel(label, { exact: true }));
  const shown = page.locator(".ant-select").filter({ has: select });
  const item = page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: option }).first();
  // Tried until a deadline rather than a number of times: on a loaded machine the page may still be
  // hydrating (a click on the server's HTML opens nothing) well into the first attempts.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    // Opened by the selector box, not its input (a chosen option shown over the input takes the
    // click), and only when closed: a second click would close it again.
    if ((await select.getAttribute("aria-expanded")) !== "true") await shown.locator(".ant-select-selector").click();
    // A list that closes under the click (a page still settling) is opened again.
    await item.click({ timeout: 3_000 }).catch(() => {});
    if ((await shown.innerText()).includes(option)) return;
    await page.waitForTimeout(300);
    if ((await shown.innerText()).includes(option)) return;
  }
  // What the select showed, to tell a list that never opened from a choice that did not stick.
  const state = `expanded=${await select.getAttribute("aria-expanded")}, shows “${await shown.innerText()}”, open lists ${await page.locator(".ant-select-dropdown:visible").count()}`;
  throw new Error(`could not choose “${option}” in “${label}” (${state})`);
}

/**
 * Chooses `option` in the plain combobox labelled `label` (the owners' page, which draws no antd):
 * types it (which narrows the list, or has the server find it), picks it from the list, and waits
 * until the box shows it.
 */
export async function chooseOption(page: Page, label: string, option: string): Promise<void> {
  const box = page.getByRole("combobox", { name: label, exact: true });
  await box.fill(option);
  await page.getByRole("listbox", { name: label, exact: true }).getByRole("option", { name: option }).first().click();
  await expect.poll(() => box.inputValue()).toContain(option);
}

/** antd's dialogs zoom (`zoom`), its popovers and popconfirms too (`zoom-big`). */
const ZOOMING = [".ant-zoom", ".ant-zoom-big"].flatMap((z) => [`${z}-appear`, `${z}-enter`, `${z}-leave`]).join(", ");

/**
 * Waits until no antd dialog or popconfirm is still zooming open or closed: a click that lands on a
 * dialog's button mid-animation can be lost, as on a list still opening (see pickOption).
 * `opening`: a dialog just asked for, waited for first (until it is there, nothing zooms yet).
 */
export async function dialogsSettled(page: Page, opening?: Locator): Promise<void> {
  await opening?.waitFor();
  await page.waitForFunction((zooming) => !document.querySelector(zooming), ZOOMING);
}
